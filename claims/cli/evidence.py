"""A claim's evidence: add an item (URL, title, publisher, date accessed, stance, note) or remove one."""

from __future__ import annotations

import datetime as dt

import click
from pydantic import ValidationError

from claims.actions import add_evidence, remove_evidence
from claims.cli.options import by_option, db_option, open_claim, print_json
from claims.errors import invalid_claim_from
from claims.models import Evidence, Stance


@click.group()
def evidence() -> None:
    """Add evidence to a claim, or remove an item (numbered from 1, as `claims show` lists them)."""


@evidence.command("add")
@click.argument("claim_id")
@click.option("--url", required=True, help="Where the evidence is.")
@click.option("--title", default="")
@click.option(
    "--publisher", default="", help="Who published it: two different ones make two independent sources."
)
@click.option(
    "--accessed", type=click.DateTime(["%Y-%m-%d"]), default=None, help="When you read it, YYYY-MM-DD."
)
@click.option("--stance", type=click.Choice([s.value for s in Stance]), default=Stance.CONTEXT.value,
              show_default=True, help="What it does for the verdict.")  # fmt: skip
@click.option("--note", default="")
@by_option
@db_option
def add(claim_id: str, url: str, title: str, publisher: str, accessed: dt.datetime | None, stance: str,
        note: str, by: str, db: str | None) -> None:  # fmt: skip
    """Add one item at the end of a claim's evidence and print the claim as JSON."""
    repo, claim = open_claim(db, claim_id)
    fields = {"url": url, "title": title, "publisher": publisher, "stance": stance, "note": note}
    try:
        item = Evidence.model_validate({**fields, "accessed": accessed.date() if accessed else None})
    except ValidationError as error:
        raise invalid_claim_from(error) from None
    print_json(add_evidence(repo, claim, item, by))


@evidence.command("remove")
@click.argument("claim_id")
@click.argument("number", type=click.IntRange(min=1))
@by_option
@db_option
def remove(claim_id: str, number: int, by: str, db: str | None) -> None:
    """Remove the claim's evidence item NUMBER (1 for the first) and print the claim as JSON."""
    repo, claim = open_claim(db, claim_id)
    print_json(remove_evidence(repo, claim, number, by))


COMMANDS = (evidence,)
