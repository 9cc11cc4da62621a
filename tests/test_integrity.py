"""`claims check`: a clean store checks clean; each kind of damage done by hand to a real store is named."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.annotations import new_claim
from claims.cli import cli
from claims.errors import ArticleFormatError, ClaimsError
from claims.formats.articles import make_article
from claims.integrity import check_document, check_location, check_records, check_store
from claims.models import Article, Claim, ClaimDraft, ExportDocument, ExportedClaim, utc_now
from claims.store import TinyDBRepository, open_repository
from claims.store.contract import Repository
from tests.records_support import build_claim

HARBOUR = (
    "The council spent 4 million euros on the new harbour wall.\n"
    "Mayor Jan Peeters said the work was finished on time. The opposition denied that any tender was held."
)
FERRY = "The ferry service will resume on Monday, the operator said. Tickets cost 12 euros."

Document = dict[str, Any]


def claim_on(article: Article, quote: str, by: str = "ana") -> Claim:
    start = article.text.index(quote)
    return new_claim(article, ClaimDraft(article_id=article.id, start=start, end=start + len(quote)), by=by)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store" / "claims.json"


@pytest.fixture
def store(db: Path) -> tuple[TinyDBRepository, Article, Claim]:
    """A real TinyDB store of two imported articles with claims: clean, as the tools made it."""
    repo = open_repository(db)
    assert isinstance(repo, TinyDBRepository)
    harbour, ferry = make_article(HARBOUR, title="Harbour"), make_article(FERRY, title="Ferry")
    repo.add_article(harbour)
    repo.add_article(ferry)
    claim = claim_on(harbour, "4 million euros")
    repo.add_claim(claim)
    repo.add_claim(claim_on(harbour, "finished on time"))
    repo.add_claim(claim_on(ferry, "12 euros"))
    return repo, harbour, claim


def stored_documents(document: Any) -> Iterator[Document]:
    if isinstance(document, dict):
        yield document
        for value in document.values():
            yield from stored_documents(value)
    elif isinstance(document, list):
        for value in document:
            yield from stored_documents(value)


def edit_by_hand(
    folder: Path, match: Callable[[Document], bool], change: Callable[[Document], object]
) -> None:
    """Change the stored JSON documents that `match` picks, as someone with a text editor would.

    Whatever the backend's file layout: every JSON file under the store's folder is searched.
    """
    edited = 0
    for path in sorted(folder.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found = [document for document in stored_documents(data) if match(document)]
        for document in found:
            change(document)
        if found:
            path.write_text(json.dumps(data), encoding="utf-8")
            edited += len(found)
    assert edited, "nothing matched"


def the_claim(claim: Claim) -> Callable[[Document], bool]:
    return lambda document: document.get("id") == claim.id and "quote" in document


def the_article(article: Article) -> Callable[[Document], bool]:
    return lambda document: document.get("id") == article.id and "text" in document


def kinds(repo: Repository) -> list[tuple[str, str | None, str | None]]:
    report = check_store(repo)
    assert report.ok == (not report.problems)
    return [(problem.kind, problem.article_id, problem.claim_id) for problem in report.problems]


def test_a_store_made_by_the_tools_checks_clean(store: tuple[TinyDBRepository, Article, Claim]) -> None:
    repo, _, _ = store
    report = check_store(repo)
    assert report.ok and report.problems == []
    assert report.counts == {"articles": 2, "claims": 3, "decisions": 0, "problems": 0}


def test_a_quote_edited_by_hand_is_reported_with_its_claim_and_article(
    db: Path, store: tuple[TinyDBRepository, Article, Claim]
) -> None:
    repo, harbour, claim = store
    edit_by_hand(db.parent, the_claim(claim), lambda doc: doc.update(quote="5 million euros"))

    report = check_store(repo)

    assert [(p.kind, p.article_id, p.claim_id) for p in report.problems] == [("quote", harbour.id, claim.id)]
    assert (
        "'5 million euros'" in report.problems[0].message
        and "'4 million euros'" in report.problems[0].message
    )


def test_offsets_moved_by_hand_are_reported(db: Path, store: tuple[TinyDBRepository, Article, Claim]) -> None:
    repo, harbour, claim = store
    edit_by_hand(
        db.parent, the_claim(claim), lambda doc: doc.update(start=doc["start"] + 1, end=doc["end"] + 1)
    )
    assert kinds(repo) == [("quote", harbour.id, claim.id)]


def test_offsets_past_the_end_of_the_text_are_reported(
    db: Path, store: tuple[TinyDBRepository, Article, Claim]
) -> None:
    repo, harbour, claim = store
    far = len(harbour.text) + 100
    edit_by_hand(db.parent, the_claim(claim), lambda doc: doc.update(start=far, end=far + len(doc["quote"])))
    assert kinds(repo) == [("quote", harbour.id, claim.id)]


def test_article_text_edited_by_hand_breaks_its_id_hash_and_quotes(
    db: Path, store: tuple[TinyDBRepository, Article, Claim]
) -> None:
    repo, harbour, claim = store
    edit_by_hand(db.parent, the_article(harbour), lambda doc: doc.update(text=doc["text"].replace("4", "9")))
    found = kinds(repo)
    assert ("article_id", harbour.id, None) in found
    assert ("content_hash", harbour.id, None) in found
    assert ("sentences", harbour.id, None) in found
    assert ("quote", harbour.id, claim.id) in found


def test_a_wrong_content_hash_is_reported(db: Path, store: tuple[TinyDBRepository, Article, Claim]) -> None:
    repo, harbour, _ = store
    edit_by_hand(db.parent, the_article(harbour), lambda doc: doc.update(content_hash="0" * 64))
    found = kinds(repo)
    assert ("content_hash", harbour.id, None) in found
    # A backend that keeps a listing of summaries beside the articles also sees the two disagree.
    assert set(found) <= {("content_hash", harbour.id, None), ("listing", harbour.id, None)}


def test_an_article_whose_id_is_not_its_text_hash_is_reported(tmp_path: Path) -> None:
    repo = open_repository(tmp_path / "claims.json")
    article = make_article(FERRY)
    repo.add_article(article.model_copy(update={"id": "ferry-by-hand"}))
    problems = check_store(repo).problems
    assert [(p.kind, p.article_id) for p in problems] == [("article_id", "ferry-by-hand")]
    assert article.id in problems[0].message


@pytest.mark.parametrize(
    "damage, expected",
    [
        (lambda sentences: sentences[1].update(start=sentences[1]["start"] + 3), "is not the text"),
        (lambda sentences: sentences[1].update(end=10_000), "outside the text"),
        (lambda sentences: sentences.reverse(), "is numbered 2"),
        (lambda sentences: sentences.pop(), "sentence_count is 3 but it has 2"),
        (lambda sentences: sentences[2].update(paragraph=0), "before the sentence before it"),
        (lambda sentences: sentences[1].update(index=7), "is numbered 7"),
    ],
    ids=["shifted", "past the end", "reversed", "count", "paragraph", "numbering"],
)
def test_sentences_edited_by_hand_are_reported(
    db: Path,
    store: tuple[TinyDBRepository, Article, Claim],
    damage: Callable[[list[Document]], object],
    expected: str,
) -> None:
    repo, harbour, _ = store
    assert len(harbour.sentences) == 3
    edit_by_hand(db.parent, the_article(harbour), lambda doc: damage(doc["sentences"]))
    problems = check_store(repo).problems
    assert [(p.kind, p.article_id) for p in problems] == [("sentences", harbour.id)]
    assert expected in problems[0].message


def test_text_that_no_sentence_covers_is_reported() -> None:
    article = make_article(HARBOUR)
    last = article.sentences[-1]
    shortened = last.model_copy(update={"end": last.end - 5, "text": last.text[:-5]})
    damaged = article.model_copy(update={"sentences": [*article.sentences[:-1], shortened]})
    [problem] = check_records([damaged], [])
    assert problem.kind == "sentences" and "is in no sentence" in problem.message


def test_an_updated_at_before_created_at_is_reported(
    db: Path, store: tuple[TinyDBRepository, Article, Claim]
) -> None:
    repo, harbour, claim = store
    earlier = (claim.created_at - dt.timedelta(days=1)).isoformat()
    edit_by_hand(db.parent, the_claim(claim), lambda doc: doc.update(updated_at=earlier))
    assert kinds(repo) == [("history", harbour.id, claim.id)]


def test_a_version_below_one_is_reported_as_unreadable_naming_the_field_and_the_rest_is_still_checked(
    db: Path, store: tuple[TinyDBRepository, Article, Claim]
) -> None:
    repo, harbour, claim = store
    edit_by_hand(db.parent, the_claim(claim), lambda doc: doc.update(version=0))
    ferry = make_article(FERRY)
    edit_by_hand(db.parent, the_article(ferry), lambda doc: doc.update(content_hash="f" * 64))

    report = check_store(repo)

    assert ("unreadable", harbour.id) in [(p.kind, p.article_id) for p in report.problems]
    assert ("content_hash", ferry.id) in [(p.kind, p.article_id) for p in report.problems]
    unreadable = next(p for p in report.problems if p.kind == "unreadable")
    assert "version" in unreadable.message and str(db.parent) in unreadable.message


def test_a_truncated_file_is_reported_as_unreadable_naming_it(
    db: Path, store: tuple[TinyDBRepository, Article, Claim]
) -> None:
    repo, harbour, _ = store
    edit_by_hand(db.parent, the_article(harbour), lambda doc: None)  # find it; the layout is the backend's
    path = next(p for p in db.parent.rglob("*.json") if harbour.text[:20] in p.read_text())
    path.write_text(path.read_text()[:50])

    problems = check_store(repo).problems

    assert problems and all(problem.kind == "unreadable" for problem in problems)
    assert str(path) in problems[0].message


def test_one_claim_id_stored_twice_is_reported_once(store: tuple[TinyDBRepository, Article, Claim]) -> None:
    repo, harbour, claim = store
    ferry = make_article(FERRY)
    repo.add_claim(claim_on(ferry, "Tickets cost").model_copy(update={"id": claim.id}))
    found = kinds(repo)
    assert [kind for kind in found if kind[0] == "duplicate_claim"] == [
        ("duplicate_claim", harbour.id, claim.id)
    ]


def test_a_claim_file_copied_by_hand_under_another_name_is_reported(
    db: Path, store: tuple[TinyDBRepository, Article, Claim]
) -> None:
    repo, harbour, claim = store
    path = next(p for p in db.parent.rglob("*.json") if claim.id in p.read_text() and claim.id in p.name)
    path.with_name("copy-" + path.name).write_bytes(path.read_bytes())
    found = check_store(repo).problems
    assert found and any(claim.id in problem.message for problem in found)


def test_a_summary_listed_with_other_fields_than_the_article_is_reported(
    db: Path, store: tuple[TinyDBRepository, Article, Claim]
) -> None:
    repo, harbour, _ = store
    edit_by_hand(
        db.parent,
        lambda doc: doc.get("id") == harbour.id and "text" not in doc and "content_hash" in doc,
        lambda doc: doc.update(title="Renamed by hand"),
    )
    problems = check_store(repo).problems
    assert [(p.kind, p.article_id) for p in problems] == [("listing", harbour.id)]
    assert "title" in problems[0].message


def test_a_temporary_file_left_by_an_interrupted_write_is_reported(
    db: Path, store: tuple[TinyDBRepository, Article, Claim]
) -> None:
    repo, _, _ = store
    leftover = db.parent / ".claims.json.0123abcd.tmp"
    leftover.write_text('{"half": ')
    problems = check_store(repo).problems
    assert [p.kind for p in problems] == ["storage"]
    assert str(leftover) in problems[0].message


def test_a_decision_whose_quote_is_not_the_text_is_reported(
    db: Path, store: tuple[TinyDBRepository, Article, Claim]
) -> None:
    from claims.suggest.engine import suggest_claims
    from claims.suggest.review import reject_suggestions

    repo, harbour, _ = store
    suggestion = suggest_claims(harbour.text, harbour.sentences)[0]
    reject_suggestions(repo, harbour, [suggestion], by="ana")
    assert check_store(repo).ok
    edit_by_hand(
        db.parent,
        lambda doc: doc.get("decision") == "rejected",
        lambda doc: doc.update(quote="x" * len(doc["quote"])),
    )
    assert kinds(repo) == [("decision", harbour.id, None)]


def test_a_backup_with_a_claim_of_a_missing_article_or_a_wrong_quote_is_reported() -> None:
    harbour, ferry = make_article(HARBOUR), make_article(FERRY)
    good, orphan = claim_on(harbour, "4 million euros"), claim_on(ferry, "12 euros")
    wrong = claim_on(harbour, "finished on time").model_copy(update={"quote": "finished in time"})
    document = ExportDocument(
        schema_version=1,
        exported_at=utc_now(),
        articles=[harbour],
        claims=[ExportedClaim(**claim.model_dump(), sentences=[]) for claim in (good, orphan, wrong)],
    )
    report = check_document(document)
    assert [(p.kind, p.claim_id) for p in report.problems] == [
        ("orphan_claim", orphan.id),
        ("quote", wrong.id),
    ]
    assert report.counts == {"articles": 1, "claims": 3, "problems": 2}


def test_a_check_while_editors_add_and_delete_articles_reports_no_problem(
    store: tuple[TinyDBRepository, Article, Claim],
) -> None:
    repo, _, _ = store
    stop = threading.Event()

    def keep_editing() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            article = make_article(f"{FERRY} Edition {n}.")
            repo.add_article(article)
            repo.add_claim(claim_on(article, "12 euros"))
            if n % 2:
                repo.delete_article(article.id, by="tester")

    editor = threading.Thread(target=keep_editing)
    editor.start()
    try:
        reports = [check_store(repo) for _ in range(15)]
    finally:
        stop.set()
        editor.join()
    assert [problem for report in reports for problem in report.problems] == []


def test_an_article_listed_twice_is_reported(
    db: Path, store: tuple[TinyDBRepository, Article, Claim]
) -> None:
    repo, harbour, _ = store
    index = json.loads(db.read_text())
    entries = next(
        table for table in index.values() if any(e.get("id") == harbour.id for e in table.values())
    )
    entries["999"] = next(e for e in entries.values() if e.get("id") == harbour.id)
    db.write_text(json.dumps(index))
    found = kinds(repo)
    assert ("duplicate_article", harbour.id, None) in found


def test_an_article_stored_twice_is_reported() -> None:
    harbour = make_article(HARBOUR)
    assert [p.kind for p in check_records([harbour, harbour], [])] == ["duplicate_article"]


@settings(max_examples=60, deadline=None)
@given(
    paragraphs=st.lists(
        st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1), min_size=1
    ),
    spans=st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), max_size=5),
)
def test_anything_the_tools_store_checks_clean_and_any_changed_quote_does_not(
    paragraphs: list[str], spans: list[tuple[float, float]]
) -> None:
    try:
        article = make_article("\n".join(paragraphs))
    except ArticleFormatError:  # no text at all: nothing to store
        return
    claims = []
    n = len(article.text)
    for a, b in spans:
        start, end = sorted((int(a * n), int(b * n)))
        if article.text[start:end].strip():  # what an editor can mark: not only white space
            draft = ClaimDraft(article_id=article.id, start=start, end=end)
            claims.append(new_claim(article, draft, by="ana"))
    assert check_records([article], claims) == []
    for claim in claims:
        changed = chr((ord(claim.quote[0]) + 1) % 0xD800 or 1) + claim.quote[1:]
        [problem] = check_records([article], [claim.model_copy(update={"quote": changed})])
        assert problem.kind == "quote"


def test_the_memory_backend_checks_the_same_way() -> None:
    from claims.store.memory import MemoryRepository

    repo = MemoryRepository()
    harbour = make_article(HARBOUR)
    repo.add_article(harbour)
    claim = claim_on(harbour, "4 million euros")
    repo.add_claim(claim)
    assert check_store(repo).ok
    repo.add_claim(claim.model_copy(update={"id": "twin", "start": claim.start + 1, "end": claim.end + 1}))
    assert kinds(repo) == [("quote", harbour.id, "twin")]


# -- the command


def test_check_prints_the_report_and_exits_1_on_a_problem(
    db: Path, store: tuple[TinyDBRepository, Article, Claim]
) -> None:
    _, harbour, claim = store
    clean = CliRunner().invoke(cli, ["check", "--db", str(db)])
    assert clean.exit_code == 0, clean.output
    assert json.loads(clean.output)["ok"] is True

    edit_by_hand(db.parent, the_claim(claim), lambda doc: doc.update(quote="5 million euros"))
    damaged = CliRunner().invoke(cli, ["check", "--db", str(db)])

    assert damaged.exit_code == 1
    report = json.loads(damaged.output)
    assert report["ok"] is False
    assert report["problems"][0] | {"message": ""} == {
        "kind": "quote",
        "article_id": harbour.id,
        "claim_id": claim.id,
        "message": "",
    }
    assert report["counts"]["problems"] == 1


def test_check_reports_a_store_that_cannot_be_opened_as_json(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_text("[1, 2")
    result = subprocess.run(
        [sys.executable, "-m", "claims", "check", "--db", str(db)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["problems"][0]["kind"] == "unreadable"
    assert str(db) in report["problems"][0]["message"]
    assert db.read_text() == "[1, 2"


def test_check_of_a_missing_store_says_so_and_creates_nothing(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--db", str(tmp_path / "typo.json")])
    assert result.exit_code == 1
    assert "no store at" in result.output and "typo.json" in result.output
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ClaimsError, match="no store at"):
        check_location(tmp_path / "typo.json")
    assert list(tmp_path.iterdir()) == []


def test_history_events_out_of_time_order_or_beyond_the_claims_version_are_reported() -> None:
    article = make_article(HARBOUR)
    claim = build_claim(article, article.sentences[0].text[:20])
    event = claim.history[0]
    later = event.model_copy(update={"version": 2, "at": event.at + dt.timedelta(minutes=1)})
    out_of_order = claim.model_copy(update={"version": 2, "history": [later, event]})
    beyond = claim.model_copy(update={"history": [event, later]})
    kept = claim.model_copy(update={"version": 2, "history": [event, later]})
    [first] = check_records([article], [out_of_order])
    [second] = check_records([article], [beyond])
    assert (first.kind, second.kind) == ("history", "history")
    assert "comes after a later one" in first.message
    assert "history has version 2 but the claim is at version 1" in second.message
    assert check_records([article], [kept]) == []
