"""Many claims at once, with the Claims page's filters: list them a page at a time, or set their status."""

from __future__ import annotations

from typing import Any

import click

from claims.change_sets import set_status_of_matching
from claims.cli.options import by_option, chosen_filter, confirm_option, db_option, filter_options, print_json
from claims.models import ClaimFilter, ClaimQuery, ClaimSort, ClaimStatus, utc_now
from claims.store import open_repository


@click.command("list")
@filter_options
@click.option(
    "--sort",
    type=click.Choice([s.value for s in ClaimSort]),
    default=None,
    help="Default: by article and position.",
)
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many matching claims.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many (default: all).")
@db_option
def list_(sort: str | None, offset: int, limit: int | None, db: str | None, **filters: Any) -> None:
    """Print the claims matching the filters as JSON Lines, a page at a time from the store, by article and
    position unless --sort says otherwise; the number matching goes to stderr."""
    repo = open_repository(db)
    query = ClaimQuery(
        filter=chosen_filter(filters),
        sort=ClaimSort(sort) if sort else ClaimSort.ARTICLE,
        offset=offset,
        limit=1000,
    )
    printed = 0
    while True:
        page = repo.query_claims(query.model_copy(update={"offset": offset + printed}))
        for claim in page.claims[: None if limit is None else limit - printed]:
            click.echo(claim.model_dump_json())
            printed += 1
        if not page.claims or printed >= page.total - offset or (limit is not None and printed >= limit):
            break
    click.echo(f"{printed} of {page.total} matching claims", err=True)


@click.command("set-status")
@click.argument("status", type=click.Choice([s.value for s in ClaimStatus]))
@filter_options
@click.option("--all", "every", is_flag=True, help="Needed to change every claim (no filter given).")
@click.option("--comment", default=None, help="Joins each changed claim's thread; a step back needs one.")
@confirm_option
@by_option
@db_option
def set_status(status: str, every: bool, comment: str | None, evidence_confirmed: bool, by: str,
               db: str | None, **filters: Any) -> None:  # fmt: skip
    """Set the status of every claim matching the filters, in one write; a claim the workflow refuses is
    left as it is, with the reason. Prints {"changed", "refused", "claims": [ids]}."""
    chosen = chosen_filter(filters)
    if chosen == ClaimFilter() and not every:
        raise click.UsageError("no filter given: add --all to change every claim in the store")
    outcome = set_status_of_matching(
        open_repository(db),
        chosen,
        ClaimStatus(status),
        by,
        asked_at=utc_now(),
        comment=comment,
        evidence_confirmed=evidence_confirmed,
    )
    print_json(
        {
            "changed": len(outcome.applied),
            "refused": [refused.model_dump() for refused in outcome.refused],
            "claims": [applied.after.id for applied in outcome.applied],
        }
    )


COMMANDS = (list_, set_status)
