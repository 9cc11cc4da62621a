"""Claim suggestions: one test per pattern family, the seed and sample articles, and arbitrary text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.formats.articles import read_article_file
from claims.models import ClaimType, Sentence, Suggestion
from claims.suggest.checkworthiness import CheckworthinessModel, shipped_model
from claims.suggest.engine import WORTH_CHECKING, Suggester, suggest_claims
from claims.suggest.number_words import parse_number

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED = REPO_ROOT.parent / "shared" / "seed" / "000_8886c494cf3526de.txt"
HARBOUR = REPO_ROOT / "samples" / "harbour_exercise.txt"
WEIGHTS = REPO_ROOT / "claims" / "suggest" / "data" / "checkworthiness.json"


def quotes_of(suggestions: list[Suggestion], claim_type: ClaimType) -> list[str]:
    return [s.quote for s in suggestions if s.claim_type is claim_type]


def the_one(suggestions: list[Suggestion], claim_type: ClaimType, starting: str) -> Suggestion:
    found = [s for s in suggestions if s.claim_type is claim_type and s.quote.startswith(starting)]
    assert len(found) == 1, [(s.claim_type, s.quote) for s in suggestions]
    return found[0]


def flat_suggester() -> Suggester:
    """A suggester whose model rates every sentence 0.5, to test the rules' spans alone."""
    return Suggester(CheckworthinessModel(bias=0.0, weights={}))


# Quantities and statistics


def test_a_quantity_is_proposed_with_what_it_counts() -> None:
    text = (
        "Tension built over tens of thousands of Russian troops. The drills involved as many as "
        "200,000 troops and hundreds of vehicles. Lukashenko won a sixth term."
    )
    statistics = quotes_of(suggest_claims(text), ClaimType.STATISTIC)
    assert "tens of thousands of Russian troops" in statistics
    assert "as many as 200,000 troops" in statistics
    assert "hundreds of vehicles" in statistics
    assert "a sixth term" in statistics


def test_numbers_written_as_words_are_quantities() -> None:
    text = (
        "Twenty-five thousand people marched. One in five Americans lives in poverty. "
        "Fifty times we deployed troops."
    )
    statistics = quotes_of(suggest_claims(text), ClaimType.STATISTIC)
    assert "Twenty-five thousand people" in statistics
    assert "One in five Americans" in statistics
    assert "Fifty times" in statistics


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("two hundred and fifty thousand", 250_000.0),
        ("twenty-five", 25.0),
        ("a million", 1_000_000.0),
        ("$4bn", 4_000_000_000.0),
        ("1,200.5", 1200.5),
        ("troops", None),
    ],
)
def test_parse_number_reads_words_digits_and_suffixes(words: str, value: float | None) -> None:
    assert parse_number(words) == value


def test_percentages_and_money_are_statistics() -> None:
    text = (
        "Unemployment stood at 3.2%. The exercise would cost $4bn. Prices rose 40 per cent. "
        "The fine was £20m."
    )
    statistics = quotes_of(flat_suggester().suggest(text), ClaimType.STATISTIC)
    assert {"3.2%", "$4bn", "£20m"} <= set(statistics)
    assert any("40 per cent" in quote for quote in statistics)


def test_comparisons_and_trends_are_statistics() -> None:
    text = (
        "Prices have doubled since 2019. Unemployment fell by a third. Inflation was the highest since 1990. "
        "Crime is higher than in 2008."
    )
    statistics = quotes_of(flat_suggester().suggest(text), ClaimType.STATISTIC)
    assert "doubled since 2019" in statistics
    assert "fell by a third" in statistics
    assert "the highest since 1990" in statistics
    assert "higher than in 2008" in statistics
    assert "a third" not in statistics  # nested in the trend that holds it


def test_years_dates_and_small_counts_of_known_things_are_not_quantities() -> None:
    text = "In 1993 the two nations met on 12 March at 10 a.m. for three years of talks."
    assert quotes_of(flat_suggester().suggest(text), ClaimType.STATISTIC) == []


def test_a_vote_tally_is_one_figure_and_a_range_of_years_none() -> None:
    assert quotes_of(flat_suggester().suggest("The bill passed 52-48."), ClaimType.STATISTIC) == ["52-48"]
    assert quotes_of(flat_suggester().suggest("The 2019-2020 season ran late."), ClaimType.STATISTIC) == []


# Attributed statements and quotations


def test_said_told_and_according_to_give_claimant_and_cue() -> None:
    text = (
        "Russian President Vladimir Putin said the two nations will hold war games next year. "
        "John Smith, a senior analyst, told the BBC that prices had doubled. "
        "The drills involved 200,000 troops, according to Reuters."
    )
    suggestions = suggest_claims(text)
    said = the_one(suggestions, ClaimType.QUOTE, "Russian President Vladimir Putin said")
    assert (said.claimant, said.cue) == ("Vladimir Putin", "said")
    told = the_one(suggestions, ClaimType.QUOTE, "John Smith")
    assert (told.claimant, told.cue) == ("John Smith", "told the BBC")
    reuters = the_one(suggestions, ClaimType.QUOTE, "The drills involved")
    assert (reuters.source, reuters.claimant, reuters.cue) == ("Reuters", None, "according to")
    assert reuters.quote.endswith("according to Reuters")


def test_concern_voiced_by_a_named_group_is_attributed_to_it() -> None:
    text = "Some officials in Ukraine have voiced concern that Russia may attack the country."
    voiced = the_one(suggest_claims(text), ClaimType.QUOTE, "Some officials in Ukraine")
    assert voiced.claimant == "officials in Ukraine"
    assert voiced.cue == "have voiced concern"


def test_quotations_in_straight_or_curly_quotes_carry_their_speaker() -> None:
    text = (
        'Defence Minister Anna Kowalski said the drills were "purely defensive". '
        "“We will not back down,” said Prime Minister Jane Doe. "
        'The opposition called the plan "a reckless waste".'
    )
    suggestions = flat_suggester().suggest(text)
    quotations = {s.quote: s for s in suggestions if s.quote[0] in '"“'}
    assert quotations['"purely defensive"'].claimant == "Anna Kowalski"
    assert quotations["“We will not back down,”"].claimant == "Jane Doe"
    waste = quotations['"a reckless waste"']
    assert waste.claimant is None  # "the opposition" names nobody
    assert waste.cue == "called"


@pytest.mark.parametrize(
    "text",
    ["The claims were false.", "Reports say the talks failed.", "In May last year the plant closed."],
)
def test_nouns_that_look_like_cues_attribute_nothing_to_anyone(text: str) -> None:
    suggestions = flat_suggester().suggest(text)
    assert all(s.claimant is None for s in suggestions)
    assert not [s for s in suggestions if s.claim_type is ClaimType.PREDICTION]
    if text.startswith("The claims"):
        assert not [s for s in suggestions if s.claim_type is ClaimType.QUOTE]


@pytest.mark.parametrize(
    ("text", "starting", "claimant"),
    [
        (
            "White House press secretary Karine Jean-Pierre told CNN that sanctions work.",
            "White",
            "Karine Jean-Pierre",
        ),
        ("Kremlin spokesman Dmitry Peskov said the talks failed.", "Kremlin", "Dmitry Peskov"),
        ("Biden and Xi said they would meet again in 2025.", "Biden", "Biden and Xi"),
        # An institution speaks though it names nobody (issue 12).
        ("The ministry, which oversees the navy, said that 3 ships sank.", "The ministry", "the ministry"),
        ("Jane Doe, a senior analyst, said prices rose.", "Jane Doe", "Jane Doe"),
    ],
)
def test_speaker_phrases_name_the_person_behind_titles_appositions_and_pairs(
    text: str, starting: str, claimant: str | None
) -> None:
    assert the_one(flat_suggester().suggest(text), ClaimType.QUOTE, starting).claimant == claimant


def test_a_quotation_before_its_speaker_is_part_of_the_attribution() -> None:
    text = 'Anna Kowalski spoke first. "The drills are defensive," she said, adding that troops would leave.'
    suggestions = flat_suggester().suggest(text)
    quotes = {s.quote: s for s in suggestions if s.claim_type is ClaimType.QUOTE}
    said = quotes['"The drills are defensive," she said, adding that troops would leave']
    assert said.cue == "said"
    assert quotes['"The drills are defensive,"'].cue == "said"


def test_a_participle_quotation_takes_the_speaker_of_its_sentence() -> None:
    text = 'The Kremlin denied the reports, calling them "fake news".'
    quotation = the_one(flat_suggester().suggest(text), ClaimType.QUOTE, '"fake news"')
    assert (quotation.claimant, quotation.cue) == ("Kremlin", "calling")


def test_a_surname_or_pronoun_resolves_to_the_last_named_speaker() -> None:
    text = (
        "Defence Minister Anna Kowalski said the drills were defensive. "
        "Kowalski added that a second exercise would follow. "
        "She said details would come later."
    )
    suggestions = flat_suggester().suggest(text)
    assert the_one(suggestions, ClaimType.QUOTE, "Kowalski added").claimant == "Anna Kowalski"
    assert the_one(suggestions, ClaimType.QUOTE, "She said").claimant == "Anna Kowalski"


def test_he_added_reaches_back_past_other_names_to_the_last_speaker() -> None:
    text = (
        "Putin said the drills would happen in February. Officials voiced concern. "
        "Russia held war games with Lukashenko in September. "
        "Speaking in St. Petersburg, he added that officials will coordinate details."
    )
    added = the_one(flat_suggester().suggest(text), ClaimType.QUOTE, "he added")
    assert added.claimant == "Putin"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Nobody was named. He said the drills would go ahead.", id="no earlier speaker"),
        pytest.param(
            "Anna Kowalski said the drills were defensive. Putin met Lukashenko on Monday. "
            "He said the drills would go ahead.",
            id="other people between",
        ),
        pytest.param(
            "Anna Kowalski said the talks went well, and Jane Doe said they failed. "
            "She said the drills would go ahead.",
            id="two speakers in the nearest sentence",
        ),
        pytest.param(
            "Anna Kowalski said the drills were defensive. They said the drills would go ahead.", id="they"
        ),
        pytest.param(
            "Putin said the drills were defensive. It said the drills would go ahead.", id="it for a person"
        ),
    ],
)
def test_a_pronoun_is_left_unresolved_where_that_is_not_safe(text: str) -> None:
    quote = [
        s
        for s in flat_suggester().suggest(text)
        if s.quote.startswith(("He said", "She said", "They said", "It said"))
    ]
    assert len(quote) >= 1
    assert all(s.claimant is None for s in quote)


def test_a_title_resolves_only_when_one_earlier_person_holds_it() -> None:
    one = "Mayor Jan Peeters opened the wall. The mayor said it cost 4 million euros."
    two = (
        "Russian President Vladimir Putin met Belarusian President Alexander Lukashenko. "
        "The president said the drills would go ahead."
    )
    assert the_one(flat_suggester().suggest(one), ClaimType.QUOTE, "The mayor said").claimant == "Jan Peeters"
    assert the_one(flat_suggester().suggest(two), ClaimType.QUOTE, "The president said").claimant is None


# Denials


def test_denials_name_the_claimant_and_what_is_denied() -> None:
    text = (
        "Putin has repeatedly denied that claim while also making demands of NATO. "
        "The ministry has repeatedly denied that the exercise is a rehearsal for a blockade, "
        "and dismissed the claim as propaganda. "
        "The Kremlin rejected the report. "
        "At the time, Putin responded by saying the drills were not directed at any particular foreign power."
    )
    suggestions = flat_suggester().suggest(text)
    denials = {s.quote: s for s in suggestions if s.claim_type is ClaimType.DENIAL}
    repeated = denials["Putin has repeatedly denied that claim"]
    assert (repeated.claimant, repeated.cue) == ("Putin", "has repeatedly denied")
    ministry = denials["The ministry has repeatedly denied that the exercise is a rehearsal for a blockade"]
    assert ministry.claimant == "the ministry"  # an unnamed institution is still the claimant
    assert "that the exercise is a rehearsal for a blockade" in ministry.reason
    assert "dismissed the claim as propaganda" in denials
    assert denials["The Kremlin rejected the report"].claimant == "Kremlin"
    saying = the_one(suggestions, ClaimType.DENIAL, "Putin responded")
    assert saying.claimant == "Putin"
    assert saying.cue == "by saying"


def test_a_passive_denial_takes_its_claimant_from_by() -> None:
    text = "The requests have been denied by President Joe Biden and other world leaders."
    denial = the_one(flat_suggester().suggest(text), ClaimType.DENIAL, "The requests")
    assert denial.claimant == "Joe Biden"


# Predictions, causes, opinions and questions


def test_predictions_are_proposed_below_the_sentence_score_unless_backed() -> None:
    text = "The talks would likely happen in February. Putin said the drills would likely happen in March."
    suggestions = flat_suggester().suggest(text)
    bare = the_one(suggestions, ClaimType.PREDICTION, "would likely happen in February")
    backed = the_one(suggestions, ClaimType.PREDICTION, "would likely happen in March")
    assert bare.score < backed.score == 0.5


def test_causal_claims_are_proposed_as_the_clause_with_their_cue() -> None:
    text = (
        "The drills worried Ukraine because of how close they were to the border. Sanctions led to shortages."
    )
    suggestions = flat_suggester().suggest(text)
    because = the_one(suggestions, ClaimType.CAUSAL, "The drills worried Ukraine")
    assert because.cue == "because of"
    assert the_one(suggestions, ClaimType.CAUSAL, "Sanctions led to shortages").cue == "led to"


def test_opinions_and_questions_score_low() -> None:
    text = "I think we should invest more in schools. Is this the best we can do? We must be strong."
    suggestions = suggest_claims(text)
    low = [s for s in suggestions if s.claim_type in {ClaimType.OPINION, ClaimType.OTHER}]
    assert {s.sentence_index for s in low} >= {0, 1, 2}
    assert all(s.score < WORTH_CHECKING for s in suggestions)


def test_the_model_ranks_a_statistic_above_small_talk() -> None:
    statistic = suggest_claims("Unemployment fell by a third since 2019, to 3.2%.")
    small_talk = suggest_claims("Thank you very much, it is good to be here tonight.")
    assert max(s.score for s in statistic) >= WORTH_CHECKING
    assert max((s.score for s in small_talk), default=0.0) < WORTH_CHECKING


# Articles


def test_the_seed_article_yields_its_quantities_attributions_and_denial() -> None:
    if not SEED.exists():
        pytest.skip(f"{SEED} is absent (../shared is not mounted)")
    article = read_article_file(SEED)[0]
    suggestions = suggest_claims(article.text, article.sentences)
    worth = [s for s in suggestions if s.score >= WORTH_CHECKING]
    statistics = quotes_of(worth, ClaimType.STATISTIC)
    assert {
        "tens of thousands of Russian troops",
        "as many as 200,000 troops",
        "hundreds of vehicles",
    } <= set(statistics)
    assert "a sixth term" in statistics
    reuters = [s for s in worth if s.source == "Reuters"]
    assert all(s.claimant is None for s in reuters)  # Reuters is cited, it claims nothing
    # The statement as a quotation, and as the statistic it holds (what the default view shows).
    assert {s.claim_type for s in reuters} == {ClaimType.QUOTE, ClaimType.STATISTIC}
    assert len({(s.start, s.end) for s in reuters}) == 1 and {s.cue for s in reuters} == {"according to"}
    putin = [s for s in worth if s.claim_type is ClaimType.QUOTE and s.claimant == "Vladimir Putin"]
    assert any(s.quote.startswith("Russian President Vladimir Putin said") for s in putin)
    assert any(s.quote.startswith("Putin said the military training drills") for s in putin)
    assert any(s.quote.startswith("he added that military officials") for s in putin)
    denial = the_one(worth, ClaimType.DENIAL, "Putin has repeatedly denied")
    assert denial.quote == "Putin has repeatedly denied that claim"
    assert denial.claimant == "Vladimir Putin"
    assert "would likely happen in February or March" in quotes_of(worth, ClaimType.PREDICTION)


def test_the_harbour_sample_yields_its_claims() -> None:
    article = read_article_file(HARBOUR)[0]
    suggestions = suggest_claims(article.text, article.sentences)
    statistics = quotes_of(suggestions, ClaimType.STATISTIC)
    assert {"as many as 12,000 sailors", "40 warships", "$4bn over three years", "3.2%"} <= set(statistics)
    assert {"fell by a third since 2019", "the lowest level on record"} <= set(statistics)
    claimants = {s.claimant for s in suggestions if s.claim_type is ClaimType.QUOTE}
    assert "Anna Kowalski" in claimants
    sources = {s.source for s in suggestions if s.claim_type is ClaimType.QUOTE}
    assert {"Reuters", "national statistics office"} <= sources
    assert any(s.claimant == "Officials in Lt. Gov. Mark Ellis's office" for s in suggestions)
    denials = quotes_of(suggestions, ClaimType.DENIAL)
    assert any(q.startswith("The ministry has repeatedly denied that the exercise") for q in denials)
    assert "dismissed the claim as propaganda" in denials


# The contract


def test_min_score_keeps_only_suggestions_at_or_above_it() -> None:
    text = "I think we should invest more. Unemployment fell to 3.2% in 2020, the lowest level on record."
    everything = suggest_claims(text)
    worth = suggest_claims(text, min_score=WORTH_CHECKING)
    assert worth == [s for s in everything if s.score >= WORTH_CHECKING]
    assert len(worth) < len(everything)


def test_given_sentences_must_match_the_text() -> None:
    wrong = [Sentence(index=0, paragraph=0, start=0, end=5, text="Other")]
    with pytest.raises(ValueError, match="does not match"):
        suggest_claims("Hello world.", wrong)


def test_shipped_weights_are_small_and_load() -> None:
    assert WEIGHTS.stat().st_size < 2_000_000
    assert json.loads(WEIGHTS.read_text())["format_version"] == 2
    assert len(shipped_model().weights) > 1000


def assert_well_formed(text: str, suggestions: list[Suggestion]) -> None:
    for suggestion in suggestions:
        assert 0 <= suggestion.start < suggestion.end <= len(text)
        assert suggestion.quote == text[suggestion.start : suggestion.end]
        assert 0.0 <= suggestion.score <= 1.0
        assert suggestion.reason
    positions = [(s.start, s.end) for s in suggestions]
    assert positions == sorted(positions)
    keys = [(s.start, s.end, s.claim_type) for s in suggestions]
    assert len(keys) == len(set(keys)), "exact duplicates"


_NEWSY = st.sampled_from(
    [
        "said",
        "told",
        "according to",
        "denied",
        "he",
        "she",
        "Putin",
        "Mr.",
        "President",
        '"',
        "“",
        "”",
        "$4bn",
        "3.2%",
        "200,000",
        "tens of thousands of",
        "twenty-five",
        "doubled since 2019",
        "the highest since",
        "would",
        "because of",
        ",",
        ".",
        "?",
        "\n",
        " ",
        "troops",
        "the",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), st.lists(_NEWSY, max_size=60).map(" ".join)))
def test_any_text_gives_well_formed_sorted_suggestions(text: str) -> None:
    assert_well_formed(text, suggest_claims(text))
