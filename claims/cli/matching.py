"""Has this been checked before? Match a text, or many, against the store's known fact-checks and the
desk's rated claims."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from claims.cli.options import db_option, print_json
from claims.match.desk import checked_before, checked_before_many
from claims.models import FactCheckMatch
from claims.store import open_repository

# What a match shows: the date and the desk claim's article are left to the app.
_SHOWN = ("factcheck_id", "claim", "title", "rating", "url", "publisher", "score", "source")
# Queries matched together: their embeddings in one product, and a bounded memory whatever the file's size.
_BATCH = 256


def shown(match: FactCheckMatch) -> dict[str, Any]:
    return match.model_dump(mode="json", include=set(_SHOWN))


def _query(line: str) -> tuple[str, str]:
    """A line's id and text; ValueError says what is wrong with it."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON ({error.msg})") from None
    if not isinstance(record, dict):
        raise ValueError('expected an object like {"id": "q1", "text": "..."}')
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError('"text" must be a non-empty string')
    query_id = record.get("id")
    if not isinstance(query_id, str | int) or isinstance(query_id, bool):
        raise ValueError('"id" must be a string or a number')
    return str(query_id), text


@click.command("match")
@click.argument("text", required=False)
@click.option("--queries", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help='A JSON Lines file of {"id", "text"}, instead of TEXT.')  # fmt: skip
@click.option("--top", type=click.IntRange(min=1, max=100), default=5, show_default=True,
              help="At most this many matches per text.")  # fmt: skip
@db_option
def match(text: str | None, queries: Path | None, top: int, db: str | None) -> None:
    """Has this been checked before? Prints {"matches": [...]} best first, each with factcheck_id, claim,
    title, rating, url, publisher, score (0..1; 0.5 and above: probably the same claim) and source
    ("imported" or "store", the desk's own rated claim). With --queries, one line {"id", "matches"} per
    query; a bad line is named on stderr, the others still matched, and the exit status is then 1."""
    if (text is None) == (queries is None):
        raise click.UsageError("give either TEXT or --queries FILE")
    repo = open_repository(db)
    if text is not None:
        print_json({"matches": [shown(found) for found in checked_before(repo, text, top=top)]})
        return
    assert queries is not None
    failed = 0
    batch: list[tuple[str, str]] = []

    def flush() -> None:
        found = checked_before_many(repo, [query for _, query in batch], top)
        for (query_id, _), matches in zip(batch, found, strict=True):
            click.echo(
                json.dumps({"id": query_id, "matches": [shown(m) for m in matches]}, ensure_ascii=False)
            )
        batch.clear()

    with queries.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                batch.append(_query(line))
            except ValueError as error:
                failed += 1
                click.echo(f"line {number} of {queries.name}: {error}", err=True)
                continue
            if len(batch) >= _BATCH:
                flush()
    flush()
    if failed:
        raise click.ClickException(f"{failed} line{'s' if failed > 1 else ''} of {queries.name} not matched")


COMMANDS = (match,)
