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
from claims.suggest.numbering import numbered_suggestions, open_like, pick_open
from claims.suggest.ranking import SuggestionView
from claims.suggest.review import accept_suggestions, open_in_view, reject_suggestions, suggested_fields
from claims.suggest.scores import score_in_words


@click.command()
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--article", "article_id", default=None, help="A stored article's id, instead of FILE.")
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="Every claim worth checking (one suggestion each), not only the best third of the sentences.",
)
@click.option("--min-score", type=click.FloatRange(0, 1), default=None,
              help="Every candidate scoring at least this, overlaps too (0: all of them).")  # fmt: skip
@db_option
def suggest(
    file: Path | None, article_id: str | None, show_all: bool, min_score: float | None, db: str | None
) -> None:
    """Propose check-worthy claims with offsets, type, claimant, source, cue, score and reason, as JSON: by
    default what the Annotate page shows, one suggestion per claim on the best third of the sentences.
    Each has a number (1 for the first of every candidate, whatever is shown), by which `claims
    suggestions` accepts or rejects it."""
    if (file is None) == (article_id is None):
        raise click.UsageError("give either FILE or --article ID")
    if show_all and min_score is not None:
        raise click.UsageError("give --all or --min-score, not both")
    repo: Repository | None = None
    if file is not None:
        articles = read_article_file(file)
    else:
        repo = open_repository(db)
        articles = [repo.get_article(str(article_id))]
    view = SuggestionView.ALL if show_all else SuggestionView.BEST
    for article in articles:
        every = numbered_suggestions(article)
        number_of = {suggestion.key: number for number, suggestion in enumerate(every, 1)}
        if min_score is not None:
            shown = [s for s in every if s.score >= min_score]
        else:
            claims = [] if repo is None else repo.list_claims(article.id)
            decisions = [] if repo is None else repo.list_decisions(article.id)
            shown = open_in_view(every, claims, decisions, len(article.sentences), view)
        shaped = {
            "sentences": [sentence.model_dump() for sentence in article.sentences],
            "suggestions": [
                {
                    "number": number_of[s.key],
                    **s.model_dump(mode="json"),
                    "in_words": score_in_words(s.score),
                }
                for s in shown
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
                     help="Every open suggestion of suggestion N's type (one per claim, scoring 0.5 or "
                          "more, as claims suggest --all lists them), instead of NUMBERS."),
        click.option("--in-sentence", is_flag=True,
                     help="With --like: only those in suggestion N's sentence."),
        click.option("--low-scores", is_flag=True,
                     help="With --like: every candidate, low-scoring and overlapping ones too."),
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
    view = SuggestionView.EVERY_CANDIDATE if low_scores else SuggestionView.ALL
    return open_like(repo, article, like, in_sentence=in_sentence, view=view)


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
