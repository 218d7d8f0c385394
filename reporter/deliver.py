"""Writing outputs: a day's folder appears whole or not at all.

Files are written into a hidden staging folder beside the target, flushed, and the folder is
renamed into place; an existing day folder is swapped out only after the new one is complete.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from reporter.errors import OutputError


def safe_name(name: str) -> str:
    """A plain file name: no folders, no parent references, nothing hidden."""
    if not name or name != Path(name).name or name.startswith(".") or "\\" in name:
        raise OutputError(f"refusing to write {name!r}: not a plain file name in the output folder")
    return name


def _explain(exc: OSError, path: Path) -> OutputError:
    if exc.errno == errno.ENOSPC:
        return OutputError(f"no space left on the device while writing {path}")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(f"permission denied writing {path}")
    return OutputError(f"cannot write {path}: {exc.strerror or exc}")


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
        tmp.unlink(missing_ok=True)
        raise _explain(exc, path) from None


def write_folder(out: Path, folder: str, files: Mapping[str, bytes]) -> Path:
    """Write ``files`` as ``out/folder`` in one step; returns the folder's path."""
    safe_name(folder)
    target = out / folder
    staging = out / f".{folder}.partial-{os.getpid()}"
    retired = out / f".{folder}.old-{os.getpid()}"
    try:
        out.mkdir(parents=True, exist_ok=True)
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir()
        for name, data in files.items():
            with open(staging / safe_name(name), "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        if target.exists():
            os.replace(target, retired)
        os.replace(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not target.exists():
            os.replace(retired, target)
        raise _explain(exc, target) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(retired, ignore_errors=True)
    return target
