"""Every record that crosses a boundary, and the vocabularies they use, defined once."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

# A regular expression rather than urlsplit: this runs for every stored claim with a source, and the
# compiled pattern is several times cheaper (it halved the time to list 100,000 claims).
_WEB_URL = re.compile(r"(?i:https?)://[^\s/?#]+(?:[/?#]\S*)?")


def _check_web_url(value: str) -> str:
    if not _WEB_URL.fullmatch(value):
        raise ValueError("expected a web address starting with http:// or https://")
    return value


# A web address kept exactly as given (pydantic's HttpUrl would rewrite it, breaking round trips).
WebUrl = Annotated[str, AfterValidator(_check_web_url)]
Name = Annotated[str, Field(min_length=1, max_length=300)]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ClaimType(StrEnum):
    """What kind of statement a claim is."""

    STATISTIC = "statistic"
    QUOTE = "quote"
    DENIAL = "denial"
    ACCUSATION = "accusation"
    PREDICTION = "prediction"
    CAUSAL = "causal"
    EVENT = "event"
    POLICY = "policy"
    OPINION = "opinion"
    OTHER = "other"


class ClaimStatus(StrEnum):
    """Where a claim is in the editorial workflow."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    NEEDS_REVIEW = "needs_review"
    APPROVED = "approved"
    PUBLISHED = "published"
    DROPPED = "dropped"


class Verdict(StrEnum):
    """The rating of a claim, separate from its workflow status."""

    UNRATED = "unrated"
    TRUE = "true"
    MOSTLY_TRUE = "mostly_true"
    HALF_TRUE = "half_true"
    MOSTLY_FALSE = "mostly_false"
    FALSE = "false"
    MISLEADING = "misleading"
    UNPROVEN = "unproven"
    NOT_CHECKABLE = "not_checkable"


class ClaimOrigin(StrEnum):
    """Whether an editor marked the span by hand or accepted a suggestion."""

    MANUAL = "manual"
    SUGGESTION = "suggestion"


class Sentence(BaseModel):
    """One sentence of an article body: text == body[start:end]."""

    model_config = ConfigDict(frozen=True)

    index: int = Field(ge=0)
    paragraph: int = Field(ge=0)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class ArticleSummary(BaseModel):
    """What lists of articles show, without the body."""

    id: str
    title: str | None = None
    url: WebUrl | None = None
    date: dt.date | None = None
    content_hash: str
    sentence_count: int = Field(ge=0)
    source_file: str | None = None
    imported_at: dt.datetime
    imported_by: str | None = None


class Article(ArticleSummary):
    """An imported article: its body and the sentences split from it."""

    text: str
    sentences: list[Sentence]
    # The date as the file wrote it ("Friday, July 21, 2017"), when `date` was read from a file.
    date_text: str | None = None

    def summary(self) -> ArticleSummary:
        return ArticleSummary.model_validate(self.model_dump(exclude={"text", "sentences"}))


class CheckFocus(StrEnum):
    """What a check is about: whether the claim is true, or whether it was said (and said so)."""

    CONTENT = "content"  # is it true that 200,000 troops massed?
    ATTRIBUTION = "attribution"  # did Putin deny it?


class Stance(StrEnum):
    """What an evidence item does for the verdict."""

    SUPPORTS = "supports"
    REFUTES = "refutes"
    CONTEXT = "context"


class Source(BaseModel):
    """Whom the article cites for a claim, e.g. Reuters."""

    name: Name
    url: WebUrl | None = None


class Evidence(BaseModel):
    """A source an editor consulted while checking a claim (schema 2 had only url, title and note)."""

    url: WebUrl | None = None
    title: str = Field(default="", max_length=500)
    publisher: str = Field(default="", max_length=300)
    accessed: dt.date | None = None
    note: str = Field(default="", max_length=5000)
    stance: Stance = Stance.CONTEXT


class Comment(BaseModel):
    """One message of a claim's thread; `mentions` are the editors its text names with "@"."""

    id: str = Field(min_length=1)
    by: Name
    at: dt.datetime
    text: str = Field(min_length=1, max_length=5000)
    mentions: list[str] = Field(default_factory=list)


class ValueChange(BaseModel):
    """One field of a claim as a change left it: its value before and after, as JSON."""

    field: str
    old: Any = None
    new: Any = None


class ClaimEvent(BaseModel):
    """One entry of a claim's history: who made version `version`, when, what changed, and the comment they
    gave for it (a back-step's reason)."""

    version: int = Field(ge=1)
    by: Name
    at: dt.datetime
    changes: list[ValueChange] = Field(default_factory=list)
    comment: str | None = None


class FactCheckSource(StrEnum):
    """Where a known fact-check comes from: imported from another organisation's files, or the desk's own
    rated claim in the store."""

    IMPORTED = "imported"
    STORE = "store"


class FactCheckLink(BaseModel):
    """A known fact-check an editor linked to a claim ("checked before"), copied as it was when linked so
    that an export stands alone and the claim can show that check's rating beside its own."""

    factcheck_id: str = Field(min_length=1, max_length=500)
    source: FactCheckSource = FactCheckSource.IMPORTED
    claim: str = Field(default="", max_length=5000)
    title: str = Field(default="", max_length=1000)
    rating: str = Field(default="", max_length=300)
    url: WebUrl | None = None
    publisher: str = Field(default="", max_length=300)
    date: dt.date | None = None
    linked_by: Name
    linked_at: dt.datetime


class ClaimFields(BaseModel):
    """The labels an editor sets on a claim; shared by new claims and edits."""

    claim_type: ClaimType = ClaimType.OTHER
    claimant: Name | None = None
    source: Source | None = None
    status: ClaimStatus = ClaimStatus.NEW
    verdict: Verdict = Verdict.UNRATED
    assignee: Name | None = None  # the editor working on the claim
    evidence: list[Evidence] = Field(default_factory=list)
    notes: str = Field(default="", max_length=20000)
    # What is checked: the claim in one neutral sentence (ClaimReview's claimReviewed), the one-line
    # conclusion, and whether the check is about the content or the attribution.
    claim_reviewed: str = Field(default="", max_length=1000)
    conclusion: str = Field(default="", max_length=500)
    check_focus: CheckFocus = CheckFocus.CONTENT
    # Earlier fact-checks of the same claim (the desk's own or another organisation's).
    checked_before: list[FactCheckLink] = Field(default_factory=list)


class ClaimDraft(ClaimFields):
    """A claim as an editor proposes it, before it has an id or history."""

    article_id: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    quote: str | None = None
    origin: ClaimOrigin = ClaimOrigin.MANUAL


class ClaimChanges(BaseModel):
    """An edit to a claim: only the fields that were given are changed."""

    model_config = ConfigDict(extra="forbid")

    claim_type: ClaimType | None = None
    claimant: Name | None = None
    source: Source | None = None
    status: ClaimStatus | None = None
    verdict: Verdict | None = None
    assignee: Name | None = None
    evidence: list[Evidence] | None = None
    notes: str | None = Field(default=None, max_length=20000)
    claim_reviewed: str | None = Field(default=None, max_length=1000)
    conclusion: str | None = Field(default=None, max_length=500)
    check_focus: CheckFocus | None = None
    checked_before: list[FactCheckLink] | None = None


class Claim(ClaimFields):
    """A labelled span [start, end) of an article body, with its history."""

    id: str = Field(min_length=1)
    article_id: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    quote: str = Field(min_length=1)
    origin: ClaimOrigin = ClaimOrigin.MANUAL
    created_by: Name
    created_at: dt.datetime
    updated_by: Name
    updated_at: dt.datetime
    version: int = Field(ge=1)
    # Kept by the core (claims/workflow.py), never edited directly: who set the current verdict, who
    # approved it, who published it, since when the claim has its status, its thread and its history.
    rated_by: Name | None = None
    rated_at: dt.datetime | None = None
    approved_by: Name | None = None
    approved_at: dt.datetime | None = None
    published_by: Name | None = None
    published_at: dt.datetime | None = None
    status_since: dt.datetime | None = None
    comments: list[Comment] = Field(default_factory=list)
    history: list[ClaimEvent] = Field(default_factory=list)

    @property
    def mentioned(self) -> set[str]:
        """Every editor a comment of the thread mentions."""
        return {name for comment in self.comments for name in comment.mentions}

    @model_validator(mode="after")
    def _span_matches_quote(self) -> Claim:
        if self.end <= self.start:
            raise ValueError(f"end ({self.end}) must be greater than start ({self.start})")
        if len(self.quote) != self.end - self.start:
            raise ValueError(
                f"quote has {len(self.quote)} characters but the span "
                f"[{self.start}, {self.end}) has {self.end - self.start}"
            )
        return self


class ExportedClaim(Claim):
    """A claim as exports carry it: with its sentences and article details, to stand alone."""

    sentences: list[Sentence]
    article_title: str | None = None
    article_url: str | None = None
    article_date: dt.date | None = None

    def to_claim(self) -> Claim:
        return Claim.model_validate(self.model_dump(include=set(Claim.model_fields)))


class ExportDocument(BaseModel):
    """The versioned JSON export: everything needed to rebuild a store (schema 1 had no decisions or
    deletions; they default to none)."""

    schema_version: int = Field(ge=1)
    exported_at: dt.datetime
    articles: list[Article]
    claims: list[ExportedClaim]
    decisions: list[SuggestionDecision] = Field(default_factory=list)
    deletions: list[Deletion] = Field(default_factory=list)
    # Schema 4: the known fact-checks (other organisations') that claims are matched against.
    factchecks: list[KnownFactCheck] = Field(default_factory=list)


class Suggestion(BaseModel):
    """A span the suggester proposes as a claim, with how check-worthy it looks and why."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    quote: str
    claim_type: ClaimType
    claimant: str | None = None
    source: str | None = None  # whom the article cites for it ("according to Reuters"), not who claims it
    cue: str | None = None
    score: float = Field(ge=0.0, le=1.0)
    reason: str
    sentence_index: int = Field(ge=0)

    @property
    def key(self) -> tuple[int, int, ClaimType]:
        """Which suggestion this is: the same span and type is the same suggestion (and sorts by position)."""
        return (self.start, self.end, self.claim_type)


class Decision(StrEnum):
    """What an editor did with a suggestion."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"


class SuggestionDecision(BaseModel):
    """An editor's accept or reject of one suggestion, remembered per article (and never shown again)."""

    article_id: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    claim_type: ClaimType
    quote: str
    decision: Decision
    claim_id: str | None = None  # the claim an accepted suggestion became
    by: Name
    at: dt.datetime

    @property
    def key(self) -> tuple[int, int, ClaimType]:
        """Which suggestion this was: the same span and type is the same suggestion."""
        return (self.start, self.end, self.claim_type)


class DeletionKind(StrEnum):
    """What was deleted."""

    ARTICLE = "article"
    CLAIM = "claim"


class Deletion(BaseModel):
    """Who deleted an article or a claim, and when; a deleted claim is kept whole in `claim`."""

    kind: DeletionKind
    id: str = Field(min_length=1)  # the deleted article's or claim's id
    article_id: str = Field(min_length=1)
    by: Name
    at: dt.datetime
    claim: Claim | None = None


class ClaimFilter(BaseModel):
    """Which claims to show or change. Empty sets and blank text mean "any".

    `text` is looked for, ignoring case, in quote, claimant, source name and notes; `title` in the title of
    the claim's article. `claimants` and `assignees` match exactly, "" matching a claim with none;
    `editors` match who changed the claim last.
    """

    statuses: set[ClaimStatus] = Field(default_factory=set)
    verdicts: set[Verdict] = Field(default_factory=set)
    types: set[ClaimType] = Field(default_factory=set)
    claimants: set[str] = Field(default_factory=set)
    assignees: set[str] = Field(default_factory=set)
    editors: set[str] = Field(default_factory=set)
    article_ids: set[str] = Field(default_factory=set)
    claim_ids: set[str] = Field(default_factory=set)
    text: str = ""
    title: str = ""
    # "My claims" of this editor: open claims (neither published nor dropped) assigned to them, mentioning
    # them in a comment, or waiting for review (needs_review) that someone else rated.
    mine: str = ""


class ClaimSort(StrEnum):
    """Orders of a page of claims; every one breaks ties by claim id, ascending, so pages are stable."""

    UPDATED_DESC = "updated_desc"  # newest change first
    UPDATED = "updated"  # oldest change first
    CREATED_DESC = "created_desc"  # newest claim first
    ARTICLE = "article"  # articles in listing order, then the claim's start offset
    STATUS = "status"  # workflow order (new first, dropped last), then newest change
    CLAIMANT = "claimant"  # claimant ignoring case, claims with none last, then newest change
    WAITING = "waiting"  # longest in its status first (status_since, claims without one first)


class ClaimQuery(BaseModel):
    """One page of the claims matching a filter, in one order."""

    filter: ClaimFilter = Field(default_factory=ClaimFilter)
    sort: ClaimSort = ClaimSort.UPDATED_DESC
    offset: int = Field(default=0, ge=0)
    limit: int = Field(default=100, ge=1, le=1000)


class ClaimPage(BaseModel):
    """The claims of one page, and how many match the filter in all."""

    claims: list[Claim]
    total: int = Field(ge=0)


# The *_week groups count claims by the ISO week ("2026-W48") of their rated_at, approved_at or published_at.
ClaimGroup = Literal[
    "status", "verdict", "claim_type", "claimant", "assignee", "updated_by", "article_id", "rated_by",
    "rated_week", "approved_week", "published_week",
]  # fmt: skip


class ArticleSort(StrEnum):
    """Orders of a page of articles."""

    IMPORTED_DESC = "imported_desc"  # newest import first, then id descending
    TITLE = "title"  # title ignoring case (untitled first), then id
    CLAIMS_DESC = "claims_desc"  # most claims first, then newest import
    UPDATED_DESC = "updated_desc"  # latest claim change first, articles without claims last (newest import)


class ArticleQuery(BaseModel):
    """One page of articles: `text` is looked for, ignoring case, in title, source file, URL and id."""

    text: str = ""
    claims: Literal["any", "none", "some"] = "any"
    sort: ArticleSort = ArticleSort.IMPORTED_DESC
    offset: int = Field(default=0, ge=0)
    limit: int = Field(default=100, ge=1, le=1000)


class ArticleRow(BaseModel):
    """An article as lists show it, with what its claims add up to."""

    article: ArticleSummary
    claims: int = Field(ge=0)
    by_status: dict[str, int]  # statuses its claims have, absent ones left out
    last_updated_by: str | None = None  # who changed one of its claims last; None without claims
    last_updated_at: dt.datetime | None = None


class ArticlePage(BaseModel):
    """The rows of one page, and totals over every matching article."""

    rows: list[ArticleRow]
    total: int = Field(ge=0)
    sentences: int = Field(ge=0)
    claims: int = Field(ge=0)


class AppliedEdit(BaseModel):
    """A claim as it was before a change set wrote it, and as the write left it."""

    before: Claim
    after: Claim


class RefusedEdit(BaseModel):
    """A claim a change set left alone, and why, in words for the editor."""

    claim_id: str
    quote: str
    reason: str


class ChangeOutcome(BaseModel):
    """What applying (or undoing) a change set did, claim by claim."""

    applied: list[AppliedEdit] = Field(default_factory=list)
    refused: list[RefusedEdit] = Field(default_factory=list)


class StoreStats(BaseModel):
    """Counts over a whole store, as `claims stats` prints them."""

    articles: int
    sentences: int
    claims: int
    by_status: dict[str, int]
    by_verdict: dict[str, int]
    by_type: dict[str, int]


class MergeCounts(BaseModel):
    """What merging records into a store did, per kind of record."""

    added: int = 0
    updated: int = 0
    skipped: int = 0


class MergeReport(BaseModel):
    """What loading an export into a store did."""

    articles: MergeCounts = Field(default_factory=MergeCounts)
    claims: MergeCounts = Field(default_factory=MergeCounts)
    decisions: MergeCounts = Field(default_factory=MergeCounts)
    deletions: MergeCounts = Field(default_factory=MergeCounts)
    factchecks: FactCheckCounts = Field(default_factory=lambda: FactCheckCounts())
    # Web Annotations that could not be anchored in their article's stored text, one message each.
    unanchored: list[str] = Field(default_factory=list)


ImportStatus = Literal["imported", "already_present", "failed"]


class ImportResult(BaseModel):
    """The outcome of importing one article (or one file that failed)."""

    source: str
    status: ImportStatus
    article_id: str | None = None
    title: str | None = None
    message: str = ""


class PublisherSettings(BaseModel):
    """Who publishes the desk's ClaimReviews (the review's `author`) and where each review lives.

    `review_url` holds `{id}`, replaced by each claim's id (https://desk.example/checks/{id}).
    """

    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="", max_length=300)
    url: WebUrl | None = None
    logo: WebUrl | None = None
    review_url: WebUrl | None = None

    @model_validator(mode="after")
    def _review_urls_differ(self) -> PublisherSettings:
        if self.review_url is not None and "{id}" not in self.review_url:
            raise ValueError("review_url must hold {id}, so that every review has its own address")
        return self


class DeskSettings(BaseModel):
    """The desk's settings, kept in a TOML file beside the store (see claims/settings.py)."""

    model_config = ConfigDict(extra="forbid")

    publisher: PublisherSettings = Field(default_factory=PublisherSettings)


class KnownFactCheck(BaseModel):
    """A fact-check already published (by another organisation, imported from a file), to match claims
    against. `id` is the id it was imported with; re-importing an equal record changes nothing."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=500)
    claim: str = Field(min_length=1, max_length=5000)
    title: str = Field(default="", max_length=1000)
    rating: str = Field(default="", max_length=300)
    url: WebUrl | None = None
    publisher: str = Field(default="", max_length=300)
    date: dt.date | None = None
    source_file: str | None = Field(default=None, max_length=1000)


class FactCheckCounts(BaseModel):
    """What storing a batch of known fact-checks did: new ids added, stored ones with other values
    replaced, equal ones left as they were."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0


class FactCheckImport(BaseModel):
    """The outcome of importing one file of known fact-checks: what storing them did, or why it failed."""

    source: str
    counts: FactCheckCounts | None = None  # None when the file failed
    message: str = ""

    @property
    def failed(self) -> bool:
        return self.counts is None


class FactCheckGroup(StrEnum):
    """What known fact-checks can be counted by."""

    PUBLISHER = "publisher"
    SOURCE_FILE = "source_file"
    RATING = "rating"


class FactCheckQuery(BaseModel):
    """A page of known fact-checks: `text` looked for (casefolded) in the claim, title, rating and
    publisher; newest `date` first (undated last), then by id."""

    text: str = ""
    publisher: str | None = None
    limit: int = Field(default=50, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)


class FactCheckPage(BaseModel):
    rows: list[KnownFactCheck]
    total: int
    offset: int = 0


class FactCheckMatch(BaseModel):
    """A known fact-check found for a text, with how closely it matches (0..1, calibrated: 0.5 and above
    means probably the same claim). `factcheck_id` is the imported id, or the claim id for the desk's own."""

    factcheck_id: str
    claim: str
    title: str = ""
    rating: str = ""
    url: str | None = None
    publisher: str = ""
    date: dt.date | None = None
    score: float
    source: FactCheckSource
    article_id: str | None = None  # the desk's own claim's article (source "store")

    def link(self, by: str, at: dt.datetime) -> FactCheckLink:
        """This match as a link stored on a claim."""
        return FactCheckLink(
            factcheck_id=self.factcheck_id,
            source=self.source,
            claim=self.claim,
            title=self.title,
            rating=self.rating,
            url=self.url,
            publisher=self.publisher,
            date=self.date,
            linked_by=by,
            linked_at=at,
        )


# Built once every model it names exists (Deletion and KnownFactCheck come after it).
ExportDocument.model_rebuild()
MergeReport.model_rebuild()
