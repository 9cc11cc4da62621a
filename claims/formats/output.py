"""Writing an export to a file so that a failure (full disk, killed process) never destroys the old one."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from claims.durable import fsync_folder, temp_beside, write_new_file
from claims.errors import OutputWriteError


def write_output(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Replace the file at `path` with `data` (bytes, or chunks of them written as they come), all at once:
    afterwards it holds the old bytes or the new.

    The bytes go to a hidden temporary file in the same folder, are fsynced and renamed over `path`; on
    any failure the temporary file is removed, `path` is untouched and OutputWriteError says so. A path
    that is a symbolic link has the file it points to replaced; one that is not a regular file (a pipe,
    /dev/stdout) is written to directly, since it cannot be replaced; a read-only file is refused.
    """
    target = path.resolve() if path.is_symlink() else path
    try:
        existing = target.stat()
    except FileNotFoundError:
        existing = None
    except OSError as error:
        raise _failure(path, error) from None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        _write_in_place(path, target, data)
        return
    if existing is not None and not os.access(target, os.W_OK):
        # Renaming over it would succeed (the folder is writable), but a read-only file was meant to stay.
        raise OutputWriteError(f"cannot write {path}: the file is read-only; it is unchanged")
    temp = temp_beside(target)
    try:
        # An existing file keeps its own mode.
        write_new_file(temp, data, stat.S_IMODE(existing.st_mode) if existing is not None else None)
        os.replace(temp, target)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise _failure(path, error) from None
    try:
        fsync_folder(target.parent)
    except OSError:
        pass  # the new file is complete and in place; only its durability across a power cut is unsure


def _write_in_place(path: Path, target: Path, data: bytes | Iterable[bytes]) -> None:
    try:
        with target.open("wb") as handle:
            for chunk in (data,) if isinstance(data, bytes) else data:
                handle.write(chunk)
    except OSError as error:
        raise OutputWriteError(f"cannot write {path}: {error.strerror or error}") from None


def _failure(path: Path, error: OSError) -> OutputWriteError:
    return OutputWriteError(
        f"cannot write {path}: {error.strerror or error}; the file there before (if any) is unchanged"
    )
