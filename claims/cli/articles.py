"""Articles: split one into sentences, import files, list what is stored, delete one with its claims."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from pydantic_core import to_jsonable_python

from claims.article_listing import article_rows
from claims.cli.options import by_option, db_option, print_json
from claims.errors import printable
from claims.formats.articles import read_article_file
from claims.formats.importing import import_paths
from claims.models import ArticleQuery, ArticleSort, ImportResult
from claims.store import open_repository


@click.command()
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
            print_json(shaped)
        else:
            click.echo(json.dumps(shaped, ensure_ascii=False))


@click.command("import")
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


@click.command("articles")
@click.option("--text", default="", help="In title, source file, URL or id (any case).")
@click.option("--claims", "with_claims", type=click.Choice(["any", "none", "some"]), default="any",
              show_default=True, help="Only articles without claims (none) or with some.")  # fmt: skip
@click.option("--sort", type=click.Choice([s.value for s in ArticleSort]),
              default=ArticleSort.IMPORTED_DESC.value, show_default=True)  # fmt: skip
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many matching articles.")
@click.option("--limit", type=click.IntRange(1, 1000), default=100, show_default=True)
@db_option
def articles(text: str, with_claims: str, sort: str, offset: int, limit: int, db: str | None) -> None:
    """Print a page of stored articles as JSON Lines, as the Articles page lists them (claims, their
    statuses, who touched them last); the number matching goes to stderr."""
    query = ArticleQuery.model_validate(
        {"text": text, "claims": with_claims, "sort": sort, "offset": offset, "limit": limit}
    )
    page = open_repository(db).query_articles(query)
    for row, shaped in zip(page.rows, article_rows(page.rows), strict=True):
        shaped["by_status"] = row.by_status
        click.echo(json.dumps(to_jsonable_python(shaped), ensure_ascii=False))
    click.echo(f"{len(page.rows)} of {page.total} matching articles", err=True)


@click.command("delete-article")
@click.argument("article_id")
@by_option
@db_option
def delete_article(article_id: str, by: str, db: str | None) -> None:
    """Delete a stored article with its claims and suggestion decisions (recorded as deleted by you);
    prints how many claims went with it."""
    deleted = open_repository(db).delete_article(article_id, by=by)
    print_json({"deleted_article": article_id, "deleted_claims": deleted})
    click.echo(f"deleted article {article_id} and its {deleted} claim{'s' * (deleted != 1)}", err=True)


COMMANDS = (split, import_, articles, delete_article)
