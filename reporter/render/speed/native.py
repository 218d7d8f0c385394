"""Loading the PDF engine's native libraries without running a compiler.

WeasyPrint tries several names for each of its libraries (Pango, HarfBuzz, fontconfig, ...).
For every name that does not load as it is, cffi asks ``ctypes.util.find_library``, which on
Linux runs ``ldconfig -p``, then ``gcc`` and then ``ld``: some 20 ms a name, a quarter of a
second before the first page (the optional HarfBuzz vector library alone tries six names). The
linker cache answers in a millisecond. A name it does not know is one of the other platforms'
spellings: the ``lib*.so.N`` names WeasyPrint also tries load directly, LD_LIBRARY_PATH included.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import sys
from collections.abc import Iterator


@contextlib.contextmanager
def linker_cache_lookup() -> Iterator[None]:
    """While the block runs (the engine's first import), find libraries in the linker cache
    only. Elsewhere than on Linux, or without the standard library's helper, nothing changes."""
    lookup = getattr(ctypes.util, "_findSoname_ldconfig", None)
    original = ctypes.util.find_library
    if not sys.platform.startswith("linux") or lookup is None:
        yield
        return
    ctypes.util.find_library = lookup
    try:
        yield
    finally:
        ctypes.util.find_library = original
