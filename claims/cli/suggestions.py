"""Suggestions: propose check-worthy claims, and accept (as claims) or reject them by number."""

from __future__ import annotations

import json
from pathlib import Path

import click

from claims.cli.options import by_option, db_option, print_json
from claims.formats.articles import read_article_file
from claims.models import Suggestion
from claims.store import open_repository
from claims.suggest.numbering import numbered_suggestions, pick_open
from claims.suggest.review import accept_suggestions, reject_suggestions, suggested_fields


@click.command()
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--article", "article_id", default=None, help="A stored article's id, instead of FILE.")
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Only suggestions scoring at least this (0.5 and above: worth checking).")  # fmt: skip
@db_option
def suggest(file: Path | None, article_id: str | None, min_score: float, db: str | None) -> None:
    """Propose check-worthy claims with offsets, type, claimant, cue, score and reason, as JSON. Each has a
    number (1 for the first, whatever --min-score), by which `claims suggestions` accepts or rejects it."""
    if (file is None) == (article_id is None):
        raise click.UsageError("give either FILE or --article ID")
    articles = read_article_file(file) if file else [open_repository(db).get_article(str(article_id))]
    for article in articles:
        shaped = {
            "sentences": [sentence.model_dump() for sentence in article.sentences],
            "suggestions": [
                {"number": number, **suggestion.model_dump(mode="json")}
                for number, suggestion in enumerate(numbered_suggestions(article), 1)
                if suggestion.score >= min_score
            ],
        }
        if len(articles) == 1:
            print_json(shaped)
        else:
            click.echo(json.dumps(shaped, ensure_ascii=False))


@click.group()
def suggestions() -> None:
    """Accept or reject a stored article's suggestions, numbered as `claims suggest --article` lists them."""


@suggestions.command()
@click.argument("article_id")
@click.argument("numbers", nargs=-1, required=True, type=click.IntRange(min=1))
@by_option
@db_option
def accept(article_id: str, numbers: tuple[int, ...], by: str, db: str | None) -> None:
    """Turn the suggestions NUMBERS into claims with their proposed type and claimant, all in one write;
    prints the claims as JSON."""
    repo = open_repository(db)
    article = repo.get_article(article_id)
    chosen = [(suggestion, suggested_fields(suggestion)) for suggestion in pick_open(repo, article, numbers)]
    print_json([claim.model_dump(mode="json") for claim in accept_suggestions(repo, article, chosen, by=by)])


@suggestions.command()
@click.argument("article_id")
@click.argument("numbers", nargs=-1, required=True, type=click.IntRange(min=1))
@by_option
@db_option
def reject(article_id: str, numbers: tuple[int, ...], by: str, db: str | None) -> None:
    """Reject the suggestions NUMBERS: never suggested again for this article. Prints how many."""
    repo = open_repository(db)
    article = repo.get_article(article_id)
    picked: list[Suggestion] = pick_open(repo, article, numbers)
    print_json({"rejected": reject_suggestions(repo, article, picked, by=by)})


COMMANDS = (suggest, suggestions)
