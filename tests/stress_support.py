"""The stress suite's machinery, shared by tests/test_stress.py (a few dozen runs) and
benchmarks/bench_stress.py (hundreds): writers and loads killed at random moments, many processes and
threads saving at once, and a small tmpfs for a full disk or a read-only store.

Everything goes through the public core (the repository contract, `claims load`, `check_store`), never a
file layout, so it holds for any backend's files. Run as a script, it is the worker those runs start.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from claims.annotations import apply_changes, new_claim
from claims.errors import ClaimsError, StoreError, VersionConflict
from claims.formats.articles import make_article
from claims.formats.export import export_bytes
from claims.integrity import check_store
from claims.models import Article, Claim, ClaimChanges, ClaimDraft
from claims.store import open_repository
from claims.store.atomic_files import leftover_temps
from claims.store.contract import Repository

HERE = Path(__file__).resolve()
BASE_TEXT = (
    "The council spent 4 million euros on the new harbour wall. "
    "Mayor Jan Peeters said the work was finished on time.\n"
    "The opposition denied that any tender was held. Officials expect 12,000 visitors in June."
)

Figures = dict[str, int]


def base_article() -> Article:
    return make_article(BASE_TEXT, title="Harbour wall", imported_by="stress")


def article_for(name: str) -> Article:
    """A real article of its own (its id is its text's hash), one per name."""
    return make_article(f"{BASE_TEXT}\nThis copy belongs to {name}.", title=name, imported_by="stress")


def claim_in(article: Article, n: int, by: str) -> Claim:
    sentence = article.sentences[n % len(article.sentences)]
    return new_claim(
        article, ClaimDraft(article_id=article.id, start=sentence.start, end=sentence.end), by=by
    )


def temp_files(folder: Path) -> list[Path]:
    """What an atomic writer killed between open and rename leaves behind, wherever the store writes
    its temporary files (beside their target, or in its work folder)."""
    return leftover_temps(folder)


# -- writers killed at random moments


def write_forever(db: str, run: str) -> None:
    """Save, update and delete in a loop, printing each acknowledged write (after it returned)."""
    repo = open_repository(db)
    base = repo.get_article(base_article().id)
    print("ready", flush=True)
    articles = [base]
    n = 0
    while True:
        n += 1
        if n % 7 == 0:
            article = article_for(f"{run}-{n}")
            repo.add_article(article)
            articles.append(article)
            print("article", article.id, flush=True)
        target = articles[n % len(articles)]
        claim = claim_in(target, n, run)
        repo.add_claim(claim)
        print("claim", target.id, claim.id, 1, flush=True)
        if n % 3 == 0:
            saved = repo.update_claim(
                target.id, claim.id, apply_changes(ClaimChanges(notes=str(n)), 1, by=run)
            )
            print("claim", target.id, claim.id, saved.version, flush=True)
        if n % 11 == 0 and len(articles) > 2:
            gone = articles.pop(1)
            print("deleting", gone.id, flush=True)
            repo.delete_article(gone.id, by=run)
            print("deleted", gone.id, flush=True)


class Acknowledged:
    """What killed writers said they had saved, and what they may or may not have finished deleting."""

    def __init__(self, articles: set[str]) -> None:
        self.articles = set(articles)
        self.deleting: set[str] = set()
        self.deleted: set[str] = set()
        self.claims: dict[tuple[str, str], int] = {}

    def read(self, output: str) -> None:
        for line in output.splitlines(keepends=True):
            if not line.endswith("\n"):  # cut short by the kill: not an acknowledgement
                continue
            kind, *fields = line.split()
            if kind == "article":
                self.articles.add(fields[0])
            elif kind == "deleting":
                self.deleting.add(fields[0])
            elif kind == "deleted":
                self.deleted.add(fields[0])
            elif kind == "claim":
                self.claims[(fields[0], fields[1])] = int(fields[2])

    def lost_in(self, repo: Repository) -> int:
        """Acknowledged writes the store no longer shows (deleted articles coming back count too)."""
        listed = {summary.id for summary in repo.list_articles()}
        stored = {(claim.article_id, claim.id): claim.version for claim in repo.list_claims()}
        lost = len(self.articles - self.deleting - listed) + len(self.deleted & listed)
        for (article_id, claim_id), version in self.claims.items():
            if article_id not in self.deleting and stored.get((article_id, claim_id), 0) < version:
                lost += 1
        return lost


def kill_writers(db: Path, runs: int, rng: random.Random, longest_pause: float = 0.15) -> Figures:
    """Start a writer `runs` times and SIGKILL it at a random moment; after each kill, reopen the store and
    count what is wrong: a store that fails to open or to check, lost acknowledged writes, temp files."""
    repo = open_repository(db)
    repo.add_article(base_article())
    acknowledged = Acknowledged({base_article().id})
    figures = {
        "kills": 0,
        "corrupt": 0,
        "lost_acknowledged": 0,
        "leftover_temp_files": 0,
        "temp_files_at_kill": 0,
    }
    for run in range(runs):
        child = _start([sys.executable, str(HERE), "write", str(db), f"run{run}"])
        time.sleep(rng.uniform(0.005, longest_pause))
        child.send_signal(signal.SIGKILL)
        output, errors = child.communicate()
        if child.returncode != -signal.SIGKILL:
            raise RuntimeError(f"the writer ended before it was killed: {errors}")
        figures["kills"] += 1
        acknowledged.read(output)
        figures["temp_files_at_kill"] += len(temp_files(db.parent))
        _after_kill(db, figures, acknowledged.lost_in)
    figures["acknowledged_claims"] = len(acknowledged.claims)
    return figures


def _after_kill(db: Path, figures: Figures, lost: Callable[[Repository], int]) -> Repository | None:
    """Reopen and check a store after a kill, adding to `figures`; the reopened store if it is sound."""
    try:
        reopened = open_repository(db)
        report = check_store(reopened)
        figures["lost_acknowledged"] += lost(reopened)
    except ClaimsError:
        report = None
    figures["leftover_temp_files"] += len(temp_files(db.parent))
    if report is None or not report.ok:
        figures["corrupt"] += 1
        return None
    return reopened


def _start(command: list[str]) -> subprocess.Popen[str]:
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    ready = child.stdout.readline()
    if ready != "ready\n":
        child.kill()
        raise RuntimeError(f"the worker did not start: {ready}{child.communicate()[1]}")
    return child


# -- loads killed at random moments


def load_document(folder: Path, articles: int, claims_each: int) -> Path:
    """An export of `articles` real articles with `claims_each` claims each, as `claims load` reads it."""
    source = open_repository(":memory:")
    for n in range(articles):
        article = article_for(f"loaded article {n}")
        source.add_article(article)
        for c in range(claims_each):
            source.add_claim(claim_in(article, c, "loader"))
    path = folder / f"load-{articles}x{claims_each}.json"
    path.write_bytes(export_bytes(source, "json"))
    return path


def kill_loads(db: Path, document: Path, runs: int, rng: random.Random) -> Figures:
    """Run `claims load` on a fresh copy of a store `runs` times, SIGKILLed at a random moment of it.

    Counts, besides damage: whether the load had landed completely, not at all, or part-way."""
    template = db.parent / "template"
    template_db = template / db.name
    repo = open_repository(template_db)
    repo.add_article(base_article())
    before = {(claim.article_id, claim.id) for claim in _seed_claims(repo)}
    expected = {article["id"] for article in json.loads(document.read_bytes())["articles"]}
    started = time.monotonic()
    subprocess.run(_load_command(document, db.parent / "timing" / db.name), check=True, capture_output=True)
    whole = time.monotonic() - started
    figures = {"kills": 0, "corrupt": 0, "lost_acknowledged": 0, "leftover_temp_files": 0,
               "complete_loads": 0, "partial_loads": 0, "empty_loads": 0}  # fmt: skip
    for run in range(runs):
        target = db.parent / f"run{run}"
        shutil.copytree(template, target)
        child = subprocess.Popen(_load_command(document, target / db.name), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, text=True)  # fmt: skip
        time.sleep(rng.uniform(0.1, 1.0) * whole)
        child.send_signal(signal.SIGKILL)
        child.communicate()
        figures["kills"] += 1
        reopened = _after_kill(target / db.name, figures, lambda store: len(before - _claim_keys(store)))
        if reopened is not None:
            landed = expected & {summary.id for summary in reopened.list_articles()}
            outcome = "complete" if landed == expected else "partial" if landed else "empty"
            figures[f"{outcome}_loads"] += 1
        shutil.rmtree(target, ignore_errors=True)
    figures["milliseconds_per_load"] = round(whole * 1000)
    return figures


def _claim_keys(repo: Repository) -> set[tuple[str, str]]:
    return {(claim.article_id, claim.id) for claim in repo.list_claims()}


def _seed_claims(repo: Repository) -> list[Claim]:
    article = repo.get_article(base_article().id)
    claims = [claim_in(article, n, "seed") for n in range(3)]
    for claim in claims:
        repo.add_claim(claim)
    return claims


def _load_command(document: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "claims", "load", str(document), "--db", str(db)]


# -- many processes and threads at once


def save_claims(repo: Repository, name: str, count: int) -> dict[str, Any]:
    """Add `count` claims, alternating between the shared article and this worker's own, updating after
    each a claim another worker made on the shared article (from the version just read: it may conflict)."""
    shared = repo.get_article(base_article().id)
    own = article_for(name)
    repo.add_article(own)
    saved, updated = [], []
    for n in range(count):
        article = shared if n % 2 else own
        claim = claim_in(article, n, name)
        repo.add_claim(claim)
        saved.append([article.id, claim.id])
        others = [other for other in repo.list_claims(shared.id) if other.created_by != name]
        if others:
            opened = others[n % len(others)]
            edit = apply_changes(ClaimChanges(notes=f"{name} {n}"), opened.version, by=name, opened=opened)
            try:
                repo.update_claim(shared.id, opened.id, edit)
            except VersionConflict:
                continue
            updated.append(opened.id)
    return {"saved": saved, "updated": updated}


def race_updates(repo: Repository, name: str, targets: list[list[str]]) -> dict[str, Any]:
    """Update every target claim as an editor who opened it at version 1; count the wins."""
    won = []
    for article_id, claim_id in targets:
        try:
            repo.update_claim(article_id, claim_id, apply_changes(ClaimChanges(notes=name), 1, by=name))
        except VersionConflict:
            continue
        won.append(claim_id)
    return {"won": won}


TASKS: dict[str, Callable[..., dict[str, Any]]] = {
    "save": lambda repo, name, count: save_claims(repo, name, int(count)),
    "race": lambda repo, name, targets: race_updates(repo, name, json.loads(targets)),
}


def run_workers(
    db: Path, task: str, *args: str, processes: int = 4, threads: int = 8
) -> list[dict[str, Any]]:
    """Run a task in `processes` processes and `threads` threads at once (half the threads share one
    repository instance, the rest open their own), all started together; every worker's result."""
    children = [
        subprocess.Popen(
            [sys.executable, str(HERE), "work", task, str(db), f"process{i}", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(processes)
    ]
    for child in children:
        assert child.stdout is not None
        if child.stdout.readline() != "ready\n":
            raise RuntimeError(f"a worker did not start: {child.communicate()[1]}")
    shared = open_repository(db)
    repos = [shared if i % 2 else open_repository(db) for i in range(threads)]
    results: list[dict[str, Any]] = []
    failures: list[BaseException] = []
    go = threading.Barrier(threads + 1)

    def work(repo: Repository, name: str) -> None:
        go.wait()
        try:
            results.append(TASKS[task](repo, name, *args))
        except BaseException as error:  # noqa: BLE001 - reported to the caller below
            failures.append(error)

    pool = [threading.Thread(target=work, args=(repo, f"thread{i}")) for i, repo in enumerate(repos)]
    for thread in pool:
        thread.start()
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    go.wait()
    for thread in pool:
        thread.join()
    for child in children:
        output, errors = child.communicate(timeout=600)
        if child.returncode != 0:
            failures.append(RuntimeError(errors))
        else:
            results.append(json.loads(output))
    if failures:
        raise failures[0]
    return results


# -- a small file system of its own


def mount_tmpfs(folder: Path, size: str = "2m") -> None:
    """Mount a tmpfs of `size` at `folder`; RuntimeError when that is not possible (not root, no mount),
    so callers can skip. `unmount` undoes it."""
    if os.geteuid() != 0:
        raise RuntimeError("mounting a tmpfs needs root")
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                             capture_output=True, text=True, check=False)  # fmt: skip
    if mounted.returncode != 0:
        raise RuntimeError(f"mount failed: {mounted.stderr.strip()}")


def unmount(folder: Path) -> None:
    if subprocess.run(["umount", str(folder)], capture_output=True, check=False).returncode != 0:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


@contextlib.contextmanager
def read_only_switch(folder: Path) -> Iterator[Callable[[bool], None]]:
    """A folder to keep a store in, and a switch making it read-only (True) or writable again (False).

    As root, a tmpfs remounted read-only (root ignores file permissions); otherwise chmod a-w on the folder
    and everything in it. Errors then say "Read-only file system" or "Permission denied" respectively.
    """
    try:
        mount_tmpfs(folder)
    except RuntimeError:
        folder.mkdir(parents=True, exist_ok=True)
        try:
            yield lambda read_only: _chmod_tree(folder, writable=not read_only)
        finally:
            _chmod_tree(folder, writable=True)
        return
    try:
        yield lambda read_only: remount(folder, "ro" if read_only else "rw")
    finally:
        unmount(folder)


def remount(folder: Path, mode: str) -> None:
    """Remount a tmpfs read-only ("ro") or writable again ("rw")."""
    subprocess.run(["mount", "-o", f"remount,{mode}", str(folder)], check=True, capture_output=True)


def _chmod_tree(folder: Path, writable: bool) -> None:
    for path in [folder, *folder.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(mode | 0o200 if writable else mode & ~0o222)


def fill(folder: Path, leave_bytes: int) -> Path:
    """Fill the file system of `folder` until about `leave_bytes` are free; the filler file."""
    stats = os.statvfs(folder)
    free = stats.f_bavail * stats.f_frsize
    filler = folder / "filler"
    with filler.open("wb") as handle:
        with contextlib.suppress(OSError):
            handle.write(b"\0" * max(free - leave_bytes, 0))
    return filler


def store_error_or_none(call: Callable[[], object]) -> StoreError | None:
    try:
        call()
    except StoreError as error:
        return error
    return None


def main(argv: list[str]) -> None:
    """The worker processes: `write DB RUN` (until killed) or `work TASK DB NAME ARGS...`."""
    if argv[0] == "write":
        write_forever(argv[1], argv[2])
        return
    _, task, db, name, *args = argv
    repo = open_repository(db)
    print("ready", flush=True)
    sys.stdin.readline()
    print(json.dumps(TASKS[task](repo, name, *args)))


if __name__ == "__main__":
    main(sys.argv[1:])
