"""Helpers for the AppTest tests; a plain module because two conftest.py files cannot be imported by name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from claims.annotations import new_claim, parse_draft
from claims.models import Article, Claim, ClaimStatus
from claims.store.contract import Repository
from claims.workflow import FIRST_STATUSES
from tests.records_support import at_status

SAMPLE_ARTICLE = Path(__file__).resolve().parents[1] / "samples" / "harbour_exercise.txt"


def by_label(elements: Any, label: str) -> Any:
    """The first AppTest element with this label."""
    return next(element for element in elements if element.label == label)


def store_claim(repo: Repository, article: Article, quote: str, by: str = "ben", **fields: object) -> Claim:
    """Store a claim over the first occurrence of `quote`, as another editor would."""
    start = article.text.index(quote)
    status = ClaimStatus(str(fields.pop("status", ClaimStatus.NEW)))
    first = status if status in FIRST_STATUSES else ClaimStatus.NEW
    draft = parse_draft(
        {"article_id": article.id, "start": start, "end": start + len(quote), "status": first, **fields}
    )
    claim = at_status(new_claim(article, draft, by=by), status)
    repo.add_claim(claim)
    return claim


def click(at: Any, label: str) -> None:
    """Click the button with this label and rerun, as a browser would; the rerun must not fail."""
    by_label(at.button, label).click()
    at.run()
    assert not at.exception
