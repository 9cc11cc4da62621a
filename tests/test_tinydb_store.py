"""What only the file backend promises: durability, crash safety, concurrency, clear errors on bad files."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import claims.store.atomic_files
import claims.store.journal
import claims.store.migration
import claims.store.tinydb_store
from claims.annotations import apply_changes
from claims.errors import ClaimsError, NotFound, StoreError, VersionConflict
from claims.models import Article, Claim, ClaimChanges, ClaimStatus, Decision, SuggestionDecision, Verdict
from claims.store import TinyDBRepository, default_store_location, open_repository
from claims.store.contract import Repository
from claims.store.memory import MemoryRepository
from claims.store.names import safe_name

ArticleMaker = Callable[..., Article]
ClaimMaker = Callable[..., Claim]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store" / "claims.json"


@pytest.fixture
def store(db: Path) -> TinyDBRepository:
    repo = open_repository(db)
    assert isinstance(repo, TinyDBRepository)
    return repo


def snapshot(repo: Repository) -> tuple[list[object], list[object]]:
    return repo.list_articles(), repo.list_claims()


def leftovers(db: Path) -> list[Path]:
    """Files a killed writer left that the store should have cleaned up when it was opened again."""
    root = db.parent / "claims.json.d"
    return [
        *(path for path in db.parent.rglob("*.tmp") if path.is_file()),
        *(path for path in (root / ".work").rglob("*") if path.is_file()),
        *(path for path in (root / ".staging").rglob("*") if path.is_file()),
        *(path for path in (root / ".trash").rglob("*") if path.is_file()),
        *([root / ".journal.json"] if (root / ".journal.json").exists() else []),
    ]


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# -- layout and durability


def test_data_survives_reopening(
    db: Path, store: TinyDBRepository, make_article: ArticleMaker, make_claim: ClaimMaker
) -> None:
    first, second = make_article("first"), make_article("second")
    store.add_article(first)
    store.add_article(second)
    claim = make_claim(first, "4 million euros")
    store.add_claim(claim)
    store.add_claim(make_claim(second, "harbour wall"))
    store.update_claim(first.id, claim.id, apply_changes(ClaimChanges(verdict=Verdict.TRUE), 1, by="bo"))
    store.delete_article(second.id, by="bo")

    reopened = open_repository(db)

    assert snapshot(reopened) == snapshot(store)
    assert reopened.get_article(first.id) == first
    assert reopened.get_claim(first.id, claim.id).version == 2


def test_the_store_is_an_index_of_summaries_a_folder_per_article_and_a_file_per_claim(
    db: Path, store: TinyDBRepository, article: Article, make_claim: ClaimMaker
) -> None:
    store.add_article(article)
    claim = make_claim(article, "4 million euros")
    store.add_claim(claim)

    index = json.loads(db.read_text())
    folder = db.parent / "claims.json.d" / "harbour.article"
    stored_claim = json.loads((folder / f"{claim.id}.claim.json").read_text())

    assert store.location == str(db)
    assert index["meta"]["1"]["version"] == 2
    assert list(index["articles"].values()) == [article.summary().model_dump(mode="json")]
    assert json.loads((folder / "article.json").read_text()) == article.model_dump(mode="json")
    assert stored_claim["claim"] == claim.model_dump(mode="json")


def test_saving_a_claim_writes_only_its_own_file(
    db: Path, store: TinyDBRepository, make_article: ArticleMaker, make_claim: ClaimMaker
) -> None:
    articles = [make_article(f"a{i}") for i in range(5)]
    store.merge(articles, [make_claim(articles[2], "harbour wall")])
    before = files_under(db.parent)

    claim = make_claim(articles[2], "Mayor Jan Peeters")
    store.add_claim(claim)
    store.update_claim(claim.article_id, claim.id, apply_changes(ClaimChanges(notes="x"), 1, by="bo"))

    after = files_under(db.parent)
    changed = sorted(name for name in after if after[name] != before.get(name))
    # The claim's own file, and the revision token that tells caches the store changed.
    assert changed == [f"claims.json.d/a2.article/{claim.id}.claim.json", "claims.json.rev"]


def test_ids_map_to_file_names_one_to_one_that_no_file_system_refuses() -> None:
    ids = ["abc", "a/b", "a%2Fb", ".", "..", ".x", "%2Ex", "", "#", "x" * 300, "y" * 300, "ü", "a\\b"]
    reserved = ["CON", "con", "NUL", "nul.txt", "aux.txt", "COM1", "com9.json", "LPT1", "PRN.x", "COM¹"]
    names = [safe_name(identifier) for identifier in ids + reserved]
    assert len(set(names)) == len(names)
    assert all(
        "/" not in name and "\\" not in name and not name.startswith(".") and 0 < len(name) <= 200
        for name in names
    )
    windows_devices = re.compile(r"(?i)(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\.|$)")
    assert not any(windows_devices.match(name) for name in names)
    assert safe_name("CONTRACT") == "CONTRACT"  # only whole device names are escaped


def test_an_article_with_a_windows_device_name_as_its_id_is_stored_under_another_name(
    db: Path, store: TinyDBRepository, make_article: ArticleMaker, make_claim: ClaimMaker
) -> None:
    article = make_article("NUL")
    store.add_article(article)
    claim = make_claim(article, "harbour wall").model_copy(update={"id": "con.txt"})
    store.add_claim(claim)
    names = {path.name for path in (db.parent / "claims.json.d").rglob("*")}
    assert "%4EUL.article" in names and "%63on.txt.claim.json" in names
    assert store.get_claim("NUL", "con.txt") == claim


# -- crashes and failures part-way


class Crash(BaseException):
    """Stands for the process dying: nothing after it runs."""


def crash_when_writing(monkeypatch: pytest.MonkeyPatch, target: Path, error: BaseException) -> None:
    real = claims.store.atomic_files.write_atomically

    def write(path: Path, payload: bytes, temp_folder: Path | None = None) -> None:
        if path == target:
            raise error
        real(path, payload, temp_folder)

    for module in (claims.store.atomic_files, claims.store.journal, claims.store.tinydb_store):
        monkeypatch.setattr(module, "write_atomically", write)


@pytest.mark.parametrize("failure", [Crash(), StoreError("No space left")], ids=["killed", "disk full"])
def test_an_article_add_that_fails_writing_the_index_stores_nothing(
    db: Path,
    store: TinyDBRepository,
    article: Article,
    monkeypatch: pytest.MonkeyPatch,
    failure: BaseException,
) -> None:
    crash_when_writing(monkeypatch, db, failure)
    with pytest.raises(type(failure)):
        store.add_article(article)
    monkeypatch.undo()

    assert store.list_articles() == []
    reopened = open_repository(db)
    assert reopened.list_articles() == []
    with pytest.raises(NotFound):
        reopened.get_article(article.id)
    assert reopened.add_article(article) is True


def test_an_article_add_whose_revision_cannot_be_written_stores_nothing(
    db: Path, store: TinyDBRepository, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(self: Path, *args: object, **kwargs: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_text", full_disk)
    with pytest.raises(StoreError, match="No space left"):
        store.add_article(article)
    monkeypatch.undo()
    assert open_repository(db).list_articles() == []


def test_an_article_deleted_before_a_crash_in_the_index_write_stays_deleted(
    db: Path,
    store: TinyDBRepository,
    article: Article,
    make_claim: ClaimMaker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store.add_article(article)
    store.add_claim(make_claim(article, "harbour wall"))
    crash_when_writing(monkeypatch, db, Crash())
    with pytest.raises(Crash):
        store.delete_article(article.id, by="bo")
    monkeypatch.undo()

    reopened = open_repository(db)

    assert reopened.list_articles() == []
    assert reopened.list_claims() == []
    with pytest.raises(NotFound):
        reopened.get_article(article.id)
    assert article.id not in db.read_text()
    assert [deletion.id for deletion in reopened.list_deletions()] == [article.id]


def test_a_failed_write_keeps_the_previous_version_and_leaves_no_temporary_file(
    db: Path,
    store: TinyDBRepository,
    article: Article,
    make_claim: ClaimMaker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store.add_article(article)
    before = files_under(db.parent)

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    claim = make_claim(article, "harbour wall")
    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(
        StoreError, match=f"{claim.id}.claim.json: cannot be written .No space left on device"
    ):
        store.add_claim(claim)
    monkeypatch.undo()

    after = files_under(db.parent)
    # Only the revision may differ: it is renewed before a write's commit point, so that no change is
    # ever stored without a new revision; a failed write costs caches one extra read.
    assert {k: v for k, v in after.items() if k != "claims.json.rev"} == {
        k: v for k, v in before.items() if k != "claims.json.rev"
    }
    assert store.list_claims(article.id) == []


def test_text_without_a_utf8_form_is_refused_and_nothing_is_written(
    db: Path, store: TinyDBRepository, article: Article
) -> None:
    before = files_under(db.parent)
    with pytest.raises(StoreError, match="not a character"):
        store.add_article(article.model_copy(update={"title": "lone \ud800 surrogate"}))
    assert files_under(db.parent) == before


def test_leftover_temporary_files_are_removed_at_open(
    db: Path, store: TinyDBRepository, article: Article
) -> None:
    store.add_article(article)
    root = db.parent / "claims.json.d"
    ours = [
        db.parent / ".claims.json.1a2b.tmp",
        root / ".harbour.json.3c4d.tmp",
        root / ".work" / "5e6f.tmp",
        root / ".staging" / "7a8b" / "x.article" / "article.json",
        root / ".trash" / "9c0d" / "c.claim.json",
    ]
    someone_elses = db.parent / ".other.json.5e6f.tmp"
    for path in [*ours, someone_elses]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('{"half": ')

    reopened = open_repository(db)

    assert not any(path.exists() for path in ours)
    assert someone_elses.exists()
    assert reopened.get_article(article.id) == article


# -- bad files


CORRUPT_INDEXES = {
    "truncated": (
        b'{"meta":{"1":{"format":"claim-annotator/tinydb","version":2}},"articles":{"1":{"id',
        "not valid JSON",
    ),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00", "not UTF-8 text"),
    "a list": (b"[1, 2, 3]", "not a TinyDB file"),
    "another database": (b'{"_default": {"1": {"name": "x"}}}', "not a claims store"),
    "a bad entry": (
        b'{"meta":{"1":{"format":"claim-annotator/tinydb","version":2}},"articles":{"1":{"id":"x"}}}',
        "an article entry is invalid",
    ),
    "a bad entry in version 1": (
        b'{"meta":{"1":{"format":"claim-annotator/tinydb","version":1}},"articles":{"1":{"id":"x"}}}',
        "an article entry is invalid",
    ),
}


@pytest.mark.parametrize("content, problem", CORRUPT_INDEXES.values(), ids=list(CORRUPT_INDEXES))
def test_a_corrupt_index_is_a_store_error_naming_the_file_and_is_left_untouched(
    db: Path, content: bytes, problem: str
) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(content)

    with pytest.raises(StoreError) as raised:
        open_repository(db)

    assert str(db) in str(raised.value) and problem in str(raised.value)
    assert db.read_bytes() == content


def test_a_store_written_by_a_newer_version_is_refused(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_text('{"meta":{"1":{"format":"claim-annotator/tinydb","version":99}}}')
    with pytest.raises(StoreError, match="newer version"):
        open_repository(db)


def test_a_corrupt_article_file_is_a_store_error_naming_it_and_is_left_untouched(
    db: Path, store: TinyDBRepository, article: Article, make_claim: ClaimMaker
) -> None:
    store.add_article(article)
    claim = make_claim(article, "harbour wall")
    store.add_claim(claim)
    path = db.parent / "claims.json.d" / "harbour.article" / "article.json"
    for corrupt, problem in [
        (lambda text: text[: len(text) // 2], "not valid JSON"),
        (lambda text: text.replace('"id":"harbour"', '"id":"elsewhere"'), "belongs in another folder"),
    ]:
        original = path.read_text()
        path.write_text(corrupt(original))
        content = path.read_bytes()
        calls: list[Callable[[], object]] = [
            lambda: store.get_article(article.id),
            lambda: store.delete_article(article.id, by="bo"),
            lambda: store.merge([], [claim.model_copy(update={"version": 5})]),
            store.documents,
        ]
        for call in calls:
            with pytest.raises(StoreError) as raised:
                call()
            assert str(path) in str(raised.value) and problem in str(raised.value)
            assert path.read_bytes() == content
        path.write_text(original)


@pytest.mark.parametrize(
    "corrupt, problem",
    [
        (lambda text: text[: len(text) // 2], "not valid JSON"),
        (lambda text: text.replace('"quote":"harbour wall"', '"quote":"harbour"'), "is invalid"),
        (lambda text: text.replace('"article_id":"harbour"', '"article_id":"x"'), "belongs to article"),
    ],
    ids=["truncated", "bad claim", "wrong article"],
)
def test_a_corrupt_claim_file_is_a_store_error_naming_it_and_is_left_untouched(
    db: Path,
    store: TinyDBRepository,
    article: Article,
    make_claim: ClaimMaker,
    corrupt: Callable[[str], str],
    problem: str,
) -> None:
    store.add_article(article)
    claim = make_claim(article, "harbour wall")
    store.add_claim(claim)
    path = db.parent / "claims.json.d" / "harbour.article" / f"{claim.id}.claim.json"
    path.write_text(corrupt(path.read_text()))
    content = path.read_bytes()
    edit = apply_changes(ClaimChanges(notes="x"), 1, by="bo")
    calls: list[Callable[[], object]] = [
        lambda: store.get_claim(article.id, claim.id),
        lambda: store.list_claims(article.id),
        lambda: store.list_claims(),
        lambda: store.update_claim(article.id, claim.id, edit),
        lambda: store.delete_claim(article.id, claim.id, by="bo"),
        lambda: store.merge([], [claim.model_copy(update={"version": 5})]),
    ]
    if "quote" not in problem and problem != "is invalid":
        # Whole-store exports check only the shape of the stored documents (see article_files.py).
        calls.append(store.documents)
    for call in calls:
        with pytest.raises(StoreError) as raised:
            call()
        assert str(path) in str(raised.value) and problem in str(raised.value)
        assert path.read_bytes() == content


def test_an_export_read_refuses_a_claim_document_missing_fields(
    db: Path, store: TinyDBRepository, article: Article, make_claim: ClaimMaker
) -> None:
    store.add_article(article)
    claim = make_claim(article, "harbour wall")
    store.add_claim(claim)
    path = db.parent / "claims.json.d" / "harbour.article" / f"{claim.id}.claim.json"
    path.write_text(path.read_text().replace('"quote":"harbour wall",', ""))
    with pytest.raises(StoreError, match="lacks fields every claim has"):
        store.documents()


def test_a_folder_given_as_the_store_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        open_repository(tmp_path)


# -- where the store lives


def test_the_default_store_is_data_claims_json_under_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLAIMS_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert default_store_location() == str(tmp_path / "data" / "claims.json")
    repo = open_repository()
    assert repo.location == str(tmp_path / "data" / "claims.json")
    assert (tmp_path / "data" / "claims.json").is_file()


def test_claims_db_names_the_default_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMS_DB", str(tmp_path / "deep" / "er" / "mine.json"))
    assert open_repository().location == str(tmp_path / "deep" / "er" / "mine.json")
    assert (tmp_path / "deep" / "er" / "mine.json.d").is_dir()


def test_memory_as_location_gives_a_throw_away_store() -> None:
    assert isinstance(open_repository(":memory:"), MemoryRepository)


# -- behaves like the memory backend


def outcome(call: Callable[[], object]) -> object:
    """What a call returned, or which ClaimsError it raised with what message."""
    try:
        return call()
    except ClaimsError as error:
        return (type(error).__name__, str(error))


class SameAsMemory(RuleBasedStateMachine):
    """Random sequences of operations give the same results and errors on both backends."""

    make_article: ArticleMaker
    make_claim: ClaimMaker
    folder: Path

    def __init__(self) -> None:
        super().__init__()
        self.memory = MemoryRepository()
        # A new folder per example: hypothesis re-seeds `random`, so random names would repeat.
        self.tinydb = TinyDBRepository(Path(tempfile.mkdtemp(dir=self.folder)) / "claims.json")
        self.claims: list[Claim] = []

    def both(self, call: Callable[[Repository], object]) -> object:
        expected = outcome(lambda: call(self.memory))
        assert outcome(lambda: call(self.tinydb)) == expected
        return expected

    @rule(article_id=st.sampled_from(["a", "b", "c"]))
    def add_article(self, article_id: str) -> None:
        article = self.make_article(article_id)
        self.both(lambda repo: repo.add_article(article))

    @rule(article_id=st.sampled_from(["a", "b", "c", "unknown"]))
    def delete_article(self, article_id: str) -> None:
        self.both(lambda repo: repo.delete_article(article_id, by="bo"))

    @rule(
        article_id=st.sampled_from(["a", "b", "c"]),
        quote=st.sampled_from(["harbour wall", "Mayor", "denied"]),
    )
    def add_claim(self, article_id: str, quote: str) -> None:
        claim = self.make_claim(self.make_article(article_id), quote)
        if self.both(lambda repo: repo.add_claim(claim)) is None:
            self.claims.append(claim)

    @precondition(lambda self: self.claims)
    @rule(data=st.data())
    def add_a_claim_again(self, data: st.DataObject) -> None:
        claim = data.draw(st.sampled_from(self.claims))
        self.both(lambda repo: repo.add_claim(claim))

    @precondition(lambda self: self.claims)
    @rule(data=st.data(), stale=st.booleans(), status=st.sampled_from(list(ClaimStatus)))
    def update_claim(self, data: st.DataObject, stale: bool, status: ClaimStatus) -> None:
        claim = data.draw(st.sampled_from(self.claims))
        current = outcome(lambda: self.memory.get_claim(claim.article_id, claim.id))
        version = current.version - stale if isinstance(current, Claim) else 1
        edit = apply_changes(ClaimChanges(status=status), version, by="bo", opened=claim)
        self.both(lambda repo: repo.update_claim(claim.article_id, claim.id, edit))

    @precondition(lambda self: self.claims)
    @rule(data=st.data())
    def delete_claim(self, data: st.DataObject) -> None:
        claim = data.draw(st.sampled_from(self.claims))
        self.both(lambda repo: repo.delete_claim(claim.article_id, claim.id, by="bo"))

    @rule(
        data=st.data(),
        article_ids=st.lists(st.sampled_from(["a", "b", "d"]), max_size=3),
        bumps=st.lists(st.integers(-1, 1), max_size=4),
    )
    def merge(self, data: st.DataObject, article_ids: list[str], bumps: list[int]) -> None:
        articles = [self.make_article(article_id) for article_id in article_ids]
        # Claims of deleted articles may be drawn too: both backends must refuse such a merge whole.
        picked = [data.draw(st.sampled_from(self.claims)) for _ in bumps] if self.claims else []
        incoming = [
            claim.model_copy(update={"version": claim.version + bump + 1, "notes": "merged"})
            for claim, bump in zip(picked, bumps, strict=False)
        ]
        self.both(lambda repo: repo.merge(articles, incoming))

    @invariant()
    def same_contents(self) -> None:
        assert self.tinydb.list_articles() == self.memory.list_articles()
        assert self.tinydb.list_claims() == self.memory.list_claims()
        for summary in self.memory.list_articles():
            assert self.tinydb.list_claims(summary.id) == self.memory.list_claims(summary.id)


def test_the_tinydb_backend_behaves_like_the_memory_backend(
    tmp_path: Path, make_article: ArticleMaker, make_claim: ClaimMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One clock for both backends, so that edits made by apply_changes compare equal.
    monkeypatch.setattr("claims.annotations.utc_now", lambda: make_article().imported_at)
    SameAsMemory.make_article = staticmethod(make_article)  # type: ignore[assignment]
    SameAsMemory.make_claim = staticmethod(make_claim)  # type: ignore[assignment]
    SameAsMemory.folder = tmp_path
    SameAsMemory.TestCase.settings = settings(
        max_examples=50, stateful_step_count=15, deadline=None, suppress_health_check=list(HealthCheck)
    )
    SameAsMemory.TestCase().runTest()


# -- concurrent writers


def add_claims(repo: Repository, name: str, count: int) -> dict[str, object]:
    """Race for one new article id, then add `count` claims to the shared article."""
    from claims.annotations import new_claim
    from claims.models import ClaimDraft

    article = repo.get_article("shared")
    won = repo.add_article(article.model_copy(update={"id": "contested"}))
    ids = []
    for i in range(count):
        sentence = article.sentences[i % len(article.sentences)]
        draft = ClaimDraft(article_id=article.id, start=sentence.start, end=sentence.end, notes=f"{name} {i}")
        claim = new_claim(article, draft, by=name)
        repo.add_claim(claim)
        ids.append(claim.id)
    return {"won": won, "ids": ids}


def edit_one_claim(repo: Repository, name: str, attempts: int, claim_id: str) -> dict[str, object]:
    """Open the claim, pause as an editor would, save; count what was saved and what conflicted."""
    versions = []
    conflicts = 0
    for i in range(attempts):
        opened = repo.get_claim("shared", claim_id)
        time.sleep(0.001)
        edit = apply_changes(ClaimChanges(notes=f"{name} {i}"), opened.version, by=name, opened=opened)
        try:
            versions.append(repo.update_claim("shared", claim_id, edit).version)
        except VersionConflict:
            conflicts += 1
    return {"versions": versions, "conflicts": conflicts}


def run_concurrently(db: Path, task: str, *args: str) -> list[dict[str, object]]:
    """Run `task` in two processes and four threads (three sharing one repository) at the same time."""
    processes = [
        subprocess.Popen(
            [sys.executable, __file__, task, str(db), f"process{i}", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]
    for process in processes:
        assert process.stdout is not None and process.stdout.readline() == "ready\n", process.communicate()[1]
    shared = open_repository(db)
    repos = [shared, shared, shared, open_repository(db)]
    results: list[dict[str, object]] = []
    failures: list[BaseException] = []

    def work(repo: Repository, name: str) -> None:
        try:
            results.append(TASKS[task](repo, name, *args))
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=work, args=(repo, f"thread{i}")) for i, repo in enumerate(repos)]
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for process in processes:
        output, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors
        results.append(json.loads(output))
    assert not failures, failures
    return results


TASKS: dict[str, Callable[..., dict[str, object]]] = {
    "add": lambda repo, name, count: add_claims(repo, name, int(count)),
    "edit": lambda repo, name, attempts, claim_id: edit_one_claim(repo, name, int(attempts), claim_id),
}


@pytest.mark.slow
def test_concurrent_writers_lose_no_claim_and_duplicate_no_id(
    db: Path, store: TinyDBRepository, make_article: ArticleMaker
) -> None:
    store.add_article(make_article("shared"))

    results = run_concurrently(db, "add", "40")

    acknowledged = [claim_id for result in results for claim_id in result["ids"]]  # type: ignore[attr-defined]
    stored = [claim.id for claim in store.list_claims("shared")]
    assert len(acknowledged) == 6 * 40
    assert sorted(stored) == sorted(acknowledged)
    assert len(set(stored)) == len(stored)
    assert [result["won"] for result in results].count(True) == 1
    assert [summary.id for summary in store.list_articles()] == ["shared", "contested"]


@pytest.mark.slow
def test_concurrent_edits_of_one_claim_succeed_exactly_when_they_do_not_conflict(
    db: Path, store: TinyDBRepository, make_article: ArticleMaker, make_claim: ClaimMaker
) -> None:
    article = make_article("shared")
    store.add_article(article)
    claim = make_claim(article, "harbour wall")
    store.add_claim(claim)

    results = run_concurrently(db, "edit", "15", claim.id)

    saved = sorted(version for result in results for version in result["versions"])  # type: ignore[attr-defined]
    conflicts = sum(result["conflicts"] for result in results)  # type: ignore[misc]
    assert len(saved) + conflicts == 6 * 15
    assert saved == list(range(2, 2 + len(saved)))
    final = store.get_claim("shared", claim.id)
    assert final.version == 1 + len(saved)


def main(argv: list[str]) -> None:
    """A concurrent worker process: open the store, say ready, wait for go, run the task, print JSON."""
    task, db, name, *args = argv
    repo = open_repository(db)
    print("ready", flush=True)
    sys.stdin.readline()
    print(json.dumps(TASKS[task](repo, name, *args)))


if __name__ == "__main__":
    main(sys.argv[1:])


def test_a_write_by_another_instance_changes_the_revision_this_one_reads(
    db: Path, store: TinyDBRepository, article: Article
) -> None:
    before = store.revision()
    open_repository(db).add_article(article)
    assert store.revision() != before


# -- version 1 stores move to the current layout on open


def write_version_1_store(
    db: Path, articles: list[Article], claims: list[Claim], decisions: list[object]
) -> None:
    """A store as version 1 of this program wrote it: an index, and one TinyDB file per article."""
    folder = db.parent / "claims.json.d"
    folder.mkdir(parents=True)
    summaries = {str(n): a.summary().model_dump(mode="json") for n, a in enumerate(articles, start=1)}
    db.write_text(
        json.dumps({"meta": {"1": {"format": "claim-annotator/tinydb", "version": 1}}, "articles": summaries})
    )
    for article in articles:
        own = [claim.model_dump(mode="json") for claim in claims if claim.article_id == article.id]
        mine = [d.model_dump(mode="json") for d in decisions if d.article_id == article.id]  # type: ignore[attr-defined]
        tables = {
            "article": {"1": article.model_dump(mode="json")},
            "claims": {str(n): claim for n, claim in enumerate(own, start=1)},
            "decisions": {str(n): decision for n, decision in enumerate(mine, start=1)},
        }
        (folder / f"{quote(article.id, safe='')}.json").write_text(json.dumps(tables))


def version_1_contents(
    make_article: ArticleMaker, make_claim: ClaimMaker
) -> tuple[list[Article], list[Claim], list[SuggestionDecision]]:
    articles = [make_article("zeta"), make_article("a/b"), make_article("mid")]
    claims = [make_claim(articles[0], quote) for quote in ("harbour wall", "Mayor", "4 million euros")]
    claims.append(make_claim(articles[1], "denied"))
    start = articles[2].text.index("tender")
    decision = SuggestionDecision(
        article_id="mid", start=start, end=start + 6, claim_type="statistic", quote="tender",
        decision=Decision.REJECTED, by="ana", at=articles[2].imported_at,
    )  # fmt: skip
    return articles, claims, [decision]


def test_a_version_1_store_opens_with_everything_in_place_and_is_moved_to_version_2(
    db: Path, make_article: ArticleMaker, make_claim: ClaimMaker
) -> None:
    articles, claims, decisions = version_1_contents(make_article, make_claim)
    write_version_1_store(db, articles, claims, decisions)

    repo = open_repository(db)

    assert repo.list_articles() == [article.summary() for article in articles]
    assert repo.list_claims("zeta") == claims[:3]
    assert repo.list_claims() == claims
    assert repo.list_decisions() == decisions
    assert repo.get_article("a/b") == articles[1]
    assert json.loads(db.read_text())["meta"]["1"]["version"] == 2
    root = db.parent / "claims.json.d"
    assert sorted(path.name for path in root.iterdir() if not path.name.startswith(".")) == [
        "a%2Fb.article", "mid.article", "zeta.article",
    ]  # fmt: skip
    assert open_repository(db).list_claims() == claims


def test_a_migration_killed_part_way_finishes_at_the_next_open_without_duplicates(
    db: Path, make_article: ArticleMaker, make_claim: ClaimMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles, labelled, decisions = version_1_contents(make_article, make_claim)
    write_version_1_store(db, articles, labelled, decisions)
    removals: list[Path] = []

    def die_on_the_second_removal(path: Path) -> None:
        removals.append(path)
        if len(removals) == 2:
            raise Crash  # the second article's folder is in place; its old file is still there
        path.unlink()

    monkeypatch.setattr(claims.store.migration, "remove_durably", die_on_the_second_removal)
    with pytest.raises(Crash):
        open_repository(db)
    monkeypatch.undo()

    repo = open_repository(db)

    assert repo.list_articles() == [article.summary() for article in articles]
    assert repo.list_claims() == labelled
    assert repo.list_decisions() == decisions
    assert not list((db.parent / "claims.json.d").glob("*.json"))


# -- changes of many files: staged without the lock, switched in by a journal


def test_a_merge_killed_after_its_journal_is_written_is_finished_by_the_next_user(
    db: Path, store: TinyDBRepository, make_article: ArticleMaker, make_claim: ClaimMaker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    articles = [make_article(f"a{i}") for i in range(6)]
    merged = [make_claim(article, "harbour wall") for article in articles]
    real = os.replace
    calls: list[object] = []

    def die_after_three_renames(source: object, target: object) -> None:
        calls.append(source)
        if len(calls) == 4:
            raise Crash
        real(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(claims.store.journal.os, "replace", die_after_three_renames)
    with pytest.raises(Crash):
        store.merge(articles, merged)
    monkeypatch.undo()
    assert (db.parent / "claims.json.d" / ".journal.json").exists()

    # Any operation, in any process, finishes the change first.
    assert open_repository(db).list_claims() == merged
    assert store.list_articles() == [article.summary() for article in articles]


def test_a_merge_killed_before_its_journal_is_written_stores_nothing(
    db: Path, store: TinyDBRepository, make_article: ArticleMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    crash_when_writing(monkeypatch, db.parent / "claims.json.d" / ".journal.json", Crash())
    with pytest.raises(Crash):
        store.merge([make_article(f"a{i}") for i in range(6)], [])
    monkeypatch.undo()
    assert open_repository(db).list_articles() == []


def test_a_big_merge_does_not_hold_the_lock_while_it_writes_its_files(
    db: Path, store: TinyDBRepository, make_article: ArticleMaker, make_claim: ClaimMaker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    shared = make_article("shared")
    store.add_article(shared)
    staging, proceed = threading.Event(), threading.Event()
    real = claims.store.journal.Staging.make_durable

    def pause(self: claims.store.journal.Staging) -> None:
        staging.set()
        assert proceed.wait(60)
        real(self)

    monkeypatch.setattr(claims.store.journal.Staging, "make_durable", pause)
    loaded = [make_article(f"load{i}") for i in range(20)]
    merging = threading.Thread(target=store.merge, args=(loaded, [make_claim(loaded[0], "harbour wall")]))
    merging.start()
    assert staging.wait(60)

    other = open_repository(db)  # opening cleans up abandoned staging folders, not a live one
    assert isinstance(other, TinyDBRepository)
    other._file_lock.timeout = 5  # a held lock fails this test in seconds, not a minute
    added = make_claim(shared, "Mayor Jan Peeters")
    other.add_claim(added)
    proceed.set()
    merging.join()

    assert store.list_claims("shared") == [added]
    assert [summary.id for summary in store.list_articles()] == ["shared", *(a.id for a in loaded)]


def test_hostile_claim_ids_stay_inside_their_article_folder(
    db: Path, store: TinyDBRepository, article: Article, make_claim: ClaimMaker
) -> None:
    store.add_article(article)
    ids = ["../../x", "/etc/passwd", "a\x00b", "x" * 5_000, "..", "CON", ".journal", "article", "decisions"]
    claims = [make_claim(article, "harbour wall").model_copy(update={"id": claim_id}) for claim_id in ids]
    for claim in claims:
        store.add_claim(claim)

    assert [store.get_claim(article.id, claim_id).id for claim_id in ids] == ids
    assert store.list_claims(article.id) == claims
    folder = db.parent / "claims.json.d" / "harbour.article"
    assert {path.parent for path in db.parent.parent.rglob("*.claim.json")} == {folder}
    assert store.get_article(article.id) == article and store.list_decisions(article.id) == []
