"""The stress suite's fast part: killed writers and loads, many writers at once, a full disk, a read-only
store. Real processes, real signals, real file systems; nothing here measures speed
(benchmarks/bench_stress.py runs the same with hundreds of runs and prints the figures)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from stress_support import (
    article_for,
    base_article,
    claim_in,
    fill,
    kill_loads,
    kill_writers,
    load_document,
    mount_tmpfs,
    read_only_switch,
    run_workers,
    store_error_or_none,
    temp_files,
    unmount,
)

from claims.errors import StoreError
from claims.integrity import check_store
from claims.models import Article, Claim
from claims.store import open_repository
from claims.store.contract import Repository

pytestmark = pytest.mark.slow


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store" / "claims.json"


def test_writers_killed_at_random_moments_lose_no_acknowledged_save_and_the_store_checks_clean(
    db: Path,
) -> None:
    figures = kill_writers(db, runs=20, rng=random.Random(8))

    assert figures["kills"] == 20
    assert figures["corrupt"] == 0
    assert figures["lost_acknowledged"] == 0
    assert figures["leftover_temp_files"] == 0
    assert figures["acknowledged_claims"] >= 10  # the writers did save between the kills
    result = subprocess.run(
        [sys.executable, "-m", "claims", "check", "--db", str(db)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["ok"] is True


def test_loads_killed_at_random_moments_leave_a_store_that_checks_clean_with_what_it_held(
    db: Path, tmp_path: Path
) -> None:
    document = load_document(tmp_path, articles=120, claims_each=2)

    figures = kill_loads(db, document, runs=6, rng=random.Random(3))

    assert figures["kills"] == 6
    assert figures["corrupt"] == 0
    assert figures["lost_acknowledged"] == 0
    assert figures["leftover_temp_files"] == 0
    assert figures["complete_loads"] + figures["partial_loads"] + figures["empty_loads"] == 6


def test_four_processes_and_eight_threads_saving_and_updating_each_others_claims_lose_nothing(
    db: Path,
) -> None:
    open_repository(db).add_article(base_article())

    results = run_workers(db, "save", "30", processes=4, threads=8)

    acknowledged = {tuple(pair) for result in results for pair in result["saved"]}
    repo = open_repository(db)
    stored = [(claim.article_id, claim.id) for claim in repo.list_claims()]
    assert len(acknowledged) == 12 * 30
    assert sorted(stored) == sorted(acknowledged)
    # No update lost: each claim's version counts exactly the updates acknowledged on it.
    updates = Counter(claim_id for result in results for claim_id in result["updated"])
    assert sum(updates.values()) > 0
    assert {claim.id: claim.version - 1 for claim in repo.list_claims()} == {
        claim.id: updates[claim.id] for claim in repo.list_claims()
    }
    assert len(repo.list_articles()) == 1 + 12
    assert check_store(repo).ok


def test_racing_updates_from_the_same_version_have_exactly_one_winner_each(db: Path) -> None:
    repo = open_repository(db)
    article = base_article()
    repo.add_article(article)
    claims: list[Claim] = [claim_in(article, n, "seed") for n in range(15)]
    for claim in claims:
        repo.add_claim(claim)
    targets = json.dumps([[claim.article_id, claim.id] for claim in claims])

    results = run_workers(db, "race", targets, processes=4, threads=8)

    wins = Counter(claim_id for result in results for claim_id in result["won"])
    assert wins == Counter({claim.id: 1 for claim in claims})
    for claim in repo.list_claims():
        assert claim.version == 2
    assert check_store(repo).ok


def save_both(repo: Repository, article: Article, claim: Claim) -> StoreError | None:
    """Add an article (if new) and a claim on it; the StoreError either raised, else None."""
    return store_error_or_none(lambda: repo.add_article(article)) or store_error_or_none(
        lambda: repo.add_claim(claim)
    )


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs; skipped where one cannot be mounted (not root)."""
    folder = tmp_path / "small"
    try:
        mount_tmpfs(folder, "2m")
    except RuntimeError as reason:
        pytest.skip(f"no small tmpfs here: {reason}")
    yield folder
    unmount(folder)


def test_a_full_disk_fails_saves_with_a_clear_error_and_loses_or_tears_nothing(small_disk: Path) -> None:
    db = small_disk / "claims.json"
    repo = open_repository(db)
    repo.add_article(base_article())
    acknowledged: list[Claim] = []
    errors: list[StoreError] = []
    filler = fill(small_disk, leave_bytes=64 * 1024)
    for n in range(400):
        article = base_article() if n % 5 else article_for(f"full-{n}")
        claim = claim_in(article, n, "ana")
        error = save_both(repo, article, claim)
        if error is None:
            acknowledged.append(claim)
        else:
            errors.append(error)
        if len(errors) >= 10:
            break

    assert len(errors) >= 10, "the disk never filled up"
    assert all("No space left on device" in str(error) for error in errors), errors[0]
    assert all(str(small_disk) in str(error) for error in errors)
    reopened = open_repository(db)
    assert {claim.id for claim in acknowledged} <= {claim.id for claim in reopened.list_claims()}
    assert check_store(reopened).ok
    assert temp_files(small_disk) == []
    filler.unlink()  # with room again, saving works again
    reopened.add_claim(claim_in(base_article(), 1, "ana"))
    assert check_store(reopened).ok


def test_a_read_only_store_gives_a_clear_error_and_stays_whole(tmp_path: Path) -> None:
    with read_only_switch(tmp_path / "ro") as make_read_only:
        folder = tmp_path / "ro"
        db = folder / "claims.json"
        repo = open_repository(db)
        article = base_article()
        repo.add_article(article)
        repo.add_claim(claim_in(article, 0, "ana"))
        before = files_in(folder)
        make_read_only(True)

        refused = store_error_or_none(lambda: repo.add_claim(claim_in(article, 1, "ana")))
        reopening = store_error_or_none(lambda: open_repository(db))

        for error in (refused, reopening):
            assert error is not None and str(folder) in str(error)
            assert "Read-only file system" in str(error) or "Permission denied" in str(error)
        make_read_only(False)
        assert files_in(folder) == before
        assert check_store(open_repository(db)).ok


def files_in(folder: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}
