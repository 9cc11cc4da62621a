"""Suggestions: propose check-worthy claims, and accept (as claims) or reject them by number."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from claims.cli.options import by_option, db_option, print_json
from claims.formats.articles import read_article_file
from claims.models import Article, Suggestion
from claims.store import open_repository
from claims.store.contract import Repository
from claims.suggest.engine import WORTH_CHECKING
from claims.suggest.numbering import numbered_suggestions, open_like, pick_open
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


def like_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The panel's "every suggestion like this one": of its type, in the article or in its sentence."""
    options = [
        click.option("--like", type=click.IntRange(min=1), default=None, metavar="N",
                     help="Every open suggestion of suggestion N's type (scoring 0.5 or more), "
                          "instead of NUMBERS."),
        click.option("--in-sentence", is_flag=True,
                     help="With --like: only those in suggestion N's sentence."),
        click.option("--low-scores", is_flag=True, help="With --like: low-scoring suggestions too."),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


def _picked(repo: Repository, article: Article, numbers: tuple[int, ...], like: int | None, in_sentence: bool,
            low_scores: bool) -> list[Suggestion]:  # fmt: skip
    if bool(numbers) == (like is not None):
        raise click.UsageError("give either NUMBERS or --like N")
    if like is None:
        if in_sentence or low_scores:
            raise click.UsageError("--in-sentence and --low-scores go with --like")
        return pick_open(repo, article, numbers)
    return open_like(
        repo, article, like, in_sentence=in_sentence, min_score=0.0 if low_scores else WORTH_CHECKING
    )


@suggestions.command()
@click.argument("article_id")
@click.argument("numbers", nargs=-1, type=click.IntRange(min=1))
@like_options
@by_option
@db_option
def accept(article_id: str, numbers: tuple[int, ...], like: int | None, in_sentence: bool, low_scores: bool,
           by: str, db: str | None) -> None:  # fmt: skip
    """Turn the suggestions NUMBERS (or those --like one) into claims with their proposed type and
    claimant, all in one write; prints the claims as JSON."""
    repo = open_repository(db)
    article = repo.get_article(article_id)
    picked = _picked(repo, article, numbers, like, in_sentence, low_scores)
    chosen = [(suggestion, suggested_fields(suggestion)) for suggestion in picked]
    print_json([claim.model_dump(mode="json") for claim in accept_suggestions(repo, article, chosen, by=by)])


@suggestions.command()
@click.argument("article_id")
@click.argument("numbers", nargs=-1, type=click.IntRange(min=1))
@like_options
@by_option
@db_option
def reject(article_id: str, numbers: tuple[int, ...], like: int | None, in_sentence: bool, low_scores: bool,
           by: str, db: str | None) -> None:  # fmt: skip
    """Reject the suggestions NUMBERS (or those --like one): never suggested again for this article.
    Prints how many."""
    repo = open_repository(db)
    article = repo.get_article(article_id)
    picked = _picked(repo, article, numbers, like, in_sentence, low_scores)
    print_json({"rejected": reject_suggestions(repo, article, picked, by=by)})


COMMANDS = (suggest, suggestions)
