"""The desk's matching index over a store: known fact-checks and the desk's rated claims, kept in step
with the store's revisions, shared per store, and the `claims match` command on top of it."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from records_support import build_article, build_claim

from claims.cli import cli
from claims.match.desk import DeskIndex, checked_before, checked_before_many, desk_index
from claims.match.embedding import Vectors, shared_embedder
from claims.models import Article, Claim, FactCheckSource, KnownFactCheck, Verdict, utc_now
from claims.store import MemoryRepository, TinyDBRepository

CHECKS = [
    KnownFactCheck(
        id="snopes-1",
        claim="Drinking bleach cures the coronavirus.",
        title="Can Drinking Bleach Cure COVID-19?",
        rating="False",
        url="https://checks.example/bleach",
        publisher="Snopes",
    ),
    KnownFactCheck(
        id="snopes-2",
        claim="Portions of the Amazon rainforest were on fire in August 2019.",
        title="Was the Amazon Rainforest on Fire in August 2019?",
        rating="True",
        publisher="Snopes",
    ),
    KnownFactCheck(
        id="afp-1",
        claim="The COVID-19 vaccine alters human DNA.",
        title="Do mRNA Vaccines Change Your DNA?",
        rating="False",
        publisher="AFP",
    ),
]
HARBOUR = (
    "The council spent 4 million euros on the new harbour wall.",
    "Mayor Jan Peeters said the work was finished on time.",
    "The opposition denied that any tender was held.",
)


@pytest.fixture
def repo() -> MemoryRepository:
    store = MemoryRepository()
    store.add_factchecks(CHECKS)
    return store


@pytest.fixture
def harbour(repo: MemoryRepository) -> Article:
    article = build_article("harbour", HARBOUR)
    repo.add_article(article)
    return article


def rate(repo: MemoryRepository, claim: Claim, verdict: Verdict) -> Claim:
    return repo.update_claim(
        claim.article_id,
        claim.id,
        lambda current: current.model_copy(update={"verdict": verdict, "version": current.version + 1}),
    )


def test_a_known_fact_check_is_found_with_its_details(repo: MemoryRepository) -> None:
    (best, *_) = checked_before(repo, "Can drinking bleach really cure covid? #bleach")
    assert best.factcheck_id == "snopes-1"
    assert best.source is FactCheckSource.IMPORTED
    assert (best.rating, best.publisher, best.url) == ("False", "Snopes", "https://checks.example/bleach")
    assert best.score >= 0.5


def test_a_new_import_is_picked_up(repo: MemoryRepository) -> None:
    assert checked_before(repo, "Crime in Chicago doubled in 2020", min_score=0.5) == []
    repo.add_factchecks(
        [KnownFactCheck(id="pf-9", claim="Crime in Chicago doubled in 2020.", rating="False")]
    )
    assert [
        m.factcheck_id for m in checked_before(repo, "Crime in Chicago doubled in 2020", min_score=0.5)
    ] == ["pf-9"]


def test_a_newly_rated_claim_is_found_and_an_unrated_one_is_not(
    repo: MemoryRepository, harbour: Article
) -> None:
    claim = build_claim(harbour, HARBOUR[0])
    repo.add_claim(claim)
    text = "The council paid 4 million euros for the new harbour wall"
    assert all(m.source is FactCheckSource.IMPORTED for m in checked_before(repo, text))
    rated = rate(repo, claim, Verdict.MOSTLY_TRUE)
    best = checked_before(repo, text)[0]
    assert (best.factcheck_id, best.source, best.rating) == (rated.id, FactCheckSource.STORE, "mostly true")
    assert (best.url, best.article_id, best.claim) == (str(harbour.url), harbour.id, HARBOUR[0])
    assert best.score >= 0.5


def test_a_rated_claim_is_matched_by_what_was_checked(repo: MemoryRepository, harbour: Article) -> None:
    claim = build_claim(
        harbour, HARBOUR[1], verdict=Verdict.FALSE, claim_reviewed="The harbour wall was late."
    )
    repo.add_claim(claim)
    assert checked_before(repo, "the harbour wall was finished late")[0].claim == "The harbour wall was late."


def test_a_deleted_claim_is_dropped(repo: MemoryRepository, harbour: Article) -> None:
    claim = build_claim(harbour, HARBOUR[2], verdict=Verdict.FALSE)
    repo.add_claim(claim)
    text = "The opposition denied there was any tender"
    assert checked_before(repo, text)[0].factcheck_id == claim.id
    repo.delete_claim(harbour.id, claim.id, by="ana")
    assert claim.id not in {m.factcheck_id for m in checked_before(repo, text, top=10)}


def test_a_claim_unrated_again_is_dropped(repo: MemoryRepository, harbour: Article) -> None:
    claim = build_claim(harbour, HARBOUR[2], verdict=Verdict.FALSE)
    repo.add_claim(claim)
    text = "The opposition denied there was any tender"
    assert checked_before(repo, text)[0].factcheck_id == claim.id
    repo.update_claim(
        harbour.id,
        claim.id,
        lambda current: current.model_copy(
            update={"verdict": Verdict.UNRATED, "version": 2, "updated_at": utc_now()}
        ),
    )
    assert claim.id not in {m.factcheck_id for m in checked_before(repo, text, top=10)}


def test_a_rated_claim_loaded_with_an_old_change_time_is_found(
    repo: MemoryRepository, harbour: Article
) -> None:
    checked_before(repo, "anything")  # the index has seen the store as it was
    year_ago = utc_now() - dt.timedelta(days=365)
    old = build_claim(harbour, HARBOUR[1], verdict=Verdict.FALSE).model_copy(
        update={"created_at": year_ago, "updated_at": year_ago}
    )
    repo.merge([], [old])  # as `claims load` brings another desk's year-old claim
    assert checked_before(repo, "Mayor Jan Peeters said the works finished on time")[0].factcheck_id == old.id


def test_a_claim_rated_by_another_process_is_found(tmp_path: Path) -> None:
    location = tmp_path / "store" / "claims.json"
    mine = TinyDBRepository(location)
    mine.add_factchecks(CHECKS)
    article = build_article("harbour", HARBOUR)
    mine.add_article(article)
    checked_before(mine, "anything")
    theirs = TinyDBRepository(location)  # another app server or a CLI on the same files
    claim = build_claim(article, HARBOUR[0], verdict=Verdict.TRUE)
    theirs.add_claim(claim)
    best = checked_before(mine, "The council paid 4 million euros for the harbour wall")[0]
    assert (best.factcheck_id, best.source) == (claim.id, FactCheckSource.STORE)


def test_a_stored_claim_is_not_its_own_match(repo: MemoryRepository, harbour: Article) -> None:
    claim = build_claim(harbour, HARBOUR[2], verdict=Verdict.FALSE)
    repo.add_claim(claim)
    found = checked_before(repo, claim.quote, top=3, exclude_claim_id=claim.id)
    assert claim.id not in {m.factcheck_id for m in found}
    assert len(found) == 3


def test_many_texts_are_matched_in_their_order(repo: MemoryRepository) -> None:
    found = checked_before_many(repo, ["the amazon is burning", "vaccines change your DNA", "???"], top=2)
    assert [matches[0].factcheck_id for matches in found[:2]] == ["snopes-2", "afp-1"]
    assert found[2] == []


def test_min_score_drops_weak_matches(repo: MemoryRepository) -> None:
    assert checked_before(repo, "I like turtles", min_score=0.5) == []


def test_one_index_per_store_and_a_throw_away_store_its_own(repo: MemoryRepository) -> None:
    assert desk_index(repo) is desk_index(repo)
    assert desk_index(MemoryRepository()) is not desk_index(repo)


class CountingEmbedder:
    def __init__(self) -> None:
        self.embedded: list[str] = []

    def embed(self, texts: list[str]) -> Vectors:
        self.embedded += texts
        return shared_embedder().embed(texts)


def test_only_changed_records_are_embedded_again(repo: MemoryRepository, harbour: Article) -> None:
    embedder = CountingEmbedder()
    desk = DeskIndex(embedder=embedder)
    desk.refresh(repo)
    assert len(embedder.embedded) == len(CHECKS)
    embedder.embedded.clear()
    repo.add_claim(build_claim(harbour, HARBOUR[0]))  # unrated: nothing to index
    repo.add_factchecks([CHECKS[0].model_copy(update={"title": "Bleach and COVID-19"})])
    desk.refresh(repo)
    assert embedder.embedded == ["Drinking bleach cures the coronavirus. Bleach and COVID-19"]
    embedder.embedded.clear()
    desk.refresh(repo)
    assert embedder.embedded == []


def test_sessions_searching_at_once_get_the_same_answers(repo: MemoryRepository) -> None:
    expected = checked_before(repo, "the amazon is burning")
    answers: list[list[str]] = []

    def search() -> None:
        answers.append([m.factcheck_id for m in checked_before(repo, "the amazon is burning")])

    threads = [threading.Thread(target=search) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [[m.factcheck_id for m in expected]] * 8


# --- `claims match` ------------------------------------------------------------------------------

MATCH_KEYS = {"factcheck_id", "claim", "title", "rating", "url", "publisher", "score", "source"}


@pytest.fixture
def cli_store(repo: MemoryRepository, monkeypatch: pytest.MonkeyPatch) -> MemoryRepository:
    """The command's store is this memory store (the TinyDB backend stores fact-checks on another branch)."""
    monkeypatch.setattr("claims.cli.matching.open_repository", lambda db: repo)
    return repo


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(arg) for arg in args], catch_exceptions=False)


def test_match_prints_the_matches_best_first(cli_store: MemoryRepository) -> None:
    result = run("match", "Can drinking bleach cure covid?", "--top", "2")
    assert result.exit_code == 0, result.output
    matches = json.loads(result.output)["matches"]
    assert len(matches) == 2
    assert all(set(match) == MATCH_KEYS for match in matches)
    assert matches[0]["factcheck_id"] == "snopes-1" and matches[0]["source"] == "imported"
    assert matches[0]["score"] >= matches[1]["score"]


def test_match_queries_prints_a_line_per_query_and_names_bad_lines(
    cli_store: MemoryRepository, tmp_path: Path
) -> None:
    queries = tmp_path / "queries.jsonl"
    lines = [
        json.dumps({"id": "q1", "text": "the amazon is burning"}),
        "not json",
        json.dumps({"id": 2, "text": "vaccines change your DNA"}),
        json.dumps({"id": "q3"}),
    ]
    queries.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["match", "--queries", str(queries), "--top", "1"])
    assert result.exit_code == 1
    printed = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(row["id"], row["matches"][0]["factcheck_id"]) for row in printed] == [
        ("q1", "snopes-2"),
        ("2", "afp-1"),
    ]
    assert all(set(row) == {"id", "matches"} and len(row["matches"]) == 1 for row in printed)
    assert "line 2 of queries.jsonl: not JSON" in result.stderr
    assert 'line 4 of queries.jsonl: "text" must be a non-empty string' in result.stderr


def test_match_needs_text_or_queries() -> None:
    result = CliRunner().invoke(cli, ["match", "--db", ":memory:"])
    assert result.exit_code == 2
    assert "give either TEXT or --queries FILE" in result.output


def test_match_runs_as_a_real_command_on_an_empty_store() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "claims", "match", "anything", "--db", ":memory:"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"matches": []}


def test_match_reads_a_tinydb_store(tmp_path: Path) -> None:
    db = tmp_path / "store" / "claims.json"
    TinyDBRepository(db).add_factchecks(CHECKS)
    result = run("match", "the amazon is burning", "--db", db)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["matches"][0]["factcheck_id"] == "snopes-2"
