"""The e-mail people read: headline, summary, key points, one chart inline, a display name,
List-Unsubscribe, and a dry run; the captured message rendered in Chromium as on a phone."""

from __future__ import annotations

import base64
import email
import email.policy
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from reporter import config
from reporter.errors import ConfigError
from reporter.mail import record_path
from tests.support.browser import Browser, find_chromium
from tests.support.cli import cli
from tests.support.days import fake_day_texts, make_day
from tests.support.smtp import Inbox
from tests.support.smtp import start_inbox as _start
from tests.test_mail import DAY

BASE = "https://research.test/breadth/"
SENDER = "Breadth Research <breadth@research.test>"
LEAVE = ("mailto:leave@research.test", "https://research.test/u?list=breadth")


@pytest.fixture
def server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    ctl, port = _start(inbox)
    yield inbox, port
    ctl.stop()  # type: ignore[attr-defined]


@pytest.fixture
def texts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("reporter.portal.texts.day_texts", fake_day_texts)


@pytest.fixture(autouse=True)
def _no_smtp_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REPORTER_SMTP_USER", raising=False)
    monkeypatch.delenv("REPORTER_SMTP_PASSWORD", raising=False)


@pytest.fixture(scope="module")
def charts() -> dict[str, tuple[bytes, bytes]]:
    """The mailed chart of each language as the chart stage draws it: (PNG, SVG)."""
    from reporter.render.charts.draw import render_charts
    from tests.support.synthetic import make_chart_data

    out = {}
    for locale in ("zh-CN", "en-US"):
        chart = render_charts(make_chart_data(), locale)["indices"]
        assert chart.png is not None
        out[locale] = (chart.png, chart.svg)
    return out


def _day(out: Path, charts: dict[str, tuple[bytes, bytes]]) -> Path:
    folder = make_day(out, DAY)
    for locale, (png, svg) in charts.items():
        (folder / f"chart_indices_{locale}.png").write_bytes(png)
        (folder / f"chart_indices_{locale}.svg").write_bytes(svg)
    return folder


def _config(tmp_path: Path, port: int, sender: str = SENDER) -> Path:
    path = tmp_path / "reporter.toml"
    path.write_text(
        f"[portal]\nbase_url = {json.dumps(BASE)}\n"
        "[email]\n"
        + (f"sender = {json.dumps(sender)}\n" if sender else "")
        + f'host = "127.0.0.1"\nport = {port}\ntls = "none"\ntimeout = 10\n'
        f"unsubscribe = {json.dumps(list(LEAVE))}\nunsubscribe_one_click = true\n", "utf-8")
    return path


def _send(capsys, cfg: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    return cli(capsys, "--config", str(cfg), "send", "--date", DAY, "--out", str(out), *extra)


def _alt(svg: bytes) -> str:
    import html

    found = re.search(rb"<title>(.*?)</title>", svg, re.S)
    assert found
    return html.unescape(found.group(1).decode())


def test_the_message_carries_headline_summary_points_and_one_chart(
        tmp_path: Path, server, texts, charts, capsys):
    inbox, port = server
    out = tmp_path / "out"
    _day(out, charts)
    code, stdout, err = _send(capsys, _config(tmp_path, port), out, "--to", "en@desk.test:en-US",
                              "--to", "both@desk.test")
    assert (code, err) == (0, ""), err
    assert [m[0] for m in inbox.messages] == ["breadth@research.test"] * 2  # the envelope
    got = inbox.parsed()
    for address, locales in (("en@desk.test", ("en-US",)),
                             ("both@desk.test", ("zh-CN", "en-US"))):
        msg = got[address]
        raw = bytes(msg)
        assert msg["From"].addresses[0].display_name == "Breadth Research"
        assert msg["From"].addresses[0].addr_spec == "breadth@research.test"
        assert msg["List-Unsubscribe"].strip() == f"<{LEAVE[0]}>, <{LEAVE[1]}>"
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        # mixed [ alternative [ plain, related [ html, png... ] ], pdf ]
        assert msg.get_content_type() == "multipart/mixed"
        body, pdf = msg.get_payload()
        assert body.get_content_type() == "multipart/alternative"
        assert pdf.get_content_type() == "application/pdf"
        plain, related = body.get_payload()
        assert related.get_content_type() == "multipart/related"
        html_part, *images = related.get_payload()
        html = html_part.get_content()
        text = plain.get_content()
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
        assert len(images) == len(locales)  # one chart per language part
        for image, locale in zip(images, locales, strict=True):
            cid = re.sub(r"\s", "", image["Content-ID"]).strip("<>")
            assert image.get_content_type() == "image/png"
            assert image.get_content() == charts[locale][0]
            tag = re.search(rf'<img src="cid:{re.escape(cid)}" alt="([^"]*)"', html)
            assert tag, cid
            assert tag.group(1).replace("&amp;", "&") == _alt(charts[locale][1])
        if "en-US" in locales:
            assert "Small caps rise against a falling market" in html
            assert "The Russell 2000 rose 1.23%. The S&amp;P 500 fell 0.74%." in html
            assert "Russell 2000 rose 1.23% against the tide" in html  # a key point
            assert f'href="{BASE}{DAY}/index.en.html"' in html
            assert "Small caps rise against a falling market" in text
            assert f"{BASE}{DAY}/index.en.html" in text
        if "zh-CN" in locales:
            assert "小盘股逆势走强，大盘下跌" in html
            assert "罗素2000上涨1.23%。标普500下跌0.74%。" in html
        assert f'href="{LEAVE[1]}"' in html and LEAVE[1] in text  # the way out, in the body
        assert str(tmp_path).encode() not in raw  # no path of this machine in the message


def test_the_captured_message_renders_on_a_phone_with_its_chart(
        tmp_path: Path, server, texts, charts, capsys):
    inbox, port = server
    out = tmp_path / "out"
    _day(out, charts)
    assert _send(capsys, _config(tmp_path, port), out, "--to", "zh@desk.test:zh-CN")[0] == 0
    msg = inbox.parsed()["zh@desk.test"]
    html = msg.get_body(("html",)).get_content()
    # as a mail client does: each cid: reference shows the related part of that Content-ID
    for part in msg.walk():
        if part["Content-ID"]:
            data = base64.b64encode(part.get_content()).decode()
            cid = re.sub(r"\s", "", part["Content-ID"]).strip("<>")
            html = html.replace(f"cid:{cid}",
                                f"data:{part.get_content_type()};base64,{data}")
    page_file = tmp_path / "message.html"
    page_file.write_text(html, "utf-8")
    with Browser(find_chromium()) as browser:
        page = browser.page(page_file.as_uri(), 390, 844)
        sizes = page.overflow()
        image = page.eval("""(() => { const i = document.querySelector('img');
            return {ok: i.complete && i.naturalWidth > 0, width: i.getBoundingClientRect().width,
                    natural: i.naturalWidth}; })()""")
        shot = page.screenshot(tmp_path / "after_mail_zh-CN_390.png")
    keep = os.environ.get("REPORTER_SHOTS")
    if keep:
        shutil.copy(shot, Path(keep) / shot.name)
    assert sizes["scroll"] <= 390, sizes
    assert image["ok"] and 300 < image["width"] <= 390, image  # the chart, fitted to the screen
    assert "小盘股逆势走强" in page_file.read_text("utf-8")


def test_a_dry_run_writes_the_messages_and_sends_nothing(tmp_path: Path, server, texts,
                                                         charts, capsys):
    inbox, port = server
    out = tmp_path / "out"
    _day(out, charts)
    cfg = _config(tmp_path, port)
    three = ("--to", "zh@desk.test:zh-CN", "--to", "en@desk.test:en-US", "--to", "b@desk.test")
    code, stdout, err = _send(capsys, cfg, out, "--dry-run", *three)
    assert (code, err) == (0, "")
    assert "nothing sent" in stdout and "3 message(s)" in stdout
    assert inbox.messages == [] and not record_path(out, DAY).exists()
    files = sorted((out / ".outbox" / DAY).glob("*.eml"))
    assert len(files) == 3
    parsed = [email.message_from_bytes(f.read_bytes(), policy=email.policy.default)
              for f in files]
    assert sorted(m["To"] for m in parsed) == ["b@desk.test", "en@desk.test", "zh@desk.test"]
    assert all(m["From"].addresses[0].display_name == "Breadth Research" for m in parsed)
    # the real send afterwards still sends to all three
    assert _send(capsys, cfg, out, *three)[0] == 0
    assert len(inbox.messages) == 3


def test_from_takes_a_display_name_on_the_command_line(tmp_path: Path, server, texts,
                                                       charts, capsys):
    inbox, port = server
    out = tmp_path / "out"
    _day(out, charts)
    code, _, err = _send(capsys, _config(tmp_path, port, sender=""), out,
                         "--from", "市场广度研究部 <desk@research.test>", "--to", "a@desk.test")
    assert (code, err) == (0, "")
    msg = inbox.parsed()["a@desk.test"]
    assert msg["From"].addresses[0].display_name == "市场广度研究部"
    assert inbox.messages[0][0] == "desk@research.test"
    assert msg["Message-ID"].endswith("@research.test>")


def test_a_missing_sender_says_how_to_give_one(tmp_path: Path, server, texts, charts,
                                               capsys):
    _, port = server
    out = tmp_path / "out"
    _day(out, charts)
    code, _, err = _send(capsys, _config(tmp_path, port, sender=""), out, "--to", "a@desk.test")
    assert code == 2 and "--from" in err and "email.sender" in err
    code, _, err = _send(capsys, _config(tmp_path, port, sender=""), out, "--from",
                         "Desk <not an address>", "--to", "a@desk.test")
    assert code == 2 and "--from" in err


@pytest.mark.parametrize(("body", "key"), [
    ('sender = "Desk <desk>"', "email.sender"),
    ('unsubscribe = ["ftp://x.test/u"]', "email.unsubscribe"),
    ('unsubscribe = ["mailto:not-an-address"]', "email.unsubscribe"),
    ('unsubscribe = ["mailto:a@b.test"]\nunsubscribe_one_click = true',
     "email.unsubscribe_one_click"),
    ('unsubscribe_one_click = "yes"', "email.unsubscribe_one_click"),
])
def test_bad_mail_settings_are_named(tmp_path: Path, body: str, key: str):
    path = tmp_path / "c.toml"
    path.write_text(f"[email]\n{body}\n", "utf-8")
    with pytest.raises(ConfigError, match=re.escape(key)):
        config.load(path)
