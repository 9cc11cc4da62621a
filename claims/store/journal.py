"""Changes of many files made all or nothing: prepared in a private folder, switched in by a journal.

A writer stages new files in `.staging/<token>/` without the store's lock (a long load does its slow work
there), then, holding the lock, writes the list of renames to `.journal.json` (durably), performs them and
removes the journal. Whoever takes the lock next finds a journal left by a killed writer and performs the
renames still to do, so after a crash a change is either wholly absent (no journal yet) or wholly present.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sys
from pathlib import Path
from types import TracebackType

import filelock

from claims.errors import StoreError
from claims.store.atomic_files import fsync_folder, read_raw, remove_durably, unreadable, write_atomically

JOURNAL = ".journal.json"
STAGING = ".staging"
TRASH = ".trash"

Move = tuple[Path, Path]


def commit(root: Path, moves: list[Move]) -> None:
    """Rename every `source` to its `target` (paths under `root`), as one change that survives crashes.

    Call it holding the store's lock, with every source already durable. Once the journal is written the
    change is decided: a failure after that point is reported, and the next holder of the lock finishes it.
    """
    if not moves:
        return
    journal = root / JOURNAL
    entries = [
        [os.fspath(source.relative_to(root)), os.fspath(target.relative_to(root))] for source, target in moves
    ]
    write_atomically(journal, json.dumps({"moves": entries}).encode("utf-8"))
    _perform(root, journal, moves)


def roll_forward(root: Path) -> bool:
    """Finish a change a killed writer left half done; True if there was one. Call it holding the lock."""
    journal = root / JOURNAL
    raw = read_raw(journal)
    if raw is None:
        return False
    try:
        entries = json.loads(raw)["moves"]
        moves = [(root / source, root / target) for source, target in entries]
    except (ValueError, KeyError, TypeError) as error:
        # write_atomically never leaves a torn journal; this one was damaged by something else.
        raise unreadable(journal, f"not a journal of this store ({error})") from None
    _perform(root, journal, moves)
    return True


def _perform(root: Path, journal: Path, moves: list[Move]) -> None:
    folders: set[Path] = set()
    try:
        for source, target in moves:
            if not os.path.lexists(source):
                continue  # renamed before a crash
            try:
                os.replace(source, target)
            except FileNotFoundError:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
            folders.update((source.parent, target.parent))
        for folder in folders:
            fsync_folder(folder)
    except OSError as error:
        raise StoreError(
            f"{journal}: a change was recorded but not completed ({error.strerror or error}); it will be "
            "completed the next time the store is used"
        ) from None
    remove_durably(journal)


class Staging:
    """A private folder under `root/.staging/` for preparing files without the store's lock.

    It holds its own lock file while in use, so a cleaner can tell a live writer's folder from one a killed
    writer left (`remove_abandoned`). Leaving the `with` block removes the folder and what is left in it,
    unless a journal is pending (it may name files here).
    """

    def __init__(self, root: Path) -> None:
        self.parent = root / STAGING
        token = secrets.token_hex(8)
        self.folder = self.parent / token
        self._written: list[Path] = []
        try:
            self.parent.mkdir(exist_ok=True)
            self._lock = filelock.FileLock(self.parent / f"{token}.lock", timeout=0)
            self._lock.acquire()
            self.folder.mkdir()
        except (OSError, filelock.Timeout) as error:
            raise StoreError(f"{self.parent}: cannot prepare a change there ({error})") from None

    def __enter__(self) -> Staging:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if not (self.parent.parent / JOURNAL).exists():
            shutil.rmtree(self.folder, ignore_errors=True)
            Path(self._lock.lock_file).unlink(missing_ok=True)
        # else a change that failed part-way may still need these files: the next holder of the store's
        # lock finishes it, and the next open removes the folder (its lock file is free from here on).
        self._lock.release()

    def write(self, path: Path, payload: bytes) -> None:
        """Write a new file under this folder (not yet durable: see `make_durable`)."""
        try:
            try:
                handle = open(path, "xb")  # noqa: SIM115 - closed below; "x" refuses to overwrite
            except FileNotFoundError:
                path.parent.mkdir(parents=True, exist_ok=True)
                handle = open(path, "xb")  # noqa: SIM115
            with handle:
                handle.write(payload)
        except OSError as error:
            raise StoreError(
                f"{path}: cannot be written ({error.strerror or error}); nothing was changed"
            ) from None
        self._written.append(path)

    def make_durable(self) -> None:
        """Flush every file written here to disk: one sync(2) on Linux, where it waits for the disk (far
        cheaper than thousands of fsyncs); elsewhere an fsync per file and folder."""
        try:
            if sys.platform.startswith("linux"):
                os.sync()
                return
            for path in self._written:
                fd = os.open(path, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
            for folder in {path.parent for path in self._written}:
                fsync_folder(folder)
        except OSError as error:
            raise StoreError(
                f"{self.folder}: cannot be flushed to disk ({error.strerror or error})"
            ) from None


def remove_abandoned(root: Path) -> None:
    """Remove staging folders whose writer is gone (its lock file is free), and everything in the trash.

    Call it holding the store's lock, after `roll_forward`: a journal may still name staged files.
    """
    parent = root / STAGING
    try:
        entries = list(os.scandir(parent))
    except FileNotFoundError:
        entries = []
    except OSError as error:
        raise StoreError(f"{parent}: cannot be listed ({error.strerror or error})") from None
    locks = {entry.name.removesuffix(".lock") for entry in entries if entry.name.endswith(".lock")}
    for entry in entries:
        if entry.name.endswith(".lock") or entry.name in locks:
            continue
        shutil.rmtree(entry.path, ignore_errors=True)  # a folder whose lock file its writer removed
    for token in locks:
        lock = filelock.FileLock(parent / f"{token}.lock", timeout=0)
        try:
            lock.acquire()
        except (filelock.Timeout, OSError):
            continue  # a live writer's
        try:
            shutil.rmtree(parent / token, ignore_errors=True)
            Path(lock.lock_file).unlink(missing_ok=True)
        finally:
            lock.release()
    shutil.rmtree(root / TRASH, ignore_errors=True)


def trash_path(root: Path) -> Path:
    """A fresh name in the trash, where deleted files go before they are removed."""
    return root / TRASH / secrets.token_hex(8)
