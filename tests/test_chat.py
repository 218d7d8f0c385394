"""Team chats against a local HTTP server standing in for Slack, WeCom, DingTalk and Feishu.

The expected signatures are computed here from each service's documented recipe, apart from
the code under test.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import http.server
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from reporter import config
from reporter.chat import record_path
from reporter.errors import ConfigError
from tests.support.cli import cli
from tests.support.days import fake_day_texts, make_day

DAY = "2025-12-31"
BASE = "https://research.test/breadth/"
SECRETS = {"dingtalk": "SECdingtalk-signing-secret", "feishu": "feishu-signing-secret"}


@dataclass
class Hub:
    """What the fake services received, and how each path answers: a list of (status, body,
    seconds to wait) used in turn, the last one repeated."""

    answers: dict[str, list[tuple[int, str, float]]] = field(default_factory=dict)
    received: list[tuple[str, str, dict]] = field(default_factory=list)  # path, query, body
    lock: threading.Lock = field(default_factory=threading.Lock)

    def of(self, path: str) -> list[tuple[str, dict]]:
        return [(q, b) for p, q, b in self.received if p == path]


OK = {"/slack": (200, "ok", 0.0), "/wecom": (200, '{"errcode":0,"errmsg":"ok"}', 0.0),
      "/dingtalk": (200, '{"errcode":0,"errmsg":"ok"}', 0.0),
      "/feishu": (200, '{"code":0,"msg":"success","data":{}}', 0.0)}


@pytest.fixture
def hub() -> Iterator[tuple[Hub, int]]:
    state = Hub()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with state.lock:
                state.received.append((parts.path, parts.query, body))
                queue = state.answers.get(parts.path) or [OK[parts.path]]
                status, text, wait = queue.pop(0) if len(queue) > 1 else queue[0]
            time.sleep(wait)
            data = text.encode()
            self.send_response(status)
            if status == 429:
                self.send_header("Retry-After", "0")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            with contextlib.suppress(OSError):
                self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield state, httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def _quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("reporter.chat.BACKOFF", 0.01)
    monkeypatch.setattr("reporter.portal.texts.day_texts", fake_day_texts)


HOOKS = [("desk-slack", "slack", "en-US"), ("desk-wecom", "wecom", "zh-CN"),
         ("desk-dingtalk", "dingtalk", "zh-CN"), ("desk-feishu", "feishu", "bilingual")]


def _setup(tmp_path: Path, port: int, monkeypatch: pytest.MonkeyPatch,
           hooks: list[tuple[str, str, str]] = HOOKS, timeout: int = 5, retries: int = 2
           ) -> tuple[Path, Path]:
    out = tmp_path / "out"
    make_day(out, DAY)
    lines = [f"[portal]\nbase_url = {json.dumps(BASE)}\n"]
    for name, kind, language in hooks:
        env = f"TEST_HOOK_{name.upper().replace('-', '_')}"
        query = {"wecom": "?key=wecom-key", "dingtalk": "?access_token=dt-token"}.get(kind, "")
        monkeypatch.setenv(env, f"http://127.0.0.1:{port}/{kind}{query}")
        secret = ""
        if kind in SECRETS:
            monkeypatch.setenv(f"{env}_SECRET", SECRETS[kind])
            secret = f'secret_env = "{env}_SECRET"\n'
        lines.append(f'[[webhooks]]\nname = "{name}"\nkind = "{kind}"\nurl_env = "{env}"\n'
                     f'{secret}language = "{language}"\ntimeout = {timeout}\n'
                     f"retries = {retries}\n")
    cfg = tmp_path / "reporter.toml"
    cfg.write_text("".join(lines), "utf-8")
    return cfg, out


def _chat(capsys, cfg: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    return cli(capsys, "--config", str(cfg), "chat", "--date", DAY, "--out", str(out), *extra)


def _b64_hmac(key: bytes, message: bytes) -> str:
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


def test_each_kind_gets_its_documented_message(tmp_path: Path, hub, monkeypatch, capsys):
    state, port = hub
    cfg, out = _setup(tmp_path, port, monkeypatch)
    code, stdout, err = _chat(capsys, cfg, out)
    assert (code, err) == (0, ""), err
    assert "posted 4" in stdout

    # Slack: text fallback, header block with the headline, the key points as mrkdwn
    [(_, slack)] = state.of("/slack")
    assert slack["text"] == "Small caps rise against a falling market"
    header = slack["blocks"][0]
    headline = "Small caps rise against a falling market"
    assert header == {"type": "header", "text": {"type": "plain_text", "text": headline}}
    mrkdwn = [b["text"]["text"] for b in slack["blocks"] if b["type"] == "section"]
    assert "• S&amp;P 500 fell 0.74% to 6,845.50" in mrkdwn[0]  # & escaped for mrkdwn
    assert "• Russell 2000 rose 1.23% against the tide" in mrkdwn[0]
    assert mrkdwn[-1] == (f"<{BASE}{DAY}/index.en.html|Read the full note on the research "
                          "portal>")

    # WeCom: markdown content, Chinese, at most 4096 bytes
    [(query, wecom)] = state.of("/wecom")
    assert query == "key=wecom-key" and wecom["msgtype"] == "markdown"
    content = wecom["markdown"]["content"]
    assert content.startswith("## 小盘股逆势走强，大盘下跌")
    assert "- 标普500下跌0.74%，收于6,845.50点" in content
    assert f"[在研究门户阅读完整报告]({BASE}{DAY}/index.html)" in content
    assert len(content.encode()) <= 4096

    # DingTalk: markdown with a title; signed in the URL (timestamp in ms)
    [(query, ding)] = state.of("/dingtalk")
    params = parse_qs(query)
    assert params["access_token"] == ["dt-token"]
    ts = params["timestamp"][0]
    assert abs(int(ts) / 1000 - time.time()) < 60
    secret = SECRETS["dingtalk"]
    expected = _b64_hmac(secret.encode(), f"{ts}\n{secret}".encode())
    raw_sign = re.search(r"sign=([^&]+)", query).group(1)
    assert unquote(raw_sign) == expected  # URL-encoded on the wire
    assert ding["msgtype"] == "markdown"
    assert ding["markdown"]["title"] == "小盘股逆势走强，大盘下跌"
    assert "- 罗素2000逆势上涨1.23%" in ding["markdown"]["text"]

    # Feishu: a post in both languages (bilingual), signed in the body (timestamp in s)
    [(_, feishu)] = state.of("/feishu")
    ts = feishu["timestamp"]
    assert isinstance(ts, str) and abs(int(ts) - time.time()) < 60
    assert feishu["sign"] == _b64_hmac(f"{ts}\n{SECRETS['feishu']}".encode(), b"")
    assert feishu["msg_type"] == "post"
    post = feishu["content"]["post"]
    assert set(post) == {"zh_cn", "en_us"}
    assert post["zh_cn"]["title"] == "小盘股逆势走强，大盘下跌"
    assert post["en_us"]["title"] == "Small caps rise against a falling market"
    rows = post["en_us"]["content"]
    assert [{"tag": "text", "text": "• Russell 2000 rose 1.23% against the tide"}] in rows
    assert rows[-1] == [{"tag": "a", "text": "Read the full note on the research portal",
                         "href": f"{BASE}{DAY}/index.en.html"}]

    # once a day: a second run posts nothing; the record names no URL and no secret
    assert _chat(capsys, cfg, out)[0] == 0
    assert len(state.received) == 4
    record = record_path(out, DAY).read_text("utf-8")
    assert sorted(json.loads(record)["posted"]) == sorted(h[0] for h in HOOKS)
    for text in (record, stdout):
        assert "127.0.0.1" not in text and "wecom-key" not in text and "dt-token" not in text
        assert all(s not in text for s in SECRETS.values())


def test_a_failing_chat_does_not_stop_the_others_and_a_rerun_posts_only_it(
        tmp_path: Path, hub, monkeypatch, capsys):
    state, port = hub
    cfg, out = _setup(tmp_path, port, monkeypatch)
    state.answers["/slack"] = [(500, "oops", 0.0)]
    code, _, err = _chat(capsys, cfg, out)
    assert code == 8
    line = err.strip()
    assert "\n" not in line and "desk-slack" in line and "HTTP 500 after 3 attempts" in line
    assert "127.0.0.1" not in line  # the URL holds the key: never shown
    assert len(state.of("/slack")) == 3  # 1 + 2 retries
    assert len(state.of("/wecom")) == len(state.of("/feishu")) == 1  # the others went out
    state.answers["/slack"] = [OK["/slack"]]
    code, stdout, _ = _chat(capsys, cfg, out)
    assert code == 0 and "posted 1, already posted 3" in stdout
    assert len(state.of("/slack")) == 4 and len(state.of("/wecom")) == 1


def test_rate_limits_and_server_errors_are_retried(tmp_path: Path, hub, monkeypatch, capsys):
    state, port = hub
    cfg, out = _setup(tmp_path, port, monkeypatch, hooks=HOOKS[1:2] + HOOKS[3:])
    state.answers["/wecom"] = [(200, '{"errcode":45009,"errmsg":"api freq out of limit"}', 0.0),
                               (503, "busy", 0.0), OK["/wecom"]]
    state.answers["/feishu"] = [(429, "slow down", 0.0), OK["/feishu"]]
    code, _, err = _chat(capsys, cfg, out)
    assert (code, err) == (0, "")
    assert len(state.of("/wecom")) == 3 and len(state.of("/feishu")) == 2
    # each attempt is signed afresh
    assert all("sign" in body for _, body in state.of("/feishu"))


def test_a_refusal_is_not_retried(tmp_path: Path, hub, monkeypatch, capsys):
    state, port = hub
    cfg, out = _setup(tmp_path, port, monkeypatch, hooks=HOOKS[1:3])
    state.answers["/dingtalk"] = [(200, '{"errcode":310000,"errmsg":"sign not match"}', 0.0)]
    code, _, err = _chat(capsys, cfg, out)
    assert code == 8 and "desk-dingtalk (dingtalk: error 310000: sign not match)" in err
    assert len(state.of("/dingtalk")) == 1 and len(state.of("/wecom")) == 1


def test_every_call_has_a_deadline(tmp_path: Path, hub, monkeypatch, capsys):
    state, port = hub
    cfg, out = _setup(tmp_path, port, monkeypatch, hooks=HOOKS[:2], timeout=1, retries=0)
    state.answers["/slack"] = [(200, "ok", 4.0)]  # answers after the deadline
    start = time.monotonic()
    code, _, err = _chat(capsys, cfg, out)
    took = time.monotonic() - start
    assert code == 8 and "desk-slack (slack: no answer within 1 s)" in err
    assert took < 3.5, took
    assert len(state.of("/wecom")) == 1  # the other chat still got the day


def test_urls_and_secrets_come_only_from_the_environment(tmp_path: Path, hub, monkeypatch,
                                                         capsys):
    _, port = hub
    cfg, out = _setup(tmp_path, port, monkeypatch, hooks=HOOKS[2:3])
    monkeypatch.delenv("TEST_HOOK_DESK_DINGTALK_SECRET")
    code, _, err = _chat(capsys, cfg, out)
    assert code == 8 and "TEST_HOOK_DESK_DINGTALK_SECRET" in err and "not set" in err
    monkeypatch.delenv("TEST_HOOK_DESK_DINGTALK")
    code, _, err = _chat(capsys, cfg, out)
    assert code == 8 and "TEST_HOOK_DESK_DINGTALK (its URL) is not set" in err
    monkeypatch.setenv("TEST_HOOK_DESK_DINGTALK", "http://chat.example.com/robot/send")
    code, _, err = _chat(capsys, cfg, out)
    assert code == 8 and "is not an https:// URL" in err and "chat.example.com" not in err


def test_a_dry_run_writes_each_message_and_posts_nothing(tmp_path: Path, hub, monkeypatch,
                                                         capsys):
    state, port = hub
    cfg, out = _setup(tmp_path, port, monkeypatch)
    code, stdout, err = _chat(capsys, cfg, out, "--dry-run")
    assert (code, err) == (0, "") and "nothing posted" in stdout
    assert state.received == [] and not record_path(out, DAY).exists()
    files = sorted((out / ".outbox" / DAY).glob("chat-*.json"))
    assert [f.name for f in files] == sorted(f"chat-{h[0]}.json" for h in HOOKS)
    wecom = json.loads((out / ".outbox" / DAY / "chat-desk-wecom.json").read_text("utf-8"))
    assert wecom["msgtype"] == "markdown"
    code, _, err = _chat(capsys, cfg, out, "--webhook", "nope")
    assert code == 2 and "no webhook named 'nope'" in err


@pytest.mark.parametrize(("body", "problem"), [
    ('name = "x"\nkind = "teams"\nurl_env = "U"', "webhooks[0].kind: expected 'slack'"),
    ('name = "x"\nkind = "slack"\nurl = "https://hooks.slack.test/T/B/X"\nurl_env = "U"',
     "webhooks[0].url: secrets are read only from the environment"),
    ('name = "x"\nkind = "slack"\nurl_env = "U"\nsecret_env = "S"',
     "webhooks[0].secret_env: only dingtalk and feishu robots sign"),
    ('name = "x"\nkind = "wecom"\nurl_env = "not a name"',
     "webhooks[0].url_env: expected the name of an environment variable"),
    ('name = "x"\nkind = "wecom"', "webhooks[0].url_env: required"),
    ('name = "a b"\nkind = "wecom"\nurl_env = "U"', "webhooks[0].name: expected letters"),
])
def test_webhook_configuration_problems_are_named(tmp_path: Path, body: str, problem: str):
    path = tmp_path / "c.toml"
    path.write_text(f"[[webhooks]]\n{body}\n", "utf-8")
    with pytest.raises(ConfigError) as info:
        config.load(path)
    assert problem in str(info.value)
    assert "hooks.slack.test" not in str(info.value)  # a secret given in the file is not echoed


def test_two_webhooks_of_one_name_are_refused(tmp_path: Path):
    path = tmp_path / "c.toml"
    path.write_text('[[webhooks]]\nname = "a"\nkind = "wecom"\nurl_env = "U"\n'
                    '[[webhooks]]\nname = "a"\nkind = "slack"\nurl_env = "V"\n', "utf-8")
    with pytest.raises(ConfigError, match="two webhooks are named 'a'"):
        config.load(path)
