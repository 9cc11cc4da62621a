"""The store as a whole: export, load, counts, checks, backups, restores and migration to another store."""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from claims.backup import RestoreMode, restore_backup, write_backup
from claims.cli.options import db_option, print_json
from claims.cli.settings import with_publisher
from claims.errors import ClaimsError
from claims.formats.export import EXPORT_FORMATS, ExportFormat, export_chunks
from claims.formats.loading import merge_export, read_loadable_file
from claims.formats.output import write_output
from claims.integrity import check_location, open_existing
from claims.settings import load_settings
from claims.stats import store_stats
from claims.store import default_store_location, open_repository
from claims.store.copying import CopyNotEqual, copy_store


@click.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="json", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Default: stdout. Replaced all at once: if writing fails, the old file stays as it was.",
)
@click.option(
    "--publisher",
    default=None,
    help="claimreview: the organisation publishing the reviews, instead of the settings' (for this export).",
)
@click.option("--publisher-url", default=None, help="claimreview: its web address, instead of the settings'.")
@click.option(
    "--review-url",
    default=None,
    help="claimreview: each fact check's page, {id} replaced by the claim id, instead of the settings'.",
)
@db_option
def export(fmt: ExportFormat, output: Path | None, publisher: str | None, publisher_url: str | None,
           review_url: str | None, db: str | None) -> None:  # fmt: skip
    """Write every article and claim as one export: a JSON document, JSON Lines, CSV, schema.org
    ClaimReview (approved and published claims, published by the desk in `claims settings`; refused, naming
    what each claim lacks, rather than written invalid) or W3C Web Annotations."""
    overrides = {"name": publisher, "url": publisher_url, "review_url": review_url}
    if fmt != "claimreview" and any(value is not None for value in overrides.values()):
        raise click.UsageError("--publisher, --publisher-url and --review-url apply to --format claimreview")
    repo = open_repository(db)
    settings = None
    if fmt == "claimreview":
        settings = with_publisher(load_settings(repo.location), overrides, "nothing was exported")
    started = _started(export_chunks(repo, fmt, settings=settings))
    if output is None:
        for chunk in started:
            click.echo(chunk, nl=False)
    else:
        write_output(output, started)


def _started(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The chunks, the first already made: an export the core refuses (or that fails) before its first
    chunk leaves no file behind, not even a temporary one, and prints nothing."""
    remaining = iter(chunks)
    first = next(remaining, None)
    return iter(()) if first is None else itertools.chain((first,), remaining)


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
def load(file: Path, db: str | None) -> None:
    """Merge an export back into the store; prints what was added, updated and skipped."""
    export = read_loadable_file(file)  # before opening the store: a bad file must not create one
    print_json(merge_export(open_repository(db), export, file.name))


@click.command()
@db_option
def stats(db: str | None) -> None:
    """Print counts of articles, sentences and claims by status, verdict and type."""
    print_json(store_stats(open_repository(db)))


@click.command()
@db_option
def check(db: str | None) -> None:
    """Check every article and claim of the store; print a JSON report, exit 1 on any problem."""
    report = check_location(db or default_store_location())
    print_json(report)
    if not report.ok:
        sys.exit(1)


@click.command()
@click.argument("destination", type=click.Path())
@db_option
def backup(destination: str, db: str | None) -> None:
    """Write the whole store to DESTINATION and verify it. A folder (existing, or written with a
    trailing /) gets a file named claims-backup-<UTC time>-<store revision>.json."""
    repo = open_existing(db or default_store_location())
    folder = Path(destination)
    if destination.endswith(("/", os.sep)):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ClaimsError(f"cannot create the folder {folder} ({error.strerror or error})") from None
    print_json(write_backup(repo, folder))


@click.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--into-empty",
    "mode",
    flag_value="into-empty",
    default=True,
    help="Restore only into a store that holds no article (the default).",
)
@click.option("--replace", "mode", flag_value="replace",
              help="Build the restored store beside the current one, check it, then swap it in; "
                   "the current store is kept in a folder beside it.")  # fmt: skip
@db_option
def restore(source: Path, mode: RestoreMode, db: str | None) -> None:
    """Rebuild the store from a backup, after checking every claim of the backup against its article."""
    print_json(restore_backup(source, db or default_store_location(), mode))


@click.command()
@click.argument("source", metavar="SRC")
@click.argument("destination", metavar="DST")
def migrate(source: str, destination: str) -> None:
    """Copy the whole store SRC into the empty store DST (each a TinyDB index file or a postgresql:// URL),
    then read DST back and compare: counts of each kind of record and a checksum of every record. Prints a
    JSON report; exit 1 if DST is not empty (nothing is written) or the copy is not equal."""
    report = copy_store(open_existing(source), open_repository(destination))
    print_json(report)
    if not report.equal:
        raise CopyNotEqual(report)


COMMANDS = (export, load, stats, check, backup, restore, migrate)
