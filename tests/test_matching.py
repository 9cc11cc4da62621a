"""Matching texts against known fact-checks: rewordings found, numbers and names respected, the index kept
in step with additions, replacements and removals exactly as a rebuild would be."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.match import MatchIndex, MatchModel, normalise_query, shipped_model
from claims.match.embedding import Vectors, shared_embedder
from claims.match.lexical import LexicalIndex
from claims.match.text import names, numbers, tokenize

FACT_CHECKS = {
    "guantanamo": "122 detainees released from Guantanamo Bay under President Obama have re-engaged in "
    "terrorist activities.\nDid 122 Prisoners Released from Guantanamo by President Obama Return to the "
    "Battlefield?",
    "charlotte": "70 per cent of the persons arrested during protests in Charlotte had out-of-state IDs.\n"
    "70% of Arrested Charlotte Protesters Are Out-of-State Criminals",
    "samoa": "122 children died of measles in Samoa in 2019 after vaccination rates fell.\n"
    "Did 122 Children Die of Measles in Samoa?",
    "biden_jobs": "Joe Biden said unemployment fell to 3.5 percent in his first year.\n"
    "Did Biden Say Unemployment Fell to 3.5%?",
    "trump_jobs": "Donald Trump said unemployment fell to 3.5 percent in his first year.\n"
    "Did Trump Say Unemployment Fell to 3.5%?",
    "dna": "The COVID-19 vaccine alters human DNA.\nDo mRNA Vaccines Change Your DNA?",
    "amazon": "Portions of the Amazon rainforest were on fire in August 2019.\n"
    "Was the Amazon Rainforest on Fire in August 2019?",
    "bleach": "Drinking bleach cures the coronavirus.\nCan Drinking Bleach Cure COVID-19?",
}


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex(FACT_CHECKS)


def test_a_reworded_tweet_finds_its_fact_check_first_and_probably_the_same(index: MatchIndex) -> None:
    tweet = (
        "Obama released 122 Guantanamo prisoners and they went right back to terrorism "
        "https://t.co/abc — Some One (@someone) January 6, 2020"
    )
    (best, score), *_ = index.search(tweet)
    assert best == "guantanamo"
    assert score >= 0.5


def test_an_unrelated_claim_with_the_same_number_is_not_ranked_first(index: MatchIndex) -> None:
    ranked = index.search("Shocking: measles killed 122 kids in Samoa once vaccination rates dropped")
    assert ranked[0][0] == "samoa"
    assert dict(ranked)["guantanamo"] < 0.5


def test_names_decide_between_claims_that_differ_only_in_who_made_them(index: MatchIndex) -> None:
    trump = index.search("Trump claims joblessness dropped to 3.5% during his first year")
    biden = index.search("Biden claims joblessness dropped to 3.5% during his first year")
    assert trump[0][0] == "trump_jobs" and biden[0][0] == "biden_jobs"
    assert dict(trump)["biden_jobs"] < trump[0][1]


def test_scores_are_calibrated_probabilities_best_first(index: MatchIndex) -> None:
    ranked = index.search("I like turtles and long walks on the beach", top=8)
    assert all(0.0 <= score < 0.5 for _, score in ranked)
    scores = [score for _, score in ranked]
    assert scores == sorted(scores, reverse=True)


def test_an_empty_index_finds_nothing() -> None:
    empty = MatchIndex()
    assert empty.search("anything at all") == []
    assert empty.search_many(["one", "two"]) == [[], []]


def test_a_text_without_words_finds_nothing(index: MatchIndex) -> None:
    assert index.search("!!! ... ???") == []


def test_search_many_answers_as_search_does(index: MatchIndex) -> None:
    texts = ["bleach cures covid", "the amazon is burning", "vaccines change your DNA"]
    together = index.search_many(texts, top=3)
    for text, found in zip(texts, together, strict=True):
        alone = index.search(text, top=3)
        assert [key for key, _ in found] == [key for key, _ in alone]
        assert [score for _, score in found] == pytest.approx([score for _, score in alone], abs=1e-6)


def test_top_limits_the_answer(index: MatchIndex) -> None:
    assert len(index.search("bleach cures covid", top=2)) == 2
    assert len(index.search("bleach cures covid", top=100)) == len(FACT_CHECKS)


def test_tweets_lose_links_handles_tails_and_keep_the_speaker() -> None:
    tweet = (
        "Huge news! #StopTheSteal @realDonaldTrump was right pic.twitter.com/AbC123 https://t.co/xyz "
        "— Ilhan Omar (@IlhanMN) January 6, 2020"
    )
    assert normalise_query(tweet) == "Huge news! Stop The Steal real Donald Trump was right Ilhan Omar"


def test_terms_keep_numbers_whole_and_percent_one_way() -> None:
    assert (
        tokenize("70% of 1,500 voters")
        == tokenize("70 per cent of 1500 voters")
        == ["70", "percent", "1500", "voter"]
    )
    assert numbers("It rose from 1,500 to 3.50 in 2019") == {"1500", "3.5", "2019"}


def test_names_skip_a_title_case_headline() -> None:
    assert names("Did Biden Say Unemployment Fell?") == set()
    assert names("Joe Biden said unemployment fell.") == {"joe", "biden"}


class CountingEmbedder:
    def __init__(self) -> None:
        self.embedded: list[str] = []

    def embed(self, texts: list[str]) -> Vectors:
        self.embedded += texts
        return shared_embedder().embed(texts)


def test_updating_embeds_only_new_and_changed_texts() -> None:
    embedder = CountingEmbedder()
    index = MatchIndex(FACT_CHECKS, embedder=embedder)
    embedder.embedded.clear()
    index.update(
        {**FACT_CHECKS, "bleach": "Drinking bleach cures measles.", "new": "The moon is made of cheese."}
    )
    assert len(embedder.embedded) == 2
    assert index.search("moon cheese")[0][0] == "new"


SENTENCES = [
    "The council spent 4 million euros on the harbour wall.",
    "Mayor Jan Peeters said the harbour work finished on time.",
    "Unemployment fell to 3.5 percent last year.",
    "Drinking bleach cures the coronavirus.",
    "The Amazon rainforest was on fire in August 2019.",
    "122 detainees released from Guantanamo returned to terrorism.",
    "Vaccines alter human DNA, a doctor claimed.",
    "Crime in Chicago doubled in 2020.",
]
operations = st.lists(
    st.tuples(
        st.sampled_from(["put", "remove"]),
        st.sampled_from([f"k{n}" for n in range(6)]),
        st.sampled_from(SENTENCES),
    ),  # fmt: skip
    max_size=120,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations, st.sampled_from(SENTENCES))
def test_incremental_changes_answer_as_a_rebuild_does(steps: list[tuple[str, str, str]], query: str) -> None:
    index = MatchIndex()
    expected: dict[str, str] = {}
    for action, key, text in steps:
        if action == "put":
            index.update({key: text})
            expected[key] = text
        else:
            index.remove([key])
            expected.pop(key, None)
    rebuilt = MatchIndex(expected)
    assert sorted(index.keys()) == sorted(expected)
    incremental = dict(index.search(query, top=10))
    fresh = dict(rebuilt.search(query, top=10))
    assert incremental.keys() == fresh.keys()
    for key, score in fresh.items():
        assert incremental[key] == pytest.approx(score, abs=1e-6)  # float32 products in another order


def test_a_compacted_lexical_index_scores_as_before() -> None:
    lexical = LexicalIndex()
    lexical.append([tokenize(text) for text in SENTENCES])
    for slot in (1, 3, 5):
        lexical.remove(slot)
    terms = lexical.query_terms(tokenize("harbour wall mayor bleach"))
    kept = np.array([0, 2, 4, 6, 7])
    assert np.allclose(lexical.kept(kept).scores(terms), lexical.scores(terms)[kept])


def test_the_shipped_model_loads_and_round_trips_through_json() -> None:
    model = shipped_model()
    assert MatchModel.from_json(model.to_json()) == model
    assert model.trained_on
    assert 0.0 < model.lexical_weight + model.embedding_weight


def test_a_model_with_a_missing_weight_is_refused() -> None:
    data = json.loads(shipped_model().to_json())
    data["weights"] = data["weights"][:-1]
    with pytest.raises(ValueError, match="one weight for each"):
        MatchModel.from_json(json.dumps(data))
