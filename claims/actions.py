"""What an editor does to one claim, the same for every door (the app's panels and the CLI): change its
labels, comment, assign, add evidence, link an earlier fact-check, approve, send back, publish. Each is
one atomic `Repository.update_claim` through `apply_changes`, so the workflow's rules (claims/workflow.py)
hold."""

from __future__ import annotations

from claims.annotations import apply_changes
from claims.errors import InvalidClaim, NotFound
from claims.models import (
    Article,
    Claim,
    ClaimChanges,
    ClaimFilter,
    ClaimGroup,
    ClaimQuery,
    ClaimStatus,
    Evidence,
    FactCheckMatch,
    FactCheckSource,
    utc_now,
)
from claims.store.contract import Repository
from claims.workflow import find_mentions, new_comment

# Who may be mentioned by name (with spaces) in a comment: everyone who changed, rated or was given a claim.
_EDITOR_GROUPS: tuple[ClaimGroup, ...] = ("updated_by", "assignee", "rated_by")


def known_editors(repo: Repository) -> set[str]:
    """Every editor the store knows: who changed, rated or was assigned a claim."""
    return {name for group in _EDITOR_GROUPS for name in repo.count_claims_by(group) if name}


def find_claim(repo: Repository, claim_id: str) -> Claim:
    """The stored claim with this id, whatever its article; NotFound if there is none."""
    page = repo.query_claims(ClaimQuery(filter=ClaimFilter(claim_ids={claim_id}), limit=1))
    if not page.claims:
        raise NotFound("claim", claim_id)
    return page.claims[0]


def change_claim(
    repo: Repository,
    claim: Claim,
    changes: ClaimChanges,
    by: str,
    *,
    expected_version: int | None = None,
    opened: Claim | None = None,
    comment: str | None = None,
    evidence_confirmed: bool = False,
) -> Claim:
    """Apply `changes` (and a comment) to the stored `claim` under the workflow's rules; returns the claim
    as written. `expected_version` None takes the claim as it is now (see apply_changes)."""
    mentions = find_mentions(comment, known_editors(repo)) if comment else []
    edit = apply_changes(
        changes,
        expected_version,
        by,
        opened,
        comment=comment,
        mentions=mentions,
        evidence_confirmed=evidence_confirmed,
    )
    return repo.update_claim(claim.article_id, claim.id, edit)


def comment_on(repo: Repository, claim: Claim, by: str, text: str) -> Claim:
    """Add a comment to the claim's thread; "@name" mentions put the claim in that editor's "My claims"."""
    new_comment(by, text)  # refuses a blank or overlong text before anything is read
    return change_claim(repo, claim, ClaimChanges(), by, comment=text)


def assign(repo: Repository, claim: Claim, assignee: str | None, by: str) -> Claim:
    """Give the claim to an editor (None or blank: to nobody)."""
    return change_claim(repo, claim, ClaimChanges(assignee=(assignee or "").strip() or None), by)


def add_evidence(repo: Repository, claim: Claim, item: Evidence, by: str) -> Claim:
    """Add one item to the claim's evidence (at the end), whatever was added meanwhile."""

    current = repo.get_claim(claim.article_id, claim.id)
    return change_claim(
        repo, claim, ClaimChanges(evidence=[*current.evidence, item]), by, expected_version=current.version
    )


def remove_evidence(repo: Repository, claim: Claim, number: int, by: str) -> Claim:
    """Remove the claim's evidence item `number` (counting from 1, as `claims show` lists them)."""
    current = repo.get_claim(claim.article_id, claim.id)
    if not 1 <= number <= len(current.evidence):
        raise InvalidClaim("evidence", number, f"the claim has {len(current.evidence)} evidence items")
    kept = [item for position, item in enumerate(current.evidence, 1) if position != number]
    return change_claim(repo, claim, ClaimChanges(evidence=kept), by, expected_version=current.version)


def approve(
    repo: Repository, claim: Claim, by: str, *, evidence_confirmed: bool = False, comment: str | None = None
) -> Claim:
    """Approve the claim's verdict: refused when `by` set it (two-person review), when it does not wait for
    review, and, unless `evidence_confirmed`, when it rests on fewer than two independent sources."""
    return change_claim(
        repo,
        claim,
        ClaimChanges(status=ClaimStatus.APPROVED),
        by,
        comment=comment,
        evidence_confirmed=evidence_confirmed,
    )


def send_back(
    repo: Repository, claim: Claim, by: str, comment: str, to: ClaimStatus = ClaimStatus.IN_PROGRESS
) -> Claim:
    """Send the claim back (to in progress by default) with a comment saying why; a blank one is refused."""
    return change_claim(repo, claim, ClaimChanges(status=to), by, comment=comment)


def publish(repo: Repository, claim: Claim, by: str) -> Claim:
    """Mark an approved claim published."""
    return change_claim(repo, claim, ClaimChanges(status=ClaimStatus.PUBLISHED), by)


def link_factcheck(repo: Repository, claim: Claim, match: FactCheckMatch, by: str) -> Claim:
    """Record on the claim that `match` checked it before (a copy of the fact-check as it is now, with who
    linked it and when), whatever was linked meanwhile. Linking the same fact-check again changes nothing;
    a claim cannot be its own earlier check."""
    if match.source is FactCheckSource.STORE and match.factcheck_id == claim.id:
        raise InvalidClaim("checked_before", match.factcheck_id, "a claim cannot be its own earlier check")
    current = repo.get_claim(claim.article_id, claim.id)
    if any(_same_check(link.factcheck_id, link.source, match) for link in current.checked_before):
        return current
    links = [*current.checked_before, match.link(by, utc_now())]
    return change_claim(repo, claim, ClaimChanges(checked_before=links), by, expected_version=current.version)


def unlink_factcheck(
    repo: Repository, claim: Claim, factcheck_id: str, source: FactCheckSource, by: str
) -> Claim:
    """Remove the link to one earlier fact-check from the claim (nothing happens if it is not linked)."""
    current = repo.get_claim(claim.article_id, claim.id)
    kept = [
        link
        for link in current.checked_before
        if not (link.factcheck_id == factcheck_id and link.source is source)
    ]
    if len(kept) == len(current.checked_before):
        return current
    return change_claim(repo, claim, ClaimChanges(checked_before=kept), by, expected_version=current.version)


def _same_check(factcheck_id: str, source: FactCheckSource, match: FactCheckMatch) -> bool:
    return factcheck_id == match.factcheck_id and source is match.source


def text_to_match(article: Article, start: int, end: int, claim_reviewed: str = "") -> str:
    """What "Checked before?" looks up for a span of `article`: the claim's neutral sentence when it has
    one, else the sentences the span overlaps (a quote such as "200,000 troops" says too little alone)."""
    if claim_reviewed.strip():
        return claim_reviewed.strip()
    covering = [s.text for s in article.sentences if s.start < end and start < s.end]
    return " ".join(covering) or article.text[start:end]
