"""A claim's timeline as the panel shows it: its history events and its comment thread, oldest first, in
the app's words. No Streamlit here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from annotator.forms import FIELD_NAMES
from claims.labels import describe, label
from claims.models import Claim, ValueChange

# Fields whose stored values are vocabulary codes ("in_progress"), shown as words ("in progress").
_WORDED = frozenset({"status", "verdict", "claim_type", "check_focus"})


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One line of the timeline: who, when, what changed (one phrase a field) and the comment given."""

    by: str
    at: dt.datetime
    changes: tuple[str, ...]
    comment: str | None
    version: int | None  # None for a comment that no history event records (an older record's)


def _value(name: str, value: Any) -> str:
    if name in _WORDED and isinstance(value, str):
        return label(value)
    if isinstance(value, dict):  # a source
        return str(value.get("name") or value.get("url") or "(none)")
    return describe(value)


def change_phrase(change: ValueChange) -> str:
    """ "Status: new → in progress" for one field a change set."""
    name = FIELD_NAMES.get(change.field, change.field.replace("_", " ").capitalize())
    return f"{name}: {_value(change.field, change.old)} → {_value(change.field, change.new)}"


def timeline(claim: Claim) -> list[TimelineEntry]:
    """Every history event of the claim and every comment of its thread no event carries, oldest first."""
    entries = [
        TimelineEntry(
            by=event.by,
            at=event.at,
            changes=tuple(change_phrase(change) for change in event.changes),
            comment=event.comment,
            version=event.version,
        )
        for event in claim.history
    ]
    recorded = {(event.by, event.comment) for event in claim.history if event.comment}
    entries += [
        TimelineEntry(by=comment.by, at=comment.at, changes=(), comment=comment.text, version=None)
        for comment in claim.comments
        if (comment.by, comment.text) not in recorded
    ]
    return sorted(entries, key=lambda entry: entry.at)
