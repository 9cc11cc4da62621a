"""Every export schema still loads (1 and 2 with the workflow's fields at their defaults), and schema 3
carries a claim's history and thread through export -> load unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claims.annotations import apply_changes, new_claim
from claims.formats.articles import make_article
from claims.formats.export import SCHEMA_VERSION, export_bytes
from claims.formats.loading import merge_export, read_export, read_loadable_file
from claims.models import CheckFocus, Claim, ClaimChanges, ClaimDraft, ClaimStatus, Evidence, Stance, Verdict
from claims.store import open_repository
from claims.store.contract import Repository

DATA = Path(__file__).resolve().parent / "data"
V1, V2 = DATA / "export_v1.json", DATA / "export_v2.json"


@pytest.mark.parametrize("fixture", [V1, V2], ids=["schema-1", "schema-2"])
def test_an_older_export_loads_into_every_backend_with_the_new_fields_at_their_defaults(
    repo: Repository, fixture: Path
) -> None:
    raw = json.loads(fixture.read_text())
    report = merge_export(repo, read_loadable_file(fixture), fixture.name)

    assert (report.articles.added, report.claims.added) == (1, len(raw["claims"]))
    claim = repo.get_claim(raw["articles"][0]["id"], "0f1e2d3c4b5a69788796a5b4c3d2e1f0")
    assert (claim.status, claim.verdict, claim.version) == (ClaimStatus.APPROVED, Verdict.MOSTLY_TRUE, 3)
    assert (claim.claim_reviewed, claim.conclusion, claim.check_focus) == ("", "", CheckFocus.CONTENT)
    assert claim.history == [] and claim.comments == [] and claim.assignee is None
    assert (claim.rated_by, claim.approved_by, claim.approved_at, claim.status_since) == (
        None,
        None,
        None,
        None,
    )
    [item] = claim.evidence
    assert (item.url, item.title, item.note) == ("https://budget.example/2021", "Budget 2021", "line 14")
    assert (item.publisher, item.accessed, item.stance) == ("", None, Stance.CONTEXT)


def test_a_schema_2_export_brings_its_decisions_and_assignees(repo: Repository) -> None:
    merge_export(repo, read_loadable_file(V2), V2.name)
    article_id = json.loads(V2.read_text())["articles"][0]["id"]
    assert [decision.quote for decision in repo.list_decisions(article_id)] == ["The council"]
    assert repo.get_claim(article_id, "1a2b3c4d5e6f708192a3b4c5d6e7f809").assignee == "bo"


def test_an_older_export_loaded_twice_changes_nothing_the_second_time(repo: Repository) -> None:
    merge_export(repo, read_loadable_file(V2), V2.name)
    before = repo.documents()
    again = merge_export(repo, read_loadable_file(V2), V2.name)
    assert (again.claims.added, again.claims.updated, again.claims.skipped) == (0, 0, 2)
    assert repo.documents() == before


def edit(
    repo: Repository,
    claim: Claim,
    by: str,
    changes: ClaimChanges,
    comment: str | None = None,
    mentions: list[str] | None = None,
) -> Claim:
    """One editor's change through the workflow (apply_changes), as every door makes it."""
    return repo.update_claim(
        claim.article_id, claim.id, apply_changes(changes, None, by, comment=comment, mentions=mentions or [])
    )


def walked_claim(repo: Repository) -> str:
    """A claim taken through the desk's workflow: rated, sent back with a comment, rated again, approved by
    another editor, published, with a thread mentioning an editor and evidence from two publishers."""
    article = make_article(
        "The council spent 4 million euros on the new harbour wall. Mayor Jan Peeters said it was on time.",
        title="Harbour",
        url="https://news.example/harbour",
    )
    repo.add_article(article)
    start = article.text.index("4 million euros")
    draft = ClaimDraft(article_id=article.id, start=start, end=start + 15, claim_type="statistic")
    claim = new_claim(article, draft, by="ana")
    repo.add_claim(claim)
    evidence = [
        Evidence(url="https://budget.example/2021", title="Budget", publisher="City", stance=Stance.SUPPORTS),
        Evidence(
            url="https://audit.example/r", title="Audit", publisher="Court of Audit", stance=Stance.REFUTES
        ),
    ]
    changes = ClaimChanges(
        status=ClaimStatus.IN_PROGRESS,
        verdict=Verdict.MOSTLY_TRUE,
        evidence=evidence,
        claim_reviewed="The council spent 4 million euros on the harbour wall.",
        conclusion="The budget says 3.8 million.",
    )
    claim = edit(repo, claim, "ana", changes)
    claim = edit(repo, claim, "ana", ClaimChanges(status=ClaimStatus.NEEDS_REVIEW))
    claim = edit(repo, claim, "ben", ClaimChanges(), comment="@ana which budget line?", mentions=["ana"])
    claim = edit(
        repo,
        claim,
        "ben",
        ClaimChanges(status=ClaimStatus.IN_PROGRESS),
        comment="Cite the audit's figure too.",
    )
    claim = edit(repo, claim, "ana", ClaimChanges(status=ClaimStatus.NEEDS_REVIEW))
    claim = edit(repo, claim, "ben", ClaimChanges(status=ClaimStatus.APPROVED))
    claim = edit(repo, claim, "ben", ClaimChanges(status=ClaimStatus.PUBLISHED))
    assert len(claim.history) == 8 and len(claim.comments) == 2
    return claim.id


def test_history_and_comments_survive_export_and_load_into_a_fresh_store(
    repo: Repository, tmp_path: Path
) -> None:
    claim_id = walked_claim(repo)
    [original] = [claim for claim in repo.list_claims() if claim.id == claim_id]
    path = tmp_path / "export.json"
    path.write_bytes(export_bytes(repo, "json"))
    assert json.loads(path.read_bytes())["schema_version"] == SCHEMA_VERSION

    fresh = open_repository(tmp_path / "fresh" / "claims.json")
    report = merge_export(fresh, read_loadable_file(path), path.name)
    loaded = fresh.get_claim(original.article_id, claim_id)

    assert report.claims.added == 1
    assert loaded == original
    assert [event.version for event in loaded.history] == list(range(1, 9))
    assert loaded.history[4].comment == "Cite the audit's figure too."
    assert [(c.by, c.mentions) for c in loaded.comments] == [("ben", ["ana"]), ("ben", [])]
    assert (loaded.rated_by, loaded.approved_by, loaded.published_by) == ("ana", "ben", "ben")

    before = fresh.documents()
    again = merge_export(fresh, read_loadable_file(path), path.name)
    assert (again.claims.added, again.claims.updated, again.claims.skipped) == (0, 0, 1)
    assert fresh.documents() == before


def test_a_json_lines_export_carries_the_history_too(repo: Repository) -> None:
    claim_id = walked_claim(repo)
    [original] = [claim for claim in repo.list_claims() if claim.id == claim_id]
    [line] = export_bytes(repo, "jsonl").decode().splitlines()
    assert json.loads(line)["schema_version"] == SCHEMA_VERSION
    [exported] = read_export(line.encode(), "claims.jsonl").claims
    assert exported.to_claim() == original
