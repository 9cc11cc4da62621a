"""Changing many claims in one action: plan it (old -> new, per field), apply it against the versions
the editor saw, and undo it without overwriting anyone's later work."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel

from claims.annotations import apply_changes, differing_fields
from claims.errors import ClaimsError, NotFound, VersionConflict
from claims.labels import describe, field_label
from claims.models import AppliedEdit, ChangeOutcome, Claim, ClaimChanges, RefusedEdit
from claims.store.contract import Repository

# Fields whose new value fits in a sentence ("status to approved"); the others are only named.
_SHORT_FIELDS = frozenset({"claim_type", "claimant", "source", "status", "verdict"})


class FieldChange(BaseModel):
    """One field of one claim, as the editor will see it before confirming: old -> new, in words."""

    field: str
    old: str
    new: str


class PlannedEdit(BaseModel):
    """One claim's change: the claim as the editor saw it, and only the fields that really change."""

    seen: Claim
    changes: ClaimChanges

    @property
    def fields(self) -> list[FieldChange]:
        return [
            FieldChange(
                field=field_label(name),
                old=describe(getattr(self.seen, name)),
                new=describe(getattr(self.changes, name)),
            )
            for name in sorted(self.changes.model_fields_set, key=list(ClaimChanges.model_fields).index)
        ]


def plan_edits(changes: Mapping[str, ClaimChanges], seen: Mapping[str, Claim], by: str) -> list[PlannedEdit]:
    """Each claim's changes reduced to the fields whose value would really change, in the order given.

    `seen` holds every changed claim as the editor saw it (its version is what the write will expect).
    A claim left with nothing to change is dropped. Raises InvalidClaim for a blank editor name.
    """
    planned = []
    for claim_id, change in changes.items():
        before = seen[claim_id]
        after = apply_changes(change, before.version, by)(before)
        changed = differing_fields(before, after)
        if changed:
            effective = ClaimChanges.model_validate({name: getattr(after, name) for name in changed})
            planned.append(PlannedEdit(seen=before, changes=effective))
    return planned


def apply_edits(repo: Repository, planned: Iterable[PlannedEdit], by: str) -> ChangeOutcome:
    """Write each planned edit expecting the version the editor saw.

    Each claim is written on its own: one changed (or deleted) by someone else since is refused,
    saying who changed what and when, and the others are still written.
    """
    return _write(repo, planned, by, since="since you opened it; your change was not saved.")


def _write(repo: Repository, planned: Iterable[PlannedEdit], by: str, since: str) -> ChangeOutcome:
    outcome = ChangeOutcome()
    for edit in planned:
        seen = edit.seen
        try:
            after = repo.update_claim(
                seen.article_id, seen.id, apply_changes(edit.changes, seen.version, by, opened=seen)
            )
        except ClaimsError as error:
            outcome.refused.append(
                RefusedEdit(claim_id=seen.id, quote=seen.quote, reason=_why_refused(repo, seen, error, since))
            )
        else:
            outcome.applied.append(AppliedEdit(before=seen, after=after))
    return outcome


def undo_edits(repo: Repository, done: ChangeOutcome, by: str) -> ChangeOutcome:
    """Put back, on each claim a change set wrote, the values it had before.

    Each restore expects the version the change set left: a claim anyone changed since is refused
    (and named), never overwritten.
    """
    restoring = []
    for applied in done.applied:
        changed = differing_fields(applied.before, applied.after)
        previous = ClaimChanges.model_validate({name: getattr(applied.before, name) for name in changed})
        restoring.append(PlannedEdit(seen=applied.after, changes=previous))
    return _write(repo, restoring, by, since="since your change; left as it is.")


def _why_refused(repo: Repository, seen: Claim, error: ClaimsError, since: str) -> str:
    if isinstance(error, NotFound):
        return f"it was deleted {since}"
    if not isinstance(error, VersionConflict):
        return str(error)
    try:
        current = repo.get_claim(seen.article_id, seen.id)
    except NotFound:
        return f"it was deleted {since}"
    what = ", ".join(_changed(name, getattr(current, name)) for name in differing_fields(seen, current))
    when = current.updated_at.strftime("%Y-%m-%d %H:%M UTC")
    return f"{current.updated_by} changed {what or 'it'} at {when}, {since}"


def _changed(name: str, value: Any) -> str:
    if name in _SHORT_FIELDS:
        return f"{field_label(name)} to {describe(value)}"
    return field_label(name)
