"""One claim: add it, change its labels, show it with its thread, print its history, comment on it,
assign it, delete it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from claims.actions import assign as assign_claim
from claims.actions import change_claim, comment_on
from claims.annotations import new_claim, parse_changes, parse_draft
from claims.cli.options import by_option, confirm_option, db_option, open_claim, print_json, stored_claim
from claims.evidence import EVIDENCE_LINE, parse_evidence_line, source_from
from claims.history import claim_history, entry_line
from claims.models import CheckFocus, ClaimStatus, ClaimType, Verdict
from claims.store import open_repository
from claims.workflow import new_comment


def _choice(
    vocabulary: type[ClaimType] | type[ClaimStatus] | type[Verdict] | type[CheckFocus],
) -> click.Choice[str]:
    return click.Choice([value.value for value in vocabulary])


def label_options(*, adding: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The labels `add` sets and `update` changes; for `update` an option left out changes nothing."""

    def default(value: str) -> str | None:
        return value if adding else None

    options = [
        click.option("--type", "claim_type", type=_choice(ClaimType), default=default("other")),
        click.option("--claimant", default=None,
                     help="Who made the claim." + ("" if adding else ' "" clears it.')),
        click.option("--source", "source_name", default=None, help="Whom the article cites, e.g. Reuters."),
        click.option("--source-url", default=None,
                     help="The cited source's web address; without --source it is named after its site."),
        click.option("--status", type=_choice(ClaimStatus), default=default("new")),
        click.option("--verdict", type=_choice(Verdict), default=default("unrated")),
        click.option("--assignee", default=None,
                     help="The editor who will check it." + ("" if adding else ' "" for nobody.')),
        click.option("--evidence", "evidence_lines", multiple=True, metavar="LINE",
                     help=f'One item a line, "{EVIDENCE_LINE}" (a bare URL will do); repeat for more.'
                     + ("" if adding else ' Replaces the claim\'s evidence ("" clears it).')),
        click.option("--claim-reviewed", default=None, help="The claim in one neutral sentence."),
        click.option("--conclusion", default=None, help="The check's conclusion, in one line."),
        click.option("--focus", "check_focus", type=_choice(CheckFocus), default=None,
                     help="Is the check about the content (is it true?) or the attribution (was it said?)."),
        click.option("--notes", default=default("")),
        click.option("--comment", default=None,
                     help="Starts the claim's thread." if adding else
                     "Joins the claim's thread; a step back (e.g. approved -> in_progress) needs one."),
    ]  # fmt: skip

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def _labels(source_name: str | None, source_url: str | None, evidence_lines: tuple[str, ...],
            fields: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    """The options given, as the fields of a draft or an edit (the one rule for sources and evidence)."""
    given = {name: value for name, value in fields.items() if value is not None}
    for name in ("claimant", "assignee"):  # "" clears them
        if name in given and not given[name].strip():
            given[name] = None
    if source_name is not None or source_url is not None:
        given["source"] = source_from(source_name, source_url)
    if evidence_lines:
        # A blank line gives no item: `--evidence ""` clears the evidence.
        lines = enumerate(evidence_lines, 1)
        given["evidence"] = [parse_evidence_line(line, n) for n, line in lines if line.strip()]
    return given


@click.command()
@click.option("--article", "article_id", required=True, help="The article's id (see `import`).")
@click.option("--start", type=int, required=True, help="First character of the span (0-based).")
@click.option("--end", type=int, required=True, help="One past the last character of the span.")
@click.option("--quote", default=None, help="If given, must equal the article text at the span.")
@label_options(adding=True)
@by_option
@db_option
def add(article_id: str, source_name: str | None, source_url: str | None, evidence_lines: tuple[str, ...],
        comment: str | None, by: str, db: str | None, **fields: Any) -> None:  # fmt: skip
    """Add a claim over a span of a stored article and print it as JSON. It starts as new or in_progress."""
    repo = open_repository(db)
    labels = _labels(source_name, source_url, evidence_lines, fields)
    draft = parse_draft({**labels, "article_id": article_id})
    claim = new_claim(repo.get_article(article_id), draft, by=by)
    if comment is not None:
        new_comment(by, comment)  # a blank or overlong comment refuses the claim before anything is written
    repo.add_claim(claim)
    print_json(comment_on(repo, claim, by, comment) if comment is not None else claim)


@click.command()
@click.argument("claim_id")
@click.option("--article", "article_id", default=None, help="The claim's article id (not needed).")
@click.option("--expected-version", type=int, default=None,
              help="The version you started from: refused if someone saved the claim since. "
                   "Default: the claim as it is now.")  # fmt: skip
@label_options(adding=False)
@confirm_option
@by_option
@db_option
def update(claim_id: str, article_id: str | None, expected_version: int | None, source_name: str | None,
           source_url: str | None, evidence_lines: tuple[str, ...], comment: str | None,
           evidence_confirmed: bool, by: str, db: str | None, **fields: Any) -> None:  # fmt: skip
    """Change a claim's labels under the workflow's rules and print it as JSON."""
    repo = open_repository(db)
    claim = stored_claim(repo, claim_id, article_id)
    changes = parse_changes(_labels(source_name, source_url, evidence_lines, fields))
    saved = change_claim(
        repo,
        claim,
        changes,
        by,
        expected_version=expected_version,
        comment=comment,
        evidence_confirmed=evidence_confirmed,
    )
    print_json(saved)


@click.command()
@click.argument("claim_id")
@db_option
def show(claim_id: str, db: str | None) -> None:
    """Print a claim as JSON, with its comment thread and history."""
    _, claim = open_claim(db, claim_id)
    print_json(claim)


@click.command()
@click.argument("claim_id")
@click.option("--lines", is_flag=True, help="One line an entry, for reading, instead of JSON.")
@db_option
def history(claim_id: str, lines: bool, db: str | None) -> None:
    """Print a claim's timeline as JSON, oldest first: each change (who, when, field old -> new, the comment
    given) and each comment; a deleted claim's comes from its deletion record and ends with the deletion."""
    timeline = claim_history(open_repository(db), claim_id)
    if not lines:
        print_json(timeline)
        return
    for entry in timeline.entries:
        click.echo(entry_line(entry))


@click.command()
@click.argument("claim_id")
@click.argument("text")
@by_option
@db_option
def comment(claim_id: str, text: str, by: str, db: str | None) -> None:
    """Add TEXT to a claim's thread; "@Ana Ruiz" or "@ana" puts the claim in that editor's My claims."""
    repo, claim = open_claim(db, claim_id)
    print_json(comment_on(repo, claim, by, text))


@click.command()
@click.argument("claim_id")
@click.argument("name", required=False)
@click.option("--nobody", is_flag=True, help="Take the claim away from whoever has it.")
@by_option
@db_option
def assign(claim_id: str, name: str | None, nobody: bool, by: str, db: str | None) -> None:
    """Give a claim to the editor NAME (or to nobody) and print it as JSON."""
    if (name is None) == (not nobody):
        raise click.UsageError("give either NAME or --nobody")
    repo, claim = open_claim(db, claim_id)
    print_json(assign_claim(repo, claim, None if nobody else name, by))


@click.command()
@click.argument("claim_id")
@by_option
@db_option
def delete(claim_id: str, by: str, db: str | None) -> None:
    """Delete a claim (recorded as deleted by you: `claims history` still prints its history)."""
    repo, claim = open_claim(db, claim_id)
    deleted = repo.delete_claim(claim.article_id, claim.id, by=by)
    print_json({"deleted_claim": deleted.id, "article_id": deleted.article_id, "quote": deleted.quote})


COMMANDS = (add, update, show, history, comment, assign, delete)
