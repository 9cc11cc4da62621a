"""Integrity checks: is every stored claim where its quote says, every article what its id says?

Checks go through the repository contract only (no file layouts), so they hold for every backend, and
the same record checks vet a backup before it is restored.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from claims.errors import ClaimsError, NotFound, StoreError
from claims.formats.articles import content_hash
from claims.models import Article, Claim, ExportDocument, SuggestionDecision
from claims.store import is_server_url, open_repository
from claims.store.contract import Repository

ProblemKind = Literal[
    "unreadable",  # the backend could not read (part of) the store; its message names the file
    "listing",  # the store's listing of articles disagrees with the articles it holds
    "duplicate_article",
    "article_id",  # the id is not the first 16 hex digits of the text's SHA-256
    "content_hash",
    "sentences",  # a sentence outside the text, out of order, or text outside every sentence
    "orphan_claim",  # a claim whose article is not stored
    "duplicate_claim",
    "quote",  # a claim's quote is not the article's text at its offsets
    "history",  # a claim updated before it was created, or history events out of order or beyond its version
    "decision",  # a suggestion decision without its article, or not matching the text
    "storage",  # backend-specific leftovers, e.g. temporary files of an interrupted write
]
# Every id an article gets is this many hex digits of its text's SHA-256 (claims.formats.articles).
ARTICLE_ID_DIGITS = 16


class Problem(BaseModel):
    """One thing wrong in a store or a backup, with the records it concerns."""

    kind: ProblemKind
    article_id: str | None = None
    claim_id: str | None = None
    message: str


class IntegrityReport(BaseModel):
    """What `claims check` prints: ok exactly when there are no problems."""

    ok: bool
    problems: list[Problem] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict)


def check_store(repo: Repository) -> IntegrityReport:
    """Read every record through the contract and check it; a part that cannot be read is a problem too.

    Editors may keep working meanwhile: an article deleted during the check is skipped, and one added
    during it is read when a claim of it turns up, so neither is reported as a problem.
    """
    problems: list[Problem] = []
    try:
        summaries = repo.list_articles()
    except StoreError as error:
        return _report([Problem(kind="unreadable", message=str(error))], {})
    for article_id, times in Counter(summary.id for summary in summaries).items():
        if times > 1:
            message = f"article {article_id} is listed {times} times"
            problems.append(Problem(kind="duplicate_article", article_id=article_id, message=message))
    articles: dict[str, Article] = {}
    own_claims: list[Claim] = []
    for summary in summaries:
        try:
            article = repo.get_article(summary.id)
            claims = repo.list_claims(summary.id)
        except NotFound:
            continue
        except StoreError as error:
            problems.append(Problem(kind="unreadable", article_id=summary.id, message=str(error)))
            continue
        if summary != article.summary():
            differ = sorted(k for k, v in article.summary() if getattr(summary, k) != v)
            message = f"article {summary.id}: the store lists it with other {', '.join(differ)} than it holds"
            problems.append(Problem(kind="listing", article_id=summary.id, message=message))
        articles[article.id] = article
        own_claims += claims
    # The whole-store listing can show what per-article reads hide: claims stored under no listed
    # article, and one id stored twice. When some article is unreadable it fails too; that is reported.
    all_claims = own_claims
    decisions: list[SuggestionDecision] = []
    try:
        all_claims = repo.list_claims()
        decisions = repo.list_decisions()
    except StoreError as error:
        if all(str(error) != problem.message for problem in problems):
            problems.append(Problem(kind="unreadable", message=str(error)))
    all_claims = _without_claims_deleted_meanwhile(repo, all_claims, articles)
    # The claims of an article that could not be read are not orphans: that article is reported already.
    unreadable = {problem.article_id for problem in problems if problem.kind == "unreadable"}
    all_claims = [claim for claim in all_claims if claim.article_id not in unreadable]
    problems += check_records(list(articles.values()), all_claims, decisions)
    problems += [Problem(kind="storage", message=message) for message in repo.storage_problems()]
    counts = {"articles": len(articles), "claims": len(all_claims), "decisions": len(decisions)}
    return _report(problems, counts)


def _without_claims_deleted_meanwhile(
    repo: Repository, claims: list[Claim], articles: dict[str, Article]
) -> list[Claim]:
    """Claims whose article was not read: read the articles added since the listing (into `articles`),
    and drop claims that went with an article deleted since. What remains is truly without an article."""
    missing = {claim.article_id for claim in claims} - articles.keys()
    for article_id in missing:
        try:
            articles[article_id] = repo.get_article(article_id)
        except ClaimsError:
            pass
    missing -= articles.keys()
    if not missing:
        return claims
    try:
        present = {(claim.article_id, claim.id) for claim in repo.list_claims()}
    except StoreError:
        return claims
    return [
        claim
        for claim in claims
        if claim.article_id not in missing or (claim.article_id, claim.id) in present
    ]


def check_location(location: str | Path) -> IntegrityReport:
    """Open the store at `location` and check it; a store that cannot be opened is reported, not raised."""
    try:
        repo = open_existing(location)
    except StoreError as error:
        return _report([Problem(kind="unreadable", message=str(error))], {})
    return check_store(repo)


def open_existing(location: str | Path) -> Repository:
    """Open a store that exists: checking or backing up a mistyped path must not create an empty store.

    A server URL is opened as given (a database that does not exist is refused by the server)."""
    if not is_server_url(str(location)) and not Path(location).expanduser().exists():
        raise ClaimsError(f"no store at {location}: give its index file with --db (or set CLAIMS_DB)")
    return open_repository(location)


def check_document(document: ExportDocument) -> IntegrityReport:
    """Check an export (a backup) as a store would hold it: every claim against its article's text."""
    claims = [claim.to_claim() for claim in document.claims]
    counts = {"articles": len(document.articles), "claims": len(claims)}
    return _report(check_records(document.articles, claims), counts)


def check_records(
    articles: Sequence[Article],
    claims: Iterable[Claim],
    decisions: Iterable[SuggestionDecision] = (),
) -> list[Problem]:
    """Every problem of these records, articles first, then claims and decisions in the order given."""
    problems: list[Problem] = []
    by_id: dict[str, Article] = {}
    for article in articles:
        if article.id in by_id:
            message = f"article {article.id} is stored more than once"
            problems.append(Problem(kind="duplicate_article", article_id=article.id, message=message))
        by_id[article.id] = article
        problems += article_problems(article)
    claims = list(claims)
    seen = Counter(claim.id for claim in claims)
    reported: set[str] = set()
    for claim in claims:
        if seen[claim.id] > 1 and claim.id not in reported:
            reported.add(claim.id)
            message = f"claim {claim.id} is stored {seen[claim.id]} times"
            problems.append(_claim_problem("duplicate_claim", claim, message))
        problems += claim_problems(claim, by_id.get(claim.article_id))
    for decision in decisions:
        problems += decision_problems(decision, by_id.get(decision.article_id))
    return problems


def article_problems(article: Article) -> list[Problem]:
    """An article's id and hash are its text's, and its sentences cover the text in order."""
    found: list[tuple[ProblemKind, str]] = []
    digest = content_hash(article.text)
    expected_id = digest[:ARTICLE_ID_DIGITS]
    if article.id != expected_id:
        found.append(("article_id", f"its id is not its text's hash (the text's id would be {expected_id})"))
    if article.content_hash != digest:
        found.append(("content_hash", f"content_hash {article.content_hash!r} is not its text's SHA-256"))
    wrong = sentences_problem(article)
    if wrong:
        found.append(("sentences", wrong))
    return [
        Problem(kind=kind, article_id=article.id, message=f"article {article.id}: {problem}")
        for kind, problem in found
    ]


def sentences_problem(article: Article) -> str | None:
    """What is wrong with an article's sentences, if anything.

    Right means: numbered 0, 1, …; each one's text is the body at its offsets; in order without overlap;
    paragraphs never going back; only white space between them. Then the offsets rebuild the text.
    """
    text = article.text
    if article.sentence_count != len(article.sentences):
        return f"sentence_count is {article.sentence_count} but it has {len(article.sentences)} sentences"
    previous_end, previous_paragraph = 0, 0
    for position, sentence in enumerate(article.sentences):
        where = f"sentence {position}"
        if sentence.index != position:
            return f"{where} is numbered {sentence.index}"
        if not sentence.start < sentence.end <= len(text):
            return (
                f"{where} [{sentence.start}, {sentence.end}) lies outside the text ({len(text)} characters)"
            )
        if sentence.start < previous_end:
            return f"{where} starts at {sentence.start}, inside the sentence before it"
        if text[sentence.start : sentence.end] != sentence.text:
            return f"{where} is not the text at [{sentence.start}, {sentence.end})"
        if sentence.paragraph < previous_paragraph:
            return f"{where} is in paragraph {sentence.paragraph}, before the sentence before it"
        if text[previous_end : sentence.start].strip():
            return f"text before {where} at [{previous_end}, {sentence.start}) is in no sentence"
        previous_end, previous_paragraph = sentence.end, sentence.paragraph
    if text[previous_end:].strip():
        return f"text after the last sentence at [{previous_end}, {len(text)}) is in no sentence"
    return None


def claim_problems(claim: Claim, article: Article | None) -> list[Problem]:
    """A claim belongs to a stored article, quotes it exactly, and was not updated before its creation."""
    problems = []
    if article is None:
        message = f"claim {claim.id} belongs to article {claim.article_id}, which is not stored"
        problems.append(_claim_problem("orphan_claim", claim, message))
    elif article.text[claim.start : claim.end] != claim.quote:
        found = article.text[claim.start : claim.end]
        message = (
            f"claim {claim.id}: quote {_shown(claim.quote)} is not the text of article {claim.article_id} "
            f"at [{claim.start}, {claim.end}), which is {_shown(found)}"
        )
        problems.append(_claim_problem("quote", claim, message))
    if claim.updated_at < claim.created_at:
        message = (
            f"claim {claim.id}: updated_at {claim.updated_at.isoformat()} is before "
            f"created_at {claim.created_at.isoformat()}"
        )
        problems.append(_claim_problem("history", claim, message))
    if disorder := history_problem(claim):
        problems.append(_claim_problem("history", claim, disorder))
    return problems


def history_problem(claim: Claim) -> str | None:
    """What is wrong with a claim's history, if anything: its events are in time order and none made a
    later version than the claim has. (Versions may repeat: a load keeps the events of two stores that
    both changed a claim. Claims from before schema 3 have no history.)"""
    for before, after in itertools.pairwise(claim.history):
        if after.at < before.at:
            return (
                f"claim {claim.id}: history event of version {after.version} ({after.at.isoformat()}) "
                f"comes after a later one ({before.at.isoformat()})"
            )
    latest = max((event.version for event in claim.history), default=0)
    if latest > claim.version:
        return f"claim {claim.id}: history has version {latest} but the claim is at version {claim.version}"
    return None


def decision_problems(decision: SuggestionDecision, article: Article | None) -> list[Problem]:
    where = f"a decision on suggestion [{decision.start}, {decision.end})"
    if article is None:
        message = f"{where} belongs to article {decision.article_id}, which is not stored"
    elif article.text[decision.start : decision.end] != decision.quote:
        message = f"{where} of article {decision.article_id}: its quote is not the text there"
    else:
        return []
    return [
        Problem(kind="decision", article_id=decision.article_id, claim_id=decision.claim_id, message=message)
    ]


def _claim_problem(kind: ProblemKind, claim: Claim, message: str) -> Problem:
    return Problem(kind=kind, article_id=claim.article_id, claim_id=claim.id, message=message)


def _shown(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _report(problems: list[Problem], counts: dict[str, int]) -> IntegrityReport:
    return IntegrityReport(ok=not problems, problems=problems, counts={**counts, "problems": len(problems)})
