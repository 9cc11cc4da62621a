"""A claim's timeline (claims/history.py): changes and comments oldest first, each said once, and a deleted
claim's history from its deletion record, ending with the deletion."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from records_support import build_article, build_claim

from claims.actions import comment_on, find_claim, send_back
from claims.annotations import apply_changes
from claims.errors import NotFound
from claims.history import claim_history, entry_line, timeline
from claims.models import ClaimChanges, ClaimStatus, Comment, Verdict
from claims.store.memory import MemoryRepository


def stored_claim() -> tuple[MemoryRepository, str]:
    repo = MemoryRepository()
    article = build_article()
    repo.add_article(article)
    claim = build_claim(article, "4 million euros", status=ClaimStatus.IN_PROGRESS)
    repo.add_claim(claim)
    return repo, claim.id


def test_each_change_is_one_entry_with_its_comment_and_a_comment_alone_is_a_change_of_nothing() -> None:
    repo, claim_id = stored_claim()
    claim = find_claim(repo, claim_id)
    repo.update_claim(
        claim.article_id, claim_id, apply_changes(ClaimChanges(verdict=Verdict.FALSE), None, "ana")
    )
    comment_on(repo, claim, "ben", "Which budget line?")
    send_back(repo, claim, "ben", "Rated too early.", ClaimStatus.NEW)
    entries = timeline(find_claim(repo, claim_id))
    assert [(e.kind, e.version, e.by) for e in entries] == [
        ("change", 1, "ana"), ("change", 2, "ana"), ("change", 3, "ben"), ("change", 4, "ben")
    ]  # fmt: skip
    assert [e.comment for e in entries] == [None, None, "Which budget line?", "Rated too early."]
    assert entries[3].changes[0].model_dump() == {"field": "status", "old": "in_progress", "new": "new"}


def test_a_comment_no_event_names_is_an_entry_of_its_own_in_time_order() -> None:
    repo, claim_id = stored_claim()
    claim = find_claim(repo, claim_id)
    created = claim.history[0].at
    older = Comment(
        id="c1", by="dana", at=created - dt.timedelta(hours=1), text="Seen in print.", mentions=["ana"]
    )
    entries = timeline(claim.model_copy(update={"comments": [older]}))
    assert [(e.kind, e.by, e.comment, e.mentions) for e in entries] == [
        ("comment", "dana", "Seen in print.", ["ana"]), ("change", "ana", None, [])
    ]  # fmt: skip


def test_a_mention_stays_with_the_change_that_carried_it() -> None:
    repo, claim_id = stored_claim()
    claim = find_claim(repo, claim_id)
    said_so = apply_changes(ClaimChanges(), None, "ben", comment="@ana look", mentions=["ana"])
    repo.update_claim(claim.article_id, claim_id, said_so)
    [_, said] = timeline(find_claim(repo, claim_id))
    assert (said.kind, said.comment, said.mentions) == ("change", "@ana look", ["ana"])


def test_a_deleted_claims_history_comes_from_its_deletion_record() -> None:
    repo, claim_id = stored_claim()
    claim = find_claim(repo, claim_id)
    repo.delete_claim(claim.article_id, claim_id, by="ben")
    history = claim_history(repo, claim_id)
    assert history.deleted and history.quote == "4 million euros"
    assert [(e.kind, e.by) for e in history.entries] == [("change", "ana"), ("deletion", "ben")]


def test_a_claim_the_store_never_held_is_not_found() -> None:
    repo, _ = stored_claim()
    with pytest.raises(NotFound, match="no claim \\(stored or deleted\\) with id 'nope'"):
        claim_history(repo, "nope")


def test_a_claim_deleted_with_its_article_has_no_history_left() -> None:
    repo, claim_id = stored_claim()
    repo.delete_article("harbour", by="ben")
    with pytest.raises(NotFound):
        claim_history(repo, claim_id)


def test_an_entry_reads_as_one_line_in_the_apps_words() -> None:
    repo, claim_id = stored_claim()
    claim = find_claim(repo, claim_id)
    repo.update_claim(
        claim.article_id, claim_id, apply_changes(ClaimChanges(verdict=Verdict.MOSTLY_FALSE), None, "ana")
    )
    comment_on(repo, claim, "ben", "Which line?\nThe 2024 one?")
    repo.delete_claim(claim.article_id, claim_id, by="ben")
    lines = [entry_line(entry) for entry in claim_history(repo, claim_id).entries]
    assert lines[1].endswith(" · ana · version 2 · verdict: unrated -> mostly false")
    assert lines[2].endswith(" · ben · version 3 · commented · “Which line?\\nThe 2024 one?”")
    assert lines[3].endswith(" · ben · deleted the claim")
    assert all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC · ", line) for line in lines)
