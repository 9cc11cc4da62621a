"""Backups: the whole store as its JSON export, written atomically and read back before it counts; restores
that check a backup before writing anything; and the app's rolling automatic backups.

A backup is whatever the JSON export document holds (`export_bytes(repo, "json")`), so it works for every
backend and holds whatever later export versions add.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import secrets
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

import filelock
from pydantic import BaseModel

from claims.durable import fsync_folder, temp_beside, write_new_file
from claims.errors import BackupError, ClaimsError, StoreError
from claims.formats.export import export_chunks
from claims.formats.loading import load_export, read_export, read_loadable_file
from claims.integrity import IntegrityReport, check_document, check_store
from claims.models import ExportDocument, MergeReport
from claims.store import TinyDBRepository, is_server_url, open_repository
from claims.store.contract import Repository

BACKUP_PREFIX = "claims-backup-"
BACKUP_SUFFIX = ".json"
# claims-backup-<UTC time to the microsecond>-<the store's revision when it was taken>.json
_BACKUP_NAME = re.compile(r"claims-backup-(\d{8}T\d{12}Z)-([0-9A-Za-z]*)\.json")
_STAMP = "%Y%m%dT%H%M%S%fZ"
# How many problems a refused restore lists in its message (the rest: `claims check` on a store of it).
_PROBLEMS_SHOWN = 5

log = logging.getLogger(__name__)

RestoreMode = Literal["into-empty", "replace"]
_N = TypeVar("_N", int, float)


class BackupReport(BaseModel):
    """A backup written and read back: where, how big, and how many records of each kind it holds."""

    path: str
    bytes: int
    sha256: str
    counts: dict[str, int]


class RestoreReport(BaseModel):
    """A restore done: from which backup into which store, what it added, and where the old store went."""

    source: str
    store: str
    mode: RestoreMode
    counts: dict[str, int]
    merge: MergeReport
    previous_store: str | None = None


# -- backups


def write_backup(repo: Repository, destination: Path, now: dt.datetime | None = None) -> BackupReport:
    """Export the store into `destination` (a file, or a folder to name one in) and verify it.

    The export is one consistent read of the store (the backend's whole-store read), so editors keep
    working meanwhile. It goes to a temporary file beside `destination`, fsynced and read back (same
    bytes, and it loads as an export with every record) before it is renamed over `destination`: a file
    found there is always a verified backup, and a failed backup leaves the previous file as it was.
    """
    revision = repo.revision()
    chunks = export_chunks(repo, "json")  # the store is read here, once; the file is written chunk by chunk
    path = destination / backup_name(revision, now) if destination.is_dir() else destination
    temp = temp_beside(path)
    written = hashlib.sha256()
    try:
        write_new_file(temp, _hashed(chunks, written))
        report = verify_backup(temp, written.hexdigest())
        os.replace(temp, path)
        fsync_folder(path.parent)
    except OSError as error:
        raise BackupError(
            f"{path}: the backup cannot be written ({error.strerror or error}); a previous file there is kept"
        ) from None
    finally:
        temp.unlink(missing_ok=True)
    return report.model_copy(update={"path": str(path)})


def verify_backup(path: Path, sha256: str | None = None) -> BackupReport:
    """Read a backup file back: same bytes (when `sha256` is given), and every record loads.

    Read as `claims load` reads an export (in batches, checked to give exactly the records of reading the
    file whole), so verifying a backup of 100,000 claims does not hold the document and its models twice.
    """
    digest, size = _digest(path)
    if sha256 is not None and digest != sha256:
        raise BackupError(f"{path}: reads back different from what was written; do not rely on it")
    records = read_loadable_file(path, str(path))  # a file that does not load raises ExportFormatError
    counts = {
        "articles": len(records.articles),
        "claims": len(records.claims),
        "decisions": len(records.decisions),
        "deletions": len(records.deletions),
        "factchecks": len(records.factchecks),
    }
    return BackupReport(path=str(path), bytes=size, sha256=digest, counts=counts)


def _hashed(chunks: Iterable[bytes], digest: Any) -> Iterator[bytes]:
    """The chunks, each added to `digest` as it passes."""
    for chunk in chunks:
        digest.update(chunk)
        yield chunk


def _digest(path: Path) -> tuple[str, int]:
    """The SHA-256 of a file and its size, read a megabyte at a time."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
            return digest.hexdigest(), handle.tell()
    except OSError as error:
        raise BackupError(f"{path}: cannot be read ({error.strerror or error})") from None


def backup_name(revision: str, now: dt.datetime | None = None) -> str:
    """A name that sorts by time and remembers which revision of the store it holds."""
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime(_STAMP)
    return f"{BACKUP_PREFIX}{stamp}-{_revision_tag(revision)}{BACKUP_SUFFIX}"


def backups_in(folder: Path) -> list[Path]:
    """The backups named by `backup_name` in a folder, oldest first; other files are not ours."""
    try:
        names = [entry.name for entry in os.scandir(folder) if entry.is_file()]
    except FileNotFoundError:
        return []
    except OSError as error:
        raise BackupError(f"{folder}: cannot list the backups ({error.strerror or error})") from None
    return [folder / name for name in sorted(names) if _BACKUP_NAME.fullmatch(name)]


def prune_backups(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups in a folder; returns what was deleted."""
    backups = backups_in(folder)
    doomed = backups[: max(len(backups) - keep, 0)]
    for path in doomed:
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            raise BackupError(f"{path}: cannot delete this old backup ({error.strerror or error})") from None
    return doomed


def _revision_tag(revision: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", revision)[:16]


def _record_counts(document: Any) -> dict[str, int]:
    if not isinstance(document, dict):
        return {}
    return {key: len(value) for key, value in document.items() if isinstance(value, list)}


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise BackupError(f"{path}: cannot be read ({error.strerror or error})") from None


# -- restores


def read_backup(path: Path) -> ExportDocument:
    """A backup's document, refused (naming the file and the first problems) unless every record checks."""
    document = read_export(_read(path), str(path))
    report = check_document(document)
    if not report.ok:
        raise BackupError(f"{path}: not restored, the backup itself is damaged: {_summary(report)}")
    return document


def restore_backup(source: Path, location: str | Path, mode: RestoreMode = "into-empty") -> RestoreReport:
    """Rebuild a store from a backup, checked first; nothing of the current store is lost either way.

    "into-empty" loads it into the store at `location` only if that holds no article. "replace" (the file
    store only) builds a new store beside the current one, checks it, and only then swaps it in under the
    store's lock; the current store is moved, whole, to a folder beside it, never deleted.
    """
    document = read_backup(source)
    counts = {"articles": len(document.articles), "claims": len(document.claims)}
    if mode == "replace":
        return _replace(source, location, document, counts)
    repo = open_repository(location)
    present = len(repo.list_articles())
    if present:
        raise BackupError(
            f"{repo.location} already holds {present} articles, so {source} was not restored into it: "
            "give a new --db path to restore into an empty store, or --replace to swap the restored store "
            "in (the current one is kept in a folder beside it)"
        )
    merge = load_export(repo, document, str(source))
    _verify_restored(repo, counts, source)
    return RestoreReport(
        source=str(source), store=repo.location, mode=mode, counts=counts, merge=merge, previous_store=None
    )


def _replace(
    source: Path, location: str | Path, document: ExportDocument, counts: dict[str, int]
) -> RestoreReport:
    target = open_repository(location)  # opening first also finishes anything a crash left half done
    if not isinstance(target, TinyDBRepository):
        raise BackupError(f"--replace works for the file store only; restore {source} into an empty store")
    index = target.index
    staging = index.parent / f".{index.name}.restoring-{secrets.token_hex(6)}"
    try:
        staged = TinyDBRepository(staging / index.name)
        merge = load_export(staged, document, str(source))
        _verify_restored(staged, counts, source)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = _swap_in(staging, index)
    shutil.rmtree(staging, ignore_errors=True)  # only its lock file is left
    return RestoreReport(
        source=str(source),
        store=target.location,
        mode="replace",
        counts=counts,
        merge=merge,
        previous_store=str(previous / index.name),
    )


def _swap_in(staging: Path, index: Path) -> Path:
    """Move the current store's files aside and the staged store's into place, under the store's lock.

    A store is its index file and the files named after it (`claims.json.d`, `claims.json.rev`, ...):
    exactly what the staged store holds, but its lock. Files of the current store that the staged one
    lacks (its lock, the backups folder) stay. Renames within one folder take milliseconds; one that
    fails is undone (the current store put back). A crash part-way deletes nothing: each file of the
    current store is in place or in the folder beside, each of the restored one in place or in `staging`.
    """
    stamp = dt.datetime.now(dt.UTC).strftime(_STAMP)
    aside = index.parent / f"{index.name}.before-restore-{stamp}"
    lock = index.with_name(index.name + ".lock")  # the lock file TinyDBRepository takes for every operation
    names = sorted(entry.name for entry in os.scandir(staging) if entry.name != lock.name)
    done: list[tuple[Path, Path]] = []
    try:
        with filelock.FileLock(lock, timeout=60):
            aside.mkdir()
            moves = [
                (index.parent / name, aside / name) for name in names if os.path.lexists(index.parent / name)
            ]
            moves += [(staging / name, index.parent / name) for name in names]
            try:
                for old, new in moves:
                    os.replace(old, new)
                    done.append((old, new))
                fsync_folder(aside)
                fsync_folder(index.parent)
            except OSError:
                while done:
                    old, new = done[-1]
                    os.replace(new, old)  # should this fail too, the message below says where things are
                    done.pop()
                aside.rmdir()
                raise
    except filelock.Timeout:
        shutil.rmtree(staging, ignore_errors=True)
        raise StoreError(
            f"{index}: another program held the store's lock for 60 s; nothing was replaced"
        ) from None
    except OSError as error:
        if not done:
            shutil.rmtree(staging, ignore_errors=True)
        where = (
            f"the current store's files are in {aside} and the restored store's in {staging}: move them back"
            if done
            else "nothing was replaced"
        )
        raise StoreError(
            f"{index}: the restored store could not be swapped in ({error.strerror or error}); {where}"
        ) from None
    return aside


def _verify_restored(repo: Repository, counts: dict[str, int], source: Path) -> None:
    report = check_store(repo)
    restored = {key: report.counts.get(key, 0) for key in counts}
    if not report.ok or restored != counts:
        raise BackupError(
            f"{repo.location}: the store restored from {source} does not check out "
            f"(holds {restored}, the backup {counts}): {_summary(report)}"
        )


def _summary(report: IntegrityReport) -> str:
    shown = "; ".join(problem.message for problem in report.problems[:_PROBLEMS_SHOWN])
    more = len(report.problems) - _PROBLEMS_SHOWN
    return f"{shown}{f' (and {more} more)' if more > 0 else ''}" if shown else "no problem found"


# -- rolling automatic backups


@dataclass(frozen=True)
class BackupSchedule:
    """Where the app keeps its automatic backups, how many, and how often at most."""

    folder: Path
    keep: int = 10
    interval: dt.timedelta = dt.timedelta(minutes=30)

    @classmethod
    def from_environment(cls, store_location: str, environ: Mapping[str, str]) -> BackupSchedule | None:
        """CLAIMS_BACKUPS (default: `<store>.backups` beside a file store's index), CLAIMS_BACKUP_KEEP (10),
        CLAIMS_BACKUP_INTERVAL in minutes (30). None for a memory store (nothing on disk to back up) and
        for a server store without CLAIMS_BACKUPS (a database server is backed up with its own tools)."""
        folder = environ.get("CLAIMS_BACKUPS", "").strip()
        if store_location == ":memory:" or (is_server_url(store_location) and not folder):
            return None
        folder = folder or f"{store_location}.backups"
        keep = _number(environ, "CLAIMS_BACKUP_KEEP", 10, int, minimum=1)
        minutes = _number(environ, "CLAIMS_BACKUP_INTERVAL", 30.0, float, minimum=0)
        return cls(Path(folder).expanduser(), keep, dt.timedelta(minutes=minutes))


def _number(environ: Mapping[str, str], name: str, default: _N, kind: Callable[[str], _N], minimum: _N) -> _N:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    expected = f"{name}={raw!r}: expected a {'whole ' if kind is int else ''}number of at least {minimum}"
    try:
        value = kind(raw)
    except ValueError:
        raise ClaimsError(expected) from None
    if not value >= minimum:  # `not >=` also refuses nan
        raise ClaimsError(expected)
    return value


# Longer than a backup of a year of a desk's work takes (5 s for 100,000 claims), short enough to surface
# a child that hangs.
CHILD_TIMEOUT_SECONDS = 3600


class RollingBackups:
    """The app's automatic backups of one store: at most one every `interval`, only when the store changed
    since the newest backup, the newest `keep` kept. One instance per store, shared by every session.

    `maybe_start` is cheap enough for every rerun (a clock comparison, then one revision read when due);
    the backup runs in a background thread, never two at once, so no page waits for it.
    """

    def __init__(
        self,
        schedule: BackupSchedule,
        clock: Callable[[], float] = time.time,
        in_child_for: str | None = None,
    ) -> None:
        """`in_child_for`: the store's location as the app was given it (a path or a URL, password
        included); each backup is then written by a child process (`claims backup`), so the memory a
        whole-store export takes is given back to the system when the backup ends, not kept by the
        server."""
        self.schedule = schedule
        self._clock = clock
        self._child_location = in_child_for
        self._lock = threading.Lock()
        self._running: threading.Thread | None = None
        self.last_error: str | None = None
        newest = backups_in(schedule.folder)[-1:]
        self._last_at: float = 0.0
        self._last_revision: str | None = None
        if newest:
            self._last_at, self._last_revision = _written_at(newest[0])

    def maybe_start(self, repo: Repository) -> threading.Thread | None:
        """Start a backup in the background if one is due; the thread started, else None."""
        if not self._interval_passed():
            return None
        with self._lock:
            if self._running is not None and self._running.is_alive():
                return None
            if _revision_tag(repo.revision()) == self._last_revision:
                return None
            thread = threading.Thread(target=self._run, args=(repo,), name="claims-backup", daemon=True)
            self._running = thread
            thread.start()  # inside the lock: a thread not started yet is not alive and would let another in
        return thread

    def backup_now(self, repo: Repository) -> Path | None:
        """Write a backup if the store changed since the newest one, then prune; the new file, else None."""
        revision = repo.revision()
        if _revision_tag(revision) == self._last_revision:
            return None
        self.schedule.folder.mkdir(parents=True, exist_ok=True)
        now = dt.datetime.fromtimestamp(self._clock(), dt.UTC)
        target = self.schedule.folder / backup_name(revision, now)
        if self._child_location is None:
            report = write_backup(repo, target)
        else:
            report = backup_in_child(self._child_location, target)
        self._last_at, self._last_revision = now.timestamp(), _revision_tag(revision)
        prune_backups(self.schedule.folder, self.schedule.keep)
        return Path(report.path)

    def _interval_passed(self) -> bool:
        return self._clock() - self._last_at >= self.schedule.interval.total_seconds()

    def _run(self, repo: Repository) -> None:
        try:
            self.backup_now(repo)
            self.last_error = None
        except (ClaimsError, OSError) as error:
            # Try again after the interval, not on the next rerun: a full disk stays full for a while.
            self._last_at = self._clock()
            self.last_error = str(error)
            log.warning("automatic backup of %s failed: %s", repo.location, error)


def backup_in_child(location: str, destination: Path) -> BackupReport:
    """`claims backup DESTINATION` run as a child process on the store at `location` (given to it in
    CLAIMS_DB, not on its command line, where a URL's password would show in the process list)."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "claims", "backup", str(destination)],
            env={**os.environ, "CLAIMS_DB": location},
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BackupError(f"{destination}: the backup process did not finish ({error})") from None
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or [f"it exited with status {done.returncode}"]
        raise BackupError(lines[-1].removeprefix("Error: "))
    return BackupReport.model_validate_json(done.stdout)


def _written_at(path: Path) -> tuple[float, str]:
    match = _BACKUP_NAME.fullmatch(path.name)
    assert match is not None  # backups_in only lists such names
    stamp = dt.datetime.strptime(match[1], _STAMP).replace(tzinfo=dt.UTC)
    return stamp.timestamp(), match[2]
