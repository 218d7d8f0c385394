"""PDF streams compressed at zlib's default level (6), not at its slowest (9).

The PDF writer (pydyf) deflates every stream at level 9. On a report's 1,700 streams (7 MB of
page content, chart paths and font subsets) level 9 takes 0.37 s of CPU and level 6 0.14 s, for
1.4% more bytes. The writer gets a ``zlib`` of its own that answers a level-9 request with
level 6; everything else (decompression, other levels, ``zlib.compress``) is zlib's.
"""

from __future__ import annotations

import zlib
from types import ModuleType
from typing import Any

#: The level used where the PDF writer asks for 9.
LEVEL = 6


class _Zlib(ModuleType):
    """zlib, with level 9 read as ``LEVEL`` by ``compressobj``."""

    def __init__(self) -> None:
        super().__init__("zlib")

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = -1, *args: Any, **kwargs: Any) -> Any:
        return zlib.compressobj(LEVEL if level == 9 else level, *args, **kwargs)


def deflate_at_default_level() -> None:
    """Give the PDF writer its ``zlib`` (idempotent)."""
    import pydyf

    if getattr(pydyf, "zlib", None) is zlib:
        pydyf.zlib = _Zlib()
