"""Team chats: the day's headline, key points and portal link, posted to each ``[[webhooks]]``.

Each service gets its own documented message format:

- Slack incoming webhook: ``{"text", "blocks"}`` (header, context, section blocks; mrkdwn
  with ``&``, ``<``, ``>`` escaped, links as ``<url|text>``); success is HTTP 200 ``ok``.
- WeCom (企业微信) group robot: ``{"msgtype": "markdown", "markdown": {"content"}}``, the
  content at most 4096 bytes; success is ``errcode`` 0.
- DingTalk (钉钉) custom robot: ``{"msgtype": "markdown", "markdown": {"title", "text"}}``;
  with a signing secret (加签) the URL gets ``timestamp`` (ms) and ``sign`` =
  base64(HMAC-SHA256(secret, "timestamp\\nsecret")); success is ``errcode`` 0.
- Feishu (飞书) custom bot: ``{"msg_type": "post", "content": {"post": {"zh_cn"|"en_us":
  {"title", "content"}}}}`` (a bilingual webhook carries both: each reader sees their
  language); with a secret (签名校验) the body gets ``timestamp`` (s) and ``sign`` =
  base64(HMAC-SHA256(key="timestamp\\nsecret", message="")); success is ``code`` 0.

Like the e-mail, a day is posted once per webhook: ``OUT/.sent/<day>.chat.json`` records each
success as it happens, so a rerun posts only what failed (``--resend`` posts again). URLs and
secrets come only from the environment variables the configuration names, and appear in no
message, error or record (the URL carries the chat's key). Every attempt has a deadline (the
webhook's ``timeout``, connecting included); network errors, server errors and rate limits are
retried ``retries`` times with a growing pause. One webhook's failure does not stop the others.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus, urlsplit

from reporter.config import LOCAL_HOSTS, WebhookConfig
from reporter.errors import ConfigError, DeliveryError
from reporter.vocabulary import EDITION_LOCALES

if TYPE_CHECKING:
    from reporter.portal.days import Day, DayView

#: Seconds before the first retry; doubled for each further one.
BACKOFF = 1.0
#: The longest pause a server's Retry-After may ask for.
MAX_RETRY_AFTER = 30.0
#: The service's limit on one message (WeCom: 4096 bytes of markdown; Slack: 3000 characters
#: per section text, 150 per header).
WECOM_MAX_BYTES = 4096
SLACK_SECTION_MAX = 3000
SLACK_HEADER_MAX = 150
#: Feishu's language keys of a post.
FEISHU_LANGUAGES = {"zh-CN": "zh_cn", "en-US": "en_us"}
#: Error codes of the services that mean "too fast, try again later" (or busy).
RETRY_CODES = {"wecom": {-1, 45009}, "dingtalk": {-1, 130101}, "feishu": {11232, 9499001}}


# -- what a message says ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Section:
    """One language's part of a message, every string localised."""

    locale: str
    title: str  # the headline, else "Market breadth, <date>: <tone>"
    byline: str  # "<date> · Tone: <tone>"
    points: tuple[str, ...]
    link: str  # the day's portal page, or "" without a base URL
    link_text: str
    sample: str  # "Sample data, not a real market" or ""


def sections(day: Day, language: str, base_url: str) -> list[Section]:
    """The parts of a day's message in ``language`` (both for bilingual)."""
    from reporter.i18n import gettext_for
    from reporter.portal.days import view
    from reporter.portal.site import entry_title, index_name

    out = []
    for loc in EDITION_LOCALES[language]:
        v: DayView = view(day, loc)
        _ = gettext_for("portal", loc)
        out.append(Section(
            locale=loc,
            title=v.headline or entry_title(v),
            byline=f"{v.date_long} · {_('Tone: %(tone)s') % {'tone': v.tone_label}}",
            points=v.key_points,
            link=f"{base_url}{day.day}/{index_name(loc)}" if base_url else "",
            link_text=_("Read the full note on the research portal"),
            sample=_("Sample data, not a real market") if v.is_sample else "",
        ))
    return out


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_payload(parts: list[Section]) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = []
    for s in parts:
        header = (s.title if len(s.title) <= SLACK_HEADER_MAX
                  else s.title[:SLACK_HEADER_MAX - 1] + "…")
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": header}})
        context = " · ".join(x for x in (s.byline, s.sample) if x)
        blocks.append({"type": "context",
                       "elements": [{"type": "mrkdwn", "text": _slack_escape(context)}]})
        if s.title != header:
            blocks.append({"type": "section",
                           "text": {"type": "mrkdwn", "text": _slack_escape(s.title)}})
        if s.points:
            text = "\n".join(f"• {_slack_escape(p)}" for p in s.points)
            blocks.append({"type": "section",
                           "text": {"type": "mrkdwn", "text": text[:SLACK_SECTION_MAX]}})
        if s.link:
            blocks.append({"type": "section", "text": {
                "type": "mrkdwn", "text": f"<{s.link}|{_slack_escape(s.link_text)}>"}})
        blocks.append({"type": "divider"})
    return {"text": " / ".join(s.title for s in parts), "blocks": blocks[:-1]}


def _markdown(parts: list[Section], heading: str) -> str:
    """The markdown WeCom and DingTalk both read: heading, byline, a list, a link."""
    chunks = []
    for s in parts:
        lines = [f"{heading} {s.title}", "", f"> {s.byline}" + (f" · {s.sample}" if s.sample
                                                                  else ""), ""]
        lines += [f"- {p}" for p in s.points]
        if s.link:
            lines += ["", f"[{s.link_text}]({s.link})"]
        chunks.append("\n".join(lines))
    return "\n\n".join(chunks)


def wecom_payload(parts: list[Section]) -> dict[str, Any]:
    content = _markdown(parts, "##")
    while len(content.encode("utf-8")) > WECOM_MAX_BYTES and any(s.points for s in parts):
        # the last key points give way first, never the headline or the link
        longest = max(range(len(parts)), key=lambda i: len(parts[i].points))
        s = parts[longest]
        parts = [*parts[:longest], Section(s.locale, s.title, s.byline, s.points[:-1], s.link,
                                           s.link_text, s.sample), *parts[longest + 1:]]
        content = _markdown(parts, "##")
    return {"msgtype": "markdown", "markdown": {"content": content}}


def dingtalk_payload(parts: list[Section]) -> dict[str, Any]:
    return {"msgtype": "markdown", "markdown": {
        "title": " / ".join(s.title for s in parts), "text": _markdown(parts, "###")}}


def feishu_payload(parts: list[Section]) -> dict[str, Any]:
    post: dict[str, Any] = {}
    for s in parts:
        content: list[list[dict[str, str]]] = [
            [{"tag": "text", "text": s.byline + (f" · {s.sample}" if s.sample else "")}]]
        content += [[{"tag": "text", "text": f"• {p}"}] for p in s.points]
        if s.link:
            content.append([{"tag": "a", "text": s.link_text, "href": s.link}])
        post[FEISHU_LANGUAGES[s.locale]] = {"title": s.title, "content": content}
    return {"msg_type": "post", "content": {"post": post}}


PAYLOADS: dict[str, Callable[[list[Section]], dict[str, Any]]] = {
    "slack": slack_payload, "wecom": wecom_payload, "dingtalk": dingtalk_payload,
    "feishu": feishu_payload,
}


# -- signatures --------------------------------------------------------------------------------

def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk 加签: base64(HMAC-SHA256(key=secret, "timestamp\\nsecret")), URL-encoded."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(),
                      hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode("ascii"))


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu 签名校验: base64(HMAC-SHA256(key="timestamp\\nsecret", empty message))."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def signed(kind: str, url: str, body: dict[str, Any], secret: str | None,
           now: float) -> tuple[str, dict[str, Any]]:
    """The URL and body to post, with the signature the service expects (none without a
    secret)."""
    if not secret:
        return url, body
    if kind == "dingtalk":
        ms = int(now * 1000)
        joiner = "&" if urlsplit(url).query else "?"
        return f"{url}{joiner}timestamp={ms}&sign={dingtalk_sign(secret, ms)}", body
    if kind == "feishu":
        seconds = int(now)
        return url, {"timestamp": str(seconds), "sign": feishu_sign(secret, seconds), **body}
    return url, body


# -- posting -----------------------------------------------------------------------------------

class _Retry(Exception):
    """A failure worth another attempt; ``wait`` is what the server asked for, if anything."""

    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.wait = wait


class _Refused(Exception):
    """A failure another attempt would not change (a bad key, a refused message)."""


def _post(url: str, body: bytes, timeout: float) -> tuple[int, dict[str, str], str]:
    """POST JSON within ``timeout`` seconds in all (a timer shuts the connection down when
    the deadline passes, whatever the server trickles)."""
    import http.client
    import socket

    parts = urlsplit(url)
    cls = (http.client.HTTPSConnection if parts.scheme == "https"
           else http.client.HTTPConnection)
    conn = cls(parts.hostname or "", parts.port, timeout=timeout)
    expired = threading.Event()

    def fire() -> None:
        expired.set()
        sock = conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(timeout, fire)
    timer.daemon = True
    timer.start()
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    try:
        conn.request("POST", path, body=body, headers={
            "Content-Type": "application/json; charset=utf-8", "User-Agent": "reporter"})
        response = conn.getresponse()
        text = response.read(1 << 16).decode("utf-8", "replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text
    except (OSError, http.client.HTTPException) as exc:
        if expired.is_set() or isinstance(exc, TimeoutError):
            raise _Retry(f"no answer within {timeout:g} s") from None
        raise _Retry(f"network error: {' '.join(str(exc).split()) or type(exc).__name__}"
                     ) from None
    finally:
        timer.cancel()
        conn.close()


def _retry_after(headers: Mapping[str, str]) -> float | None:
    try:
        return min(MAX_RETRY_AFTER, max(0.0, float(headers.get("retry-after", ""))))
    except ValueError:
        return None


def check(kind: str, status: int, headers: Mapping[str, str], text: str) -> None:
    """Raise _Retry or _Refused unless the answer says the message was accepted."""
    if status == 429 or status >= 500:
        raise _Retry(f"HTTP {status}", _retry_after(headers))
    if kind == "slack":
        if status == 200 and text.strip() == "ok":
            return
        raise _Refused(f"HTTP {status} {' '.join(text.split())[:80]}")
    if status != 200:
        raise _Refused(f"HTTP {status}")
    try:
        answer = json.loads(text)
    except ValueError:
        raise _Refused(f"HTTP {status}, not a JSON answer") from None
    if not isinstance(answer, dict):
        raise _Refused("unexpected answer")
    if kind == "feishu":
        code = answer.get("code", answer.get("StatusCode"))
        message = answer.get("msg", answer.get("StatusMessage", ""))
    else:
        code, message = answer.get("errcode"), answer.get("errmsg", "")
    if code == 0:
        return
    why = f"error {code}: {' '.join(str(message).split())[:80]}"
    if code in RETRY_CODES.get(kind, set()):
        raise _Retry(why)
    raise _Refused(why)


def deliver(hook: WebhookConfig, url: str, payload: dict[str, Any], secret: str | None,
            *, clock: Callable[[], float] = time.time,
            sleep: Callable[[float], None] = time.sleep) -> None:
    """Post one message, retrying what may pass later; DeliveryError with the last reason."""
    attempts = 1 + hook.retries
    for attempt in range(attempts):
        target, body = signed(hook.kind, url, payload, secret, clock())
        try:
            status, headers, text = _post(target, json.dumps(body, ensure_ascii=False).encode(),
                                          float(hook.timeout))
            check(hook.kind, status, headers, text)
            return
        except _Refused as exc:
            raise DeliveryError(f"{hook.kind}: {exc}") from None
        except _Retry as exc:
            if attempt + 1 >= attempts:
                tries = f" after {attempts} attempts" if attempts > 1 else ""
                raise DeliveryError(f"{hook.kind}: {exc}{tries}") from None
            sleep(exc.wait if exc.wait is not None else BACKOFF * 2 ** attempt)


def webhook_url(hook: WebhookConfig, environ: Mapping[str, str]) -> str:
    """The webhook's URL from its environment variable: https, or http to this machine."""
    url = (environ.get(hook.url_env) or "").strip()
    if not url:
        raise DeliveryError(f"environment variable {hook.url_env} (its URL) is not set")
    parts = urlsplit(url)
    local = parts.scheme == "http" and parts.hostname in LOCAL_HOSTS
    if not (parts.scheme == "https" or local) or not parts.hostname:
        raise DeliveryError(f"{hook.url_env} is not an https:// URL")
    return url


# -- a day's messages, once per webhook --------------------------------------------------------

@dataclass
class ChatResult:
    day: str
    posted: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already posted earlier (no --resend)
    failed: dict[str, str] = field(default_factory=dict)  # webhook name -> reason
    written: list[Path] = field(default_factory=list)  # a dry run's payloads
    warnings: list[str] = field(default_factory=list)

    def raise_for_failures(self) -> None:
        if self.failed:
            detail = "; ".join(f"{name} ({why})" for name, why in self.failed.items())
            total = len(self.failed) + len(self.posted) + len(self.skipped)
            raise DeliveryError(f"chat for {self.day} failed for {len(self.failed)} of {total} "
                                f"webhook(s): {detail}")


def record_path(out: Path, day: str) -> Path:
    return out / ".sent" / f"{day}.chat.json"


def read_record(out: Path, day: str) -> dict[str, dict[str, str]]:
    from reporter import files

    path = record_path(out, day)
    try:
        data = json.loads(files.read_text(path))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise DeliveryError(f"{path}: unreadable record of chat messages "
                            f"({type(exc).__name__})") from None
    posted = data.get("posted") if isinstance(data, dict) else None
    if not isinstance(posted, dict):
        raise DeliveryError(f"{path}: unreadable record of chat messages (no 'posted' table)")
    return posted


def post_day(out: Path, date: str, hooks: Iterable[WebhookConfig], *, base_url: str = "",
             environ: Mapping[str, str] | None = None, resend: bool = False,
             dry_run: bool = False, progress: Callable[[str, str], None] | None = None
             ) -> ChatResult:
    """Post the day in ``out`` to every webhook not yet served; see the module."""
    from reporter.deliver import sweep_temporary, write_atomic
    from reporter.mail import _Lock, outbox_path
    from reporter.portal.days import find_day

    env = os.environ if environ is None else environ
    todo = list(hooks)
    if not todo:
        raise ConfigError("no webhooks: add a [[webhooks]] table to the configuration")
    day, warnings = find_day(out, date)
    result = ChatResult(day=day.day, warnings=warnings)
    path = record_path(out, day.day)
    try:
        path.parent.mkdir(exist_ok=True)
    except OSError as exc:
        raise DeliveryError(f"cannot create {path.parent}: {exc.strerror}") from None
    with _Lock(path.with_suffix(".lock")):
        sweep_temporary(path.parent)
        posted = read_record(out, day.day)
        for hook in todo:
            if hook.name in posted and not resend and not dry_run:
                result.skipped.append(hook.name)
                if progress:
                    progress(hook.name, "skipped")
                continue
            try:
                payload = PAYLOADS[hook.kind](sections(day, hook.language, base_url))
                if dry_run:
                    folder = outbox_path(out, day.day)
                    folder.mkdir(parents=True, exist_ok=True)
                    file = folder / f"chat-{hook.name}.json"
                    write_atomic(file, (json.dumps(payload, ensure_ascii=False, indent=2)
                                        + "\n").encode())
                    result.written.append(file)
                    result.posted.append(hook.name)
                    continue
                url = webhook_url(hook, env)
                secret = env.get(hook.secret_env) if hook.secret_env else None
                if hook.secret_env and not secret:
                    raise DeliveryError(f"environment variable {hook.secret_env} (its signing "
                                        "secret) is not set")
                deliver(hook, url, payload, secret)
            except DeliveryError as exc:
                result.failed[hook.name] = str(exc)
            except OSError as exc:
                result.failed[hook.name] = f"cannot write: {exc.strerror or exc}"
            else:
                posted[hook.name] = {
                    "kind": hook.kind, "language": hook.language,
                    "posted_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                }
                body = {"day": day.day, "posted": dict(sorted(posted.items()))}
                write_atomic(path, (json.dumps(body, indent=2) + "\n").encode())
                result.posted.append(hook.name)
            finally:
                if progress and not dry_run:
                    progress(hook.name, "failed" if hook.name in result.failed else "posted")
    return result
