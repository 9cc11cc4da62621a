"""The words the app and its exports show for stored values: "in progress" for `in_progress`."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeVar

from claims.models import Source

E = TypeVar("E", bound=StrEnum)

# What an editable field of a claim is called in the app.
FIELD_LABELS = {
    "claim_type": "type",
    "claimant": "claimant",
    "source": "source",
    "status": "status",
    "verdict": "verdict",
    "assignee": "assigned to",
    "evidence": "evidence",
    "notes": "notes",
    "checked_before": "checked before",
}


def label(value: str) -> str:
    """The words for a stored value (a vocabulary member or a plain code such as an import's
    "already_present"): `in_progress` -> "in progress", `mostly_true` -> "mostly true"."""
    return str(value).replace("_", " ")


def labels(vocabulary: type[StrEnum]) -> dict[StrEnum, str]:
    """Every value of a vocabulary with its word, in declaration order."""
    return {value: label(value) for value in vocabulary}


def from_label(vocabulary: type[E], word: str) -> E:
    """The value a word stands for; the stored value itself is accepted too. Raises ValueError."""
    for value in vocabulary:
        if word in (label(value), value.value):
            return value
    raise ValueError(f"{word!r} is not one of: {', '.join(label(value) for value in vocabulary)}")


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field.replace("_", " "))


def describe(value: Any) -> str:
    """A field's value as one short phrase: words for vocabularies, "(none)" for nothing."""
    if value is None or value == "" or value == []:
        return "(none)"
    if isinstance(value, StrEnum):
        return label(value)
    if isinstance(value, Source):
        return value.name
    if isinstance(value, list):
        return f"{len(value)} item" if len(value) == 1 else f"{len(value)} items"
    return str(value)
