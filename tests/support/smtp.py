"""SMTP servers on 127.0.0.1 for the e-mail tests.

``Inbox`` with ``start_inbox``: a real server (aiosmtpd) keeping what it receives.
``ScriptedSmtp``: one that misbehaves on purpose: it refuses at the greeting, hangs up, never
answers, drops the connection at the DATA command, or answers one byte at a time without end.
Plain sockets, so the faults are exactly the ones asked for.
"""

from __future__ import annotations

import email
import email.message
import email.policy
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Inbox:
    """An aiosmtpd handler keeping what it receives; refuses the addresses in ``refuse``."""

    refuse: set[str] = field(default_factory=set)
    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    logins: list[tuple[bytes, bytes]] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def parsed(self) -> dict[str, email.message.EmailMessage]:
        out = {}
        for _, rcpts, content in self.messages:
            msg = email.message_from_bytes(content, policy=email.policy.default)
            for r in rcpts:
                out[r] = msg
        return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_inbox(inbox: Inbox, **kwargs: Any) -> tuple[Any, int]:
    """Serve ``inbox`` on a free port; the aiosmtpd controller (``.stop()`` it) and the port."""
    from aiosmtpd.controller import Controller

    port = free_port()
    ctl = Controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
    ctl.start()
    return ctl, port


@dataclass
class Script:
    """How the server behaves. ``greeting``: the first line, or None to say nothing at all;
    ``hang_up``: close right after accepting; ``drop_data``: DATA commands (counted over all
    connections, from 1) at which it hangs up instead of accepting the message;
    ``hold_data``: DATA commands at which it stops and waits for ``release``; ``trickle_at``
    (``greeting`` or ``accepted``): there it answers with an endless multi-line reply, one byte
    every ``trickle`` seconds, so no single read ever waits long."""

    greeting: str | None = "220 faults.test ESMTP"
    hang_up: bool = False
    drop_data: set[int] = field(default_factory=set)
    hold_data: set[int] = field(default_factory=set)
    trickle_at: str = ""
    trickle: float = 0.2


class ScriptedSmtp:
    def __init__(self, script: Script) -> None:
        self.script = script
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.delivered: list[list[str]] = []  # the recipients of each message accepted
        self.connections = 0
        self.data_commands = 0
        self.held = threading.Event()  # set when a DATA command is being held
        self.release = threading.Event()
        self._stop = False
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._accepter = threading.Thread(target=self._accept, daemon=True)
        self._accepter.start()

    def close(self) -> None:
        self._stop = True
        self.release.set()
        self.sock.close()

    def __enter__(self) -> ScriptedSmtp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            if self.script.hang_up:
                return
            if self.script.greeting is None:
                self.release.wait(60)  # say nothing: the client must time out
                return
            if self.script.trickle_at == "greeting":
                self._trickle(conn, b"220-faults.test slowly\r\n")
                return
            file = conn.makefile("rb")
            conn.sendall(self.script.greeting.encode() + b"\r\n")
            if not self.script.greeting.startswith("220"):
                return
            rcpts: list[str] = []
            for raw in file:
                line = raw.decode("utf-8", "replace").strip()
                verb = line.split(" ", 1)[0].upper()
                if verb in ("EHLO", "HELO"):
                    conn.sendall(b"250-faults.test\r\n250 8BITMIME\r\n")
                elif verb == "MAIL":
                    rcpts = []
                    conn.sendall(b"250 OK\r\n")
                elif verb == "RCPT":
                    rcpts.append(line.split(":", 1)[1].strip(" <>"))
                    conn.sendall(b"250 OK\r\n")
                elif verb == "DATA":
                    with self._lock:
                        self.data_commands += 1
                        n = self.data_commands
                    if n in self.script.drop_data:
                        return  # hang up: the message is not accepted
                    if n in self.script.hold_data:
                        self.held.set()
                        self.release.wait(60)
                        return
                    conn.sendall(b"354 go ahead\r\n")
                    for body in file:
                        if body in (b".\r\n", b".\n"):
                            break
                    if self.script.trickle_at == "accepted":
                        self._trickle(conn, b"250-faults.test still thinking\r\n")
                        return
                    with self._lock:
                        self.delivered.append(list(rcpts))
                    conn.sendall(b"250 accepted\r\n")
                elif verb == "QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                else:  # RSET, NOOP
                    conn.sendall(b"250 OK\r\n")

    def _trickle(self, conn: socket.socket, line: bytes) -> None:
        """Send ``line`` again and again, one byte at a time, until the client goes away."""
        while not self._stop:
            for byte in line:
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return
                time.sleep(self.script.trickle)
