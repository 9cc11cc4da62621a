"""The desk's settings (who publishes its ClaimReviews), kept in a TOML file beside the store."""

from __future__ import annotations

from typing import Any

import click
from pydantic import ValidationError

from claims.cli.options import db_option, print_json
from claims.errors import SettingsError
from claims.models import DeskSettings, PublisherSettings
from claims.settings import load_settings, save_settings, settings_path
from claims.store import default_store_location


@click.group()
def settings() -> None:
    """Show or change the desk's settings (the file beside the store, or $CLAIMS_SETTINGS)."""


@settings.command()
@db_option
def show(db: str | None) -> None:
    """Print the settings and the file they are kept in, as JSON."""
    location = db or default_store_location()
    print_json({"file": str(settings_path(location)), **load_settings(location).model_dump(mode="json")})


@settings.command("set")
@click.option(
    "--publisher", "name", default=None, help='The organisation publishing the ClaimReviews ("" clears).'
)
@click.option("--publisher-url", "url", default=None, help="Its web address.")
@click.option("--logo", default=None, help="The web address of its logo.")
@click.option("--review-url", default=None, help="Each fact check's page, with {id} for the claim id.")
@db_option
def set_(db: str | None, **given: str | None) -> None:
    """Change the settings given (an empty value clears one), keep the others; prints them as `show` does."""
    if all(value is None for value in given.values()):
        raise click.UsageError("give at least one of --publisher, --publisher-url, --logo, --review-url")
    location = db or default_store_location()
    chosen = with_publisher(load_settings(location), given, "the settings were not changed")
    path = save_settings(location, chosen)
    print_json({"file": str(path), **load_settings(location).model_dump(mode="json")})


def with_publisher(current: DeskSettings, given: dict[str, str | None], outcome: str) -> DeskSettings:
    """`current` with the publisher fields given as options laid over it (None: not given; blank: cleared).
    SettingsError names the option whose value is unusable, then `outcome` (what was not done)."""
    changed: dict[str, Any] = {
        name: value.strip() or None for name, value in given.items() if value is not None
    }
    if "name" in changed:
        changed["name"] = changed["name"] or ""
    try:
        publisher = PublisherSettings.model_validate({**current.publisher.model_dump(), **changed})
    except ValidationError as error:
        raise SettingsError(f"{_named(error)}; {outcome}") from None
    return current.model_copy(update={"publisher": publisher})


_OPTIONS = {"name": "--publisher", "url": "--publisher-url", "logo": "--logo", "review_url": "--review-url"}


def _named(error: ValidationError) -> str:
    """The first problem, named by the option that gave the value."""
    first = error.errors()[0]
    problem = first["msg"].removeprefix("Value error, ")
    # A check across fields has no location: its message names the field.
    field = (
        str(first["loc"][0])
        if first["loc"]
        else next((f for f in sorted(_OPTIONS, key=len, reverse=True) if f in problem), "")
    )
    value = given.get(field) if (given := first["input"]) and isinstance(given, dict) else first["input"]
    shown = f" {value!r}" if field and value is not None else ""
    return f"{_OPTIONS.get(field, 'settings')}{shown}: {problem}"


COMMANDS = (settings,)
