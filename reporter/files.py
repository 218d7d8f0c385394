"""Reading input files with a bound: only regular files are read.

A named pipe blocks a reader until someone writes to it, and a device such as ``/dev/zero``
never ends: a price file, a member list or a report that is one of those would hang a nightly
run or fill its memory. Files are opened without blocking and checked before a byte is read;
anything but a regular file (symbolic links are followed) is refused, naming what it is.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotRegularFile(OSError):
    """The path names something other than a regular file; ``strerror`` says what."""


def _open_regular(path: Path | str) -> int:
    """A descriptor of ``path`` open for reading, checked to be a regular file."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not a file")
            raise NotRegularFile(errno.EINVAL, f"not a regular file: {kind}", str(path))
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_bytes(path: Path | str) -> bytes:
    """The whole content of a regular file; OSError (NotRegularFile for a pipe, device,
    socket or folder) otherwise."""
    with os.fdopen(_open_regular(path), "rb") as fh:
        return fh.read()


def read_text(path: Path | str, encoding: str = "utf-8") -> str:
    return read_bytes(path).decode(encoding)


def digest(path: Path | str) -> str:
    """A SHA-256 of the file's content: a change of any byte changes it, whatever the file's
    size and modification time say (``cp -p``, ``rsync -t`` and ``tar`` keep both). Kept
    lean: the warm run hashes every price file."""
    fd = _open_regular(path)
    try:
        h = hashlib.sha256()
        while chunk := os.read(fd, 1 << 20):
            h.update(chunk)
    finally:
        os.close(fd)
    return h.hexdigest()
