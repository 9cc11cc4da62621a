"""Claims in news articles: reading, splitting, labelling, storing and exporting them."""

from claims.errors import ClaimsError
from claims.models import (
    Article,
    ArticleSummary,
    Claim,
    ClaimChanges,
    ClaimDraft,
    ClaimStatus,
    ClaimType,
    Sentence,
    Verdict,
)

__all__ = [
    "Article",
    "ArticleSummary",
    "Claim",
    "ClaimChanges",
    "ClaimDraft",
    "ClaimStatus",
    "ClaimType",
    "ClaimsError",
    "Sentence",
    "Verdict",
]
