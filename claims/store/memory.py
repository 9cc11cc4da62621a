"""The in-memory backend: everything in dicts, for tests and throw-away sessions."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import TypeAdapter

from claims.errors import InvalidClaim, NotFound
from claims.models import Article, ArticleSummary, Claim, MergeReport, SuggestionDecision
from claims.store.contract import (
    ClaimEdit,
    DuplicateClaim,
    count_merge,
    merge_action,
)

_ARTICLE_LIST = TypeAdapter(list[Article])
_CLAIM_LIST = TypeAdapter(list[Claim])


class MemoryRepository:
    """Keeps everything in dicts; for tests and throw-away sessions."""

    def __init__(self) -> None:
        self.location = ":memory:"
        self._lock = threading.RLock()
        self._articles: dict[str, Article] = {}
        self._claims: dict[str, dict[str, Claim]] = {}
        self._decisions: dict[str, list[SuggestionDecision]] = {}
        self._revision = 0

    def revision(self) -> str:
        with self._lock:
            return str(self._revision)

    def storage_problems(self) -> list[str]:
        return []  # dicts leave nothing behind

    @contextmanager
    def _writing(self) -> Iterator[None]:
        with self._lock:
            yield
            self._revision += 1

    def add_article(self, article: Article) -> bool:
        with self._writing():
            if article.id in self._articles:
                return False
            self._articles[article.id] = article
            self._claims[article.id] = {}
            return True

    def get_article(self, article_id: str) -> Article:
        with self._lock:
            try:
                return self._articles[article_id]
            except KeyError:
                raise NotFound("article", article_id) from None

    def list_articles(self) -> list[ArticleSummary]:
        with self._lock:
            return [article.summary() for article in self._articles.values()]

    def delete_article(self, article_id: str) -> int:
        with self._writing():
            self.get_article(article_id)
            del self._articles[article_id]
            self._decisions.pop(article_id, None)
            return len(self._claims.pop(article_id))

    def add_claim(self, claim: Claim) -> None:
        with self._writing():
            claims = self._article_claims(claim.article_id)
            if claim.id in claims:
                raise DuplicateClaim(claim.id)
            claims[claim.id] = claim

    def get_claim(self, article_id: str, claim_id: str) -> Claim:
        with self._lock:
            try:
                return self._article_claims(article_id)[claim_id]
            except KeyError:
                raise NotFound("claim", claim_id) from None

    def update_claim(self, article_id: str, claim_id: str, edit: ClaimEdit) -> Claim:
        with self._writing():
            updated = edit(self.get_claim(article_id, claim_id))
            self._claims[article_id][claim_id] = updated
            return updated

    def delete_claim(self, article_id: str, claim_id: str) -> Claim:
        with self._writing():
            claim = self.get_claim(article_id, claim_id)
            del self._claims[article_id][claim_id]
            return claim

    def list_claims(self, article_id: str | None = None) -> list[Claim]:
        with self._lock:
            if article_id is not None:
                return list(self._article_claims(article_id).values())
            return [claim for claims in self._claims.values() for claim in claims.values()]

    def documents(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        with self._lock:
            articles = _ARTICLE_LIST.dump_python(list(self._articles.values()), mode="json")
            return articles, _CLAIM_LIST.dump_python(self.list_claims(), mode="json")

    def merge(self, articles: Iterable[Article], claims: Iterable[Claim]) -> MergeReport:
        articles, claims = list(articles), list(claims)
        report = MergeReport()
        with self._writing():
            # All or nothing: a claim whose article is nowhere refuses the whole merge before any change.
            known = self._articles.keys() | {article.id for article in articles}
            for claim in claims:
                if claim.article_id not in known:
                    raise NotFound("article", claim.article_id)
            for article in articles:
                if self.add_article(article):
                    report.articles.added += 1
                else:
                    report.articles.skipped += 1
            for claim in claims:
                stored = self._article_claims(claim.article_id)
                action = merge_action(stored.get(claim.id), claim)
                if action != "skip":
                    stored[claim.id] = claim
                count_merge(report, action)
        return report

    def record_decisions(self, article_id: str, decisions: Iterable[SuggestionDecision]) -> None:
        decisions = list(decisions)
        with self._writing():
            self.get_article(article_id)
            for decision in decisions:
                if decision.article_id != article_id:
                    raise InvalidClaim(
                        "article_id", decision.article_id, f"recorded under article {article_id}"
                    )
            self._decisions.setdefault(article_id, []).extend(decisions)

    def list_decisions(self, article_id: str | None = None) -> list[SuggestionDecision]:
        with self._lock:
            if article_id is not None:
                self.get_article(article_id)
                return list(self._decisions.get(article_id, []))
            return [decision for decisions in self._decisions.values() for decision in decisions]

    def _article_claims(self, article_id: str) -> dict[str, Claim]:
        try:
            return self._claims[article_id]
        except KeyError:
            raise NotFound("article", article_id) from None
