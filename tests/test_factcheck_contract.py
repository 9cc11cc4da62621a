"""The repository contract for known fact-checks, on every backend (memory, TinyDB, PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from records_support import build_article, build_claim

from claims.annotations import apply_changes
from claims.errors import StoreError
from claims.models import (
    ClaimChanges,
    FactCheckCounts,
    FactCheckGroup,
    FactCheckQuery,
    KnownFactCheck,
)
from claims.store import open_repository
from claims.store.contract import Repository
from claims.store.memory import MemoryRepository
from claims.store.queries import count_factchecks, factcheck_page


def check(check_id: str, claim: str = "Crime doubled", **fields: object) -> KnownFactCheck:
    return KnownFactCheck.model_validate({"id": check_id, "claim": claim, **fields})


SOME = [
    check("a", "Crime doubled in 2023", publisher="Full Fact", rating="False", date=dt.date(2024, 1, 2)),
    check("b", "Vaccines contain chips", publisher="AFP", rating="False", date=dt.date(2024, 3, 1)),
    check("c", "The bridge cost 4 billion", publisher="AFP", rating="Mostly true"),
    check(
        "d", "Straße closed for 100% of days", title="Road 50_50", publisher="Correctiv", source_file="x.csv"
    ),
]


def test_new_fact_checks_are_added_and_listed_by_id(repo: Repository) -> None:
    assert repo.add_factchecks(reversed(SOME)) == FactCheckCounts(added=4)
    assert repo.list_factchecks() == SOME


def test_an_import_counts_what_it_added_updated_and_left_alone(repo: Repository) -> None:
    repo.add_factchecks(SOME[:3])
    changed = SOME[1].model_copy(update={"rating": "Misleading"})
    counts = repo.add_factchecks([SOME[0], changed, SOME[3]])
    assert counts == FactCheckCounts(added=1, updated=1, unchanged=1)
    assert repo.list_factchecks() == [SOME[0], changed, SOME[2], SOME[3]]


def test_importing_the_same_fact_checks_again_changes_nothing_not_even_the_revision(repo: Repository) -> None:
    repo.add_factchecks(SOME)
    revision, store_revision = repo.factcheck_revision(), repo.revision()
    assert repo.add_factchecks(SOME) == FactCheckCounts(unchanged=4)
    assert repo.factcheck_revision() == revision
    assert repo.revision() == store_revision


def test_within_one_import_the_last_record_of_an_id_wins(repo: Repository) -> None:
    first, last = check("a", "first words"), check("a", "last words")
    assert repo.add_factchecks([first, last]) == FactCheckCounts(added=1)
    assert repo.list_factchecks() == [last]


def test_the_fact_check_revision_changes_with_an_import(repo: Repository) -> None:
    empty = repo.factcheck_revision()
    repo.add_factchecks(SOME[:1])
    after_one = repo.factcheck_revision()
    repo.add_factchecks([SOME[0].model_copy(update={"title": "New title"})])
    assert len({empty, after_one, repo.factcheck_revision()}) == 3


def test_claim_edits_leave_the_fact_check_revision_alone(repo: Repository) -> None:
    repo.add_factchecks(SOME)
    revision = repo.factcheck_revision()
    article = build_article()
    repo.add_article(article)
    claim = build_claim(article, article.text.split()[0])
    repo.add_claim(claim)
    repo.update_claim(article.id, claim.id, apply_changes(ClaimChanges(notes="seen"), claim.version, by="bo"))
    repo.delete_claim(article.id, claim.id, by="bo")
    assert repo.factcheck_revision() == revision


def test_fact_checks_are_counted_by_publisher_rating_and_file(repo: Repository) -> None:
    repo.add_factchecks(SOME)
    assert repo.count_factchecks_by(FactCheckGroup.PUBLISHER) == {"Full Fact": 1, "AFP": 2, "Correctiv": 1}
    assert repo.count_factchecks_by(FactCheckGroup.RATING) == {"False": 2, "Mostly true": 1, "": 1}
    assert repo.count_factchecks_by(FactCheckGroup.SOURCE_FILE) == {"": 3, "x.csv": 1}


def test_a_page_is_newest_first_undated_last_then_by_id(repo: Repository) -> None:
    repo.add_factchecks(SOME)
    page = repo.query_factchecks(FactCheckQuery(limit=3, offset=0))
    assert [row.id for row in page.rows] == ["b", "a", "c"] and page.total == 4
    assert [row.id for row in repo.query_factchecks(FactCheckQuery(offset=3)).rows] == ["d"]


def test_text_and_publisher_filters_keep_only_what_they_name(repo: Repository) -> None:
    repo.add_factchecks(SOME)
    assert [r.id for r in repo.query_factchecks(FactCheckQuery(text="  STRASSE ")).rows] == ["d"]
    assert [r.id for r in repo.query_factchecks(FactCheckQuery(text="100%")).rows] == ["d"]
    assert [r.id for r in repo.query_factchecks(FactCheckQuery(text="0_5")).rows] == ["d"]
    assert repo.query_factchecks(FactCheckQuery(text="1_0")).total == 0  # _ is no wildcard
    assert [r.id for r in repo.query_factchecks(FactCheckQuery(publisher="AFP", text="false")).rows] == ["b"]


def test_an_import_that_fails_part_way_stores_nothing(repo: Repository) -> None:
    repo.add_factchecks(SOME[:1])
    revision = repo.factcheck_revision()

    def failing() -> Iterator[KnownFactCheck]:
        yield SOME[1]
        yield SOME[0].model_copy(update={"claim": "changed"})
        raise OSError("the file went away")

    with pytest.raises(OSError):
        repo.add_factchecks(failing())
    assert repo.list_factchecks() == SOME[:1]
    assert repo.factcheck_revision() == revision


def test_fact_checks_survive_reopening_the_store(repo: Repository) -> None:
    if isinstance(repo, MemoryRepository):
        pytest.skip("a memory store ends with its process")
    repo.add_factchecks(SOME)
    revision = repo.factcheck_revision()
    reopened = open_repository(repo.location)
    try:
        assert reopened.list_factchecks() == SOME
        assert reopened.factcheck_revision() == revision
        assert reopened.documents().factchecks == [each.model_dump(mode="json") for each in SOME]
    finally:
        getattr(reopened, "close", lambda: None)()


def test_another_process_import_shows_in_the_revision_and_the_listing(repo: Repository) -> None:
    if isinstance(repo, MemoryRepository):
        pytest.skip("a memory store is not shared between processes")
    repo.add_factchecks(SOME[:1])
    revision = repo.factcheck_revision()
    assert repo.list_factchecks() == SOME[:1]  # cached by this process
    other = multiprocessing.get_context("spawn").Process(target=_import_elsewhere, args=(repo.location,))
    other.start()
    other.join(60)
    assert other.exitcode == 0
    assert repo.factcheck_revision() != revision
    assert repo.list_factchecks() == SOME


def _import_elsewhere(location: str) -> None:
    store = open_repository(location)
    store.add_factchecks(SOME[1:])


# -- every backend answers as the reference does

TEXT = st.text(alphabet="aAbßSİı %_\\é", min_size=1, max_size=6)
FACTCHECKS = st.builds(
    KnownFactCheck,
    id=st.sampled_from(["a", "b", "c", "d", "e", "f", "B", "é"]),
    claim=TEXT,
    title=st.one_of(st.just(""), TEXT),
    rating=st.sampled_from(["", "False", "FALSE", "Mostly true"]),
    publisher=st.sampled_from(["", "AFP", "afp", "Full Fact"]),
    date=st.one_of(st.none(), st.dates(dt.date(2019, 1, 1), dt.date(2019, 1, 5))),
    source_file=st.sampled_from([None, "a.csv", "b.json"]),
)
QUERIES = st.builds(
    FactCheckQuery,
    text=st.one_of(st.just(""), st.just(" "), TEXT),
    publisher=st.sampled_from([None, "", "AFP", "afp"]),
    limit=st.integers(1, 5),
    offset=st.integers(0, 6),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(FACTCHECKS, max_size=8), query=QUERIES, group=st.sampled_from(list(FactCheckGroup)))
def test_every_backend_answers_fact_check_queries_as_the_reference_does(
    repo: Repository, batch: list[KnownFactCheck], query: FactCheckQuery, group: FactCheckGroup
) -> None:
    before = {each.id: each for each in repo.list_factchecks()}
    repo.add_factchecks(batch)
    expected = {**before, **{each.id: each for each in batch}}
    stored = repo.list_factchecks()
    assert stored == [expected[key] for key in sorted(expected)]
    assert repo.query_factchecks(query) == factcheck_page(stored, query)
    assert repo.count_factchecks_by(group) == count_factchecks(stored, group)


# -- TinyDB: one file, replaced atomically


def _tinydb(tmp_path: Path) -> Repository:
    return open_repository(str(tmp_path / "store" / "claims.json"))


def test_a_tinydb_import_whose_write_fails_leaves_the_fact_checks_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _tinydb(tmp_path)
    store.add_factchecks(SOME[:2])
    revision = store.factcheck_revision()

    def full_disk(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(os, "replace", full_disk)
        with pytest.raises(StoreError, match="No space left"):
            store.add_factchecks(SOME[2:])
    reopened = _tinydb(tmp_path)
    assert reopened.list_factchecks() == SOME[:2]
    assert reopened.factcheck_revision() == revision
    assert reopened.storage_problems() == []


def test_concurrent_tinydb_imports_by_several_processes_all_arrive(tmp_path: Path) -> None:
    store = _tinydb(tmp_path)
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_import_range, args=(store.location, start, start + 200))
        for start in (0, 200, 400)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    assert [each.id for each in store.list_factchecks()] == sorted(f"fc{number:04d}" for number in range(600))


def _import_range(location: str, start: int, end: int) -> None:
    store = open_repository(location)
    for first in range(start, end, 50):  # several imports each, interleaving with the others
        store.add_factchecks(
            check(f"fc{number:04d}", f"claim {number}") for number in range(first, first + 50)
        )


def test_a_damaged_tinydb_fact_check_file_is_reported_with_its_line(tmp_path: Path) -> None:
    store = _tinydb(tmp_path)
    store.add_factchecks(SOME)
    path = tmp_path / "store" / "claims.json.d" / ".factchecks.jsonl"
    lines = path.read_bytes().splitlines()
    lines[2] = b'{"id": "b"}'
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(StoreError, match=r"line 3 is not a known fact-check \(claim: Field required\)"):
        _tinydb(tmp_path).list_factchecks()


_IMPORT_FOREVER = """
import sys
from claims.models import KnownFactCheck
from claims.store import open_repository

store = open_repository(sys.argv[1])
round = 0
while True:
    round += 1
    store.add_factchecks(
        KnownFactCheck(id=f"fc{n:05d}", claim=f"claim {n} of round {round}") for n in range(20_000)
    )
    print(round, flush=True)
"""


def test_a_tinydb_import_killed_mid_write_leaves_one_whole_version_of_the_file(tmp_path: Path) -> None:
    location = str(tmp_path / "store" / "claims.json")
    _tinydb(tmp_path)
    for delay in (0.4, 0.9, 1.3):
        writer = subprocess.Popen(
            [sys.executable, "-c", _IMPORT_FOREVER, location], stdout=subprocess.PIPE, text=True
        )
        time.sleep(delay)
        writer.kill()
        writer.wait()
        checks = _tinydb(tmp_path).list_factchecks()  # opening removes what the killed writer left
        assert len(checks) in (0, 20_000)
        assert len({check.claim.rsplit(" ", 1)[1] for check in checks}) <= 1  # one round, never a mix
        assert _tinydb(tmp_path).storage_problems() == []
