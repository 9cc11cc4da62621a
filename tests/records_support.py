"""Small builders of articles and claims, made by hand so that store tests depend on the models alone.

A module of its own rather than conftest.py: test files import it by name, and the browser tests have a
conftest.py of their own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from claims.annotations import new_claim
from claims.models import Article, Claim, ClaimDraft, ClaimStatus, Sentence
from claims.workflow import FIRST_STATUSES

__all__ = ["HARBOUR", "build_article", "build_claim"]

HARBOUR = (
    "The council spent 4 million euros on the new harbour wall.",
    "Mayor Jan Peeters said the work was finished on time.",
    "The opposition denied that any tender was held.",
)


def build_article(
    article_id: str = "harbour",
    sentences: Sequence[str] = HARBOUR,
    title: str | None = "Harbour wall",
    imported_at: dt.datetime | None = None,
) -> Article:
    """An article whose sentences are its text joined by single spaces, offsets computed here.

    Built by hand rather than through claims.formats.articles, so these tests depend on the models alone.
    """
    parts: list[Sentence] = []
    start = 0
    for index, sentence in enumerate(sentences):
        parts.append(
            Sentence(index=index, paragraph=0, start=start, end=start + len(sentence), text=sentence)
        )
        start += len(sentence) + 1
    text = " ".join(sentences)
    return Article(
        id=article_id,
        title=title,
        url=f"https://news.example/{quote(article_id)}",
        date=dt.date(2024, 3, 1),
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        sentence_count=len(parts),
        source_file=f"{article_id}.txt",
        imported_at=imported_at or dt.datetime(2024, 3, 2, 9, 30, tzinfo=dt.UTC),
        imported_by="ana",
        text=text,
        sentences=parts,
    )


def build_claim(article: Article, quote: str, by: str = "ana", **fields: Any) -> Claim:
    """A version-1 claim on the first occurrence of `quote`, made the way every door makes one; one with a
    later status (approved, ...) is made new and given that status as a stored record would hold it after
    the workflow took it there (records are not replayed, as when a store loads an export)."""
    start = article.text.index(quote)
    status = ClaimStatus(fields.pop("status", ClaimStatus.NEW))
    first = status if status in FIRST_STATUSES else ClaimStatus.NEW
    draft = ClaimDraft(article_id=article.id, start=start, end=start + len(quote), status=first, **fields)
    return at_status(new_claim(article, draft, by=by), status)


def at_status(claim: Claim, status: ClaimStatus) -> Claim:
    """The claim with `status`, as a store holds a record the workflow brought there."""
    if status is claim.status:
        return claim
    return claim.model_copy(update={"status": status})
