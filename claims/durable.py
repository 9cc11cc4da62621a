"""Files that survive a crash: written whole to a temporary file and fsynced before they replace anything,
the rename then made durable. Shared by the store, exports written with `-o` and backups."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from pathlib import Path

TEMP_SUFFIX = ".tmp"


def temp_beside(target: Path) -> Path:
    """A fresh temporary name in `target`'s folder: hidden and named after its target, so cleaning one
    file's leftovers never touches another's, and on the same file system, so a rename can replace it."""
    return target.with_name(f".{target.name}.{secrets.token_hex(8)}{TEMP_SUFFIX}")


def write_new_file(path: Path, data: bytes | Iterable[bytes], mode: int | None = None) -> None:
    """Create `path` (it must not exist), write `data` (bytes, or chunks written as they come) and fsync
    it; on failure (of the disk, or of whatever makes the chunks) no file is left there.

    The file gets rw-r--r-- less the umask, or exactly `mode` when one is given (so a replacement keeps
    the permissions of the file it replaces). Raises OSError.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            for chunk in (data,) if isinstance(data, bytes) else data:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def fsync_folder(folder: Path) -> None:
    """Make renames and removals in `folder` durable. Raises OSError."""
    if not hasattr(os, "O_DIRECTORY"):  # Windows cannot open a folder; its renames are durable on their own
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
