"""`python -m claims`: parse arguments, call the core, print JSON or one line per result.

One module per noun: articles, claims (adding, changing, reading one), their evidence, review, the
listing filters, suggestions, the store as a whole, the desk's settings. Every command is a thin door onto
a core function; the rules live in the core.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, NoReturn

import click

from claims.cli import (
    articles,
    claims_commands,
    evidence,
    listing,
    matching,
    review,
    settings,
    store,
    suggestions,
)
from claims.cli.factchecks import factchecks
from claims.cli.options import CoreErrorsAsMessages
from claims.errors import printable


@click.group(cls=CoreErrorsAsMessages)
@click.version_option(package_name="claim-annotator")
def cli() -> None:
    """Find, label, store and export the check-worthy claims in news articles."""


for module in (articles, claims_commands, listing, evidence, review, suggestions, store, settings, matching):
    for command in module.COMMANDS:
        cli.add_command(command)
cli.add_command(factchecks)


def run_guarded(entry: Callable[[], Any]) -> NoReturn:
    """Run a click entry point so that no traceback reaches the user, whatever happens."""
    try:
        entry()
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as error:  # noqa: BLE001 - the last line of defence at the edge
        problem = printable(f"{type(error).__name__}: {error}")
        click.echo(f"Error: unexpected {problem} (please report this)", err=True)
        sys.exit(2)
    sys.exit(0)


def main() -> NoReturn:
    run_guarded(cli)


__all__ = ["cli", "main", "run_guarded"]
