"""The rule registry, the records rule, and false-positive shapes the rules must not fall for."""

from __future__ import annotations

import pytest

from claims.models import ClaimType
from claims.suggest.engine import suggest_claims
from claims.suggest.rule import Rule
from claims.suggest.rules import RULES
from claims.suggest.rules.records import find_records


def test_every_rule_is_registered_once_with_one_finder() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert all((rule.in_sentence is None) != (rule.in_document is None) for rule in RULES)


def test_a_rule_needs_exactly_one_finder() -> None:
    with pytest.raises(ValueError, match="exactly one finder"):
        Rule(name="nothing", claim_type=ClaimType.OTHER)


@pytest.mark.parametrize(
    "words",
    [
        "the lowest level since 1990",
        "a record high",
        "for the first time in three years",
        "the worst drought ever",
    ],
)
def test_records_and_firsts_are_statistics(words: str) -> None:
    [found] = find_records(f"Officials said it was {words}.")
    assert (found.family, found.claim_type) == ("record", ClaimType.STATISTIC)
    text = f"The economy grew, {words}."
    assert any(s.quote == words and s.claim_type is ClaimType.STATISTIC for s in suggest_claims(text))


def test_a_name_holding_a_speech_verb_attributes_nothing() -> None:
    suggestions = suggest_claims("The United States sent 40 warships to the region.")
    assert all(s.cue != "States" and s.claimant != "United" for s in suggestions)


def test_conceding_a_penalty_is_sport_not_speech() -> None:
    assert all(s.cue != "conceded" for s in suggest_claims("The team conceded a penalty in the 80th minute."))
    conceded = suggest_claims("The minister conceded that 300 jobs were lost.")
    assert any(s.cue == "conceded" for s in conceded)


def test_being_denied_visas_is_not_a_denial() -> None:
    suggestions = suggest_claims("Twelve students had been denied visas by the embassy.")
    assert all(s.claim_type is not ClaimType.DENIAL for s in suggestions)


@pytest.mark.parametrize(
    "text",
    ['Critics pointed to the "third map" of the region.', 'The plan, dubbed "Operation Fox", went ahead.'],
)
def test_scare_quotes_titles_and_nicknames_are_not_quotations(text: str) -> None:
    assert all(s.claim_type is not ClaimType.QUOTE for s in suggest_claims(text))


def test_according_to_names_the_source_not_the_claimant() -> None:
    [statement] = [
        s
        for s in suggest_claims("According to Reuters, the navy sent 12 ships.")
        if s.claim_type is ClaimType.QUOTE
    ]
    assert (statement.source, statement.claimant) == ("Reuters", None)


@pytest.mark.parametrize(
    ("text", "claimant"),
    [
        ("Officials said 300 people were evacuated.", "officials"),
        ("The ministry has repeatedly denied that the drills were a rehearsal.", "the ministry"),
        ("The White House said the deal would cut costs by 10%.", "White House"),
    ],
)
def test_institutions_and_their_officials_are_claimants(text: str, claimant: str) -> None:
    assert any(s.claimant == claimant for s in suggest_claims(text))
