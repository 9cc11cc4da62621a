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


@pytest.mark.parametrize(
    ("text", "claimant", "cue"),
    [
        (
            '"We will not retreat," said Defence Minister Anna Kowalski, "not one step."',
            "Anna Kowalski",
            "said",
        ),
        (
            "The economy is growing, said Finance Minister Jane Doe, adding that 300 jobs were created.",
            "Jane Doe",
            "said",
        ),
        ("Mayor Tom Reed says the bridge carries 40,000 cars a day.", "Tom Reed", "says"),
        ('Senator Ruth Hale commented, "The plan has failed completely."', "Ruth Hale", "commented"),
        ("Jane Smith, writing in a blog post, argued that inflation had peaked.", "Jane Smith", "argued"),
        ("Professor Alan Grey theorized that the virus came from bats.", "Alan Grey", "theorized"),
        ("The company admitted that 40,000 records were exposed.", "the company", "admitted"),
    ],
)
def test_attribution_shapes_find_the_statement_and_its_speaker(text: str, claimant: str, cue: str) -> None:
    statements = [s for s in suggest_claims(text) if s.claimant == claimant]
    assert statements, suggest_claims(text)
    assert any(s.cue == cue for s in statements)


def test_a_speaker_without_a_name_after_the_verb_still_makes_a_statement() -> None:
    text = '"We will not retreat," said the minister, "not one step."'
    [whole] = [s for s in suggest_claims(text) if s.quote == text[:-1] or s.quote == text]
    assert whole.claim_type is ClaimType.QUOTE and whole.cue == "said"


def test_an_aside_before_the_speaker_is_not_part_of_it() -> None:
    [statement] = [
        s
        for s in suggest_claims("Writing in a blog post, the professor argued that inflation had peaked.")
        if s.cue == "argued"
    ]
    assert statement.quote == "the professor argued that inflation had peaked"


def test_a_news_agency_reporting_is_the_claims_source() -> None:
    reports = [s for s in suggest_claims("Reuters reports: Russia masses 100,000 troops at border") if s.cue]
    assert reports and all((s.source, s.claimant) == ("Reuters", None) for s in reports)


def test_accusing_someone_is_an_accusation_by_the_accuser() -> None:
    [accusation] = suggest_claims("The EU accused Russia of breaching the ceasefire.")
    assert (accusation.claim_type, accusation.claimant) == (ClaimType.ACCUSATION, "EU")


def test_being_accused_names_no_accuser() -> None:
    accusations = [
        s
        for s in suggest_claims("The minister was accused of lying to parliament.")
        if s.claim_type is ClaimType.ACCUSATION
    ]
    assert accusations and all(s.claimant is None for s in accusations)


def test_denying_that_claim_denies_the_claim_of_the_sentence_before() -> None:
    text = "Russia has massed 100,000 troops near the border. Putin has repeatedly denied that claim."
    suggestions = suggest_claims(text)
    [denial] = [s for s in suggestions if s.claim_type is ClaimType.DENIAL]
    [troops] = [s for s in suggestions if s.quote == "100,000 troops"]
    assert denial.claimant == "Putin"
    assert "Russia has massed 100,000 troops near the border" in denial.reason
    assert denial.score >= troops.score  # as worth checking as the claim it denies


def test_a_number_does_not_count_the_preposition_after_it() -> None:
    quotes = [s.quote for s in suggest_claims("Russia has massed 100,000 troops near the border.")]
    assert "100,000 troops" in quotes and "100,000 troops near" not in quotes


def test_denying_that_claim_after_ones_own_words_points_further_back() -> None:
    text = (
        "Officials feared an invasion. Putin said the drills were not directed at anyone. "
        "Putin has repeatedly denied that claim."
    )
    [denial] = [s for s in suggest_claims(text) if s.quote == "Putin has repeatedly denied that claim"]
    assert denial.reason == "a denial by Putin of an earlier claim"
