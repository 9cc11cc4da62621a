"""Choosing claims: the filters of the claims table, and bulk changes to what was chosen."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import BaseModel, Field

from claims.annotations import apply_changes
from claims.errors import ClaimsError
from claims.models import ArticleSummary, Claim, ClaimChanges, ClaimStatus, ClaimType, Verdict
from claims.store.contract import Repository


class ClaimFilter(BaseModel):
    """Empty sets and blank text mean "any"."""

    statuses: set[ClaimStatus] = Field(default_factory=set)
    verdicts: set[Verdict] = Field(default_factory=set)
    types: set[ClaimType] = Field(default_factory=set)
    claimants: set[str] = Field(default_factory=set)
    article_ids: set[str] = Field(default_factory=set)
    text: str = ""


def filter_claims(
    claims: Iterable[Claim], chosen: ClaimFilter, articles: Mapping[str, ArticleSummary] | None = None
) -> list[Claim]:
    """The claims that pass every filter; text search looks in quote, claimant, source, notes and title."""
    needle = chosen.text.strip().casefold()
    kept = []
    for claim in claims:
        if chosen.statuses and claim.status not in chosen.statuses:
            continue
        if chosen.verdicts and claim.verdict not in chosen.verdicts:
            continue
        if chosen.types and claim.claim_type not in chosen.types:
            continue
        if chosen.claimants and (claim.claimant or "") not in chosen.claimants:
            continue
        if chosen.article_ids and claim.article_id not in chosen.article_ids:
            continue
        if needle and needle not in _searchable(claim, articles).casefold():
            continue
        kept.append(claim)
    return kept


def _searchable(claim: Claim, articles: Mapping[str, ArticleSummary] | None) -> str:
    title = articles[claim.article_id].title if articles and claim.article_id in articles else None
    source = claim.source.name if claim.source else ""
    return "\n".join(filter(None, [claim.quote, claim.claimant, source, claim.notes, title]))


class BulkOutcome(BaseModel):
    """What a bulk change did: which claims changed, and why the others did not."""

    changed: list[str] = Field(default_factory=list)
    refused: dict[str, str] = Field(default_factory=dict)


def change_claims(
    repo: Repository, changes: Mapping[str, ClaimChanges], opened: Mapping[str, Claim], by: str
) -> BulkOutcome:
    """Apply each claim's changes against the version the editor saw; a conflict refuses only that claim."""
    outcome = BulkOutcome()
    for claim_id, change in changes.items():
        seen = opened[claim_id]
        try:
            repo.update_claim(seen.article_id, claim_id, apply_changes(change, seen.version, by, opened=seen))
        except ClaimsError as error:
            outcome.refused[claim_id] = str(error)
        else:
            outcome.changed.append(claim_id)
    return outcome
