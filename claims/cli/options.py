"""What every command shares: the store and editor options, the claim filters, JSON printing, and the
edge where the core's typed errors become one-line messages."""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Callable
from enum import StrEnum
from typing import Any

import click
from pydantic import BaseModel, ValidationError

from claims.actions import find_claim
from claims.errors import ClaimsError
from claims.models import Claim, ClaimFilter, ClaimStatus, ClaimType, Verdict
from claims.store import open_repository
from claims.store.contract import Repository


class CoreErrorsAsMessages(click.Group):
    """Turns the core's typed errors into click's one-line 'Error: ...' and exit status 1, for the group
    and every group nested in it."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ClaimsError as error:
            raise click.ClickException(str(error)) from None


def default_editor() -> str:
    try:
        return os.environ.get("CLAIMS_EDITOR") or getpass.getuser()
    except (KeyError, OSError):
        return "cli"


# A plain string, passed on as typed: click.Path would turn "postgresql://host/db" into "postgresql:/host/db".
db_option = click.option(
    "--db",
    default=None,
    metavar="PATH|URL",
    help="The store: a TinyDB index file or a postgresql:// URL (default: $CLAIMS_DB, else data/claims.json)",
)
by_option = click.option(
    "--by", default=default_editor, show_default="$CLAIMS_EDITOR or your login", help="Editor name."
)
confirm_option = click.option(
    "--confirm-thin-evidence",
    "evidence_confirmed",
    is_flag=True,
    help="Approve a verdict resting on fewer than two independent sources anyway.",
)


def print_json(data: Any) -> None:
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json")
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def stored_claim(repo: Repository, claim_id: str, article_id: str | None = None) -> Claim:
    """The claim named on the command line: by id alone, or (as older scripts do) with its article."""
    return repo.get_claim(article_id, claim_id) if article_id else find_claim(repo, claim_id)


def open_claim(db: str | None, claim_id: str) -> tuple[Repository, Claim]:
    repo = open_repository(db)
    return repo, find_claim(repo, claim_id)


def _several(name: str, field: str, vocabulary: type[StrEnum] | None = None, help: str | None = None) -> Any:
    choice = click.Choice([value.value for value in vocabulary]) if vocabulary else None
    return click.option(name, field, multiple=True, type=choice, help=help or "Repeat for several.")


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The claim filters of the Claims page, as options (each repeatable where the page allows several)."""
    options = [
        _several("--status", "statuses", ClaimStatus),
        _several("--verdict", "verdicts", Verdict),
        _several("--type", "types", ClaimType),
        _several("--claimant", "claimants", help='Exactly this claimant ("" for none).'),
        _several("--assignee", "assignees", help='Assigned to this editor ("" for nobody).'),
        _several("--changed-by", "editors", help="Last changed by this editor."),
        _several("--article", "article_ids", help="Only this article's claims."),
        click.option("--text", default="", help="In quote, claimant, source or notes (any case)."),
        click.option("--title", default="", help="In the title of the claim's article (any case)."),
        click.option(
            "--mine",
            default="",
            metavar="EDITOR",
            help="This editor's open claims: assigned to them, mentioning them, or waiting for their review.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def chosen_filter(filters: dict[str, Any]) -> ClaimFilter:
    try:
        return ClaimFilter.model_validate({name: value for name, value in filters.items() if value})
    except ValidationError as error:
        raise click.UsageError(str(error)) from None
