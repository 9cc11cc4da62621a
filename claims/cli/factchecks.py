"""Known fact-checks (other organisations' published checks): import files of them, list and count them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from claims.cli.options import db_option, print_json
from claims.errors import printable
from claims.formats.factcheck_importing import import_factcheck_paths
from claims.models import FactCheckGroup, FactCheckImport, FactCheckQuery
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


COMMANDS = (factchecks,)
