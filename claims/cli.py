"""`python -m claims`: parse arguments, call the core, print JSON or one line per result."""

from __future__ import annotations

import getpass
import json
import os
import sys
from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn

import click
from pydantic import BaseModel, ValidationError

from claims.annotations import apply_changes, new_claim, parse_changes, parse_draft
from claims.backup import RestoreMode, restore_backup, write_backup
from claims.change_sets import set_status_of_matching
from claims.errors import ClaimsError, printable
from claims.formats.articles import read_article_file
from claims.formats.claimreview import ReviewPublisher, render_claimreview
from claims.formats.export import EXPORT_FORMATS, ExportFormat, export_chunks, export_records
from claims.formats.importing import import_paths
from claims.formats.loading import merge_export, read_loadable_file
from claims.formats.output import write_output
from claims.integrity import check_location, open_existing
from claims.models import (
    ClaimFilter,
    ClaimQuery,
    ClaimSort,
    ClaimStatus,
    ClaimType,
    ImportResult,
    Verdict,
    utc_now,
)
from claims.stats import store_stats
from claims.store import default_store_location, open_repository
from claims.store.copying import CopyNotEqual, copy_store
from claims.suggest.engine import suggest_claims


class _CoreErrorsAsMessages(click.Group):
    """Turns the core's typed errors into click's one-line 'Error: ...' and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ClaimsError as error:
            raise click.ClickException(str(error)) from None


def _default_editor() -> str:
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
    "--by", default=_default_editor, show_default="$CLAIMS_EDITOR or your login", help="Editor name."
)


def _print_json(data: Any) -> None:
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json")
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(cls=_CoreErrorsAsMessages)
@click.version_option(package_name="claim-annotator")
def cli() -> None:
    """Find, label, store and export the check-worthy claims in news articles."""


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def split(file: Path) -> None:
    """Print an article's sentences with exact offsets, as JSON (JSON Lines for several articles)."""
    articles = read_article_file(file)
    for article in articles:
        shaped = {
            "title": article.title,
            "date": article.date.isoformat() if article.date else None,
            "url": article.url,
            "text": article.text,
            "sentences": [sentence.model_dump() for sentence in article.sentences],
        }
        if len(articles) == 1:
            _print_json(shaped)
        else:
            click.echo(json.dumps(shaped, ensure_ascii=False))


@cli.command()
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--article", "article_id", default=None, help="A stored article's id, instead of FILE.")
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Only suggestions scoring at least this (0.5 and above: worth checking).")  # fmt: skip
@db_option
def suggest(file: Path | None, article_id: str | None, min_score: float, db: str | None) -> None:
    """Propose check-worthy claims with offsets, type, claimant, cue, score and reason, as JSON."""
    if (file is None) == (article_id is None):
        raise click.UsageError("give either FILE or --article ID")
    articles = read_article_file(file) if file else [open_repository(db).get_article(str(article_id))]
    for article in articles:
        suggestions = suggest_claims(article.text, article.sentences, min_score=min_score)
        shaped = {
            "sentences": [sentence.model_dump() for sentence in article.sentences],
            "suggestions": [suggestion.model_dump(mode="json") for suggestion in suggestions],
        }
        if len(articles) == 1:
            _print_json(shaped)
        else:
            click.echo(json.dumps(shaped, ensure_ascii=False))


@cli.command("import")
# Paths are not checked here: a missing one is a "failed" line of its own and the other paths go on.
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@by_option
def import_(paths: tuple[Path, ...], db: str | None, by: str) -> None:
    """Store articles from files or folders; one line per file. Exit 1 if any failed."""
    results = import_paths(open_repository(db), paths, by=by)
    for result in results:
        click.echo(_describe_import(result))
    if any(result.status == "failed" for result in results):
        sys.exit(1)


def _describe_import(result: ImportResult) -> str:
    """One line, whatever the file name or title holds: control characters are printed as escapes."""
    if result.status == "failed":
        return f"failed           {printable(result.message)}"
    label = "imported" if result.status == "imported" else "already present"
    title = f"  {result.title}" if result.title else ""
    return printable(f"{label:<16} {result.article_id}  {result.source}{title}")


@cli.command()
@click.option("--article", "article_id", required=True, help="The article's id (see `import`).")
@click.option("--start", type=int, required=True, help="First character of the span (0-based).")
@click.option("--end", type=int, required=True, help="One past the last character of the span.")
@click.option("--type", "claim_type", type=click.Choice([t.value for t in ClaimType]), default="other")
@click.option("--quote", default=None, help="If given, must equal the article text at the span.")
@click.option("--claimant", default=None, help="Who made the claim.")
@click.option("--source", "source_name", default=None, help="Whom the article cites, e.g. Reuters.")
@click.option("--source-url", default=None, help="The cited source's web address.")
@click.option("--status", type=click.Choice([s.value for s in ClaimStatus]), default="new")
@click.option("--verdict", type=click.Choice([v.value for v in Verdict]), default="unrated")
@click.option("--assignee", default=None, help="The editor who will check it.")
@click.option("--evidence", "evidence_urls", multiple=True, help="An evidence link; repeat for more.")
@click.option("--notes", default="")
@by_option
@db_option
def add(article_id: str, source_name: str | None, source_url: str | None, evidence_urls: tuple[str, ...],
        by: str, db: str | None, **fields: Any) -> None:  # fmt: skip
    """Add a claim over a span of a stored article and print it as JSON."""
    repo = open_repository(db)
    draft = parse_draft(
        {
            **fields,
            "article_id": article_id,
            "source": _source(source_name, source_url),
            "evidence": [{"url": url} for url in evidence_urls],
        }
    )
    claim = new_claim(repo.get_article(article_id), draft, by=by)
    repo.add_claim(claim)
    _print_json(claim)


def _source(name: str | None, url: str | None) -> dict[str, str | None] | None:
    if url and not name:
        raise click.UsageError("--source-url needs --source NAME as well")
    return {"name": name, "url": url} if name else None


@cli.command()
@click.argument("claim_id")
@click.option("--article", "article_id", required=True, help="The claim's article id.")
@click.option("--expected-version", type=int, required=True, help="The version you started from.")
@click.option("--type", "claim_type", type=click.Choice([t.value for t in ClaimType]))
@click.option("--claimant", default=None)
@click.option("--status", type=click.Choice([s.value for s in ClaimStatus]))
@click.option("--verdict", type=click.Choice([v.value for v in Verdict]))
@click.option("--assignee", default=None, help="The editor who will check it.")
@click.option("--notes", default=None)
@by_option
@db_option
def update(claim_id: str, article_id: str, expected_version: int, by: str, db: str | None,
           **fields: Any) -> None:  # fmt: skip
    """Change a claim's labels; refused if someone saved it after --expected-version."""
    changes = parse_changes({name: value for name, value in fields.items() if value is not None})
    edit = apply_changes(changes, expected_version, by)
    _print_json(open_repository(db).update_claim(article_id, claim_id, edit))


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
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _chosen(filters: dict[str, Any]) -> ClaimFilter:
    try:
        return ClaimFilter.model_validate({name: value for name, value in filters.items() if value})
    except ValidationError as error:
        raise click.UsageError(str(error)) from None


@cli.command("list")
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
        filter=_chosen(filters),
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


@cli.command("set-status")
@click.argument("status", type=click.Choice([s.value for s in ClaimStatus]))
@filter_options
@click.option("--all", "every", is_flag=True, help="Needed to change every claim (no filter given).")
@by_option
@db_option
def set_status(status: str, every: bool, by: str, db: str | None, **filters: Any) -> None:
    """Set the status of every claim matching the filters, in one write (all or nothing); prints
    {"changed", "refused", "claims": [ids]}."""
    chosen = _chosen(filters)
    if chosen == ClaimFilter() and not every:
        raise click.UsageError("no filter given: add --all to change every claim in the store")
    outcome = set_status_of_matching(open_repository(db), chosen, ClaimStatus(status), by, asked_at=utc_now())
    _print_json(
        {
            "changed": len(outcome.applied),
            "refused": [refused.model_dump() for refused in outcome.refused],
            "claims": [applied.after.id for applied in outcome.applied],
        }
    )


@cli.command()
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
    show_default="$CLAIMS_PUBLISHER",
    help="claimreview: the desk or organisation publishing the reviews (their author).",
)
@click.option(
    "--publisher-url",
    default=None,
    show_default="$CLAIMS_PUBLISHER_URL",
    help="claimreview: the publisher's web address.",
)
@click.option(
    "--review-url",
    default=None,
    show_default="$CLAIMS_REVIEW_URL",
    help="claimreview: each fact check's page; {id} is replaced by the claim id.",
)
@db_option
def export(fmt: ExportFormat, output: Path | None, publisher: str | None, publisher_url: str | None,
           review_url: str | None, db: str | None) -> None:  # fmt: skip
    """Write every article and claim as one export (JSON document, JSON Lines, CSV or ClaimReview)."""
    repo = open_repository(db)
    if fmt == "claimreview":
        configured = ReviewPublisher.from_environment()
        chosen = ReviewPublisher(
            name=publisher or configured.name,
            url=publisher_url or configured.url,
            review_url=review_url or configured.review_url,
        )
        chunks: Iterable[bytes] = (render_claimreview(export_records(repo).claims, chosen),)
    elif publisher or publisher_url or review_url:
        raise click.UsageError("--publisher, --publisher-url and --review-url apply to --format claimreview")
    else:
        chunks = export_chunks(repo, fmt)
    if output is None:
        for chunk in chunks:
            click.echo(chunk, nl=False)
    else:
        write_output(output, chunks)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
def load(file: Path, db: str | None) -> None:
    """Merge an export back into the store; prints what was added, updated and skipped."""
    export = read_loadable_file(file)  # before opening the store: a bad file must not create one
    _print_json(merge_export(open_repository(db), export, file.name))


@cli.command()
@db_option
def stats(db: str | None) -> None:
    """Print counts of articles, sentences and claims by status, verdict and type."""
    _print_json(store_stats(open_repository(db)))


@cli.command()
@db_option
def check(db: str | None) -> None:
    """Check every article and claim of the store; print a JSON report, exit 1 on any problem."""
    report = check_location(db or default_store_location())
    _print_json(report)
    if not report.ok:
        sys.exit(1)


@cli.command()
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
    _print_json(write_backup(repo, folder))


@cli.command()
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
    _print_json(restore_backup(source, db or default_store_location(), mode))


@cli.command()
@click.argument("source", metavar="SRC")
@click.argument("destination", metavar="DST")
def migrate(source: str, destination: str) -> None:
    """Copy the whole store SRC into the empty store DST (each a TinyDB index file or a postgresql:// URL),
    then read DST back and compare: counts of each kind of record and a checksum of every record. Prints a
    JSON report; exit 1 if DST is not empty (nothing is written) or the copy is not equal."""
    report = copy_store(open_existing(source), open_repository(destination))
    _print_json(report)
    if not report.equal:
        raise CopyNotEqual(report)


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
