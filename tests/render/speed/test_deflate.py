"""The PDF writer deflates at zlib's default level; what it writes still inflates to the same."""

from __future__ import annotations

import random
import re
import zlib

import pydyf

import reporter.render.pdf  # noqa: F401  (installs the writer's zlib)
from reporter.render.speed.deflate import LEVEL, deflate_at_default_level


def _content() -> list[bytes]:
    """A page's worth of path operators, as the engine writes chart lines."""
    rng = random.Random(7)
    return [f"{rng.uniform(0, 500):.3f} {rng.uniform(0, 700):.3f} l".encode()
            for _ in range(5000)]


def _deflated(data: bytes) -> bytes:
    found = re.search(rb"stream\n(.*)\nendstream", data, re.S)
    assert found is not None
    return found.group(1)


def test_streams_are_deflated_at_the_default_level() -> None:
    items = _content()
    raw = b"\n".join(items)
    written = _deflated(pydyf.Stream(list(items), compress=True).data)
    assert zlib.decompress(written) == raw
    level = zlib.compressobj(level=LEVEL)
    assert written == level.compress(raw) + level.flush()
    slowest = zlib.compressobj(level=9)
    assert written != slowest.compress(raw) + slowest.flush()  # it is not level 9 any more


def test_everything_else_is_zlib_and_installing_twice_changes_nothing() -> None:
    before = pydyf.zlib
    deflate_at_default_level()
    assert pydyf.zlib is before
    assert pydyf.zlib.decompress(zlib.compress(b"abc")) == b"abc"
    fast = pydyf.zlib.compressobj(1)
    data = b"x" * 1000 + bytes(range(256)) * 20
    one = zlib.compressobj(1)
    assert fast.compress(data) + fast.flush() == one.compress(data) + one.flush()
    assert pydyf.zlib.MAX_WBITS == zlib.MAX_WBITS
