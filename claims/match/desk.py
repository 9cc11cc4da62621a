"""The desk's matching index over a store: its known fact-checks and its own rated claims, kept in step
with the store's revisions, one index per store shared by every caller in the process (the app's sessions,
the CLI)."""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections.abc import Collection, Iterable

from claims.actions import find_claim
from claims.errors import InvalidClaim, NotFound
from claims.labels import label
from claims.match.embedding import Embedder
from claims.match.index import MatchIndex
from claims.match.model import MatchModel
from claims.models import (
    Claim,
    ClaimFilter,
    ClaimQuery,
    ClaimSort,
    FactCheckMatch,
    FactCheckSource,
    KnownFactCheck,
    Verdict,
)
from claims.store.contract import Repository

_IMPORTED = "imported:"
_STORE = "store:"
_RATED = ClaimFilter(verdicts={verdict for verdict in Verdict if verdict is not Verdict.UNRATED})
_PAGE = 1000
_RECENT_PAGE = 200
_RECENT_MOST = 1000  # more claims changed than this since the last refresh: every rated claim is read again
# How far back a refresh re-reads claims changed before the newest it saw: the clocks of app servers sharing
# one store may differ (by far less than this under NTP), and a claim saved by a server whose clock is
# behind still has to be picked up.
_CLOCK_SKEW = dt.timedelta(seconds=30)


def factcheck_document(check: KnownFactCheck) -> str:
    """What a known fact-check is matched by: its claim, then its title."""
    return f"{check.claim}\n{check.title}".strip()


def claim_document(claim: Claim) -> str:
    """What the desk's own rated claim is matched by: the claim as checked, else its quote."""
    return claim.claim_reviewed.strip() or claim.quote


def factcheck_match(check: KnownFactCheck, score: float = 0.0) -> FactCheckMatch:
    """A known fact-check as a match (source "imported")."""
    return FactCheckMatch(
        factcheck_id=check.id,
        claim=check.claim,
        title=check.title,
        rating=check.rating,
        url=str(check.url) if check.url else None,
        publisher=check.publisher,
        date=check.date,
        score=score,
        source=FactCheckSource.IMPORTED,
    )


def claim_match(claim: Claim, url: str | None, title: str, score: float = 0.0) -> FactCheckMatch:
    """The desk's own rated claim as a match (source "store"), with its article's URL and title."""
    return FactCheckMatch(
        factcheck_id=claim.id,
        claim=claim_document(claim),
        title=title,
        rating=label(claim.verdict),
        url=url,
        date=claim.rated_at.date() if claim.rated_at else None,
        score=score,
        source=FactCheckSource.STORE,
        article_id=claim.article_id,
    )


def earlier_check(repo: Repository, factcheck_id: str, source: FactCheckSource) -> FactCheckMatch:
    """A fact-check named by its id, as a match to link (the CLI's way of linking one): a known fact-check,
    or, for source "store", the desk's own claim with a verdict. NotFound, or InvalidClaim for an unrated
    claim of the desk."""
    if source is FactCheckSource.STORE:
        claim = find_claim(repo, factcheck_id)
        if claim.verdict is Verdict.UNRATED:
            raise InvalidClaim("checked_before", factcheck_id, "that claim has no verdict yet")
        article = repo.get_article(claim.article_id)
        return claim_match(claim, str(article.url) if article.url else None, article.title or "")
    found = next((check for check in repo.list_factchecks() if check.id == factcheck_id), None)
    if found is None:
        raise NotFound("known fact-check", factcheck_id)
    return factcheck_match(found)


class DeskIndex:
    """One store's fact-checks and rated claims in a MatchIndex, refreshed on each search when the store's
    revisions say something changed (only new or changed records are embedded again). Thread-safe."""

    def __init__(self, *, model: MatchModel | None = None, embedder: Embedder | None = None) -> None:
        self._lock = threading.Lock()
        self._index = MatchIndex(model=model, embedder=embedder)
        self._matches: dict[str, FactCheckMatch] = {}  # key -> the match, its score 0
        self._checks: dict[str, KnownFactCheck] = {}
        self._claim_versions: dict[str, int] = {}
        self._article_urls: dict[str, tuple[str | None, str]] = {}  # article id -> (url, title)
        self._factcheck_revision: str | None = None
        self._revision: str | None = None
        self._claims_seen_to: dt.datetime | None = None  # the newest change of a claim the index has read

    def __len__(self) -> int:
        with self._lock:
            return len(self._index)

    def refresh(self, repo: Repository) -> None:
        """Bring the index in step with the store (cheap when its revisions have not changed)."""
        with self._lock:
            self._refresh(repo)

    def _refresh(self, repo: Repository) -> None:
        # Revisions are read before the records: a write in between is picked up by the next refresh.
        factcheck_revision = repo.factcheck_revision()
        revision = repo.revision()
        if factcheck_revision != self._factcheck_revision:
            self._sync_factchecks(repo.list_factchecks())
            self._factcheck_revision = factcheck_revision
        if revision != self._revision:
            self._sync_claims(repo)
            self._revision = revision

    def _sync_factchecks(self, checks: list[KnownFactCheck]) -> None:
        current = {check.id: check for check in checks}
        self._index.remove(_IMPORTED + check_id for check_id in self._checks.keys() - current.keys())
        changed = {
            check_id: check for check_id, check in current.items() if self._checks.get(check_id) != check
        }
        self._index.update(
            {_IMPORTED + check_id: factcheck_document(check) for check_id, check in changed.items()}
        )
        for check_id in self._checks.keys() - current.keys():
            del self._matches[_IMPORTED + check_id]
        for check_id, check in changed.items():
            self._matches[_IMPORTED + check_id] = factcheck_match(check)
        self._checks = current

    def _rated_claims(self, repo: Repository) -> list[Claim]:
        claims: list[Claim] = []
        while True:
            query = ClaimQuery(filter=_RATED, sort=ClaimSort.ARTICLE, offset=len(claims), limit=_PAGE)
            page = repo.query_claims(query)
            claims += page.claims
            if not page.claims or len(claims) >= page.total:
                return claims

    def _sync_claims(self, repo: Repository) -> None:
        """Read the claims changed since the last refresh (newest first, from _CLOCK_SKEW before the newest
        change seen); if there are too many, or the count of rated claims then differs from the index's (a
        claim deleted, or loaded with an older change time), read every rated claim again. So a save costs a
        short query and a count, not a reading of every rated claim."""
        changed = None
        if self._claims_seen_to is not None:
            changed = self._changed_claims(repo, self._claims_seen_to - _CLOCK_SKEW)
        if changed is not None:
            self._apply_claims(repo, changed)
            rated = repo.count_claims_by("verdict")
            if sum(count for verdict, count in rated.items() if verdict != Verdict.UNRATED) == len(
                self._claim_versions
            ):
                return
        newest = repo.query_claims(ClaimQuery(sort=ClaimSort.UPDATED_DESC, limit=1)).claims
        rated_now = {claim.id: claim for claim in self._rated_claims(repo)}
        self._apply_claims(repo, rated_now.values(), keep_only=rated_now.keys())
        if newest:
            self._claims_seen_to = newest[0].updated_at

    def _changed_claims(self, repo: Repository, since: dt.datetime) -> list[Claim] | None:
        """The claims changed at `since` or later, newest first; None if there are more than _RECENT_MOST."""
        changed: list[Claim] = []
        while len(changed) < _RECENT_MOST:
            query = ClaimQuery(sort=ClaimSort.UPDATED_DESC, offset=len(changed), limit=_RECENT_PAGE)
            page = repo.query_claims(query).claims
            recent = [claim for claim in page if claim.updated_at >= since]
            changed += recent
            if len(recent) < len(page) or len(page) < _RECENT_PAGE:
                return changed
        return None

    def _apply_claims(
        self, repo: Repository, claims: Iterable[Claim], keep_only: Collection[str] | None = None
    ) -> None:
        """Index each rated claim whose version is new to the index and take out each unrated one; with
        `keep_only`, also take out every claim not in it."""
        claims = list(claims)
        unrated = {claim.id for claim in claims if claim.verdict is Verdict.UNRATED}
        gone = {claim_id for claim_id in self._claim_versions if claim_id in unrated}
        if keep_only is not None:
            gone |= self._claim_versions.keys() - keep_only
        self._index.remove(_STORE + claim_id for claim_id in gone)
        for claim_id in gone:
            del self._claim_versions[claim_id]
            del self._matches[_STORE + claim_id]
        changed = [
            claim
            for claim in claims
            if claim.verdict is not Verdict.UNRATED and self._claim_versions.get(claim.id) != claim.version
        ]
        if changed:
            seen = max(claim.updated_at for claim in changed)
            if self._claims_seen_to is None or seen > self._claims_seen_to:
                self._claims_seen_to = seen
        if any(claim.article_id not in self._article_urls for claim in changed):
            self._article_urls = {
                article.id: (str(article.url) if article.url else None, article.title or "")
                for article in repo.list_articles()
            }
        self._index.update({_STORE + claim.id: claim_document(claim) for claim in changed})
        for claim in changed:
            url, title = self._article_urls.get(claim.article_id, (None, ""))
            self._matches[_STORE + claim.id] = claim_match(claim, url, title)
            self._claim_versions[claim.id] = claim.version

    def search_many(
        self,
        repo: Repository,
        texts: list[str],
        top: int = 5,
        *,
        min_score: float | None = None,
        exclude_claim_id: str | None = None,
    ) -> list[list[FactCheckMatch]]:
        """The best `top` matches of each text, best first (see `checked_before`)."""
        with self._lock:
            self._refresh(repo)
            excluded = None if exclude_claim_id is None else _STORE + exclude_claim_id
            asked = top + (excluded is not None and excluded in self._index)
            found = self._index.search_many(texts, asked)
            return [
                [
                    self._matches[key].model_copy(update={"score": score})
                    for key, score in matches
                    if key != excluded and (min_score is None or score >= min_score)
                ][:top]
                for matches in found
            ]


_by_location: dict[str, DeskIndex] = {}
# ":memory:" names a different store each time it is opened: those are told apart by the object itself.
_by_store: weakref.WeakKeyDictionary[Repository, DeskIndex] = weakref.WeakKeyDictionary()
_registry_lock = threading.Lock()


def desk_index(repo: Repository) -> DeskIndex:
    """The process's one DeskIndex for this store (by location; a throw-away store by identity)."""
    with _registry_lock:
        if repo.location == ":memory:":
            index = _by_store.get(repo)
            if index is None:
                index = _by_store[repo] = DeskIndex()
            return index
        index = _by_location.get(repo.location)
        if index is None:
            index = _by_location[repo.location] = DeskIndex()
        return index


def checked_before(
    repo: Repository,
    text: str,
    *,
    top: int = 5,
    min_score: float | None = None,
    exclude_claim_id: str | None = None,
) -> list[FactCheckMatch]:
    """Has this been checked before? The known fact-checks and the desk's own rated claims that best match
    `text`, best first, each scored 0..1 (0.5 and above: probably the same claim). `min_score` drops weaker
    ones; `exclude_claim_id` leaves out that claim (when the text is a stored claim's own)."""
    return desk_index(repo).search_many(
        repo, [text], top, min_score=min_score, exclude_claim_id=exclude_claim_id
    )[0]


def checked_before_many(
    repo: Repository, texts: list[str], top: int = 5, *, min_score: float | None = None
) -> list[list[FactCheckMatch]]:
    """`checked_before` for many texts at once (every sentence of an article, say), in their order."""
    return desk_index(repo).search_many(repo, texts, top, min_score=min_score)
