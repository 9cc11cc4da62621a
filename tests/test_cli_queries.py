"""`claims list` with the Claims page's filters, sorts and paging, and `claims set-status`: the page's
bulk change, from scripts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from records_support import build_article, build_claim

from claims.cli import cli
from claims.models import Claim, ClaimStatus
from claims.store import open_repository

QUOTES = ("4 million euros", "the new harbour wall", "Mayor Jan Peeters", "finished on time", "any tender")


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A TinyDB store of 15 claims: three articles, claimants and assignees taking turns."""
    location = str(tmp_path / "store" / "claims.json")
    repo = open_repository(location)
    for number, article_id in enumerate(("harbour", "budget", "ferry")):
        article = build_article(article_id)
        repo.add_article(article)
        for index, quote in enumerate(QUOTES):
            repo.add_claim(
                build_claim(
                    article, quote,
                    claimant=("The council", "Opposition", None)[index % 3],
                    assignee=(None, "ana", "ben")[(index + number) % 3],
                    status=("new", "in_progress")[index % 2],
                )
            )  # fmt: skip
    return location


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def listed(result: Result) -> list[Claim]:
    assert result.exit_code == 0, result.output
    return [Claim.model_validate_json(line) for line in result.stdout.splitlines()]


def test_list_without_options_prints_every_claim_by_article_and_position(db: str) -> None:
    result = run("list", "--db", db)
    claims = listed(result)
    assert len(claims) == 15
    assert "15 of 15 matching claims" in result.stderr
    order = [summary.id for summary in open_repository(db).list_articles()]
    assert [(order.index(c.article_id), c.start) for c in claims] == sorted(
        (order.index(c.article_id), c.start) for c in claims
    )


def test_list_filters_as_the_claims_page_does(db: str) -> None:
    every = listed(run("list", "--db", db))
    new_for_ana = listed(run("list", "--db", db, "--status", "new", "--assignee", "ana"))
    assert {c.id for c in new_for_ana} == {
        c.id for c in every if c.status is ClaimStatus.NEW and c.assignee == "ana"
    }
    nobody = listed(run("list", "--db", db, "--assignee", ""))
    assert nobody and all(c.assignee is None for c in nobody)
    text = listed(run("list", "--db", db, "--text", "HARBOUR", "--article", "budget"))
    assert [c.quote for c in text] == ["the new harbour wall"]
    assert listed(run("list", "--db", db, "--claimant", "Opposition", "--claimant", "The council")) == [
        c for c in every if c.claimant is not None
    ]


def test_list_pages_through_a_sorted_result(db: str) -> None:
    by_change = listed(run("list", "--db", db, "--sort", "updated_desc"))
    assert [c.updated_at for c in by_change] == sorted((c.updated_at for c in by_change), reverse=True)
    pages = [listed(run("list", "--db", db, "--sort", "updated_desc", "--offset", str(o), "--limit", "4"))
             for o in range(0, 16, 4)]  # fmt: skip
    assert [len(page) for page in pages] == [4, 4, 4, 3]
    assert [c for page in pages for c in page] == by_change


def test_set_status_changes_every_matching_claim_in_one_write_and_says_which(db: str) -> None:
    result = run("set-status", "in_progress", "--assignee", "ben", "--by", "dana", "--db", db)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    claims = open_repository(db).list_claims()
    bens = [c for c in claims if c.assignee == "ben"]
    moved = [c for c in bens if c.updated_by == "dana"]
    assert report["changed"] == len(moved) == len(report["claims"]) and report["refused"] == []
    assert {c.id for c in moved} == set(report["claims"]) and 0 < len(moved) < len(bens)
    assert all(c.status is ClaimStatus.IN_PROGRESS for c in bens)
    assert all(c.updated_by != "dana" for c in claims if c.assignee != "ben")
    again = json.loads(run("set-status", "in_progress", "--assignee", "ben", "--db", db).stdout)
    assert again["changed"] == 0  # already so: nothing written


def test_set_status_refuses_each_claim_the_workflow_does_not_let_go_there(db: str) -> None:
    result = run("set-status", "approved", "--assignee", "ana", "--by", "dana", "--db", db)
    report = json.loads(result.stdout)
    anas = [c for c in open_repository(db).list_claims() if c.assignee == "ana"]
    assert result.exit_code == 0 and report["changed"] == 0
    assert {r["claim_id"] for r in report["refused"]} == {c.id for c in anas}
    assert all("a claim cannot go from" in r["reason"] for r in report["refused"])


def test_set_status_without_a_filter_needs_all(db: str) -> None:
    refused = run("set-status", "dropped", "--db", db)
    assert refused.exit_code == 2 and "--all" in refused.output
    assert all(c.status is not ClaimStatus.DROPPED for c in open_repository(db).list_claims())
    done = run("set-status", "dropped", "--all", "--db", db)
    assert json.loads(done.stdout)["changed"] == 15


def test_add_and_update_take_an_assignee(db: str) -> None:
    claim = listed(run("list", "--db", db, "--assignee", ""))[0]
    result = run("update", claim.id, "--article", claim.article_id, "--expected-version", "1",
                 "--assignee", "chloé", "--by", "dana", "--db", db)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert open_repository(db).get_claim(claim.article_id, claim.id).assignee == "chloé"
