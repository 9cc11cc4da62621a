"""How the app words things (annotator/text.py): plurals, hidden characters escaped, vocabulary order."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.text import STATUS_ORDER, VERDICT_ORDER, all_of, plural, printable
from claims.labels import label
from claims.models import ClaimStatus, Verdict

HIDDEN = {"Cc", "Cf", "Zl", "Zp"}


def test_a_count_takes_the_singular_only_for_one() -> None:
    assert [plural(n, "claim") for n in (0, 1, 2)] == ["0 claims", "1 claim", "2 claims"]
    assert plural(1, "status edit") == "1 status edit"
    assert plural(3, "entry", "entries") == "3 entries"
    assert plural(1234, "claim") == "1,234 claims"


def test_a_count_a_verb_acts_on_reads_as_english() -> None:
    noun = "statistic suggestion"
    assert [all_of(n, noun) for n in (0, 1, 2, 7)] == [
        "no statistic suggestions",
        "the 1 statistic suggestion",
        "all 2 statistic suggestions",
        "all 7 statistic suggestions",
    ]


def test_control_and_invisible_characters_are_written_as_escapes() -> None:
    assert printable("a\nb\tc\r") == "a\\nb\\tc\\r"
    assert printable("x\x1b[31m\x00") == "x\\x1b[31m\\x00"
    assert printable("evil\u202etxt.exe\u200b") == "evil\\u202etxt.exe\\u200b"
    assert printable("line\u2028break") == "line\\u2028break"


@settings(deadline=None)  # a shared, loaded machine: no timing in tests
@given(st.text())
def test_nothing_hidden_but_the_joiners_survives_printable(text: str) -> None:
    joiners = "\u200c\u200d"  # kept: scripts need them to spell words
    assert not any(unicodedata.category(c) in HIDDEN and c not in joiners for c in printable(text))


@settings(deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cc", "Cf", "Zl", "Zp", "Cs"))))
def test_printable_leaves_visible_text_alone(text: str) -> None:
    assert printable(text) == text


def test_statuses_follow_the_workflow_and_verdicts_run_from_true_to_false() -> None:
    assert [label(status) for status in STATUS_ORDER] == [
        "new", "in progress", "needs review", "approved", "published", "dropped",
    ]  # fmt: skip
    assert [label(verdict) for verdict in VERDICT_ORDER] == [
        "true", "mostly true", "half true", "mostly false", "false",
        "misleading", "unproven", "not checkable", "unrated",
    ]  # fmt: skip


def test_every_vocabulary_value_has_its_place_once() -> None:
    assert sorted(STATUS_ORDER) == sorted(ClaimStatus) and len(set(STATUS_ORDER)) == len(STATUS_ORDER)
    assert sorted(VERDICT_ORDER) == sorted(Verdict) and len(set(VERDICT_ORDER)) == len(VERDICT_ORDER)
