"""Writing outputs: a day's folder appears whole or not at all, and nothing half-made stays.

Files are written into a hidden staging folder beside the target and flushed; the staging
folder then takes the target's place in one atomic exchange (Linux), or, where the file system
cannot exchange, in two renames with the old folder parked under a hidden name. Writers of one
output folder take turns (a lock on the folder), so two runs never interleave their renames.
Whatever a killed process left behind (staging folders, a parked old folder, temporary files)
is cleared by the next writer: a parked folder whose replacement never arrived is put back.

Rebuilding a day replaces what the reporter made there (editions, charts, report.json) and
keeps everything else: the portal's pages until the next publish, and any file or folder a
user put in the day folder (hard-linked into the new folder, or copied). A day folder that is a
symbolic link is replaced by a real folder; the folder it pointed to is left as it was, so
nothing is written outside the output folder and nothing is lost (the caller is told).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from reporter.errors import OutputError

#: Files a run makes in a day folder; a rebuild replaces them. Anything else there is kept.
MADE_BY_RUN = re.compile(
    r"report\.json|market-breadth_[^/]+\.(?:pdf|html)|chart_[^/]+\.(?:svg|png)"
)
#: Seconds a writer waits for another writer of the same output folder.
LOCK_TIMEOUT = 120.0
_TMP = re.compile(r"\.(?P<name>.+)\.tmp-(?P<pid>\d+)")
_LEFT = re.compile(r"\.(?P<folder>[^/]+)\.(?P<kind>partial|old)-(?P<pid>\d+)")
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def safe_name(name: str) -> str:
    """A plain file name: no folders, no parent references, nothing hidden."""
    if not name or name != Path(name).name or name.startswith(".") or "\\" in name:
        raise OutputError(f"refusing to write {name!r}: not a plain file name in the output folder")
    return name


def _explain(exc: OSError, path: Path) -> OutputError:
    if exc.errno == errno.ENOSPC:
        return OutputError(f"no space left on the device while writing {path}")
    if exc.errno == errno.EDQUOT:
        return OutputError(f"disk quota exceeded while writing {path}")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(f"permission denied writing {path}")
    return OutputError(f"cannot write {path}: {exc.strerror or exc}")


def _alive(pid: int) -> bool:
    """Whether a process with this id exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _stale(pid: int) -> bool:
    """Left by a process that is gone, or by this one (which is not writing it now)."""
    return pid == os.getpid() or not _alive(pid)


def _fsync_dir(folder: Path) -> None:
    """Make renames inside ``folder`` durable (best effort: not every file system allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def locked(out: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the output folder's writer lock (an advisory lock on the folder itself, so no lock
    file is left behind). Another writer waits up to ``timeout`` seconds, then fails clearly."""
    import fcntl

    try:
        fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise _explain(exc, out) from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OutputError(
                        f"{out} is being written by another run; try again later"
                    ) from None
                time.sleep(0.05)
            except OSError:  # no locks on this file system: go on unlocked
                break
        yield
    finally:
        os.close(fd)


def sweep_temporary(folder: Path) -> list[str]:
    """Remove ``.NAME.tmp-PID`` files left by processes that no longer exist; their names."""
    removed: list[str] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for path in entries:
        found = _TMP.fullmatch(path.name)
        if found and _stale(int(found["pid"])) and path.is_file():
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path.name)
    return removed


def recover(out: Path) -> list[str]:
    """Clear what killed writers left in ``out``; call with the lock held. A parked old day
    folder whose replacement never arrived is put back; staging folders are removed. Returns
    the names handled."""
    handled: list[str] = []
    try:
        entries = sorted(out.iterdir(), key=lambda p: ("partial" in p.name, p.name))
    except OSError:
        return handled
    for path in entries:
        found = _LEFT.fullmatch(path.name)
        if not found or not _stale(int(found["pid"])) or not (path.is_dir() or path.is_symlink()):
            continue
        target = out / found["folder"]
        if found["kind"] == "old" and not target.exists():
            os.replace(path, target)  # the old day comes back
        else:
            _remove(path)
        handled.append(path.name)
    return handled


def _remove(path: Path) -> None:
    """Remove a folder, file or symbolic link (a link, never what it points to)."""
    if path.is_symlink() or not path.is_dir():
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def _link_or_copy(src: str, dst: str) -> None:
    """A hard link where possible (instant, no extra space), else a copy."""
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        shutil.copy2(src, dst, follow_symlinks=False)


def _keep(old: Path, staging: Path, files: Mapping[str, bytes]) -> None:
    """Carry over from the old day folder what this run does not replace: the portal's pages
    and whatever a user put there."""
    for entry in old.iterdir():
        name = entry.name
        if name in files or MADE_BY_RUN.fullmatch(name) or _TMP.fullmatch(name):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, staging / name, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(str(entry), str(staging / name))


def _exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one step; False where the system cannot."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if done == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(b))


def write_atomic(path: Path, data: bytes) -> None:
    """Write one file through a temporary name in the same folder, then rename it into place."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise _explain(exc, path) from None


def replace_folder(staging: Path, target: Path) -> None:
    """Put a finished folder in ``target``'s place in one step (readers see the old one or the
    new one, never a mix); the old one is removed. Same file system; call with the lock of
    the output folder held."""
    if os.path.lexists(target):
        if target.is_symlink() or not target.is_dir():
            raise OutputError(f"cannot replace {target}: not a folder")
        if _exchange(staging, target):
            _remove(staging)  # the old folder, now under the staging name
            _fsync_dir(target.parent)
            return
        retired = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, retired)
        os.replace(staging, target)
        _remove(retired)
    else:
        os.replace(staging, target)
    _fsync_dir(target.parent)


def write_folder(out: Path, folder: str, files: Mapping[str, bytes],
                 notes: list[str] | None = None) -> Path:
    """Write ``files`` as ``out/folder`` in one step; returns the folder's path. ``notes``
    receives what the operator should know (a symbolic link replaced)."""
    safe_name(folder)
    target = out / folder
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _explain(exc, out) from None
    for name in files:
        safe_name(name)
    if target.exists() and not target.is_dir():
        raise OutputError(f"cannot write {target}: a file of that name is in the way")
    with locked(out):
        staging = out / f".{folder}.partial-{os.getpid()}"
        retired = out / f".{folder}.old-{os.getpid()}"
        link = os.readlink(target) if target.is_symlink() else None
        try:
            recover(out)
            staging.mkdir()
            for name, data in files.items():
                with open(staging / name, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
            if target.is_dir():
                _keep(target, staging, files)
            _fsync_dir(staging)
            there = os.path.lexists(target)
            if not (there and _exchange(staging, target)):
                if there:
                    os.replace(target, retired)
                os.replace(staging, target)
            _fsync_dir(out)
        except BaseException as exc:  # Ctrl-C included: the old day goes back at once
            if os.path.lexists(retired) and not os.path.lexists(target):
                with contextlib.suppress(OSError):
                    os.replace(retired, target)
            if isinstance(exc, OSError):
                raise _explain(exc, target) from None
            raise
        finally:
            # after an exchange the staging name holds the old folder (or the old link)
            _remove(staging)
            if os.path.lexists(target):
                _remove(retired)
    if link is not None and notes is not None:
        notes.append(f"{target} was a symbolic link to {link}; it is now a folder holding the "
                     f"new report, and {link} is left as it was")
    return target
