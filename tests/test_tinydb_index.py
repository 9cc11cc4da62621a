"""The TinyDB store's in-process index of claims: every query sees every write, whoever made it (another
instance, another process, a writer killed half way), and a refresh reads only the folders that changed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from records_support import HARBOUR, build_article, build_claim

import claims.store.claim_index
import claims.store.journal
from claims.annotations import apply_changes
from claims.errors import StoreError
from claims.models import (
    ArticleQuery,
    ArticleSort,
    Claim,
    ClaimChanges,
    ClaimFilter,
    ClaimQuery,
    ClaimSort,
    ClaimStatus,
    Decision,
    SuggestionDecision,
)
from claims.store import TinyDBRepository, open_repository
from claims.store.article_files import claim_filename, folder_name
from claims.store.claim_index import is_racy
from claims.store.queries import article_page, article_rows, claim_page, count_by
from claims.workflow import next_statuses

# A status every new claim may take (a forward step), as the change other writers make.
TAKEN_UP = ClaimFilter(statuses={ClaimStatus.IN_PROGRESS})
QUOTES = ("4 million euros", "the new harbour wall", "Mayor Jan Peeters", "finished on time", "any tender")


class Crash(BaseException):
    """Stands for the process dying: nothing after it runs."""


def open_store(path: Path) -> TinyDBRepository:
    repo = open_repository(path)
    assert isinstance(repo, TinyDBRepository)
    return repo


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store" / "claims.json"


@pytest.fixture
def first(db: Path) -> TinyDBRepository:
    """A store of three articles with five claims each, its index built."""
    repo = open_store(db)
    articles = [build_article(f"a{n}", HARBOUR, title=f"Article {n}") for n in range(3)]
    repo.merge(articles, [build_claim(article, quote) for article in articles for quote in QUOTES])
    assert repo.query_claims(ClaimQuery()).total == 15
    return repo


def take_up(repo: TinyDBRepository, claim: Claim, by: str = "ben") -> Claim:
    change = apply_changes(ClaimChanges(status=ClaimStatus.IN_PROGRESS), claim.version, by)
    return repo.update_claim(claim.article_id, claim.id, change)


def taken_up(repo: TinyDBRepository) -> list[str]:
    return sorted(claim.id for claim in repo.query_claims(ClaimQuery(filter=TAKEN_UP)).claims)


def test_a_save_by_another_instance_is_seen_at_the_next_query(db: Path, first: TinyDBRepository) -> None:
    second = open_store(db)
    claim = second.list_claims("a1")[2]
    take_up(second, claim)
    assert taken_up(first) == [claim.id]
    assert first.count_claims_by("status", TAKEN_UP) == {"in_progress": 1}
    row = next(row for row in first.query_articles(ArticleQuery()).rows if row.article.id == "a1")
    assert row.by_status["in_progress"] == 1 and row.last_updated_by == "ben"


def test_a_save_by_another_process_is_seen_at_the_next_query(db: Path, first: TinyDBRepository) -> None:
    claim = first.list_claims("a0")[0]
    script = (
        "import sys\n"
        "from claims.annotations import apply_changes\n"
        "from claims.models import ClaimChanges, ClaimStatus\n"
        "from claims.store import open_repository\n"
        "repo = open_repository(sys.argv[1])\n"
        "claim = repo.get_claim(sys.argv[2], sys.argv[3])\n"
        "change = ClaimChanges(status=ClaimStatus.IN_PROGRESS, notes='from elsewhere')\n"
        "repo.update_claim(claim.article_id, claim.id, apply_changes(change, claim.version, 'dana'))\n"
    )
    subprocess.run([sys.executable, "-c", script, str(db), "a0", claim.id], check=True, timeout=60)
    page = first.query_claims(ClaimQuery(filter=ClaimFilter(text="FROM ELSEWHERE")))
    expected = [(claim.id, ClaimStatus.IN_PROGRESS, "dana")]
    assert [(c.id, c.status, c.updated_by) for c in page.claims] == expected


def test_a_folder_rewritten_within_the_same_mtime_tick_is_still_seen(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As on a file system whose clock has not ticked since the folder was written: its mtime is too close
    # to the moment the index read it to tell a later change apart.
    monkeypatch.setattr(claims.store.claim_index, "is_racy", lambda mtime_ns, started_ns: True)
    first = open_store(db)
    article = build_article("a0", HARBOUR)
    first.merge([article], [build_claim(article, quote) for quote in QUOTES])
    assert taken_up(first) == []
    folder = db.with_name(db.name + ".d") / folder_name("a0")
    before = folder.stat()
    claim = first.list_claims("a0")[1]
    take_up(open_store(db), claim)
    # The second write within the same tick: the folder's stamp is as it was.
    os.utime(folder, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = folder.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (
        before.st_ino,
        before.st_mtime_ns,
        before.st_size,
    )
    assert taken_up(first) == [claim.id]


def test_an_mtime_is_trusted_once_a_tick_of_its_file_system_has_passed() -> None:
    second = 1_000_000_000
    started = 1_700_000_000 * second
    fine = started - 5 * second // 100 + 123  # 50 ms before, nanosecond digits: ext4, tmpfs, APFS, ...
    assert is_racy(fine, started)
    assert not is_racy(fine - second // 5, started)
    coarse = started - second  # whole seconds: FAT, ext3, HFS+
    assert is_racy(coarse, started)
    assert not is_racy(coarse - 2 * second, started)
    assert is_racy(started + second, started)  # a clock ahead of this one


def test_a_refresh_reads_only_the_folders_that_changed(
    db: Path, first: TinyDBRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As if every folder's mtime were trustworthy at once (no racy window): only a moved stamp counts.
    monkeypatch.setattr(claims.store.claim_index, "is_racy", lambda mtime_ns, started_ns: False)
    second = open_store(db)
    take_up(second, second.list_claims("a2")[0])
    first.query_claims(ClaimQuery())  # reads every folder once more: all were racy when last read
    read = first._index.folders_read
    take_up(second, second.list_claims("a1")[0])
    assert len(taken_up(first)) == 2
    assert first._index.folders_read == read + 1
    first.query_claims(ClaimQuery())
    first.count_claims_by("status")
    assert first._index.folders_read == read + 1  # no write since: nothing read


def test_an_instances_own_writes_update_its_index_without_reading_folders(
    first: TinyDBRepository,
) -> None:
    read = first._index.folders_read
    claims = first.list_claims("a0")
    take_up(first, claims[0])
    first.delete_claim("a0", claims[1].id, by="ben")
    first.add_claim(build_claim(build_article("a2", HARBOUR), "Mayor Jan Peeters", by="chloé"))
    first.update_claims(
        ClaimFilter(article_ids={"a1"}),
        apply_changes(ClaimChanges(status=ClaimStatus.IN_PROGRESS), None, "ben"),
    )
    assert first.count_claims_by("article_id") == {"a0": 4, "a1": 5, "a2": 6}
    assert first.count_claims_by("status") == {"in_progress": 6, "new": 9}
    assert first.query_claims(ClaimQuery(filter=ClaimFilter(editors={"chloé"}))).total == 1
    assert first._index.folders_read == read
    assert first.query_claims(ClaimQuery(limit=1000)) == claim_page(
        first.list_claims(), first.list_articles(), ClaimQuery(limit=1000)
    )


def test_a_killed_writers_change_is_finished_and_seen(
    db: Path, first: TinyDBRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = open_store(db)
    journal = db.with_name(db.name + ".d") / ".journal.json"
    real = os.replace
    moved: list[object] = []

    def die_after_two_renames(source: object, target: object) -> None:
        if journal.exists():  # the change is decided: these are its renames
            moved.append(source)
            if len(moved) == 3:
                raise Crash
        real(source, target)  # type: ignore[arg-type]

    edit = apply_changes(ClaimChanges(status=ClaimStatus.IN_PROGRESS), 1, "ben")
    monkeypatch.setattr(claims.store.journal.os, "replace", die_after_two_renames)
    with pytest.raises(Crash):
        second.update_claims(ClaimFilter(article_ids={"a0", "a2"}), edit)
    monkeypatch.undo()
    assert journal.exists()
    assert first.count_claims_by("status") == {"in_progress": 10, "new": 5}
    assert first.count_claims_by("article_id", TAKEN_UP) == {"a0": 5, "a2": 5}


def test_articles_added_and_deleted_elsewhere_are_seen(db: Path, first: TinyDBRepository) -> None:
    second = open_store(db)
    second.delete_article("a1", by="ben")
    added = build_article("late", HARBOUR[:2], title="Late news")
    second.add_article(added)
    second.add_claim(build_claim(added, "Mayor Jan Peeters"))
    assert first.count_claims_by("article_id") == {"a0": 5, "a2": 5, "late": 1}
    rows = first.query_articles(ArticleQuery()).rows
    assert sorted(row.article.id for row in rows) == ["a0", "a2", "late"]
    page = first.query_claims(ClaimQuery(sort=ClaimSort.ARTICLE, limit=1000))
    assert [c.article_id for c in page.claims] == ["a0"] * 5 + ["a2"] * 5 + ["late"]
    # Deleted and added again with another title: the same folder name, a new listing entry.
    second.delete_article("late", by="ben")
    second.add_article(added.model_copy(update={"title": "Later news"}))
    assert first.query_claims(ClaimQuery(filter=ClaimFilter(title="later"))).total == 0
    assert [row.article.title for row in first.query_articles(ArticleQuery(text="late")).rows] == [
        "Later news"
    ]


def test_decisions_recorded_elsewhere_are_counted(db: Path, first: TinyDBRepository) -> None:
    assert first.count_decisions() == {}
    article = build_article("a0", HARBOUR, title="Article 0")
    decision = SuggestionDecision(
        article_id="a0", start=0, end=3, claim_type="statistic", quote=article.text[:3],
        decision=Decision.REJECTED, by="ben", at=article.imported_at,
    )  # fmt: skip
    open_store(db).record_decisions("a0", [decision])
    assert first.count_decisions() == {"statistic": {"accepted": 0, "rejected": 1}}


def test_a_damaged_claim_file_fails_queries_as_it_fails_listing(db: Path, first: TinyDBRepository) -> None:
    claim = first.list_claims("a2")[3]
    path = db.with_name(db.name + ".d") / folder_name("a2") / claim_filename(claim.id)
    good = path.read_bytes()
    open_store(db).add_claim(build_claim(build_article("a2", HARBOUR), "harbour wall"))  # a new revision
    path.write_bytes(b'{"order": 1, "claim": {"id": ')
    with pytest.raises(StoreError) as listing:
        first.list_claims()
    with pytest.raises(StoreError) as query:
        first.query_claims(ClaimQuery())
    assert str(query.value) == str(listing.value) and path.name in str(query.value)
    path.write_bytes(good)
    open_store(db).update_claim("a2", claim.id, lambda current: current)  # a new revision
    assert first.query_claims(ClaimQuery()).total == 16


def test_a_claim_file_removed_behind_the_stores_back_is_not_served(db: Path, first: TinyDBRepository) -> None:
    claim = first.query_claims(ClaimQuery(limit=1)).claims[0]
    (db.with_name(db.name + ".d") / folder_name(claim.article_id) / claim_filename(claim.id)).unlink()
    page = first.query_claims(ClaimQuery(limit=1000))
    assert claim.id not in {c.id for c in page.claims} and page.total == 14


# -- two instances writing at random, every query answered as the reference answers it


# What lets every step of the workflow through: a reason for steps back, thin evidence confirmed.
WHY: dict[str, Any] = {"comment": "as the test walks it", "evidence_confirmed": True}


class TwoInstances(RuleBasedStateMachine):
    """Random writes through two instances of one store; both always answer as the reference does over
    what list_claims() reads from the files."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="two_instances_"))
        self.db = self.folder / "store" / "claims.json"

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    @initialize()
    def open_two(self) -> None:
        self.repos = [open_store(self.db), open_store(self.db)]
        self.articles = [build_article(f"a{n}", HARBOUR, title=f"Article {n}") for n in range(3)]
        self.repos[0].merge(self.articles[:2], [])
        self.next_claim = 0

    @rule(who=st.integers(0, 1), article=st.integers(0, 2), quote=st.sampled_from(QUOTES))
    def add(self, who: int, article: int, quote: str) -> None:
        target = self.articles[article]
        if target.id not in {summary.id for summary in self.repos[who].list_articles()}:
            self.repos[who].add_article(target)
        claim = build_claim(target, quote, by=f"editor{who}", verdict="false")
        self.repos[who].add_claim(claim.model_copy(update={"id": f"c{self.next_claim:03d}"}))
        self.next_claim += 1

    @rule(who=st.integers(0, 1), pick=st.integers(0, 50), step=st.integers(0, 5))
    def edit(self, who: int, pick: int, step: int) -> None:
        claims = self.repos[who].list_claims()
        if claims:
            claim = claims[pick % len(claims)]
            allowed = next_statuses(claim.status)
            status = allowed[step % len(allowed)]
            change = apply_changes(
                ClaimChanges(status=status, notes=f"set {status}"), claim.version, "x", **WHY
            )
            self.repos[who].update_claim(claim.article_id, claim.id, change)

    @rule(who=st.integers(0, 1), status=st.sampled_from(ClaimStatus), article=st.sampled_from(["a0", "a1"]))
    def bulk(self, who: int, status: ClaimStatus, article: str) -> None:
        # Claims the workflow does not let go to `status` are refused (and left as they are).
        self.repos[who].update_claims(
            ClaimFilter(article_ids={article}),
            apply_changes(ClaimChanges(status=status), None, "bulk", **WHY),
        )

    @rule(who=st.integers(0, 1), pick=st.integers(0, 50))
    def delete_claim(self, who: int, pick: int) -> None:
        claims = self.repos[who].list_claims()
        if claims:
            claim = claims[pick % len(claims)]
            self.repos[who].delete_claim(claim.article_id, claim.id, by="x")

    @rule(who=st.integers(0, 1), article=st.sampled_from(["a0", "a2"]))
    def delete_article(self, who: int, article: str) -> None:
        if article in {summary.id for summary in self.repos[who].list_articles()}:
            self.repos[who].delete_article(article, by="x")

    @rule(
        who=st.integers(0, 1),
        sort=st.sampled_from(ClaimSort),
        status=st.sets(st.sampled_from(ClaimStatus), max_size=2),
        text=st.sampled_from(["", "harbour", "SET"]),
        mine=st.sampled_from(["", "x", "editor0"]),
        offset=st.integers(0, 6),
    )
    def query(
        self, who: int, sort: ClaimSort, status: set[ClaimStatus], text: str, mine: str, offset: int
    ) -> None:
        repo = self.repos[who]
        chosen = ClaimFilter(statuses=status, text=text, mine=mine)
        query = ClaimQuery(filter=chosen, sort=sort, offset=offset, limit=5)
        claims, articles = repo.list_claims(), repo.list_articles()
        assert repo.query_claims(query) == claim_page(claims, articles, query)

    @invariant()
    def both_answer_as_the_reference(self) -> None:
        if not hasattr(self, "repos"):
            return
        for repo in self.repos:
            claims, articles = repo.list_claims(), repo.list_articles()
            every = ClaimQuery(sort=ClaimSort.ARTICLE, limit=1000)
            assert repo.query_claims(every) == claim_page(claims, articles, every)
            assert repo.count_claims_by("status") == count_by(claims, "status")
            rows = article_rows(articles, claims).values()
            for sort, which in zip(ArticleSort, ["any", "some", "none", "any"], strict=True):
                query = ArticleQuery(sort=sort, claims=which)  # type: ignore[arg-type]
                assert repo.query_articles(query) == article_page(rows, query)


def test_two_instances_writing_at_random_always_answer_as_the_reference() -> None:
    runner = TwoInstances.TestCase
    runner.settings = settings(
        max_examples=15,
        stateful_step_count=12,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    runner().runTest()
