"""Changing many claims in one action: plan it (old -> new, per field), apply it against the versions
the editor saw in one atomic write, and undo it without overwriting anyone's later work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel

from claims.annotations import apply_changes, differing_fields
from claims.errors import ClaimsError, InvalidClaim, VersionConflict
from claims.labels import describe, field_label
from claims.models import ChangeOutcome, Claim, ClaimChanges, ClaimFilter, ClaimStatus, RefusedEdit
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


def apply_edits(
    repo: Repository,
    planned: Iterable[PlannedEdit],
    by: str,
    *,
    comment: str | None = None,
    evidence_confirmed: bool = False,
) -> ChangeOutcome:
    """Write every planned edit in one atomic `update_claims`, each expecting the version the editor saw.

    A claim changed (or deleted) by someone else since is refused, saying who changed what and when, and so
    is one whose change the workflow refuses (saying why); the others are all written together. `comment`
    goes to each changed claim's thread (a step back needs one).
    """
    return _write(
        repo,
        planned,
        by,
        since="since you opened it; your change was not saved.",
        comment=comment,
        evidence_confirmed=evidence_confirmed,
    )


def undo_edits(repo: Repository, done: ChangeOutcome, by: str) -> ChangeOutcome:
    """Put back, on each claim a change set wrote, the values it had before, in one atomic write.

    Each restore expects the version the change set left: a claim anyone changed since is refused
    (and named), never overwritten.
    """
    restoring = []
    for applied in done.applied:
        changed = differing_fields(applied.before, applied.after)
        previous = ClaimChanges.model_validate({name: getattr(applied.before, name) for name in changed})
        restoring.append(PlannedEdit(seen=applied.after, changes=previous))
    return _write(
        repo,
        restoring,
        by,
        since="since your change; left as it is.",
        comment=f"{by} undid their change of {len(restoring)} claim{'s' * (len(restoring) != 1)}.",
        evidence_confirmed=True,  # putting back what was there, not a new approval
    )


class ChangedSince(ClaimsError):
    """A claim of a change set that someone else changed after the editor saw it; the message names who,
    what and when."""


def _write(
    repo: Repository,
    planned: Iterable[PlannedEdit],
    by: str,
    since: str,
    *,
    comment: str | None,
    evidence_confirmed: bool,
) -> ChangeOutcome:
    by_id = {edit.seen.id: edit for edit in planned}
    if not by_id:
        return ChangeOutcome()
    # Checked before the write, so a blank name refuses the whole set rather than each claim.
    edits = {
        claim_id: apply_changes(
            edit.changes,
            edit.seen.version,
            by,
            opened=edit.seen,
            comment=comment,
            evidence_confirmed=evidence_confirmed,
        )
        for claim_id, edit in by_id.items()
    }

    def edit(current: Claim) -> Claim:
        try:
            return edits[current.id](current)
        except VersionConflict:
            raise ChangedSince(changed_since(by_id[current.id].seen, current, since)) from None

    outcome = repo.update_claims(ClaimFilter(claim_ids=set(by_id)), edit)
    # Claims the filter no longer matched were deleted meanwhile.
    answered = {applied.after.id for applied in outcome.applied} | {r.claim_id for r in outcome.refused}
    for claim_id, planned_edit in by_id.items():
        if claim_id not in answered:
            seen = planned_edit.seen
            outcome.refused.append(
                RefusedEdit(claim_id=seen.id, quote=seen.quote, reason=f"it was deleted {since}")
            )
    return outcome


def set_status_of_matching(
    repo: Repository,
    chosen: ClaimFilter,
    status: ClaimStatus,
    by: str,
    *,
    asked_at: dt.datetime,
    seen: Mapping[str, Claim] | None = None,
    comment: str | None = None,
    evidence_confirmed: bool = False,
) -> ChangeOutcome:
    """Set the status of every claim matching `chosen` in one atomic `update_claims`, without loading them.

    The editor was asked at `asked_at` (and saw the claims in `seen`, e.g. the page shown, at their
    versions): a claim changed after either is refused, naming who changed it, and left as it is; a
    claim that already has the status is left alone; one the workflow refuses (a step it does not allow,
    self-approval, a step back without `comment`) is refused saying why; the others are written together.
    """
    seen = seen or {}

    def edit(current: Claim) -> Claim:
        earlier = seen.get(current.id)
        if earlier is not None and earlier.version != current.version:
            raise ChangedSince(changed_since(earlier, current, "since it was shown to you; left as it is."))
        if earlier is None and current.updated_at > asked_at:
            when = current.updated_at.strftime("%Y-%m-%d %H:%M UTC")
            raise ChangedSince(
                f"{current.updated_by} changed it at {when}, after you were asked; left as it is."
            )
        if current.status is status:
            return current
        change = apply_changes(
            ClaimChanges(status=status),
            current.version,
            by,
            comment=comment,
            evidence_confirmed=evidence_confirmed,
        )
        return change(current)

    if not by.strip():
        raise InvalidClaim("updated_by", by, "say who is making this change")
    return repo.update_claims(chosen, edit)


def changed_since(seen: Claim, current: Claim, since: str) -> str:
    """Who changed which fields of a claim (seen as `seen`, now `current`) and when, then `since`."""
    what = ", ".join(_changed(name, getattr(current, name)) for name in differing_fields(seen, current))
    when = current.updated_at.strftime("%Y-%m-%d %H:%M UTC")
    return f"{current.updated_by} changed {what or 'it'} at {when}, {since}"


def _changed(name: str, value: Any) -> str:
    if name in _SHORT_FIELDS:
        return f"{field_label(name)} to {describe(value)}"
    return field_label(name)
