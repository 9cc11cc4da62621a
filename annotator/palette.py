"""Colours for highlights and legends: pure functions, no Streamlit calls (though importing the span
selector for its Highlight record loads Streamlit)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from annotator.components.span_selector import Highlight
from claims.labels import label
from claims.models import Claim, ClaimStatus, Suggestion, Verdict
from claims.suggest.review import suggestion_id

ColourBy = Literal["status", "verdict"]

STATUS_COLOURS: dict[str, str] = {
    ClaimStatus.NEW: "#ffe08a",
    ClaimStatus.IN_PROGRESS: "#9fd3ff",
    ClaimStatus.NEEDS_REVIEW: "#ffb38a",
    ClaimStatus.APPROVED: "#a8e6a1",
    ClaimStatus.PUBLISHED: "#c9b6ff",
    ClaimStatus.DROPPED: "#d6d6d6",
}
VERDICT_COLOURS: dict[str, str] = {
    Verdict.UNRATED: "#e4e4e4",
    Verdict.TRUE: "#8fd694",
    Verdict.MOSTLY_TRUE: "#c2e8a5",
    Verdict.HALF_TRUE: "#fff08a",
    Verdict.MOSTLY_FALSE: "#ffc48a",
    Verdict.FALSE: "#ff9a9a",
    Verdict.MISLEADING: "#f5a8e0",
    Verdict.UNPROVEN: "#b9c7ff",
    Verdict.NOT_CHECKABLE: "#cfcfcf",
}


SUGGESTION_COLOUR = "#6a4cc2"


def legend(colour_by: ColourBy) -> dict[str, str]:
    colours = STATUS_COLOURS if colour_by == "status" else VERDICT_COLOURS
    return {label(value): colour for value, colour in colours.items()}


def claim_highlights(
    claims: Iterable[Claim], colour_by: ColourBy, selected: str | None = None
) -> list[Highlight]:
    """Highlights for stored claims, coloured by status or verdict, labelled for their tooltip."""
    highlights = []
    for claim in claims:
        value = claim.status if colour_by == "status" else claim.verdict
        colours = STATUS_COLOURS if colour_by == "status" else VERDICT_COLOURS
        who = f" · {claim.claimant}" if claim.claimant else ""
        highlights.append(
            Highlight(
                id=claim.id,
                start=claim.start,
                end=claim.end,
                kind="claim",
                color=colours[value],
                label=f"{claim.claim_type.value}{who} · {claim.status.value} · {claim.verdict.value}",
                selected=claim.id == selected,
            )
        )
    return highlights


def suggestion_highlights(suggestions: Iterable[Suggestion], selected: str | None = None) -> list[Highlight]:
    """Suggestions drawn dashed, labelled with their type, score and reason."""
    return [
        Highlight(
            id=suggestion_id(suggestion),
            start=suggestion.start,
            end=suggestion.end,
            kind="suggestion",
            color=SUGGESTION_COLOUR,
            label=f"suggested {suggestion.claim_type.value} · {suggestion.score:.2f} · {suggestion.reason}",
            selected=suggestion_id(suggestion) == selected,
        )
        for suggestion in suggestions
    ]
