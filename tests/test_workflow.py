"""The workflow's own rules, without a store: the transition table, its messages, mentions in comments."""

from __future__ import annotations

import pytest

from claims.errors import InvalidClaim, NotAStep
from claims.models import ClaimStatus
from claims.workflow import (
    COMMENT_LIMIT,
    FIRST_STATUSES,
    TRANSITIONS,
    Step,
    check_first_status,
    find_mentions,
    new_comment,
    next_statuses,
    step_of,
)

EDITORS = ["Ana Ruiz", "Ana", "bo", "Carla Diaz-Ortega"]


# -- the transition table


def test_next_statuses_follow_the_workflow_order() -> None:
    assert next_statuses(ClaimStatus.NEW) == [ClaimStatus.IN_PROGRESS, ClaimStatus.DROPPED]
    assert next_statuses(ClaimStatus.NEEDS_REVIEW) == [
        ClaimStatus.NEW, ClaimStatus.IN_PROGRESS, ClaimStatus.APPROVED, ClaimStatus.DROPPED,
    ]  # fmt: skip
    assert next_statuses(ClaimStatus.DROPPED) == [ClaimStatus.NEW, ClaimStatus.IN_PROGRESS]
    order = list(ClaimStatus)
    for status in ClaimStatus:
        offered = next_statuses(status)
        assert offered == sorted(offered, key=order.index) and status not in offered


def test_every_status_can_be_left_and_every_forward_step_leads_towards_publication_or_a_drop() -> None:
    order = list(ClaimStatus)
    for before, steps in TRANSITIONS.items():
        assert steps, before
        for after, step in steps.items():
            if step is Step.FORWARD:
                assert after is ClaimStatus.DROPPED or order.index(after) == order.index(before) + 1
            else:
                assert after is not ClaimStatus.DROPPED


def test_published_is_reached_only_from_approved() -> None:
    assert [b for b, steps in TRANSITIONS.items() if ClaimStatus.PUBLISHED in steps] == [ClaimStatus.APPROVED]


def test_a_move_outside_the_table_is_refused_naming_where_the_claim_can_go() -> None:
    with pytest.raises(NotAStep) as raised:
        step_of(ClaimStatus.NEW, ClaimStatus.APPROVED)
    assert str(raised.value) == (
        "a claim cannot go from new to approved: from new it can go to in progress, dropped "
        "(new -> in progress -> needs review -> approved -> published)"
    )
    with pytest.raises(NotAStep, match="from dropped it can go to new, in progress"):
        step_of(ClaimStatus.DROPPED, ClaimStatus.PUBLISHED)


def test_steps_are_named_forward_or_back() -> None:
    assert step_of(ClaimStatus.IN_PROGRESS, ClaimStatus.NEEDS_REVIEW) is Step.FORWARD
    assert step_of(ClaimStatus.NEEDS_REVIEW, ClaimStatus.IN_PROGRESS) is Step.BACK
    assert step_of(ClaimStatus.PUBLISHED, ClaimStatus.DROPPED) is Step.FORWARD
    assert step_of(ClaimStatus.DROPPED, ClaimStatus.NEW) is Step.BACK


@pytest.mark.parametrize("status", sorted(set(ClaimStatus) - FIRST_STATUSES))
def test_a_new_claim_cannot_start_beyond_in_progress(status: ClaimStatus) -> None:
    with pytest.raises(NotAStep, match="a new claim starts as new or in progress"):
        check_first_status(status)


# -- comments


def test_a_comment_is_stripped_and_a_blank_or_overlong_one_refused() -> None:
    assert new_comment("ana", "  checked with the port \n").text == "checked with the port"
    with pytest.raises(InvalidClaim, match="needs some text"):
        new_comment("ana", " \n ")
    with pytest.raises(InvalidClaim, match=f"longer than {COMMENT_LIMIT}"):
        new_comment("ana", "x" * (COMMENT_LIMIT + 1))


# -- mentions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@Ana Ruiz can you check?", ["Ana Ruiz"]),
        ("@ana ruiz, any case", ["Ana Ruiz"]),
        ("@Ana, please", ["Ana"]),  # the longest known name that fits
        ("@Carla Diaz-Ortega and @bo", ["Carla Diaz-Ortega", "bo"]),
        ("@bo then @Ana Ruiz then @bo again", ["bo", "Ana Ruiz"]),  # in order, each once
        ("@Anabel is new here", ["Anabel"]),  # not "Ana": a name ends where a word ends
        ("ask @dana.", ["dana"]),  # an unknown editor: the word after the @
        ("(@bo)", ["bo"]),
    ],
)
def test_mentions_find_known_names_with_spaces_longest_first_else_the_word(
    text: str, expected: list[str]
) -> None:
    assert find_mentions(text, EDITORS) == expected


@pytest.mark.parametrize("text", ["write to ana@desk.example", "bo_@x", "an @ alone", "@", "no mention"])
def test_email_addresses_and_lone_at_signs_are_not_mentions(text: str) -> None:
    assert find_mentions(text, EDITORS) == []
