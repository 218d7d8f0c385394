"""The morning e-mail: each recipient gets their edition's PDF with the key data points.

Sending is idempotent: what went out is recorded in ``OUT/.sent/<day>.json`` (recipients stored
as hashes, since the output folder may be served as a website), rewritten atomically after each
successful send, so a rerun after a crash or a failure sends only what is still missing. One
recipient's failure does not stop the others. Credentials come only from the environment and
never appear in a message, a log line or a record.

Every exchange with the server has a deadline, ``email.timeout`` seconds in all: connecting
and logging in, sending one message, closing. A socket timeout alone bounds each read, and a
server answering one byte at a time never trips it; when the deadline passes, the connection
is shut down under the reader's feet and the exchange fails as timed out.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import smtplib
import socket
import ssl
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from reporter.config import LOCAL_HOSTS, EmailConfig, Recipient, sender_address
from reporter.config import parse_recipient as parse_recipient
from reporter.errors import ConfigError, DeliveryError
from reporter.vocabulary import (
    EDITION_LOCALES,
    MAIL_CHART,
    SMTP_PORTS,
    TLS_MODES,
    chart_file_name,
    chart_png_name,
    pdf_file_name,
)

if TYPE_CHECKING:
    from email.message import EmailMessage

    from reporter.portal.days import Day

ENV_USER, ENV_PASSWORD = EmailConfig.SECRETS["user"], EmailConfig.SECRETS["password"]


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    tls: str  # starttls | ssl | none
    timeout: float = 60
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def where(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def parse_smtp(text: str) -> tuple[str, int]:
    """``HOST``, ``HOST:PORT`` or ``[IPV6]:PORT``; port 0 when none is given."""
    value = text.strip()
    host, port = value, "0"
    if value.startswith("["):
        end = value.find("]")
        host, rest = value[1:end] if end > 0 else "", value[end + 1:] if end > 0 else ""
        if rest:
            port = rest[1:] if rest.startswith(":") else "x"
    elif value.count(":") == 1:
        host, port = value.split(":")
    if not host or any(c.isspace() for c in host) or not port.isdigit() or int(port) > 65535:
        raise ConfigError(f"--smtp: expected HOST:PORT, got {text!r}")
    return host, int(port)


def smtp_settings(cfg: EmailConfig, *, smtp: str | None = None, tls: str | None = None,
                  environ: Mapping[str, str] | None = None) -> SmtpSettings:
    """The server to use: configuration, overridden by ``--smtp`` / ``--tls``; secrets from the
    environment. Plain text (``none``) only to this machine."""
    env = os.environ if environ is None else environ
    host, port = (cfg.host, cfg.port) if smtp is None else parse_smtp(smtp)
    mode = cfg.tls if tls is None else tls
    if mode not in TLS_MODES:
        raise ConfigError(f"--tls: expected one of {', '.join(TLS_MODES)}, got {mode!r}")
    if mode == "none" and host not in LOCAL_HOSTS:
        raise ConfigError(
            f"--tls none sends mail and password in clear text; allowed only to "
            f"{', '.join(LOCAL_HOSTS)}, not to {host!r}"
        )
    port = port or SMTP_PORTS[mode]
    user, password = env.get(ENV_USER) or None, env.get(ENV_PASSWORD) or None
    if bool(user) != bool(password):
        have, lack = (ENV_USER, ENV_PASSWORD) if user else (ENV_PASSWORD, ENV_USER)
        raise ConfigError(f"{have} is set but {lack} is not; set both or neither")
    return SmtpSettings(host, port, mode, float(cfg.timeout), user, password)


def parse_sender(text: str, where: str = "--from") -> str:
    """A From value: ``ADDRESS`` or ``NAME <ADDRESS>`` (a language is chosen per recipient,
    not per sender), as given; ConfigError naming ``where`` otherwise."""
    value = text.strip()
    if "<" not in value and ":" in value:
        raise ConfigError(f"{where}: expected an e-mail address without a language, got {text!r}")
    try:
        sender_address(value)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    return value


def envelope_sender(sender: str) -> str:
    """The address alone of a From value (``NAME <ADDRESS>`` -> ``ADDRESS``)."""
    return sender_address(sender)[1]


def from_header(sender: str) -> str:
    """The From header: the display name encoded as mail needs it (non-ASCII names too)."""
    from email.headerregistry import Address

    name, address = sender_address(sender)
    user, _, domain = address.rpartition("@")
    return str(Address(display_name=name, username=user, domain=domain))


def parse_recipients(values: Iterable[str]) -> list[Recipient]:
    """``--to`` values (repeatable, each may hold several separated by commas), deduplicated."""
    out: dict[str, Recipient] = {}
    for value in values:
        for item in value.split(","):
            if item.strip():
                r = parse_recipient(item)
                out.setdefault(r.address.lower(), r)
    return list(out.values())


# -- composing ------------------------------------------------------------------------------------

def subject(day: Day, edition: str) -> str:
    from reporter.portal.days import view
    from reporter.portal.site import entry_title

    return " / ".join(entry_title(view(day, loc)) for loc in EDITION_LOCALES[edition])


@dataclass(frozen=True)
class MailOptions:
    """What every message of a send shares besides the day: the portal and how to leave."""

    base_url: str = ""
    unsubscribe: tuple[str, ...] = ()
    one_click: bool = False


def _chart(day: Day, locale: str) -> tuple[bytes, str] | None:
    """The mailed chart of ``locale`` as PNG with its alt text (the title of the SVG of the
    same chart), or None when the day folder has no PNG (a day made by an older version)."""
    from reporter import files
    from reporter.render.web import svg_title

    try:
        png = files.read_bytes(day.folder / chart_png_name(MAIL_CHART, locale))
    except OSError:
        return None
    if not png.startswith(b"\x89PNG\r\n\x1a\n"):
        return None
    try:
        alt = svg_title(files.read_text(day.folder / chart_file_name(MAIL_CHART, locale)))
    except (OSError, UnicodeDecodeError):
        alt = ""
    return png, alt


def compose(day: Day, recipient: Recipient, sender: str, *, base_url: str = "",
            options: MailOptions | None = None) -> EmailMessage:
    """The message for one recipient: localised subject, plain-text and HTML bodies (headline,
    summary, key points and the day's chart inline), the PDF attached."""
    from email.message import EmailMessage
    from email.utils import format_datetime, make_msgid

    from markupsafe import Markup

    from reporter.i18n.jinja import environment
    from reporter.portal.days import view
    from reporter.portal.site import entry_title, index_name

    opts = options or MailOptions(base_url=base_url)
    edition = recipient.edition
    name = pdf_file_name(day.day, edition)
    pdf = day.folder / name
    from reporter import files

    try:
        data = files.read_bytes(pdf)
    except FileNotFoundError:
        raise DeliveryError(f"{pdf}: the {edition} edition is missing") from None
    except OSError as exc:
        raise DeliveryError(f"{pdf}: cannot read the {edition} edition "
                            f"({exc.strerror or exc})") from None
    domain = envelope_sender(sender).rsplit("@", 1)[-1]
    unsubscribe = next((u for u in opts.unsubscribe if not u.lower().startswith("mailto:")),
                       opts.unsubscribe[0] if opts.unsubscribe else "")
    html_parts, text_parts, images = [], [], []
    for loc in EDITION_LOCALES[edition]:
        v = view(day, loc)
        env = environment("mail", loc)
        link = f"{opts.base_url}{day.day}/{index_name(loc)}" if opts.base_url else ""
        chart = _chart(day, loc)
        # short enough that the header is never folded (some clients then miss the image)
        token = hashlib.sha256(f"{day.day}.{edition}.{loc}".encode()).hexdigest()[:12]
        cid = f"<chart.{loc}.{token}@{domain}>" if chart else ""
        if chart:
            images.append((chart[0], cid))
        ctx = {"v": v, "title": entry_title(v), "attachment": name, "link": link,
               "chart_cid": cid[1:-1], "chart_alt": chart[1] if chart else "",
               "unsubscribe": unsubscribe}
        html_parts.append(Markup(env.get_template("mail_section.html").render(**ctx)))
        text_parts.append(env.get_template("mail_section.txt").render(**ctx).strip())
    title = subject(day, edition)
    html = environment("mail", EDITION_LOCALES[edition][0]).get_template("mail.html").render(
        lang=EDITION_LOCALES[edition][0], subject=title, sections=html_parts)

    msg = EmailMessage()
    msg["From"] = from_header(sender)
    msg["To"] = recipient.address
    msg["Subject"] = title
    msg["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    msg["Message-ID"] = make_msgid(idstring=f"{day.day}.{edition}", domain=domain)
    msg["Auto-Submitted"] = "auto-generated"
    if opts.unsubscribe:
        msg["List-Unsubscribe"] = ", ".join(f"<{u}>" for u in opts.unsubscribe)
        if opts.one_click:
            msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content("\n\n\n".join(text_parts) + "\n", charset="utf-8")
    msg.add_alternative(html, subtype="html", charset="utf-8")
    if images:  # the HTML and its chart travel together (multipart/related)
        html_part = msg.get_body(("html",))
        assert isinstance(html_part, EmailMessage)
        for png, cid in images:
            html_part.add_related(png, maintype="image", subtype="png", cid=cid,
                                  filename=f"{MAIL_CHART}.png", disposition="inline")
    msg.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    # after the body: turning the message multipart moves Content-* headers into the first part
    msg["Content-Language"] = ", ".join(EDITION_LOCALES[edition])
    return msg


# -- sending --------------------------------------------------------------------------------------

@dataclass
class SendResult:
    day: str
    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already sent earlier (no --resend)
    failed: dict[str, str] = field(default_factory=dict)  # address -> reason
    warnings: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)  # a dry run's .eml files

    def raise_for_failures(self) -> None:
        if self.failed:
            detail = "; ".join(f"{a} ({why})" for a, why in self.failed.items())
            raise DeliveryError(
                f"e-mail for {self.day} failed for {len(self.failed)} of "
                f"{len(self.failed) + len(self.sent) + len(self.skipped)} recipient(s): {detail}"
            )


def record_path(out: Path, day: str) -> Path:
    return out / ".sent" / f"{day}.json"


def recipient_key(address: str) -> str:
    """How a recipient is recorded: a hash, so the record reveals no address."""
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()[:32]


def read_record(out: Path, day: str) -> dict[str, dict[str, str]]:
    path = record_path(out, day)
    from reporter import files

    try:
        data = json.loads(files.read_text(path))
    except FileNotFoundError:
        return {}
    except RecursionError:
        raise DeliveryError(f"{path}: unreadable record of sent e-mail (nested too deeply)"
                            ) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DeliveryError(f"{path}: unreadable record of sent e-mail ({exc})") from None
    sent = data.get("sent") if isinstance(data, dict) else None
    if not isinstance(sent, dict):
        raise DeliveryError(f"{path}: unreadable record of sent e-mail (no 'sent' table)")
    return sent


def _write_record(out: Path, day: str, sent: dict[str, dict[str, str]]) -> None:
    from reporter.deliver import write_atomic

    body = {"day": day, "sent": dict(sorted(sent.items()))}
    write_atomic(record_path(out, day), (json.dumps(body, indent=2) + "\n").encode())


class _Lock:
    """One sender per day at a time, so two overlapping runs cannot both send."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fh: TextIO | None = None

    def __enter__(self) -> _Lock:
        import fcntl

        self.fh = fh = open(self.path, "a")  # noqa: SIM115 - held for the whole send
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise DeliveryError(f"another send for {self.path.stem} is running") from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fh is not None:
            self.fh.close()


class _Deadline:
    """Bounds each exchange with one connection as a whole (see the module's docstring).

    ``with deadline:`` around an exchange; a timer shuts the connection's socket down when
    ``seconds`` have passed, which ends any read or write in progress at once. ``fd`` is the
    connection's socket, known from the moment it is connected (before any TLS handshake).
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.fd: int | None = None
        self.expired = False
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def __enter__(self) -> _Deadline:
        self.expired = False
        self._timer = threading.Timer(self.seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = None

    def _fire(self) -> None:
        with self._lock:
            if self._timer is None or self.fd is None:
                return
            self.expired = True
            with contextlib.suppress(OSError):
                sock = socket.socket(fileno=self.fd)  # the same socket, not a copy
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                finally:
                    sock.detach()

    def timed_out(self, exc: BaseException, where: str) -> str | None:
        """The reason to give when ``exc`` ended an exchange because time ran out."""
        if self.expired or isinstance(exc, TimeoutError):
            return (f"SMTP server {where} timed out: the exchange took longer than "
                    f"{self.seconds:g} s (email.timeout)")
        return None


class _Client(smtplib.SMTP):
    """smtplib's client, telling its deadline which socket to shut down."""

    deadline: _Deadline
    _host: str  # smtplib's: the server name TLS checks (set by _connect, as connect() does not)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        # smtplib opens the connection through this undocumented hook, absent from its types
        sock: socket.socket = smtplib.SMTP._get_socket(  # type: ignore[attr-defined]
            self, host, port, timeout
        )  # plain TCP
        self.deadline.fd = sock.fileno()
        if isinstance(self, smtplib.SMTP_SSL):
            sock = self.context.wrap_socket(sock, server_hostname=self._host)
        return sock


class _SslClient(_Client, smtplib.SMTP_SSL):
    """The same over TLS from the first byte (``tls = "ssl"``)."""


@contextlib.contextmanager
def _exchange(conn: _Client, where: str) -> Iterator[None]:
    """One exchange under the connection's deadline; DeliveryError once time ran out."""
    deadline = conn.deadline
    try:
        with deadline:
            yield
    except (OSError, smtplib.SMTPException) as exc:
        reason = deadline.timed_out(exc, where)
        if reason is None:
            raise
        raise DeliveryError(reason) from None


def _connect(s: SmtpSettings) -> _Client:
    if s.tls == "ssl":
        conn: _Client = _SslClient(timeout=s.timeout, context=ssl.create_default_context())
    else:
        conn = _Client(timeout=s.timeout)
    conn._host = s.host  # for TLS: the name to check
    conn.deadline = _Deadline(s.timeout)
    try:
        try:
            with _exchange(conn, s.where):
                code, greeting = conn.connect(s.host, s.port)
                if code != 220:  # as smtplib.SMTP(host) checks
                    raise smtplib.SMTPConnectError(code, greeting)
                conn.ehlo()
                if s.tls == "starttls":
                    if not conn.has_extn("starttls"):
                        raise DeliveryError(f"SMTP server {s.where} does not offer STARTTLS "
                                            "(use --tls ssl, or none for a local server)")
                    conn.starttls(context=ssl.create_default_context())
                    conn.ehlo()
                if s.user:
                    conn.login(s.user, s.password or "")
        except BaseException:
            conn.close()
            raise
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(f"SMTP server {s.where} refused the login of user {s.user!r} "
                            f"({exc.smtp_code})") from None
    except ssl.SSLError as exc:
        raise DeliveryError(f"TLS with SMTP server {s.where} failed: {exc.reason}") from None
    except smtplib.SMTPException as exc:
        raise DeliveryError(f"SMTP server {s.where}: {_why(exc)}") from None
    except OSError as exc:
        raise DeliveryError(f"cannot connect to SMTP server {s.where}: "
                            f"{exc.strerror or exc}") from None
    return conn


def _why(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        return f"refused by the server: {code} {_decode(text)}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_decode(exc.smtp_error)}"
    return " ".join(str(exc).split()) or type(exc).__name__


def _decode(text: bytes | str) -> str:
    raw = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return " ".join(raw.split())


def outbox_path(out: Path, day: str) -> Path:
    """Where ``send --dry-run`` leaves the messages it would send (a hidden folder: the
    output folder may be served as a website)."""
    return out / ".outbox" / day


def send_day(out: Path, date: str, recipients: Iterable[Recipient],
             settings: SmtpSettings | None, sender: str, *, resend: bool = False,
             base_url: str = "", options: MailOptions | None = None, dry_run: bool = False,
             progress: Callable[[str, str], None] | None = None) -> SendResult:
    """Mail the day's editions in ``out`` to each recipient not yet served; see the module.
    ``dry_run``: write each message as an ``.eml`` file in ``outbox_path`` instead, send
    nothing and record nothing."""
    from reporter.portal.days import find_day

    if not sender:
        raise ConfigError("email.sender: no From address; set it in the configuration or give "
                          "--from ADDRESS (or --from \"NAME <ADDRESS>\")")
    opts = options or MailOptions(base_url=base_url)
    unique: dict[str, Recipient] = {}
    for r in recipients:
        unique.setdefault(r.address.lower(), r)  # the first mention of an address wins
    todo = list(unique.values())
    if not todo:
        raise ConfigError("no recipients: give --to ADDR[:LANG] or set email.recipients")
    if settings is None and not dry_run:
        raise ConfigError("no SMTP server to send with")
    day, warnings = find_day(out, date)
    result = SendResult(day=day.day, warnings=warnings)
    path = record_path(out, day.day)
    try:
        path.parent.mkdir(exist_ok=True)
    except OSError as exc:
        raise DeliveryError(f"cannot create {path.parent}: {exc.strerror}") from None
    conn: _Client | None = None
    with _Lock(path.with_suffix(".lock")):
        from reporter.deliver import sweep_temporary

        sweep_temporary(path.parent)  # a record a killed sender left half-written
        sent = read_record(out, day.day)
        pending = []
        for r in todo:
            if recipient_key(r.address) in sent and not resend:
                result.skipped.append(r.address)
                if progress:
                    progress(r.address, "skipped")
            else:
                pending.append(r)
        if dry_run:
            _write_outbox(out, day, pending, sender, opts, result, progress)
            return result
        assert settings is not None
        envelope = envelope_sender(sender)
        try:
            for i, r in enumerate(pending):
                try:
                    msg = compose(day, r, sender, options=opts)
                except DeliveryError as exc:
                    _fail(result, progress, [r], str(exc))
                    continue
                if conn is None:
                    try:
                        conn = _connect(settings)
                    except DeliveryError as exc:  # no server: no use trying the others
                        _fail(result, progress, pending[i:], str(exc))
                        break
                try:
                    with _exchange(conn, settings.where):
                        conn.send_message(msg, from_addr=envelope, to_addrs=[r.address])
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as exc:
                    result.failed[r.address] = _why(exc)  # the session itself is still fine
                    conn = _reset(conn, settings.where)
                except (DeliveryError, smtplib.SMTPException, OSError) as exc:
                    result.failed[r.address] = _why(exc)
                    _close(conn, settings.where)
                    conn = None
                else:
                    sent[recipient_key(r.address)] = {
                        "edition": r.edition,
                        "message_id": str(msg["Message-ID"]),
                        "sent_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    }
                    _write_record(out, day.day, sent)
                    result.sent.append(r.address)
                if progress:
                    progress(r.address, "failed" if r.address in result.failed else "sent")
        finally:
            if conn is not None:
                _close(conn, settings.where)
    return result


def _write_outbox(out: Path, day: Day, pending: list[Recipient], sender: str,
                  opts: MailOptions, result: SendResult,
                  progress: Callable[[str, str], None] | None) -> None:
    """The messages a send would send, one ``.eml`` file each; what was there before from
    an earlier dry run of the day is replaced."""
    from reporter.deliver import write_atomic

    folder = outbox_path(out, day.day)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.eml"):
            old.unlink()
    except OSError as exc:
        raise DeliveryError(f"cannot prepare {folder}: {exc.strerror or exc}") from None
    for i, r in enumerate(pending, 1):
        try:
            msg = compose(day, r, sender, options=opts)
        except DeliveryError as exc:
            _fail(result, progress, [r], str(exc))
            continue
        path = folder / f"{i:03d}-{r.edition}-{recipient_key(r.address)[:8]}.eml"
        write_atomic(path, msg.as_bytes(policy=msg.policy.clone(linesep="\r\n")))
        result.written.append(path)
        result.sent.append(r.address)
        if progress:
            progress(r.address, "written")


def _fail(result: SendResult, progress: Callable[[str, str], None] | None,
          who: list[Recipient], reason: str) -> None:
    for r in who:
        result.failed[r.address] = reason
        if progress:
            progress(r.address, "failed")


def _reset(conn: _Client, where: str) -> _Client | None:
    """After a refused message the session goes on; if even RSET fails, reconnect next time."""
    try:
        with _exchange(conn, where):
            conn.rset()
        return conn
    except Exception:
        _close(conn, where)
        return None


def _close(conn: _Client, where: str) -> None:
    """Say goodbye within the deadline; hang up in any case."""
    try:
        with _exchange(conn, where):
            conn.quit()
    except Exception:
        conn.close()
