"""The storage interface every backend implements, and the merge rules they share."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TypeVar

from pydantic import BaseModel

from claims.errors import ClaimsError, InvalidClaim, NotFound
from claims.models import (
    AppliedEdit,
    Article,
    ArticlePage,
    ArticleQuery,
    ArticleSummary,
    ChangeOutcome,
    Claim,
    ClaimFilter,
    ClaimGroup,
    ClaimPage,
    ClaimQuery,
    Deletion,
    FactCheckCounts,
    FactCheckGroup,
    FactCheckPage,
    FactCheckQuery,
    KnownFactCheck,
    MergeCounts,
    MergeReport,
    RefusedEdit,
    SuggestionDecision,
)

ClaimEdit = Callable[[Claim], Claim]
MergeAction = Literal["add", "update", "skip"]
Record = dict[str, Any]
RecordT = TypeVar("RecordT", bound=BaseModel)


@dataclass
class StoreDocuments:
    """A whole store as JSON-ready records (`model_dump(mode="json")`), read in one locked pass."""

    articles: list[Record]
    claims: list[Record]
    decisions: list[Record] = field(default_factory=list)
    deletions: list[Record] = field(default_factory=list)
    factchecks: list[Record] = field(default_factory=list)


class Repository(Protocol):
    """A store of articles and their claims. Every method is atomic on its own."""

    location: str

    def add_article(self, article: Article) -> bool:
        """Store an article; False (and nothing written, the revision kept) if its id is already present."""
        ...

    def get_article(self, article_id: str) -> Article: ...

    def list_articles(self) -> list[ArticleSummary]: ...

    def delete_article(self, article_id: str, *, by: str) -> int:
        """Remove an article with its claims and decisions, recording who did it; returns how many
        claims went with it."""
        ...

    def add_claim(self, claim: Claim) -> None: ...

    def get_claim(self, article_id: str, claim_id: str) -> Claim: ...

    def update_claim(self, article_id: str, claim_id: str, edit: ClaimEdit) -> Claim:
        """Replace a claim by edit(current), reading and writing under one lock."""
        ...

    def delete_claim(self, article_id: str, claim_id: str, *, by: str) -> Claim:
        """Remove a claim, recording who did it with the claim as it was; returns that claim."""
        ...

    def list_claims(self, article_id: str | None = None) -> list[Claim]: ...

    # -- what pages ask: answered without reading every stored claim into the caller

    def query_claims(self, query: ClaimQuery) -> ClaimPage:
        """One page of the claims matching `query.filter`, in `query.sort` order, and how many match."""
        ...

    def count_claims_by(self, group: ClaimGroup, chosen: ClaimFilter | None = None) -> dict[str, int]:
        """How many claims (of those matching `chosen`) have each value of `group` ("" for none); values
        no claim has are left out."""
        ...

    def query_articles(self, query: ArticleQuery) -> ArticlePage:
        """One page of articles with their claim counts, and totals over every matching article."""
        ...

    def count_decisions(self) -> dict[str, dict[str, int]]:
        """Suggestion decisions per claim type: {"statistic": {"accepted": 3, "rejected": 1}, ...}."""
        ...

    def update_claims(self, chosen: ClaimFilter, edit: ClaimEdit) -> ChangeOutcome:
        """Replace every claim matching `chosen` by edit(current), all in one atomic write.

        A claim for which `edit` raises ClaimsError is refused (the reason kept) and left as it is; one it
        returns unchanged is left alone and not listed; the others are written together and listed, in
        ClaimSort.ARTICLE order. A new revision only if something was written.
        """
        ...

    def list_deletions(self) -> list[Deletion]:
        """Every recorded deletion, oldest first."""
        ...

    def documents(self) -> StoreDocuments:
        """Every article (with text and sentences), claim, suggestion decision and deletion as stored,
        read in one locked pass: a consistent snapshot, fast enough for whole-store exports."""
        ...

    def merge(
        self,
        articles: Iterable[Article],
        claims: Iterable[Claim],
        decisions: Iterable[SuggestionDecision] = (),
        deletions: Iterable[Deletion] = (),
    ) -> MergeReport:
        """Add or update records by id, all or nothing: claims decided by `merge_action`, decisions and
        deletions added unless an equal one is stored. Refused whole (nothing changes) when a claim or
        decision has no article, an article is stored under its id with another text, or a claim's quote
        does not match the text of the article that ends up stored."""
        ...

    def record_decisions(self, article_id: str, decisions: Iterable[SuggestionDecision]) -> None:
        """Remember what editors did with suggestions of one article, in one write."""
        ...

    def list_decisions(self, article_id: str | None = None) -> list[SuggestionDecision]: ...

    def add_factchecks(self, checks: Iterable[KnownFactCheck]) -> FactCheckCounts:
        """Store known fact-checks by id in one write, all or nothing: a new id is added, a stored one with
        other values replaced, an equal one left alone (importing a file twice changes nothing). Within
        one batch the last record of an id wins. No write, and the revision kept, if nothing changes."""
        ...

    def list_factchecks(self) -> list[KnownFactCheck]:
        """Every known fact-check, by id."""
        ...

    def query_factchecks(self, query: FactCheckQuery) -> FactCheckPage:
        """One page of the known fact-checks `query` matches, in its order (claims.store.queries)."""
        ...

    def count_factchecks_by(self, group: FactCheckGroup) -> dict[str, int]:
        """How many known fact-checks each value of `group` has ("" for none)."""
        ...

    def factcheck_revision(self) -> str:
        """A cheap token that changes whenever the known fact-checks change (and only then, as far as the
        backend can tell), so a matching index over them is rebuilt only when it must be."""
        ...

    def revision(self) -> str:
        """A cheap token that changes whenever anything stored changes (by any process), so callers
        can cache what they computed from a whole store."""
        ...

    def storage_problems(self) -> list[str]:
        """What is wrong with the backend's own storage, beyond its records (e.g. temporary files an
        interrupted write left behind), one message each; [] when nothing is. For `claims check`."""
        ...


def edit_each(claims: Iterable[Claim], edit: ClaimEdit) -> ChangeOutcome:
    """What `update_claims` writes, before it writes: edit(claim) for each claim, a ClaimsError refusing
    that claim, an unchanged result leaving it out."""
    outcome = ChangeOutcome()
    for claim in claims:
        try:
            after = edit(claim)
        except ClaimsError as error:
            outcome.refused.append(RefusedEdit(claim_id=claim.id, quote=claim.quote, reason=str(error)))
            continue
        if after != claim:
            outcome.applied.append(AppliedEdit(before=claim, after=after))
    return outcome


def merge_action(existing: Claim | None, incoming: Claim) -> MergeAction:
    """How a loaded claim meets the stored one: newer versions win, nothing is overwritten by older."""
    if existing is None:
        return "add"
    if incoming.version > existing.version:
        return "update"
    return "skip"


class ConflictingArticle(ClaimsError):
    """A merge brings an article whose id is already stored with another text."""

    def __init__(self, article_id: str) -> None:
        super().__init__(
            f"article {article_id} is already stored with a different text; its claims would not fit "
            "the stored text, so nothing was loaded"
        )
        self.article_id = article_id


_COUNTER: dict[MergeAction, str] = {"add": "added", "update": "updated", "skip": "skipped"}


def count_merge(report: MergeReport, action: MergeAction) -> None:
    """Add one claim decision to a merge report."""
    counts = report.claims
    setattr(counts, _COUNTER[action], getattr(counts, _COUNTER[action]) + 1)


def check_merge(
    articles: Iterable[Article],
    stored_text: Callable[[str], str | None],
    claims: Iterable[Claim],
    decisions: Iterable[SuggestionDecision],
) -> dict[str, Article]:
    """Refuse a merge before it writes anything; returns the incoming articles that are new, by id.

    `stored_text(id)` is the text of the stored article, None if there is none. Every claim is checked
    against the text that ends up stored: the stored one for an article already there (which must equal
    the incoming text), else the incoming one.
    """
    new: dict[str, Article] = {}
    texts: dict[str, str | None] = {}
    for article in articles:
        if article.id in texts:
            if texts[article.id] is not None and texts[article.id] != article.text:
                raise ConflictingArticle(article.id)
            continue
        existing = stored_text(article.id)
        if existing is not None and existing != article.text:
            raise ConflictingArticle(article.id)
        texts[article.id] = article.text
        if existing is None:
            new[article.id] = article
    for claim in claims:
        if claim.article_id not in texts:
            texts[claim.article_id] = stored_text(claim.article_id)
        text = texts[claim.article_id]
        if text is None:
            raise NotFound("article", claim.article_id)
        if text[claim.start : claim.end] != claim.quote:
            raise InvalidClaim(
                "quote",
                claim.quote,
                f"claim {claim.id} does not match article {claim.article_id} at [{claim.start}, {claim.end})",
            )
    for decision in decisions:
        if decision.article_id not in texts:
            texts[decision.article_id] = stored_text(decision.article_id)
        if texts[decision.article_id] is None:
            raise NotFound("article", decision.article_id)
    return new


def claim_winners(claims: Iterable[Claim]) -> dict[str, Claim]:
    """The copy of each claim id that a merge keeps among repeated ones: the first of the highest version
    (what applying `merge_action` copy by copy ends with)."""
    winners: dict[str, Claim] = {}
    for claim in claims:
        kept = winners.get(claim.id)
        if kept is None or merge_action(kept, claim) == "update":
            winners[claim.id] = claim
    return winners


def count_claims(
    report: MergeReport, claims: Iterable[Claim], stored: Mapping[str, Claim | None]
) -> list[str]:
    """Count each incoming claim's action against what is stored (and the copies merged before it);
    returns the ids whose winning copy (see `claim_winners`) must be written, in order of first appearance."""
    current: dict[str, Claim | None] = dict(stored)
    written: dict[str, None] = {}
    for claim in claims:
        action = merge_action(current.get(claim.id), claim)
        count_merge(report, action)
        if action != "skip":
            current[claim.id] = claim
            written[claim.id] = None
    return list(written)


def new_records(incoming: Iterable[RecordT], stored: Iterable[RecordT], counts: MergeCounts) -> list[RecordT]:
    """The incoming decisions or deletions not equal to a stored one (nor to one before them), counted."""
    seen = {record.model_dump_json() for record in stored}
    added = []
    for record in incoming:
        key = record.model_dump_json()
        if key in seen:
            counts.skipped += 1
        else:
            seen.add(key)
            added.append(record)
            counts.added += 1
    return added


def combined(winner: Claim, stored: Claim | None) -> Claim:
    """What a merge writes when `winner` replaces `stored`: the winner, keeping every history event and
    comment of the stored copy that it lacks (two stores that both changed a claim keep both threads), in
    time order. No later edit or load erases an earlier one."""
    if stored is None:
        return winner
    events = {(event.version, event.by, event.at) for event in winner.history}
    lost_events = [event for event in stored.history if (event.version, event.by, event.at) not in events]
    comments = {comment.id for comment in winner.comments}
    lost_comments = [comment for comment in stored.comments if comment.id not in comments]
    if not lost_events and not lost_comments:
        return winner
    return winner.model_copy(
        update={
            "history": sorted([*winner.history, *lost_events], key=lambda e: (e.at, e.version)),
            "comments": sorted([*winner.comments, *lost_comments], key=lambda c: (c.at, c.id)),
        }
    )


def factcheck_changes(
    checks: Iterable[KnownFactCheck], stored: Callable[[str], KnownFactCheck | None]
) -> tuple[dict[str, KnownFactCheck], FactCheckCounts]:
    """What `add_factchecks` writes, before it writes: the records to store by id (the last of an id in
    the batch wins) and the counts; `stored(id)` is the record stored under an id, or None."""
    latest = {check.id: check for check in checks}
    counts = FactCheckCounts()
    written: dict[str, KnownFactCheck] = {}
    for check_id, check in latest.items():
        before = stored(check_id)
        if before is None:
            counts.added += 1
        elif before != check:
            counts.updated += 1
        else:
            counts.unchanged += 1
            continue
        written[check_id] = check
    return written, counts
