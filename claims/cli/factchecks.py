"""Known fact-checks (other organisations' published checks): import files of them, list and count them."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from claims.actions import link_factcheck, unlink_factcheck
from claims.cli.options import by_option, db_option, open_claim, print_json
from claims.errors import printable
from claims.formats.factcheck_importing import import_factcheck_paths
from claims.match.desk import earlier_check
from claims.models import FactCheckGroup, FactCheckImport, FactCheckQuery, FactCheckSource
from claims.store import open_repository


@click.group("factchecks")
def factchecks() -> None:
    """Other organisations' published fact-checks, which claims are matched against."""


@factchecks.command("import")
# Paths are not checked here: a missing one is a "failed" line of its own and the other paths go on.
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
def import_(paths: tuple[Path, ...], db: str | None) -> None:
    """Store the fact-checks of files or folders (ClaimReview JSON-LD or HTML pages, Google Fact Check
    API responses, CSV/TSV); one line per file. Exit 1 if any failed."""
    results = import_factcheck_paths(open_repository(db), paths)
    for result in results:
        click.echo(describe_import(result))
    if any(result.failed for result in results):
        sys.exit(1)


def describe_import(result: FactCheckImport) -> str:
    """One line, whatever the file name holds: control characters are printed as escapes."""
    if result.counts is None:
        return f"failed    {printable(result.message)}"
    counts = result.counts
    total = counts.added + counts.updated + counts.unchanged
    done = f"imported {total} ({counts.added} added, {counts.updated} updated, {counts.unchanged} unchanged)"
    return printable(f"{done}  {result.source}")


@factchecks.command("list")
@click.option("--text", default="", help="In the claim, title, rating or publisher (any case).")
@click.option("--publisher", default=None, help="Only this publisher's (exactly as stored).")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many matching fact-checks.")
@click.option("--limit", type=click.IntRange(1, 1000), default=100, show_default=True)
@db_option
def list_(text: str, publisher: str | None, offset: int, limit: int, db: str | None) -> None:
    """Print a page of known fact-checks as JSON Lines, newest first (undated last); the number matching
    goes to stderr."""
    query = FactCheckQuery(text=text, publisher=publisher, offset=offset, limit=limit)
    page = open_repository(db).query_factchecks(query)
    for check in page.rows:
        click.echo(json.dumps(check.model_dump(mode="json"), ensure_ascii=False))
    click.echo(f"{len(page.rows)} of {page.total} matching fact-checks", err=True)


@factchecks.command("stats")
@db_option
def stats(db: str | None) -> None:
    """How many known fact-checks are stored, by publisher, by the file they came from and by rating."""
    repo = open_repository(db)
    by_publisher = repo.count_factchecks_by(FactCheckGroup.PUBLISHER)
    print_json(
        {
            "factchecks": sum(by_publisher.values()),
            "by_publisher": dict(sorted(by_publisher.items())),
            "by_source_file": dict(sorted(repo.count_factchecks_by(FactCheckGroup.SOURCE_FILE).items())),
            "by_rating": dict(sorted(repo.count_factchecks_by(FactCheckGroup.RATING).items())),
        }
    )


def _linking(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(
        [
            click.argument("claim_id"),
            click.argument("factcheck_id"),
            click.option(
                "--own",
                is_flag=True,
                help="FACTCHECK_ID is one of the desk's own rated claims, not an imported fact-check.",
            ),
            by_option,
            db_option,
        ]
    ):
        command = option(command)
    return command


@factchecks.command("link")
@_linking
def link(claim_id: str, factcheck_id: str, own: bool, by: str, db: str | None) -> None:
    """Record on a claim that a fact-check (as `claims match` names it) checked it before; prints the
    claim. Linking it again changes nothing."""
    repo, claim = open_claim(db, claim_id)
    source = FactCheckSource.STORE if own else FactCheckSource.IMPORTED
    print_json(link_factcheck(repo, claim, earlier_check(repo, factcheck_id, source), by))


@factchecks.command("unlink")
@_linking
def unlink(claim_id: str, factcheck_id: str, own: bool, by: str, db: str | None) -> None:
    """Remove a claim's link to an earlier fact-check; prints the claim."""
    repo, claim = open_claim(db, claim_id)
    source = FactCheckSource.STORE if own else FactCheckSource.IMPORTED
    print_json(unlink_factcheck(repo, claim, factcheck_id, source, by))


COMMANDS = (factchecks,)
