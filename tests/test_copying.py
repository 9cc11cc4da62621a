"""`claims migrate SRC DST`: a whole store copied into an empty one of any backend, read back and proven
equal by counts and a checksum of every record; a non-empty DST is refused, a damaged copy is caught."""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from click.testing import CliRunner, Result

from claims.annotations import new_claim
from claims.cli import cli
from claims.formats.articles import make_article
from claims.formats.export import export_bytes
from claims.models import Claim, ClaimDraft, ClaimStatus, Evidence, KnownFactCheck, Source
from claims.store import MemoryRepository, open_repository
from claims.store.contract import Repository
from claims.store.copying import CopyNotEqual, StoreNotEmpty, copy_store, fingerprint
from claims.suggest.engine import suggest_claims
from claims.suggest.review import reject_suggestions

BODIES = [
    "The navy said as many as 12,000 sailors took part. Officials said costs rose by 40 percent.",
    "Le maire a dit que «\u00a0tout\u00a0» était prêt. The council spent 4 million euros on 3 piers.",
    "Kowalski added that 1,200 jobs were lost. Nobody denied it. Prices fell by a third since 2019.",
]


def fill(repo: Repository) -> Repository:
    """Three articles (one later deleted), their sentences as claims with every kind of label, a rejected
    suggestion and a deleted claim."""
    for number, body in enumerate(BODIES):
        article = make_article(body, title=f"Article {number}", url=f"https://news.example/{number}")
        repo.add_article(article)
        for sentence in article.sentences:
            draft = ClaimDraft(
                article_id=article.id,
                start=sentence.start,
                end=sentence.end,
                claimant="Reuters",
                source=Source(name="Reuters", url="https://reuters.example/story"),
                status=ClaimStatus.IN_PROGRESS,
                evidence=[Evidence(url="https://stats.example/t1", title="Table 1", note="«ok»")],
                notes="checked\nagainst the annex",
            )
            repo.add_claim(new_claim(article, draft, by="ana"))
        if number == 0:
            reject_suggestions(repo, article, suggest_claims(article.text)[:1], by="ana")
            first = repo.list_claims(article.id)[0]
            repo.delete_claim(article.id, first.id, by="ben")
    extra = make_article("A short piece that goes away. It had 2 claims.", title="Gone")
    repo.add_article(extra)
    repo.delete_article(extra.id, by="ben")
    repo.add_factchecks(KNOWN_FACTCHECKS)
    return repo


KNOWN_FACTCHECKS = [
    KnownFactCheck(
        id="fc-1", claim="Crime doubled", publisher="AFP", rating="False", date=dt.date(2024, 1, 2)
    ),
    KnownFactCheck(id="fc-2", claim="Straße closed", url="https://check.example/2", source_file="checks.csv"),
]


def tinydb(folder: Path, name: str) -> str:
    return str(folder / name / "claims.json")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def without_time(repo: Repository) -> dict[str, Any]:
    exported = json.loads(export_bytes(repo, "json"))
    exported.pop("exported_at")
    return exported


def test_a_tinydb_store_migrates_to_another_tinydb_store_equal_record_for_record(tmp_path: Path) -> None:
    source = fill(open_repository(tinydb(tmp_path, "source")))
    result = run("migrate", source.location, tinydb(tmp_path, "copy"))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["equal"] is True and report["differences"] == []
    counts = {kind: value["count"] for kind, value in report["copy_fingerprint"].items()}
    assert counts == {"articles": 3, "claims": 6, "decisions": 1, "deletions": 2, "factchecks": 2}
    assert open_repository(tinydb(tmp_path, "copy")).list_factchecks() == KNOWN_FACTCHECKS
    assert report["source_fingerprint"] == report["copy_fingerprint"]
    assert set(report["seconds"]) == {"read_source", "write_copy", "read_copy_back"}
    copy = open_repository(tinydb(tmp_path, "copy"))
    assert without_time(copy) == without_time(source)
    assert [a.id for a in copy.list_articles()] == [a.id for a in source.list_articles()]
    assert copy.list_claims() == source.list_claims()


def test_a_store_goes_to_memory_and_back_unchanged(tmp_path: Path) -> None:
    source = fill(open_repository(tinydb(tmp_path, "source")))
    memory = MemoryRepository()
    there = copy_store(source, memory)
    back = copy_store(memory, open_repository(tinydb(tmp_path, "back")))
    assert there.equal and back.equal
    assert there.source_fingerprint == back.copy_fingerprint == fingerprint(source)
    assert without_time(open_repository(tinydb(tmp_path, "back"))) == without_time(source)


def test_a_destination_that_holds_records_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    source = fill(open_repository(tinydb(tmp_path, "source")))
    destination = open_repository(tinydb(tmp_path, "busy"))
    destination.add_article(make_article("Already here: 3 things.", title="Busy"))
    before = without_time(destination), destination.revision()
    result = run("migrate", source.location, destination.location)
    assert result.exit_code == 1
    assert (
        f"{destination.location} is not empty (1 articles, 0 deletion records, 0 known fact-checks)"
        in result.stderr
    )
    assert (without_time(destination), destination.revision()) == before


def test_a_destination_holding_only_deletion_records_is_not_empty(tmp_path: Path) -> None:
    destination = MemoryRepository()
    article = make_article("Deleted soon: 1 claim.", title="Gone")
    destination.add_article(article)
    destination.delete_article(article.id, by="ana")
    with pytest.raises(StoreNotEmpty, match="0 articles, 1 deletion records"):
        copy_store(fill(MemoryRepository()), destination)


def test_a_store_is_not_copied_onto_itself(tmp_path: Path) -> None:
    source = fill(open_repository(tinydb(tmp_path, "source")))
    result = run("migrate", source.location, source.location)
    assert result.exit_code == 1 and "both the source and the destination" in result.stderr


def test_a_missing_source_is_refused_and_no_store_is_created(tmp_path: Path) -> None:
    result = run("migrate", tinydb(tmp_path, "nowhere"), tinydb(tmp_path, "copy"))
    assert result.exit_code == 1 and "no store at" in result.stderr
    assert not (tmp_path / "nowhere").exists()


class Corrupting(MemoryRepository):
    """A destination that stores one claim other than it was given: what a faulty backend would do."""

    def __init__(self, change: Callable[[Claim], Claim]) -> None:
        super().__init__()
        self.change = change

    def merge(self, articles: Any, claims: Any, *args: Any, **kwargs: Any) -> Any:
        first, *rest = list(claims)
        return super().merge(articles, [self.change(first), *rest], *args, **kwargs)


@pytest.mark.parametrize(
    ("change", "difference"),
    [
        (
            lambda claim: claim.model_copy(update={"notes": "changed"}),
            "claims: the same number (6) but different",
        ),
        (lambda claim: claim.model_copy(update={"version": 2}), "claims: the same number (6) but different"),
    ],
    ids=["notes", "version"],
)
def test_a_copy_that_differs_from_its_source_fails_verification(
    change: Callable[[Claim], Claim], difference: str, tmp_path: Path
) -> None:
    source = fill(open_repository(tinydb(tmp_path, "source")))
    report = copy_store(source, Corrupting(change))
    assert not report.equal
    assert [d for d in report.differences if d.startswith("claims")] == [difference + " contents"]
    assert report.source_fingerprint.articles == report.copy_fingerprint.articles
    with pytest.raises(CopyNotEqual, match="is not equal to .*different contents.*remove it and copy again"):
        raise CopyNotEqual(report)


def test_the_migrate_command_exits_1_and_says_why_when_the_copy_differs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = fill(open_repository(tinydb(tmp_path, "source")))
    lossy = Corrupting(lambda claim: claim)
    original_merge = lossy.merge

    def drop_a_deletion(articles: Any, claims: Any, decisions: Any = (), deletions: Any = ()) -> Any:
        return original_merge(articles, claims, decisions, list(deletions)[1:])

    monkeypatch.setattr(lossy, "merge", drop_a_deletion)
    monkeypatch.setattr("claims.cli.store.open_repository", lambda location: lossy)
    result = run("migrate", source.location, "postgresql://ana@db.example/claims")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["differences"] == ["deletions: 2 in the source, 1 in the copy"]
    assert "is not equal to" in result.stderr and "deletions: 2 in the source, 1 in the copy" in result.stderr


@pytest.fixture
def postgres_location() -> Iterator[str]:
    """A new, empty database on the PostgreSQL test server (CLAIMS_TEST_POSTGRES), dropped afterwards."""
    server = os.environ.get("CLAIMS_TEST_POSTGRES", "").strip()
    if not server:
        pytest.skip("no PostgreSQL test server: CLAIMS_TEST_POSTGRES is not set")
    psycopg = pytest.importorskip("psycopg")
    name = f"claims_migrate_{secrets.token_hex(6)}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(server)._replace(path="/" + name))
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_store_goes_to_postgresql_and_back_unchanged(tmp_path: Path, postgres_location: str) -> None:
    source = fill(open_repository(tinydb(tmp_path, "source")))
    there = run("migrate", source.location, postgres_location)
    assert there.exit_code == 0, there.output
    back = run("migrate", postgres_location, tinydb(tmp_path, "back"))
    assert back.exit_code == 0, back.output
    assert json.loads(there.stdout)["equal"] and json.loads(back.stdout)["equal"]
    assert json.loads(back.stdout)["copy_fingerprint"] == json.loads(there.stdout)["source_fingerprint"]
    returned = open_repository(tinydb(tmp_path, "back"))
    assert without_time(returned) == without_time(source)
    assert run("migrate", source.location, postgres_location).exit_code == 1  # not empty any more
