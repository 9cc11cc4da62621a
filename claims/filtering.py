"""Choosing claims: the filters of the claims table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import BaseModel, Field

from claims.models import ArticleSummary, Claim, ClaimStatus, ClaimType, Verdict


class ClaimFilter(BaseModel):
    """Empty sets and blank text mean "any"."""

    statuses: set[ClaimStatus] = Field(default_factory=set)
    verdicts: set[Verdict] = Field(default_factory=set)
    types: set[ClaimType] = Field(default_factory=set)
    claimants: set[str] = Field(default_factory=set)
    article_ids: set[str] = Field(default_factory=set)
    text: str = ""
    title: str = ""


def filter_claims(
    claims: Iterable[Claim], chosen: ClaimFilter, articles: Mapping[str, ArticleSummary] | None = None
) -> list[Claim]:
    """The claims that pass every filter, in the order given.

    `text` is looked for (ignoring case) in quote, claimant, source and notes; `title` in the title of
    the claim's article, which `articles` must then hold (a claim whose article is missing has no title).
    """
    needle = chosen.text.strip().casefold()
    title = chosen.title.strip().casefold()
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
        if needle and needle not in _searchable(claim).casefold():
            continue
        if title and title not in _title(claim, articles).casefold():
            continue
        kept.append(claim)
    return kept


def _searchable(claim: Claim) -> str:
    source = claim.source.name if claim.source else ""
    return "\n".join(filter(None, [claim.quote, claim.claimant, source, claim.notes]))


def _title(claim: Claim, articles: Mapping[str, ArticleSummary] | None) -> str:
    article = articles.get(claim.article_id) if articles else None
    return (article.title or "") if article else ""
