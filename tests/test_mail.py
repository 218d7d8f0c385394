"""The morning e-mail against a real SMTP server on loopback (started by each test)."""

from __future__ import annotations

import hashlib
import json
import smtplib
from collections.abc import Iterator
from pathlib import Path

import pytest

from reporter import config
from reporter.config import Recipient, parse_recipient
from reporter.errors import ConfigError
from reporter.mail import parse_smtp, smtp_settings
from tests.support.cli import cli
from tests.support.days import make_day
from tests.support.smtp import Inbox, free_port, start_inbox

DAY = "2025-12-31"
SUBJECT_ZH = "市场广度日报 2025年12月31日：消极"
SUBJECT_EN = "Market breadth, December 31, 2025: Negative"
PASSWORD = "s3cret-Pa55-word"


@pytest.fixture
def server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    ctl, port = start_inbox(inbox)
    yield inbox, port
    ctl.stop()


@pytest.fixture(autouse=True)
def _no_smtp_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REPORTER_SMTP_USER", raising=False)
    monkeypatch.delenv("REPORTER_SMTP_PASSWORD", raising=False)


def _config(tmp_path: Path, port: int, recipients: list[str] | None = None,
            extra: str = "") -> Path:
    path = tmp_path / "reporter.toml"
    path.write_text(
        "[email]\n"
        'sender = "breadth@research.test"\n'
        f"recipients = {json.dumps(recipients or [])}\n"
        f'host = "127.0.0.1"\nport = {port}\ntls = "none"\ntimeout = 10\n' + extra
    )
    return path


def _send(capsys, cfg: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    return cli(capsys, "--config", str(cfg), "send", "--date", DAY, "--out", str(out), *extra)


THREE = ("--to", "zh@desk.test:zh-CN", "--to", "en@desk.test:en-US", "--to", "both@desk.test")


def test_each_recipient_gets_their_edition(tmp_path: Path, server, texts, capsys):
    inbox, port = server
    out = tmp_path / "out"
    folder = make_day(out, DAY)
    code, stdout, err = _send(capsys, _config(tmp_path, port), out, *THREE)
    assert (code, err) == (0, "")
    assert "sent 3" in stdout
    got = inbox.parsed()
    assert sorted(got) == ["both@desk.test", "en@desk.test", "zh@desk.test"]
    assert all(m[0] == "breadth@research.test" for m in inbox.messages)

    expected = {"zh@desk.test": ("zh-CN", SUBJECT_ZH),
                "en@desk.test": ("en-US", SUBJECT_EN),
                "both@desk.test": ("bilingual", f"{SUBJECT_ZH} / {SUBJECT_EN}")}
    for address, (edition, subject) in expected.items():
        msg = got[address]
        assert msg["Subject"] == subject
        assert msg["To"] == address and msg["From"] == "breadth@research.test"
        attachments = list(msg.iter_attachments())
        assert len(attachments) == 1
        pdf = attachments[0]
        name = f"market-breadth_{DAY}_{edition}.pdf"
        assert pdf.get_content_type() == "application/pdf"
        assert pdf.get_filename() == name
        assert pdf.get_content() == (folder / name).read_bytes()
        plain = msg.get_body(("plain",)).get_content()
        html = msg.get_body(("html",)).get_content()
        zh_row = "标普500：6,845.50（当日 -0.74%，年初至今 +16.31%）"
        en_row = "S&P 500: 6,845.50 (1 day -0.74%, year to date +16.31%)"
        if edition in ("zh-CN", "bilingual"):
            assert zh_row in plain and "标普500下跌0.74%，收于6,845.50点" in plain
            assert "标普500下跌0.74%，收于6,845.50点" in html and "罗素2000" in html
        if edition in ("en-US", "bilingual"):
            assert en_row in plain and "S&P 500 fell 0.74% to 6,845.50" in plain
            assert "S&amp;P 500 fell 0.74% to 6,845.50" in html
        if edition == "zh-CN":
            assert "S&P 500" not in plain and msg["Content-Language"] == "zh-CN"
        if edition == "en-US":
            assert "标普" not in plain and msg["Content-Language"] == "en-US"
        for body in (plain, html):
            assert "6,845.50" in body and "-0.74%" in body and "+1.23%" in body
            assert name in body


def test_second_send_sends_nothing_unless_resend(tmp_path: Path, server, texts, capsys):
    inbox, port = server
    out = tmp_path / "out"
    make_day(out, DAY)
    cfg = _config(tmp_path, port)
    assert _send(capsys, cfg, out, *THREE)[0] == 0
    assert len(inbox.messages) == 3
    code, stdout, _ = _send(capsys, cfg, out, *THREE)
    assert code == 0 and len(inbox.messages) == 3
    assert "sent 0, already sent 3" in stdout
    code, stdout, _ = _send(capsys, cfg, out, "--resend", *THREE)
    assert code == 0 and len(inbox.messages) == 6


def test_record_holds_no_address(tmp_path: Path, server, texts, capsys):
    inbox, port = server
    out = tmp_path / "out"
    make_day(out, DAY)
    assert _send(capsys, _config(tmp_path, port), out, *THREE)[0] == 0
    record = out / ".sent" / f"{DAY}.json"
    text = record.read_text()
    assert "desk.test" not in text
    sent = json.loads(text)["sent"]
    key = hashlib.sha256(b"zh@desk.test").hexdigest()[:32]
    assert sent[key]["edition"] == "zh-CN" and len(sent) == 3


def test_a_refused_recipient_does_not_stop_the_others(tmp_path: Path, server, texts, capsys):
    inbox, port = server
    inbox.refuse.add("en@desk.test")
    out = tmp_path / "out"
    make_day(out, DAY)
    cfg = _config(tmp_path, port)
    code, _, err = _send(capsys, cfg, out, *THREE)
    assert code == 8
    assert err.count("\n") == 1 and err.startswith("reporter: error: ")
    assert "en@desk.test" in err and "550" in err
    assert "zh@desk.test" not in err and "both@desk.test" not in err
    assert sorted(inbox.parsed()) == ["both@desk.test", "zh@desk.test"]

    code, _, err = _send(capsys, cfg, out, *THREE)  # still refused; the others not again
    assert code == 8 and len(inbox.messages) == 2
    inbox.refuse.clear()
    code, stdout, _ = _send(capsys, cfg, out, *THREE)
    assert code == 0 and "sent 1, already sent 2" in stdout
    assert [m[1] for m in inbox.messages] == [["zh@desk.test"], ["both@desk.test"],
                                              ["en@desk.test"]]


def test_a_crash_mid_way_sends_nobody_twice(tmp_path: Path, server, texts, capsys,
                                            monkeypatch: pytest.MonkeyPatch):
    inbox, port = server
    out = tmp_path / "out"
    make_day(out, DAY)
    cfg = _config(tmp_path, port)
    real = smtplib.SMTP.send_message
    calls = []

    def crash_on_second(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(self, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "send_message", crash_on_second)
    code, _, err = _send(capsys, cfg, out, *THREE)
    assert code == 130 and len(inbox.messages) == 1
    monkeypatch.setattr(smtplib.SMTP, "send_message", real)
    assert _send(capsys, cfg, out, *THREE)[0] == 0
    assert sorted(r for _, rs, _ in inbox.messages for r in rs) == [
        "both@desk.test", "en@desk.test", "zh@desk.test"]


def test_a_missing_edition_fails_only_its_recipient(tmp_path: Path, server, texts, capsys):
    inbox, port = server
    out = tmp_path / "out"
    make_day(out, DAY, editions=("zh-CN", "bilingual"))
    code, _, err = _send(capsys, _config(tmp_path, port), out, *THREE)
    assert code == 8 and "en@desk.test" in err and "en-US edition is missing" in err
    assert sorted(inbox.parsed()) == ["both@desk.test", "zh@desk.test"]


def test_login_from_the_environment_and_the_password_never_shows(
        tmp_path: Path, texts, capsys, monkeypatch: pytest.MonkeyPatch):
    from aiosmtpd.smtp import AuthResult, LoginPassword

    inbox = Inbox()

    def authenticator(server, session, envelope, mechanism, auth_data):
        assert isinstance(auth_data, LoginPassword)
        inbox.logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == PASSWORD.encode(), handled=False)

    ctl, port = start_inbox(inbox, authenticator=authenticator, auth_require_tls=False)
    try:
        out = tmp_path / "out"
        make_day(out, DAY)
        cfg = _config(tmp_path, port)
        monkeypatch.setenv("REPORTER_SMTP_USER", "reporter")
        monkeypatch.setenv("REPORTER_SMTP_PASSWORD", PASSWORD)
        code, stdout, err = cli(capsys, "--verbose", "--config", str(cfg), "send", "--date", DAY,
                                "--out", str(out), "--to", "zh@desk.test:zh-CN")
        assert code == 0 and len(inbox.messages) == 1
        assert inbox.logins == [(b"reporter", PASSWORD.encode())]
        monkeypatch.setenv("REPORTER_SMTP_PASSWORD", "wrong-" + PASSWORD)
        code, stdout2, err2 = _send(capsys, cfg, out, "--resend", "--to", "zh@desk.test")
        assert code == 8 and "refused the login of user 'reporter'" in err2
        for text in (stdout, err, stdout2, err2):
            assert PASSWORD not in text
        for path in out.rglob("*"):
            if path.is_file():
                assert PASSWORD.encode() not in path.read_bytes(), path
    finally:
        ctl.stop()


def test_half_the_credentials_is_a_configuration_error(tmp_path: Path, server, texts, capsys,
                                                      monkeypatch: pytest.MonkeyPatch):
    _, port = server
    out = tmp_path / "out"
    make_day(out, DAY)
    monkeypatch.setenv("REPORTER_SMTP_USER", "reporter")
    code, _, err = _send(capsys, _config(tmp_path, port), out, "--to", "a@desk.test")
    assert code == 2 and "REPORTER_SMTP_PASSWORD" in err and err.count("\n") == 1


def test_plain_text_only_to_this_machine(tmp_path: Path, texts, capsys):
    out = tmp_path / "out"
    make_day(out, DAY)
    cfg = _config(tmp_path, 2525)
    code, _, err = _send(capsys, cfg, out, "--to", "a@desk.test", "--tls", "none",
                         "--smtp", "mail.example.com:25")
    assert code == 2 and err.count("\n") == 1
    assert "--tls none" in err and "mail.example.com" in err
    code, _, err = _send(capsys, cfg, out, "--to", "a@desk.test", "--tls", "nope")
    assert code == 2 and "--tls" in err


def test_starttls_is_required_when_asked_for(tmp_path: Path, server, texts, capsys):
    inbox, port = server  # a server without STARTTLS
    out = tmp_path / "out"
    make_day(out, DAY)
    code, _, err = _send(capsys, _config(tmp_path, port), out, "--to", "a@desk.test",
                         "--tls", "starttls", "--smtp", f"127.0.0.1:{port}")
    assert code == 8 and "does not offer STARTTLS" in err and inbox.messages == []


def test_an_unreachable_server_fails_every_recipient(tmp_path: Path, texts, capsys):
    out = tmp_path / "out"
    make_day(out, DAY)
    code, _, err = _send(capsys, _config(tmp_path, free_port()), out, *THREE)
    assert code == 8 and err.count("\n") == 1
    assert "failed for 3 of 3" in err and "cannot connect" in err
    assert not (out / ".sent" / f"{DAY}.json").exists()


def test_no_report_for_the_date(tmp_path: Path, server, texts, capsys):
    _, port = server
    out = tmp_path / "out"
    make_day(out, DAY)
    code, _, err = _send(capsys, _config(tmp_path, port), out, "--to", "a@desk.test",
                         "--date", "2025-12-30")
    assert code == 3 and "no report for 2025-12-30" in err  # no data for the date
    code, _, err = _send(capsys, _config(tmp_path, port), out, "--to", "a@desk.test",
                         "--date", "2025-13-01")
    assert code == 2 and "--date" in err


def test_latest_is_the_newest_day_and_config_recipients_are_the_default(
        tmp_path: Path, server, texts, capsys):
    inbox, port = server
    out = tmp_path / "out"
    make_day(out, "2025-12-30")
    make_day(out, DAY)
    cfg = _config(tmp_path, port, recipients=["zh@desk.test:zh-CN", "en@desk.test:en-US"])
    code, _, _ = cli(capsys, "--config", str(cfg), "send", "--out", str(out))
    assert code == 0
    got = inbox.parsed()
    assert got["zh@desk.test"]["Subject"] == SUBJECT_ZH
    assert got["en@desk.test"]["Subject"] == SUBJECT_EN


def test_run_with_email_and_publish_for_cron(tmp_path: Path, server, texts, capsys,
                                             marketdata: Path):
    """The daily cron line: the report is there already, the portal and the mail follow once."""
    inbox, port = server
    out = tmp_path / "out"
    make_day(out, DAY)  # the snapshot ends on 2025-12-31: `latest` finds this day complete
    cfg = _config(tmp_path, port, recipients=["zh@desk.test:zh-CN", "both@desk.test"])
    argv = ["--config", str(cfg), "run", "--source", f"csv:{marketdata}", "--out", str(out),
            "--publish", "--email"]
    code, stdout, err = cli(capsys, *argv)
    assert (code, err) == (0, "")
    assert "already exists" in stdout
    assert (out / "index.html").is_file() and (out / DAY / "index.en.html").is_file()
    assert sorted(inbox.parsed()) == ["both@desk.test", "zh@desk.test"]
    code, stdout, _ = cli(capsys, *argv)
    assert code == 0 and len(inbox.messages) == 2 and "already sent 2" in stdout


# -- parsing and configuration --------------------------------------------------------------------

def test_recipients_parse_with_their_edition():
    assert parse_recipient("a@b.test") == Recipient("a@b.test", "bilingual")
    assert parse_recipient(" a@b.test:zh-CN ") == Recipient("a@b.test", "zh-CN")
    assert parse_recipient("a@b.test:en-US") == Recipient("a@b.test", "en-US")
    for bad in ("a@b.test:fr-FR", "not-an-address", "a b@c.test", "a@b.test:", "@b.test"):
        with pytest.raises(ConfigError, match="--to"):
            parse_recipient(bad)


def test_smtp_addresses_parse():
    assert parse_smtp("mail.example.com:2525") == ("mail.example.com", 2525)
    assert parse_smtp("mail.example.com") == ("mail.example.com", 0)
    assert parse_smtp("[::1]:2525") == ("::1", 2525)
    for bad in ("mail:port", ":25", "a:99999", "[::1]x"):
        with pytest.raises(ConfigError, match="--smtp"):
            parse_smtp(bad)


def test_settings_pick_ports_and_keep_the_password_out_of_repr():
    cfg = config.load().email
    s = smtp_settings(cfg, smtp="mail.example.com", tls="ssl",
                      environ={"REPORTER_SMTP_USER": "u", "REPORTER_SMTP_PASSWORD": PASSWORD})
    assert (s.host, s.port, s.tls, s.user) == ("mail.example.com", 465, "ssl", "u")
    assert PASSWORD not in repr(s)
    assert smtp_settings(cfg, environ={}).port == 587  # default starttls
    assert smtp_settings(cfg, tls="none", environ={}).port == 25
    with pytest.raises(ConfigError, match="not to 'mail.example.com'"):
        smtp_settings(cfg, smtp="mail.example.com:25", tls="none", environ={})


def test_email_configuration_lists_every_problem_with_its_key(tmp_path: Path):
    p = tmp_path / "c.toml"
    p.write_text(
        "[email]\n"
        'sender = "nobody"\n'
        'recipients = ["ok@desk.test", "bad address", "x@desk.test:fr"]\n'
        'host = "smtp.example.com"\ntls = "none"\nport = 70000\ntimeout = 0\n'
        'password = "hunter2"\n'
    )
    with pytest.raises(ConfigError) as info:
        config.load(p)
    msg = str(info.value)
    for key in ("email.sender", "email.recipients[1]", "email.recipients[2]", "email.tls",
                "email.port", "email.timeout", "email.password"):
        assert key in msg, key
    assert "email.recipients[0]" not in msg
    assert "hunter2" not in msg and "\n" not in msg


def test_email_configuration_defaults_and_values(tmp_path: Path):
    cfg = config.load().email
    assert (cfg.sender, cfg.recipients, cfg.host, cfg.tls) == ("", (), "localhost", "starttls")
    p = tmp_path / "c.toml"
    p.write_text('[email]\nsender = "me@desk.test"\nrecipients = ["a@desk.test:en-US"]\n'
                 'host = "smtp.example.com"\ntls = "ssl"\n')
    cfg = config.load(p).email
    assert cfg.recipients == (Recipient("a@desk.test", "en-US"),)
    assert cfg.effective_port == 465 and cfg.sender == "me@desk.test"


def test_run_with_email_fails_fast_without_a_sender_or_recipients(tmp_path: Path, capsys):
    path = tmp_path / "c.toml"
    path.write_text('[email]\nrecipients = ["a@desk.test"]\n')
    code, _, err = cli(capsys, "--config", str(path), "run", "--source", "nope", "--email")
    assert code == 2 and "email.sender" in err  # before any data is touched
    path.write_text('[email]\nsender = "me@desk.test"\n')
    code, _, err = cli(capsys, "--config", str(path), "run", "--source", "nope", "--email")
    assert code == 2 and "email.recipients" in err
