"""Records as table rows: the JSON a model dumps, beside the columns queries filter and sort on.

Every derived column is computed here, in Python, with the same casefolding as the reference matching in
claims/store/queries.py, so a query gives on PostgreSQL what it gives on every other backend.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from claims.models import Article, Claim, ClaimStatus, Deletion, KnownFactCheck, SuggestionDecision

# The workflow order that the status sort follows (the vocabulary lists it in that order).
STATUS_RANK = {status.value: rank for rank, status in enumerate(ClaimStatus)}

CLAIM_COLUMNS = (
    "article_id", "id", "seq", "article_seq", "version", "status", "verdict", "claim_type", "claimant",
    "start", "created_at", "updated_at", "updated_by", "assignee", "status_rank", "claimant_key", "record",
    "rated_by", "rated_at", "approved_at", "published_at", "status_since", "mentions",
)  # fmt: skip
# A claim's text-filter key lives in a table of its own (claim_search): see migration 0003.
SEARCH_COLUMNS = ("article_id", "id", "search")
# What an update rewrites: everything but the keys and the listing places.
CLAIM_UPDATED = tuple(
    name for name in CLAIM_COLUMNS if name not in {"article_id", "id", "seq", "article_seq"}
)
ARTICLE_COLUMNS = (
    "id", "seq", "title", "imported_at", "sentence_count", "summary", "record", "title_key", "search",
)  # fmt: skip
DECISION_COLUMNS = ("article_id", "claim_type", "decision", "record")
DELETION_COLUMNS = ("digest", "kind", "id", "article_id", "at", "record")
FACTCHECK_COLUMNS = ("id", "record", "publisher", "source_file", "rating", "date", "search")


def _text(value: str | None) -> str | None:
    # PostgreSQL text cannot hold NUL: the record keeps it (escaped in its JSON), the derived columns drop
    # it. Ids are stored as given (one with NUL is refused by the server, never confused with another).
    return value.replace("\x00", "") if value is not None else None


def casefolded(value: str | None) -> str | None:
    return _text(value.casefold()) if value is not None else None


def title_key(title: str | None) -> str:
    """What the title sort orders by: the casefolded title, "" for none (untitled first)."""
    return casefolded(title or "") or ""


def claim_search_key(claim: Claim) -> str:
    """What a claim's text filter looks in: quote, claimant, source name and notes, casefolded."""
    source = claim.source.name if claim.source else ""
    return _text("\n".join(filter(None, [claim.quote, claim.claimant, source, claim.notes])).casefold()) or ""


def article_search_key(article: Article) -> str:
    """What an article's text filter looks in: title, source file, url and id, casefolded."""
    parts = [article.title, article.source_file, article.url, article.id]
    return _text("\n".join(part for part in parts if part).casefold()) or ""


def claim_row(claim: Claim, seq: int, article_seq: int) -> tuple[Any, ...]:
    """A claim as the values of CLAIM_COLUMNS, in that order."""
    return (
        claim.article_id,
        claim.id,
        seq,
        article_seq,
        claim.version,
        claim.status.value,
        claim.verdict.value,
        claim.claim_type.value,
        _text(claim.claimant),
        claim.start,
        claim.created_at,
        claim.updated_at,
        _text(claim.updated_by),
        _text(claim.assignee),
        STATUS_RANK[claim.status.value],
        casefolded(claim.claimant),
        claim.model_dump_json(),
        *workflow_values(claim),
    )


def workflow_values(claim: Claim) -> tuple[Any, ...]:
    """The columns of schema 4 (the workflow's queries): rated_by, rated_at, approved_at, published_at,
    status_since, mentions."""
    return (
        _text(claim.rated_by),
        claim.rated_at,
        claim.approved_at,
        claim.published_at,
        claim.status_since,
        sorted({_text(name) or "" for name in claim.mentioned}),
    )


def search_row(claim: Claim) -> tuple[str, str, str]:
    """A claim as the values of SEARCH_COLUMNS."""
    return (claim.article_id, claim.id, claim_search_key(claim))


def article_row(article: Article, seq: int) -> tuple[Any, ...]:
    """An article as the values of ARTICLE_COLUMNS, in that order."""
    return (
        article.id,
        seq,
        _text(article.title),
        article.imported_at,
        article.sentence_count,
        article.summary().model_dump_json(),
        article.model_dump_json(),
        title_key(article.title),
        article_search_key(article),
    )


def decision_row(decision: SuggestionDecision) -> tuple[Any, ...]:
    return (decision.article_id, decision.claim_type.value, decision.decision.value,
            decision.model_dump_json())  # fmt: skip


def deletion_digest(deletion: Deletion) -> str:
    """Names a deletion by its content: the same record merged twice is stored once."""
    return hashlib.sha256(deletion.model_dump_json().encode("utf-8")).hexdigest()


def deletion_row(deletion: Deletion) -> tuple[Any, ...]:
    return (deletion_digest(deletion), deletion.kind.value, deletion.id, deletion.article_id,
            deletion.at, deletion.model_dump_json())  # fmt: skip


def factcheck_row(check: KnownFactCheck) -> tuple[Any, ...]:
    """A known fact-check as the values of FACTCHECK_COLUMNS; its search key is what
    claims.store.queries.factcheck_matches looks in (claim, title, rating, publisher), casefolded."""
    search = "\n".join([check.claim, check.title, check.rating, check.publisher])
    return (check.id, check.model_dump_json(), _text(check.publisher), _text(check.source_file or ""),
            _text(check.rating), check.date, casefolded(search))  # fmt: skip


def utc(value: dt.datetime | None) -> dt.datetime | None:
    return value.astimezone(dt.UTC) if value is not None else None
