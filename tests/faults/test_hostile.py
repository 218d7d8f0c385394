"""Hostile input: markup, CSS and attachment links in the configuration and the data are shown
as text and never loaded; paths cannot leave the output folder; credentials never show."""

from __future__ import annotations

import email
import email.policy
import json
import os
import shutil
from pathlib import Path

import pikepdf
import pytest

from tests.support.cli import cli_checked
from tests.support.market import LAST, Market
from tests.support.outputs import pdf_text, tree
from tests.support.smtp import Inbox, Script, ScriptedSmtp, start_inbox

PASSWD = Path("/etc/passwd")
ATTACH = '<link rel="attachment" href="file:///etc/passwd">'
TITLE = ('Breadth ' + ATTACH + '<img src="file:///etc/passwd"><style>*{display:none}</style>'
         '"}@import url(file:///etc/passwd);x{content:"')
AUTHOR = '<script>alert(1)</script> & "Desk" <a href="file:///etc/passwd">x</a>'
PORTAL = ATTACH + '<iframe src="file:///etc/passwd"></iframe>Portal'
NAME = ATTACH + '<object data="file:///etc/passwd"></object>'
BAD_SYMBOL = '<img src=file:///etc/passwd>'
FOLDER = "mkt<b>bold<img src=x onerror=alert(1)>"
PASSWORD = "Hostile-Pa55w0rd-7f3e"
#: Markup that must never appear raw in a page, a feed or an e-mail.
RAW = (ATTACH, '<img src="file:', "<img src=file:", "<img src=x", "<script>alert",
       "<style>*{display", '<iframe src="file:', '<object data="file:', "<b>bold")


def _toml(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid TOML basic string


@pytest.fixture
def hostile(market: Market, tmp_path: Path) -> Market:
    root = market.root.with_name(FOLDER)
    shutil.move(market.root, root)
    path = root / "constituents.csv"
    lines = path.read_text("utf-8").splitlines()
    first = lines[1].split(",")
    lines[1] = ",".join([first[0], '"' + NAME.replace('"', '""') + '"', first[2]])
    lines.append(f"{BAD_SYMBOL},Bad Symbol Inc.,Energy")
    path.write_text("\n".join(lines) + "\n", "utf-8")
    market.config.write_text(market.config.read_text("utf-8") + (
        f"[report]\ntitle = {_toml(TITLE)}\nauthor = {_toml(AUTHOR)}\n"
        f"[portal]\ntitle = {_toml(PORTAL)}\n"), "utf-8")
    return Market(root, market.members, market.config)


def _passwd_lines() -> list[str]:
    return [line for line in PASSWD.read_text().splitlines() if line.startswith("root:")]


def test_markup_in_config_and_data_is_text_everywhere(hostile: Market, tmp_path: Path, capsys,
                                                      monkeypatch: pytest.MonkeyPatch):
    inbox = Inbox()
    logins: list[bytes] = []

    def authenticator(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        from aiosmtpd.smtp import AuthResult

        logins.append(auth_data.password)
        return AuthResult(success=True)

    ctl, port = start_inbox(inbox, authenticator=authenticator, auth_require_tls=False)
    try:
        hostile.config.write_text(hostile.config.read_text("utf-8") + (
            f'[email]\nsender = "breadth@research.test"\nrecipients = ["a@desk.test:en-US"]\n'
            f'host = "127.0.0.1"\nport = {port}\ntls = "none"\ntimeout = 10\n'), "utf-8")
        monkeypatch.setenv("REPORTER_SMTP_USER", "reporter")
        monkeypatch.setenv("REPORTER_SMTP_PASSWORD", PASSWORD)
        out = tmp_path / "out"
        done = cli_checked(capsys, "--verbose", "--config", str(hostile.config), "run", "--source",
                           hostile.source, "--out", str(out), "--lang", "en-US", "--date", LAST,
                           "--publish", "--email")
    finally:
        ctl.stop()  # type: ignore[attr-defined]
    assert done.code == 0, done.err
    assert logins == [PASSWORD.encode()] and len(inbox.messages) == 1

    # the PDF: no attachment, no embedded file, no link to a file, nothing of /etc/passwd
    pdf_path = out / LAST / f"market-breadth_{LAST}_en-US.pdf"
    raw = pdf_path.read_bytes()
    assert b"/EmbeddedFile" not in raw and b"/Launch" not in raw
    with pikepdf.open(pdf_path) as pdf:
        assert len(pdf.attachments) == 0
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                uri = str(annot.get("/A", {}).get("/URI", ""))
                assert not uri.startswith("file:"), uri
    text = pdf_text(pdf_path)
    flat = " ".join(text.split())
    for line in _passwd_lines():
        assert line not in text and line.encode() not in raw
    assert "root:x:" not in text
    assert "Breadth <link" in flat  # the title is shown, as the text it is
    assert "<img src=file:///etc/passwd>" in flat  # the member left out, named as text
    assert "Source: CSV files." in flat and "mkt" not in flat  # no folder name to clients
    with pikepdf.open(pdf_path) as pdf:
        assert str(pdf.docinfo.get("/Author")) == AUTHOR  # metadata holds the text as given

    # the portal: every page and feed shows the strings escaped
    pages = {k: v.decode("utf-8") for k, v in tree(out).items()
             if k.endswith((".html", ".xml")) and not k.startswith(".")}
    assert "index.html" in pages and "feed.xml" in pages
    for name, page in pages.items():
        for fragment in RAW:
            assert fragment not in page, (name, fragment)
    assert "&lt;link rel=" in pages["index.en.html"]
    assert "&lt;script&gt;" in pages["feed.en.xml"]  # the author

    # the e-mail: escaped HTML, and the PDF its only attachment
    msg = email.message_from_bytes(inbox.messages[0][2], policy=email.policy.default)
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    for fragment in RAW:
        assert fragment not in html
    assert [p.get_filename() for p in msg.iter_attachments()] == [pdf_path.name]

    # the password: nowhere in what was printed or written, nor in the cache
    cache = Path(os.environ["REPORTER_CACHE_DIR"])
    assert PASSWORD not in done.out + done.err
    for root in (out, cache):
        for path in root.rglob("*"):
            if path.is_file():
                assert PASSWORD.encode() not in path.read_bytes(), path
    assert PASSWORD.encode() not in inbox.messages[0][2]


def test_the_password_stays_out_of_failures(tmp_path: Path, capsys,
                                            monkeypatch: pytest.MonkeyPatch):
    from tests.support.days import make_day, use_fake_texts

    use_fake_texts(monkeypatch)
    monkeypatch.setenv("REPORTER_SMTP_USER", "reporter")
    monkeypatch.setenv("REPORTER_SMTP_PASSWORD", PASSWORD)
    out = tmp_path / "out"
    make_day(out, "2025-12-31")
    seen = []
    for script in (Script(hang_up=True), Script(greeting="554 no")):
        with ScriptedSmtp(script) as server:
            done = cli_checked(capsys, "--verbose", "send", "--date", "2025-12-31",
                               "--out", str(out), "--to", "a@desk.test", "--tls", "none",
                               "--smtp", f"127.0.0.1:{server.port}", "--from", "r@desk.test")
        assert done.code == 8
        seen.append(done.out + done.err)
    cfg = tmp_path / "leaky.toml"
    cfg.write_text(f'[email]\nuser = "reporter"\npassword = "{PASSWORD}"\n', "utf-8")
    done = cli_checked(capsys, "--config", str(cfg), "send", "--out", str(out),
                       "--to", "a@desk.test")
    assert done.code == 2 and "email.password" in done.err and "environment" in done.err
    seen.append(done.out + done.err)
    for text in seen:
        assert PASSWORD not in text
    for path in out.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes()


@pytest.mark.parametrize(("argv", "needle"), [
    (["run", "--date", "../../etc/cron.d/x"], "--date"),
    (["run", "--date", "/etc/passwd"], "--date"),
    (["run", "--lang", "../x"], "--lang"),
    (["send", "--date", "../2025-12-31", "--to", "a@desk.test"], "--date"),
    (["backfill", "--from", "../../x"], "--from"),
    (["fetch", "--to", "../x"], "--to"),
])
def test_path_like_arguments_are_refused(argv: list[str], needle: str, tmp_path: Path, capsys):
    done = cli_checked(capsys, *argv, "--out" if argv[0] != "fetch" else "--source",
                       str(tmp_path / "out") if argv[0] != "fetch" else "sample")
    assert done.code == 2 and needle in done.error_lines[0]
    assert list(tmp_path.iterdir()) == []


def test_path_like_symbols_in_the_config_are_refused(tmp_path: Path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[universe]\nwatchlist = ["../../x", "..", ".hidden", "a/b", "NVDA"]\n'
                   'indices = ["^GSPC", "<b>"]\n', "utf-8")
    done = cli_checked(capsys, "--config", str(cfg), "run", "--source", "sample", "--out",
                       str(tmp_path / "out"))
    assert done.code == 2
    for bad in ("'../../x'", "'..'", "'.hidden'", "'a/b'", "'<b>'"):
        assert bad in done.err, bad
    assert "'NVDA'" not in done.err
    assert not (tmp_path / "out").exists()


def test_no_file_name_escapes_the_output_folder(tmp_path: Path):
    """The last line of defence: whatever a stage names a file, it lands in the day folder."""
    from reporter import deliver
    from reporter.errors import OutputError

    out = tmp_path / "out"
    for name in ("../x.pdf", "/tmp/x.pdf", "a/../../x", "..", ".", "x\\..\\y", ".hidden"):
        with pytest.raises(OutputError, match="not a plain file name"):
            deliver.write_folder(out, LAST, {"ok.pdf": b"1", name: b"2"})
    for day in ("../x", "/abs", "..", ""):
        with pytest.raises(OutputError, match="not a plain file name"):
            deliver.write_folder(out, day, {"ok.pdf": b"1"})
    assert list(out.iterdir()) == []
    assert not (tmp_path / "x.pdf").exists()

