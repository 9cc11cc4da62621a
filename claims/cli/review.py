"""Review: approve a claim's verdict (someone other than its rater), send it back with a comment, publish."""

from __future__ import annotations

import click

from claims.actions import approve as approve_claim
from claims.actions import publish as publish_claim
from claims.actions import send_back as send_back_claim
from claims.cli.options import by_option, confirm_option, db_option, open_claim, print_json
from claims.models import ClaimStatus

# Where a reviewer may send a claim back to (the workflow's back steps from needs review or approved).
BACK_TO = (ClaimStatus.IN_PROGRESS, ClaimStatus.NEEDS_REVIEW, ClaimStatus.NEW)


@click.group()
@click.argument("claim_id")
@click.pass_context
def review(ctx: click.Context, claim_id: str) -> None:
    """Review the claim CLAIM_ID: approve its verdict, or send it back with a comment."""
    ctx.obj = claim_id


@review.command()
@confirm_option
@click.option("--comment", default=None, help="Joins the claim's thread.")
@by_option
@db_option
@click.pass_obj
def approve(claim_id: str, evidence_confirmed: bool, comment: str | None, by: str, db: str | None) -> None:
    """Approve the verdict: refused when you set it (two-person review) or the claim does not wait for
    review, and, without --confirm-thin-evidence, when it rests on fewer than two independent sources."""
    repo, claim = open_claim(db, claim_id)
    print_json(approve_claim(repo, claim, by, evidence_confirmed=evidence_confirmed, comment=comment))


@review.command("send-back")
# Not required here: the workflow refuses a step back without a comment, in its own words.
@click.option("--comment", default="", help="Why: for the editor who picks it up (needed).")
@click.option("--to", "status", type=click.Choice([s.value for s in BACK_TO]),
              default=ClaimStatus.IN_PROGRESS.value, show_default=True)  # fmt: skip
@by_option
@db_option
@click.pass_obj
def send_back(claim_id: str, comment: str, status: str, by: str, db: str | None) -> None:
    """Send the claim back (to in_progress unless --to says otherwise) with a comment saying why."""
    repo, claim = open_claim(db, claim_id)
    print_json(send_back_claim(repo, claim, by, comment, ClaimStatus(status)))


@click.command()
@click.argument("claim_id")
@by_option
@db_option
def publish(claim_id: str, by: str, db: str | None) -> None:
    """Mark an approved claim published."""
    repo, claim = open_claim(db, claim_id)
    print_json(publish_claim(repo, claim, by))


COMMANDS = (review, publish)
