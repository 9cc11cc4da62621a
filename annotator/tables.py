"""Rows for the app's tables, and reading edits back from them by claim id; plain code, no Streamlit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from annotator.text import plural
from claims.annotations import parse_changes
from claims.article_listing import article_title
from claims.errors import InvalidClaim
from claims.labels import from_label, label
from claims.models import (
    ArticleSummary,
    ChangeOutcome,
    Claim,
    ClaimChanges,
    ClaimFilter,
    ClaimStatus,
    Verdict,
)

# Pixels: everything an editor needs, up to the type, fits the main area of a 1400 px wide window
# with the sidebar open (about 940 px); the article title and source follow, scrolled to.
CLAIM_COLUMN_WIDTHS = {
    "quote": 200,
    "link": 105,
    "status": 100,
    "verdict": 105,
    "claimant": 115,
    "editor": 95,
    "updated": 130,
    "type": 75,
}
# Every column of a claim row (claim_rows), shown or not.
ROW_COLUMNS = (
    "id",
    "quote",
    "type",
    "claimant",
    "source",
    "status",
    "verdict",
    "article",
    "editor",
    "updated",
    "link",
)
# The columns of the claims table an editor may change, and the vocabulary each is picked from.
EDITABLE_COLUMNS: dict[str, type[ClaimStatus] | type[Verdict] | None] = {
    "status": ClaimStatus,
    "verdict": Verdict,
    "claimant": None,
}


def claim_rows(claims: Iterable[Claim], articles: Mapping[str, ArticleSummary]) -> list[dict[str, Any]]:
    """One row a claim, in the order given, in the app's words; `link` opens it in its article."""
    rows = []
    for claim in claims:
        article = articles.get(claim.article_id)
        rows.append(
            {
                "id": claim.id,
                "quote": claim.quote,
                "type": label(claim.claim_type),
                "claimant": claim.claimant or "",
                "source": claim.source.name if claim.source else "",
                "status": label(claim.status),
                "verdict": label(claim.verdict),
                "article": article_title(article) if article else claim.article_id,
                "editor": claim.updated_by,
                "updated": claim.updated_at,
                "link": f"annotate?article={claim.article_id}&claim={claim.id}",
            }
        )
    return rows


@dataclass(frozen=True)
class TableSnapshot:
    """What one claims-table editor was given: its rows in order, and each claim as the editor saw it.

    st.data_editor reports edits by row position, so positions mean something only against the rows
    that editor instance was given: the page keeps this snapshot for as long as that editor lives
    (`key`), and starts a new editor with a new snapshot after each save.
    """

    generation: int
    rows: list[dict[str, Any]]
    claims: dict[str, Claim] = field(default_factory=dict)
    offset: int = 0  # the position of the first row among every matching claim
    total: int = 0  # how many claims matched the filter when the page was read

    @classmethod
    def of(
        cls,
        generation: int,
        claims: Iterable[Claim],
        articles: Mapping[str, ArticleSummary],
        *,
        offset: int = 0,
        total: int | None = None,
    ) -> TableSnapshot:
        kept = list(claims)
        rows = claim_rows(kept, articles)
        return cls(
            generation,
            rows,
            {claim.id: claim for claim in kept},
            offset,
            len(kept) if total is None else total,
        )

    def key(self, prefix: str) -> str:
        return f"{prefix}-{self.generation}"

    def shows(self, claims: Iterable[Claim]) -> bool:
        """Whether these claims, at these versions and in this order, are what the snapshot holds.

        Every write bumps a claim's version, so this is cheaper than building and comparing rows.
        """
        ordered = list(claims)
        return len(ordered) == len(self.rows) and all(
            row["id"] == claim.id and self.claims[claim.id].version == claim.version
            for row, claim in zip(self.rows, ordered, strict=True)
        )

    def shown_claims(self) -> list[Claim]:
        """The claims in the order the table shows them."""
        return [self.claims[row["id"]] for row in self.rows]


def table_edits(
    edited_rows: Mapping[Any, Mapping[str, Any]], given: Sequence[Mapping[str, Any]]
) -> dict[str, ClaimChanges]:
    """st.data_editor's `edited_rows` ({row position: {column: value}}) as changes by claim id.

    `given` must be the rows that editor instance was given, in the same order: a position is looked
    up there and nowhere else. Columns outside EDITABLE_COLUMNS are ignored; values are the app's
    words ("in progress"), a blank claimant clears it. Edits equal to the current value are kept
    (plan_edits drops them). Raises InvalidClaim naming the claim's quote and the field.
    """
    changes: dict[str, ClaimChanges] = {}
    for position, edit in edited_rows.items():
        row = given[int(position)]
        fields: dict[str, Any] = {}
        for column, value in edit.items():
            if column not in EDITABLE_COLUMNS:
                continue
            vocabulary = EDITABLE_COLUMNS[column]
            try:
                fields[column] = _read_cell(vocabulary, value)
            except ValueError as error:
                raise InvalidClaim(column, value, f"{error} (claim “{row['quote']}”)") from None
        if fields:
            try:
                changes[row["id"]] = parse_changes(fields)
            except InvalidClaim as error:
                raise InvalidClaim(
                    error.field, error.value, f"{error.problem} (claim “{row['quote']}”)"
                ) from None
    return changes


def _read_cell(vocabulary: type[ClaimStatus] | type[Verdict] | None, value: Any) -> Any:
    if vocabulary is None:
        text = str(value or "").strip()
        return text or None
    return from_label(vocabulary, str(value))


@dataclass(frozen=True)
class BulkRequest:
    """A status change of every claim matching a filter, asked for and not confirmed yet."""

    status: ClaimStatus
    chosen: ClaimFilter
    matching: int  # how many claims matched when the editor asked
    already: int  # how many of them already had the status
    asked_at: dt.datetime  # a claim changed after this is refused
    seen: dict[str, Claim]  # the page shown, as the editor saw it

    @property
    def changing(self) -> int:
        return self.matching - self.already


@dataclass(frozen=True)
class ChangeReport:
    """What the last save, bulk change or undo on the claims page did, for the message and *Undo*."""

    kind: Literal["saved", "bulk", "undone"]
    outcome: ChangeOutcome
    status: ClaimStatus | None = None  # the status a bulk change set

    def summary(self) -> str:
        """One sentence on what was written; the claims left alone are listed on their own."""
        count = len(self.outcome.applied)
        if self.kind == "undone":
            return f"Undone: {plural(count, 'claim')} back as they were." if count else "Nothing undone."
        if self.kind == "bulk" and self.status is not None:
            return (
                f"Set status of {plural(count, 'claim')} to {label(self.status)}."
                if count
                else "Nothing changed."
            )
        return f"Saved {plural(count, 'claim')}." if count else "Nothing saved."
