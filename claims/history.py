"""A claim's timeline, oldest first: every change (who, when, field old -> new, the comment given with it),
every comment of its thread, and, for a deleted claim, its deletion as the last entry."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from claims.actions import find_claim
from claims.errors import NotFound, printable
from claims.labels import describe, field_label, label
from claims.models import Claim, ClaimEvent, Comment, Deletion, DeletionKind, ValueChange
from claims.store.contract import Repository

EntryKind = Literal["change", "comment", "deletion"]
# Fields whose stored values are codes of a vocabulary, shown in words ("in_progress" -> "in progress").
_CODED = frozenset({"status", "verdict", "claim_type", "check_focus"})
_SHORT = 60  # characters of a long text value shown in a one-line entry


class TimelineEntry(BaseModel):
    """One line of a claim's timeline: a change (with the version it made), a comment, or the deletion."""

    kind: EntryKind
    at: dt.datetime
    by: str
    version: int | None = None
    changes: list[ValueChange] = Field(default_factory=list)
    comment: str | None = None
    mentions: list[str] = Field(default_factory=list)


class ClaimHistory(BaseModel):
    """The timeline of one claim, stored or deleted (then `deleted` and a last "deletion" entry)."""

    claim_id: str
    article_id: str
    quote: str
    deleted: bool = False
    entries: list[TimelineEntry]


def timeline(claim: Claim, deletion: Deletion | None = None) -> list[TimelineEntry]:
    """The claim's history events and comments, oldest first (ties: events before comments, by version).

    A comment written with a change (a step back's reason, or a comment on its own, which is a change of
    no field) is one entry, the change's; a comment no event names (as older exports carry them) is one of
    its own. `deletion`, if given, ends the timeline.
    """
    unmatched: dict[tuple[str, dt.datetime, str], Comment] = {
        (comment.by, comment.at, comment.text): comment for comment in claim.comments
    }
    entries = [_change(event, unmatched) for event in claim.history]
    entries += [
        TimelineEntry(
            kind="comment", at=comment.at, by=comment.by, comment=comment.text, mentions=comment.mentions
        )
        for comment in unmatched.values()
    ]
    entries.sort(key=lambda entry: (entry.at, entry.kind != "change", entry.version or 0))
    if deletion is not None:
        entries.append(TimelineEntry(kind="deletion", at=deletion.at, by=deletion.by))
    return entries


def _change(event: ClaimEvent, comments: dict[tuple[str, dt.datetime, str], Comment]) -> TimelineEntry:
    said = comments.pop((event.by, event.at, event.comment), None) if event.comment is not None else None
    return TimelineEntry(
        kind="change",
        at=event.at,
        by=event.by,
        version=event.version,
        changes=event.changes,
        comment=event.comment,
        mentions=said.mentions if said else [],
    )


def claim_history(repo: Repository, claim_id: str) -> ClaimHistory:
    """The timeline of the stored claim with this id, else of the deleted one (from its deletion record,
    which keeps the claim as it was); NotFound when the store has neither."""
    try:
        claim = find_claim(repo, claim_id)
    except NotFound:
        deletion = deletion_of(repo, claim_id)
        if deletion is None or deletion.claim is None:
            raise NotFound("claim (stored or deleted)", claim_id) from None
        return _history(deletion.claim, deletion)
    return _history(claim, None)


def deletion_of(repo: Repository, claim_id: str) -> Deletion | None:
    """The latest record of this claim's deletion, if it was deleted on its own (an article's deletion takes
    its claims without a record each)."""
    found = [d for d in repo.list_deletions() if d.kind is DeletionKind.CLAIM and d.id == claim_id]
    return found[-1] if found else None


def _history(claim: Claim, deletion: Deletion | None) -> ClaimHistory:
    return ClaimHistory(
        claim_id=claim.id,
        article_id=claim.article_id,
        quote=claim.quote,
        deleted=deletion is not None,
        entries=timeline(claim, deletion),
    )


def entry_line(entry: TimelineEntry) -> str:
    """One entry as one printable line: "2026-12-02 19:16 UTC · ben · version 4 · status: needs review ->
    in progress · “Find a second source”"."""
    parts = [entry.at.strftime("%Y-%m-%d %H:%M UTC"), entry.by]
    if entry.kind == "deletion":
        parts.append("deleted the claim")
    elif entry.kind == "comment":
        parts.append("commented")
    else:
        parts.append(f"version {entry.version}" + ("" if entry.changes else " · commented"))
        parts += [
            f"{field_label(c.field)}: {_value(c.field, c.old)} -> {_value(c.field, c.new)}"
            for c in entry.changes
        ]
    if entry.comment:
        parts.append(f"“{entry.comment}”")
    return printable(" · ".join(parts))


def _value(field: str, value: object) -> str:
    if isinstance(value, dict):  # a source
        return str(value.get("name") or "(none)")
    if isinstance(value, str) and field in _CODED:
        return label(value)
    shown = describe(value)
    return shown if len(shown) <= _SHORT else shown[: _SHORT - 1] + "…"
