"""The desk's workflow: which status may follow which, who may approve a verdict, and what every change
leaves in a claim's history.

Every door that changes a claim (the claim panel, the Claims table, bulk changes, the CLI) builds its
edit with `claims.annotations.apply_changes`, which calls `advance` here; so the rules below hold
whichever door, and whichever backend, a change comes through. Loading an export restores records as
they were and does not replay the rules.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from claims.errors import (
    CommentRequired,
    InvalidClaim,
    NotAStep,
    SelfApproval,
    UnconfirmedEvidence,
    WorkflowError,
)
from claims.evidence import independent_sources
from claims.labels import label
from claims.models import Claim, ClaimEvent, ClaimStatus, Comment, ValueChange, Verdict

NEW = ClaimStatus.NEW
IN_PROGRESS = ClaimStatus.IN_PROGRESS
NEEDS_REVIEW = ClaimStatus.NEEDS_REVIEW
APPROVED = ClaimStatus.APPROVED
PUBLISHED = ClaimStatus.PUBLISHED
DROPPED = ClaimStatus.DROPPED


class Step(StrEnum):
    """How a status change moves a claim: forward, or back (which needs a comment saying why)."""

    FORWARD = "forward"
    BACK = "back"


# The workflow: new -> in progress -> needs review -> approved -> published; dropped from any status;
# every step back (sending a claim back, unpublishing, reopening a dropped claim) needs a comment.
# A change to the same status is no step at all.
TRANSITIONS: dict[ClaimStatus, dict[ClaimStatus, Step]] = {
    NEW: {IN_PROGRESS: Step.FORWARD, DROPPED: Step.FORWARD},
    IN_PROGRESS: {NEEDS_REVIEW: Step.FORWARD, DROPPED: Step.FORWARD, NEW: Step.BACK},
    NEEDS_REVIEW: {APPROVED: Step.FORWARD, DROPPED: Step.FORWARD, IN_PROGRESS: Step.BACK, NEW: Step.BACK},
    APPROVED: {
        PUBLISHED: Step.FORWARD,
        DROPPED: Step.FORWARD,
        NEEDS_REVIEW: Step.BACK,
        IN_PROGRESS: Step.BACK,
        NEW: Step.BACK,
    },
    PUBLISHED: {
        DROPPED: Step.FORWARD,
        APPROVED: Step.BACK,
        NEEDS_REVIEW: Step.BACK,
        IN_PROGRESS: Step.BACK,
        NEW: Step.BACK,
    },
    DROPPED: {NEW: Step.BACK, IN_PROGRESS: Step.BACK},
}
# What a claim may start as: nothing is rated, reviewed or published the moment it is marked.
FIRST_STATUSES = frozenset({NEW, IN_PROGRESS})
# Statuses whose verdict has been approved: it cannot change without sending the claim back first.
SETTLED = frozenset({APPROVED, PUBLISHED})
# Claims nobody has to do anything more with ("My claims" leaves them out).
CLOSED = frozenset({PUBLISHED, DROPPED})
COMMENT_LIMIT = 5000
# How many sources with different publishers or domains a verdict should rest on.
ENOUGH_SOURCES = 2


def next_statuses(status: ClaimStatus) -> list[ClaimStatus]:
    """The statuses a claim with `status` may move to, in workflow order (what a status menu offers)."""
    allowed = TRANSITIONS[status]
    return [candidate for candidate in ClaimStatus if candidate in allowed]


def step_of(before: ClaimStatus, after: ClaimStatus) -> Step:
    """Which step `before -> after` is; NotAStep when the table has no such move."""
    step = TRANSITIONS[before].get(after)
    if step is None:
        allowed = ", ".join(label(status) for status in next_statuses(before))
        raise NotAStep(
            f"a claim cannot go from {label(before)} to {label(after)}: from {label(before)} it can go to "
            f"{allowed} (new -> in progress -> needs review -> approved -> published)"
        )
    return step


def check_first_status(status: ClaimStatus) -> None:
    """Refuse to create a claim that is already further on than being worked on."""
    if status not in FIRST_STATUSES:
        raise NotAStep(
            f"a new claim starts as new or in progress, not {label(status)}: it reaches {label(status)} "
            "through the workflow (needs review, then another editor's approval)"
        )


def thin_evidence(claim: Claim) -> bool:
    """Whether a rated claim rests on fewer than ENOUGH_SOURCES independent sources."""
    return claim.verdict is not Verdict.UNRATED and independent_sources(claim.evidence) < ENOUGH_SOURCES


def may_review(claim: Claim, editor: str) -> bool:
    """Whether `editor` may approve the claim's verdict now (it waits for review and they did not rate it)."""
    return claim.status is NEEDS_REVIEW and claim.rated_by != editor


def is_mine(claim: Claim, editor: str) -> bool:
    """Whether the claim belongs in the editor's "My claims" (see ClaimFilter.mine)."""
    if not editor or claim.status in CLOSED:
        return False
    return claim.assignee == editor or editor in claim.mentioned or may_review(claim, editor)


def advance(
    before: Claim,
    after: Claim,
    by: str,
    at: dt.datetime,
    *,
    changed: Iterable[str],
    comment: Comment | None = None,
    evidence_confirmed: bool = False,
) -> Claim:
    """`after` (before with an editor's changes applied and its version bumped) checked against the
    workflow and stamped: who rated and approved it, since when it has its status, the comment added to its
    thread, and one event at the end of its history.

    Raises NotAStep for a move the table does not allow, CommentRequired for a step back without a
    comment, SelfApproval when the editor who set the verdict approves it, UnconfirmedEvidence when an
    approval of a thinly sourced verdict is not confirmed, and WorkflowError for a verdict changed on an
    approved claim or a claim sent to review (or approved) without one.
    """
    fields = list(changed)
    stamps: dict[str, Any] = {}
    verdict_changed = after.verdict is not before.verdict
    if verdict_changed:
        if after.status in SETTLED:
            raise WorkflowError(
                f"the verdict of a claim that is {label(after.status)} cannot change: send it back to "
                "in progress (with a comment) first, so that the new verdict is reviewed"
            )
        rated = after.verdict is not Verdict.UNRATED
        stamps |= {"rated_by": by if rated else None, "rated_at": at if rated else None}
    rater = stamps.get("rated_by", before.rated_by)
    if after.status is not before.status:
        _check_step(before, after, by, rater, comment, evidence_confirmed)
        stamps["status_since"] = at
        if after.status is APPROVED:
            stamps |= {"approved_by": by, "approved_at": at}
        elif after.status is PUBLISHED:
            if before.published_at is None:
                stamps |= {"published_by": by, "published_at": at}
        else:
            stamps |= {"approved_by": None, "approved_at": None}
    event = ClaimEvent(
        version=after.version,
        by=by,
        at=at,
        changes=[ValueChange(field=name, old=_json(before, name), new=_json(after, name)) for name in fields],
        comment=comment.text if comment else None,
    )
    thread = [*before.comments, comment] if comment else before.comments
    return after.model_copy(update=stamps | {"comments": thread, "history": [*before.history, event]})


def _check_step(
    before: Claim,
    after: Claim,
    by: str,
    rater: str | None,
    comment: Comment | None,
    evidence_confirmed: bool,
) -> None:
    step = step_of(before.status, after.status)
    if step is Step.BACK and comment is None:
        raise CommentRequired(
            f"moving a claim back from {label(before.status)} to {label(after.status)} needs a comment "
            "saying why, for the editor who picks it up"
        )
    if after.status in (NEEDS_REVIEW, APPROVED) and after.verdict is Verdict.UNRATED:
        raise WorkflowError(
            f"a claim without a verdict cannot be {label(after.status)}: set its verdict first"
        )
    if after.status is APPROVED:
        if rater is not None and rater == by:
            raise SelfApproval(
                f"{by} set this claim's verdict ({label(after.verdict)}), so another editor must approve it "
                "(two-person review)"
            )
        if not evidence_confirmed and thin_evidence(after):
            sources = independent_sources(after.evidence)
            raise UnconfirmedEvidence(
                f"the verdict rests on {sources} independent source{'s' * (sources != 1)} (fewer than "
                f"{ENOUGH_SOURCES} publishers or sites): confirm that this is enough to approve it"
            )


def new_comment(by: str, text: str, mentions: Iterable[str] = (), at: dt.datetime | None = None) -> Comment:
    """A comment for a claim's thread, its text stripped; InvalidClaim for a blank or overlong one."""
    if not text.strip():
        raise InvalidClaim("comment", text, "a comment needs some text")
    if len(text.strip()) > COMMENT_LIMIT:
        raise InvalidClaim("comment", text[:40] + "…", f"longer than {COMMENT_LIMIT} characters")
    return Comment(
        id=uuid.uuid4().hex,
        by=by,
        at=at or dt.datetime.now(dt.UTC),
        text=text.strip(),
        mentions=list(mentions),
    )


def _json(claim: Claim, name: str) -> Any:
    return claim.model_dump(mode="json", include={name})[name]


_MENTION_END = re.compile(r"(?![\w-])")
_MENTION_WORD = re.compile(r"\w[\w.-]*\w|\w")


def find_mentions(text: str, editors: Iterable[str]) -> list[str]:
    """The editors a comment mentions with "@": a known editor's name (the longest that fits, any case,
    spaces allowed: "@Ana Ruiz"), else the word after the "@"; in order, each once."""
    known = sorted({name for name in editors if name.strip()}, key=len, reverse=True)
    found: dict[str, None] = {}
    for position, char in enumerate(text):
        if char != "@" or (position and (text[position - 1].isalnum() or text[position - 1] == "_")):
            continue  # an e-mail address, not a mention
        rest = text[position + 1 :]
        for name in known:
            if rest[: len(name)].casefold() == name.casefold() and _MENTION_END.match(rest, len(name)):
                found[name] = None
                break
        else:
            word = _MENTION_WORD.match(rest)
            if word:
                found[word.group()] = None
    return list(found)
