"""An in-process index of a TinyDB store's claims: a compact summary of each claim, grouped by article,
kept fresh from the store's revision token and each article folder's change stamp, so that the queries
of the contract read only the claim files of the page they return.

Freshness: every write to the store takes the store's lock and writes a new revision token before it
changes anything, so under that lock an unchanged token means an unchanged store and costs one small read.
A new token means a scan of the article folders' stamps (inode, mtime, size: every write renames a file
into its article's folder, which moves the folder's mtime) and a new read of the folders whose stamp
moved. A folder whose mtime was too close to the moment it was read could change again within the same
timestamp tick without its stamp moving ("racy", as git calls it): such a folder is read again at the next
refresh whatever its stamp says.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import itertools
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any, Final, NamedTuple

from claims.errors import StoreError
from claims.models import (
    ArticlePage,
    ArticleQuery,
    ArticleRow,
    ArticleSort,
    ArticleSummary,
    ClaimFilter,
    ClaimGroup,
    ClaimQuery,
    ClaimSort,
    SuggestionDecision,
)
from claims.store.article_files import (
    ARTICLE_SUFFIX,
    StoredClaim,
    collector_paused,
    folder_name,
    read_stored_claims,
)
from claims.store.queries import STATUS_ORDER, decision_counts, iso_week, searchable_text
from claims.workflow import CLOSED

# A folder whose mtime is within this of the moment its scan began is read again at the next refresh: more
# than one tick of the clock that stamped it. A file system that keeps digits below the millisecond (ext4,
# xfs, btrfs, tmpfs, APFS, NTFS) stamps with the kernel's clock, which ticks every 10 ms or faster; one
# that keeps whole milliseconds or seconds may hold an mtime for 2 s (FAT), 1 s (ext3, HFS+).
FINE_RACY_NANOSECONDS: Final = 100_000_000
COARSE_RACY_NANOSECONDS: Final = 2_100_000_000
# Folders read per pydantic-core call while (re)building: large enough to batch, small enough that a
# 100,000-claim build never holds more than a few thousand whole claims at once.
_FOLDERS_PER_READ: Final = 40
# Up to this many claims changed at once, the orders built so far are patched (a bisection each), beyond it
# rebuilt (a sort of every claim) when next asked for.
_PATCH_LIMIT: Final = 5_000
_EPOCH: Final = dt.datetime.min.replace(tzinfo=dt.UTC)
_STATUS_RANK: Final = {status.value: rank for status, rank in STATUS_ORDER.items()}
_CLOSED: Final = frozenset(status.value for status in CLOSED)
_NEEDS_REVIEW: Final = "needs_review"
_NOBODY: Final[frozenset[str]] = frozenset()  # shared by the many claims nobody is mentioned in


class ClaimSummary(NamedTuple):
    """What filters, sorts and counts need of one claim (a tuple: a few hundred bytes a claim)."""

    id: str
    article_id: str
    start: int
    status: str
    verdict: str
    claim_type: str
    claimant: str | None
    assignee: str | None
    updated_by: str
    updated_at: dt.datetime  # as stored (the article's row shows its latest)
    updated_us: int  # the same, in microseconds since 0001-01-01 UTC: what sorts compare
    created_us: int
    text: str  # searchable_text(claim): casefolded quote, claimant, source name and notes
    order: int  # its place among its article's claims (the order added)
    # What "My claims", the waiting sort and the weekly groups need (see claims/workflow.py).
    rated_by: str | None
    mentioned: frozenset[str]  # every editor the claim's thread mentions
    status_since_us: int  # -1 for a claim without one: the waiting sort puts it first
    rated_week: str  # ISO week ("2026-W48") of rated_at, "" for none
    approved_week: str
    published_week: str


# A folder's (inode, mtime_ns, size): what changes when a file is renamed into or out of it (or it is
# replaced). Plain tuples: a refresh takes 5,000 of them.
Stamp = tuple[int, int, int]


def micros(moment: dt.datetime) -> int:
    """Microseconds since 0001-01-01 UTC: orders as the datetimes do (a naive one is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return (moment - _EPOCH) // dt.timedelta(microseconds=1)


def _name(value: str | None) -> str | None:
    # Names repeat across thousands of claims: one string each.
    return None if value is None else sys.intern(value)


def summarise(article_id: str, stored: StoredClaim) -> ClaimSummary:
    claim = stored.claim
    return ClaimSummary(
        id=claim.id,
        article_id=article_id,
        start=claim.start,
        status=claim.status.value,
        verdict=claim.verdict.value,
        claim_type=claim.claim_type.value,
        claimant=_name(claim.claimant),
        assignee=_name(claim.assignee),
        updated_by=sys.intern(claim.updated_by),
        updated_at=claim.updated_at,
        updated_us=micros(claim.updated_at),
        created_us=micros(claim.created_at),
        text=searchable_text(claim),
        order=stored.order,
        rated_by=_name(claim.rated_by),
        mentioned=frozenset(map(sys.intern, claim.mentioned)) if claim.comments else _NOBODY,
        status_since_us=-1 if claim.status_since is None else micros(claim.status_since),
        rated_week=sys.intern(iso_week(claim.rated_at)),
        approved_week=sys.intern(iso_week(claim.approved_at)),
        published_week=sys.intern(iso_week(claim.published_at)),
    )


@dataclass(slots=True)
class _Folder:
    """One article's part of the index, as read when its folder had `stamp`."""

    stamp: Stamp | None  # None: read again at the next refresh
    racy: bool
    claims: list[ClaimSummary]  # in the order added
    # claim type -> {"accepted": n, "rejected": n}; None until read (count_decisions reads it, so that a
    # damaged decisions file fails only what list_decisions would).
    decisions: dict[str, dict[str, int]] | None = None
    facts: _ArticleFacts | None = None  # for the listing's summary `facts.summary`, when first asked for

    def facts_for(self, summary: ArticleSummary) -> _ArticleFacts:
        if self.facts is None or self.facts.summary is not summary:
            # The first of the latest changes, as max() finds it in the order added (as the reference does).
            latest = max(self.claims, key=attrgetter("updated_us"), default=None)
            fields = (summary.title, summary.source_file, summary.url, summary.id)
            self.facts = _ArticleFacts(
                summary=summary,
                imported_us=micros(summary.imported_at),
                title=(summary.title or "").casefold(),
                searchable="\n".join(field for field in fields if field).casefold(),
                claims=len(self.claims),
                latest=latest,
            )
        return self.facts

    def row(self) -> ArticleRow:
        assert self.facts is not None
        summary, latest = self.facts.summary, self.facts.latest
        return ArticleRow(
            article=summary.model_copy(),
            claims=len(self.claims),
            by_status=dict(Counter(claim.status for claim in self.claims)),
            last_updated_by=latest.updated_by if latest else None,
            last_updated_at=latest.updated_at if latest else None,
        )


class _ArticleFacts(NamedTuple):
    """What the article queries sort and filter an article by (see claims.store.queries.article_page)."""

    summary: ArticleSummary
    imported_us: int
    title: str  # casefolded, "" for none
    searchable: str  # title, source file, URL and id, casefolded
    claims: int
    latest: ClaimSummary | None  # its latest change


@dataclass(slots=True)
class _Listing:
    summaries: list[ArticleSummary] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # their folder names
    stamp: Stamp | None = None  # of the index file when the summaries were read
    racy: bool = True
    positions: dict[str, int] | None = None  # article id -> place in the listing, built when first asked for

    def position(self) -> dict[str, int]:
        if self.positions is None:
            self.positions = {summary.id: place for place, summary in enumerate(self.summaries)}
        return self.positions


def stamp_of(stat: os.stat_result) -> Stamp:
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def is_racy(mtime_ns: int, started_ns: int) -> bool:
    """Whether a change made after a read begun at `started_ns` could leave this mtime as it is."""
    fine = mtime_ns % 1_000_000 != 0  # digits below the millisecond: a fine-grained file system
    return mtime_ns >= started_ns - (FINE_RACY_NANOSECONDS if fine else COARSE_RACY_NANOSECONDS)


class ClaimIndex:
    """The claims of one store, summarised. Not thread-safe: call it holding the store's lock."""

    def __init__(self, folder: Path, index_file: Path) -> None:
        self.folder = folder  # where the article folders are
        self.index_file = index_file  # the TinyDB listing of the articles
        self._revision: str | None = None  # the store's revision when last refreshed
        self._listing = _Listing()
        self._folders: dict[str, _Folder] = {}  # by article id
        self._every: list[ClaimSummary] | None = None  # every claim in listing order, built on demand
        self._sorted: dict[ClaimSort, list[ClaimSummary]] = {}  # every claim in each order asked for
        self.folders_read = 0  # how many folders refreshes have read (tests and benchmarks look)

    # -- freshness

    def refresh(self, revision: Callable[[], str], listing: Callable[[], list[ArticleSummary]]) -> None:
        """Bring the index up to date with the store. `revision()` reads the store's revision token;
        `listing()` the article summaries in listing order (repairing the listing if it must)."""
        if self._revision is not None and revision() == self._revision:
            return
        started = time.time_ns()
        stamps = self._folder_stamps()
        listed = self._fresh_listing(stamps, listing, started)
        stale: list[tuple[ArticleSummary, Stamp | None]] = []
        for summary, name in zip(listed.summaries, listed.names, strict=True):
            stamp = stamps.get(name)
            known = self._folders.get(summary.id)
            if known is None or known.stamp is None or known.racy or known.stamp != stamp:
                stale.append((summary, stamp))
        gone = self._folders.keys() - {summary.id for summary in listed.summaries}
        dropped = [claim for article_id in gone for claim in self._folders.pop(article_id).claims]
        for summary, _ in stale:
            if (known := self._folders.get(summary.id)) is not None:
                dropped += known.claims
        added: list[ClaimSummary] = []
        try:
            with collector_paused():  # the summaries are plain tuples: no cycles to look for
                for first in range(0, len(stale), _FOLDERS_PER_READ):
                    added += self._read_folders(stale[first : first + _FOLDERS_PER_READ], started)
        except BaseException:
            self._changed()  # some folders read, some not: the orders are rebuilt when next asked for
            raise
        self._replaced(dropped, added)
        # Read last: a listing repair above writes a new revision, which this index has now seen.
        self._revision = revision()

    def saw(self, revision: Callable[[], str]) -> bool:
        """Whether the index is up to date with the store, whose token `revision()` reads (call it holding
        the store's lock)."""
        return self._revision is not None and revision() == self._revision

    def wrote(
        self,
        revision: str,
        article_id: str,
        saved: Iterable[StoredClaim] = (),
        removed: Iterable[str] = (),
        decisions: bool = False,
    ) -> None:
        """This instance changed one article's folder, moving the store to `revision`, with the index up to
        date (`saw`) before: patch it rather than scan the store at the next query. Several calls may follow
        one write that changed several folders."""
        if self._revision is None:
            return  # an earlier call for the same write could not patch: a refresh reads it all
        known = self._folders.get(article_id)
        if known is None or known.stamp is None:
            self._revision = None  # a refresh reads what changed
            return
        started = time.time_ns()
        try:
            stamp = stamp_of(os.stat(self.folder / folder_name(article_id)))
        except OSError:
            self._revision = None
            return
        claims = {claim.id: claim for claim in known.claims}
        dropped = [claims.pop(claim_id) for claim_id in removed if claim_id in claims]
        added = [summarise(article_id, stored) for stored in saved]
        dropped += (claims[claim.id] for claim in added if claim.id in claims)
        claims.update((claim.id, claim) for claim in added)
        known.claims = sorted(claims.values(), key=attrgetter("order"))
        known.stamp, known.racy = stamp, is_racy(stamp[1], started)
        known.facts = None
        if decisions:
            known.decisions = None
        self._replaced(dropped, added)
        self._revision = revision

    def forget(self, article_id: str) -> None:
        """Read this article's folder again at the next refresh (its files changed without a revision)."""
        if (known := self._folders.get(article_id)) is not None:
            known.stamp = None
        self._revision = None

    def _folder_stamps(self) -> dict[str, Stamp]:
        try:
            with os.scandir(self.folder) as entries:
                # The names the store's listing repair looks at (see TinyDBRepository._listing).
                return {
                    entry.name: stamp_of(entry.stat(follow_symlinks=False))
                    for entry in entries
                    if entry.name.endswith(ARTICLE_SUFFIX) and not entry.name.startswith(".")
                }
        except OSError as error:
            problem = error.strerror or error
            raise StoreError(f"{self.folder}: cannot list the article folders ({problem})") from None

    def _fresh_listing(
        self, stamps: dict[str, Stamp], listing: Callable[[], list[ArticleSummary]], started: int
    ) -> _Listing:
        try:
            index_stamp: Stamp | None = stamp_of(os.stat(self.index_file))
        except OSError:
            index_stamp = None
        known = self._listing
        if (
            index_stamp is not None
            and index_stamp == known.stamp
            and not known.racy
            and len(known.names) == len(stamps)
            and all(name in stamps for name in known.names)
        ):
            return known
        summaries = listing()
        try:
            index_stamp = stamp_of(os.stat(self.index_file))  # a repair rewrote it
        except OSError:
            index_stamp = None
        racy = index_stamp is None or is_racy(index_stamp[1], started)
        self._listing = _Listing(summaries, [folder_name(s.id) for s in summaries], index_stamp, racy)
        if [s.id for s in summaries] != [s.id for s in known.summaries]:
            self._every = None
            self._sorted.pop(ClaimSort.ARTICLE, None)  # its keys hold the articles' positions
        return self._listing

    def _read_folders(
        self, stale: Sequence[tuple[ArticleSummary, Stamp | None]], started: int
    ) -> list[ClaimSummary]:
        """Read the folders again (their claims checked as list_claims checks them); their new claims."""
        folders = [(summary.id, self.folder / folder_name(summary.id)) for summary, _ in stale]
        by_article: dict[str, list[StoredClaim]] = {summary.id: [] for summary, _ in stale}
        for stored in read_stored_claims(folders):
            by_article[stored.claim.article_id].append(stored)
        added: list[ClaimSummary] = []
        for summary, stamp in stale:
            claims = [summarise(summary.id, stored) for stored in by_article[summary.id]]
            self._folders[summary.id] = _Folder(
                stamp=stamp, racy=stamp is None or is_racy(stamp[1], started), claims=claims
            )
            added += claims
        self.folders_read += len(stale)
        return added

    def _replaced(self, dropped: list[ClaimSummary], added: list[ClaimSummary]) -> None:
        """Keep the orders built so far in step with claims that left (`dropped`) and came (`added`)."""
        if not dropped and not added:
            return
        self._every = None
        if len(dropped) + len(added) > _PATCH_LIMIT:
            self._sorted.clear()
            return
        for sort, ordered in list(self._sorted.items()):
            if not _patched(ordered, self._sort_key(sort), dropped, added):
                del self._sorted[sort]

    def _changed(self) -> None:
        self._every = None
        self._sorted.clear()

    # -- answers

    @property
    def articles(self) -> list[ArticleSummary]:
        return self._listing.summaries

    def claim_page(self, query: ClaimQuery) -> tuple[list[ClaimSummary], int]:
        """The summaries of the page `query` asks for, and how many claims match in all."""
        chosen, sort = query.filter, query.sort
        end = query.offset + query.limit
        if not chosen.article_ids and not chosen.title.strip():
            # Every claim, in this order, kept from one query to the next: a page is a slice of a filter.
            kept = _narrowed(self._ordered(sort), chosen)
            return kept[query.offset : end], len(kept)
        kept = self.matching(chosen)
        key = self._sort_key(sort)
        if end * 4 < len(kept):
            # The first pages of many matches: a bounded heap, not a sort (what sorted(...)[:end] gives).
            return heapq.nsmallest(end, kept, key=key)[query.offset :], len(kept)
        kept.sort(key=key)
        return kept[query.offset : end], len(kept)

    def matching(self, chosen: ClaimFilter, sort: ClaimSort | None = None) -> list[ClaimSummary]:
        """The claims passing `chosen` (as claims.store.queries.claim_matches decides), in listing order
        or in `sort` order."""
        kept = _narrowed(self._candidates(chosen), chosen)
        if sort is not None:
            kept.sort(key=self._sort_key(sort))
        return kept

    def count_by(self, group: ClaimGroup, chosen: ClaimFilter | None = None) -> dict[str, int]:
        claims = self._every_claim() if chosen is None else self.matching(chosen)
        counts = Counter(map(attrgetter(group), claims))
        if None in counts:
            none = counts.pop(None)
            counts[""] += none
        return dict(counts)

    def article_page(self, query: ArticleQuery) -> ArticlePage:
        """As claims.store.queries.article_page over every article's row, on integers and casefolded
        text (no model compared, whose datetimes call back into Python); rows are built for the page."""
        needle = query.text.strip().casefold()
        kept = [
            facts
            for facts in (self._folders[summary.id].facts_for(summary) for summary in self.articles)
            if (not needle or needle in facts.searchable)
            and (query.claims == "any" or (facts.claims > 0) == (query.claims == "some"))
        ]
        newest_first = sorted(kept, key=lambda facts: (facts.imported_us, facts.summary.id), reverse=True)
        if query.sort is ArticleSort.TITLE:
            ordered = sorted(kept, key=lambda facts: (facts.title, facts.summary.id))
        elif query.sort is ArticleSort.CLAIMS_DESC:
            ordered = sorted(newest_first, key=lambda facts: -facts.claims)  # stable: newest import first
        elif query.sort is ArticleSort.UPDATED_DESC:
            ordered = sorted(newest_first, key=lambda facts: -facts.latest.updated_us if facts.latest else 1)
        else:
            ordered = newest_first
        return ArticlePage(
            rows=[
                self._folders[facts.summary.id].row()
                for facts in ordered[query.offset : query.offset + query.limit]
            ],
            total=len(kept),
            sentences=sum(facts.summary.sentence_count for facts in kept),
            claims=sum(facts.claims for facts in kept),
        )

    def decision_counts(self, read: Callable[[str], list[SuggestionDecision]]) -> dict[str, dict[str, int]]:
        """Accepted and rejected suggestions per claim type; `read(article_id)` gives an article's
        decisions for the folders whose tally is not known yet."""
        total: dict[str, dict[str, int]] = {}
        for summary in self.articles:
            known = self._folders[summary.id]
            if known.decisions is None:
                known.decisions = decision_counts(read(summary.id))
            for claim_type, tally in known.decisions.items():
                into = total.setdefault(claim_type, {"accepted": 0, "rejected": 0})
                for decision, count in tally.items():
                    into[decision] += count
        return total

    def _ordered(self, sort: ClaimSort) -> list[ClaimSummary]:
        if (ordered := self._sorted.get(sort)) is None:
            ordered = self._sorted[sort] = sorted(self._every_claim(), key=self._sort_key(sort))
        return ordered

    def _every_claim(self) -> list[ClaimSummary]:
        if self._every is None:
            self._every = list(self._claims_of(summary.id for summary in self.articles))
        return self._every

    def _claims_of(self, article_ids: Iterable[str]) -> Iterator[ClaimSummary]:
        return itertools.chain.from_iterable(self._folders[each].claims for each in article_ids)

    def _candidates(self, chosen: ClaimFilter) -> Iterable[ClaimSummary]:
        """The claims of the articles `chosen` allows (by id and by title), in listing order."""
        wanted_title = chosen.title.strip().casefold()
        if not chosen.article_ids and not wanted_title:
            return self._every_claim()
        return self._claims_of(
            summary.id
            for summary in self.articles
            if (not chosen.article_ids or summary.id in chosen.article_ids)
            and (not wanted_title or wanted_title in (summary.title or "").casefold())
        )

    def _sort_key(self, sort: ClaimSort) -> Callable[[ClaimSummary], Any]:
        """As claims.store.queries.claim_sort_key, on summaries: ties broken by claim id, ascending."""
        if sort is ClaimSort.UPDATED:
            return lambda s: (s.updated_us, s.id)
        if sort is ClaimSort.ARTICLE:
            positions = self._listing.position()
            last = len(positions)
            return lambda s: (positions.get(s.article_id, last), s.start, s.id)
        if sort is ClaimSort.CREATED_DESC:
            return lambda s: (-s.created_us, s.id)
        if sort is ClaimSort.STATUS:
            return lambda s: (_STATUS_RANK[s.status], -s.updated_us, s.id)
        if sort is ClaimSort.CLAIMANT:
            return lambda s: (s.claimant is None, (s.claimant or "").casefold(), -s.updated_us, s.id)
        if sort is ClaimSort.WAITING:
            return lambda s: (s.status_since_us, s.id)
        return lambda s: (-s.updated_us, s.id)


def _patched(
    ordered: list[ClaimSummary],
    key: Callable[[ClaimSummary], Any],
    dropped: Iterable[ClaimSummary],
    added: Iterable[ClaimSummary],
) -> bool:
    """Take `dropped` out of the sorted list and put `added` in their places, as a new sort would; False
    (the list half done, to be thrown away) where a tie of keys leaves the place to the listing order."""
    for claim in dropped:
        wanted = key(claim)
        at = bisect.bisect_left(ordered, wanted, key=key)
        if at == len(ordered) or ordered[at] is not claim:
            return False
        del ordered[at]
    for claim in added:
        wanted = key(claim)
        at = bisect.bisect_left(ordered, wanted, key=key)
        if at < len(ordered) and key(ordered[at]) == wanted:
            return False
        ordered.insert(at, claim)
    return True


def _narrowed(claims: Iterable[ClaimSummary], chosen: ClaimFilter) -> list[ClaimSummary]:
    """The claims passing every part of `chosen` but article ids and title (see `_candidates`), in the
    order given: one pass per part that narrows anything (a comprehension each, no call per claim)."""
    kept = list(claims)
    if claim_ids := chosen.claim_ids:
        kept = [s for s in kept if s.id in claim_ids]
    # The vocabularies are StrEnums: their members equal (and hash as) the plain values summaries hold.
    if statuses := chosen.statuses:
        kept = [s for s in kept if s.status in statuses]
    if verdicts := chosen.verdicts:
        kept = [s for s in kept if s.verdict in verdicts]
    if types := chosen.types:
        kept = [s for s in kept if s.claim_type in types]
    if names := chosen.claimants:
        kept = [s for s in kept if (s.claimant or "") in names]
    if names := chosen.assignees:
        kept = [s for s in kept if (s.assignee or "") in names]
    if names := chosen.editors:
        kept = [s for s in kept if s.updated_by in names]
    if editor := chosen.mine:
        # As claims.workflow.is_mine: open, and assigned to the editor, mentioning them, or waiting for
        # a review they may give (needs review, rated by someone else).
        kept = [
            s
            for s in kept
            if s.status not in _CLOSED
            and (
                s.assignee == editor
                or editor in s.mentioned
                or (s.status == _NEEDS_REVIEW and s.rated_by != editor)
            )
        ]
    if needle := chosen.text.strip().casefold():
        kept = [s for s in kept if needle in s.text]
    return kept
