"""Sentence splitting: news abbreviations, exact offsets, paragraphs, and the seed article."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.models import Sentence
from claims.segmentation import split_sentences

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED_ARTICLE = REPO_ROOT.parent / "shared" / "seed" / "000_8886c494cf3526de.txt"
SAMPLE_ARTICLE = REPO_ROOT / "samples" / "harbour_exercise.txt"


def texts(text: str) -> list[str]:
    return [sentence.text for sentence in split_sentences(text)]


def test_lt_gov_title_does_not_end_a_sentence() -> None:
    assert texts("Putin met Lt. Gov. Smith in St. Petersburg.") == [
        "Putin met Lt. Gov. Smith in St. Petersburg."
    ]


def test_us_before_a_capitalised_noun_does_not_end_a_sentence() -> None:
    assert texts("I work for the U.S. Government in Virginia. The U.S. Army said so.") == [
        "I work for the U.S. Government in Virginia.",
        "The U.S. Army said so.",
    ]


def test_us_at_the_end_of_a_sentence_still_splits() -> None:
    assert texts("They live in the U.S. They like it.") == ["They live in the U.S.", "They like it."]


def test_st_before_a_place_name_does_not_end_a_sentence() -> None:
    assert texts("The company is based in St. Louis. It grew in St. Petersburg.") == [
        "The company is based in St. Louis.",
        "It grew in St. Petersburg.",
    ]


def test_no_before_a_number_does_not_end_a_sentence() -> None:
    assert texts("He is the No. 1 seed. No. 2 is Nadal.") == ["He is the No. 1 seed.", "No. 2 is Nadal."]


def test_no_as_a_word_still_ends_a_sentence() -> None:
    assert texts("He said no. Putin disagreed.") == ["He said no.", "Putin disagreed."]


def test_ms_mr_mrs_dr_titles_do_not_end_a_sentence() -> None:
    assert texts("Ms. Kowalski met Mr. Ellis. Mrs. Ellis and Dr. Jane Smith agreed.") == [
        "Ms. Kowalski met Mr. Ellis.",
        "Mrs. Ellis and Dr. Jane Smith agreed.",
    ]


@pytest.mark.parametrize(
    "title", ["Sen.", "Rep.", "Gen.", "Col.", "Sgt.", "Capt.", "Adm.", "Prof.", "Maj.", "Brig.", "Pres."]
)
def test_title_before_a_name_does_not_end_a_sentence(title: str) -> None:
    sentence = f"The letter was signed by {title} John Smith on Monday."
    assert texts(f"{sentence} He declined to comment.") == [sentence, "He declined to comment."]


def test_stacked_military_titles_do_not_end_a_sentence() -> None:
    assert texts("Brig. Gen. Pat Ryder said it. Lt. Col. Smith agreed.") == [
        "Brig. Gen. Pat Ryder said it.",
        "Lt. Col. Smith agreed.",
    ]


@pytest.mark.parametrize(
    "month", ["Jan.", "Feb.", "Mar.", "Apr.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.", "Dec."]
)
def test_month_abbreviation_before_a_day_does_not_end_a_sentence(month: str) -> None:
    assert texts(f"The vote is on {month} 5 in the capital. It was delayed.") == [
        f"The vote is on {month} 5 in the capital.",
        "It was delayed.",
    ]


def test_month_abbreviation_with_year_then_new_sentence_splits() -> None:
    assert texts("He was born in Jan. 2020. He left.") == ["He was born in Jan. 2020.", "He left."]


def test_dc_and_inc_before_capitalised_words_do_not_end_a_sentence() -> None:
    assert texts("Washington, D.C. Mayor Muriel Bowser spoke. Acme Inc. Chief Executive Jane Doe left.") == [
        "Washington, D.C. Mayor Muriel Bowser spoke.",
        "Acme Inc. Chief Executive Jane Doe left.",
    ]


def test_time_abbreviation_before_a_weekday_does_not_end_a_sentence() -> None:
    assert texts("The blast came at 5 a.m. Tuesday near the port.") == [
        "The blast came at 5 a.m. Tuesday near the port."
    ]


def test_plain_word_the_model_lists_as_abbreviation_still_ends_a_sentence() -> None:
    assert texts("Troops massed in the south. Putin denied it.") == [
        "Troops massed in the south.",
        "Putin denied it.",
    ]


def test_exclamation_before_a_lowercase_word_continues_the_sentence() -> None:
    assert texts("She works at Yahoo! in the accounting department.") == [
        "She works at Yahoo! in the accounting department."
    ]


def test_each_line_is_a_paragraph_and_blank_lines_do_not_count() -> None:
    text = "First one. Second one.\n\n  \nThird one.\r\nFourth one.\rFifth one."
    sentences = split_sentences(text)
    assert [(s.text, s.paragraph) for s in sentences] == [
        ("First one.", 0),
        ("Second one.", 0),
        ("Third one.", 1),
        ("Fourth one.", 2),
        ("Fifth one.", 3),
    ]
    assert [s.index for s in sentences] == [0, 1, 2, 3, 4]
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_surrounding_white_space_is_left_out_of_sentences() -> None:
    text = "  \tIndented sentence.   Another one.\t \r\n"
    assert [(s.start, s.end, s.text) for s in split_sentences(text)] == [
        (3, 21, "Indented sentence."),
        (24, 36, "Another one."),
    ]


def test_empty_and_blank_text_have_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\r\n\t ") == []


def assert_well_formed(text: str, sentences: list[Sentence]) -> None:
    previous_end = 0
    previous_paragraph = 0
    for position, sentence in enumerate(sentences):
        assert sentence.index == position
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text and sentence.text == sentence.text.strip()
        assert "\n" not in sentence.text and "\r" not in sentence.text
        assert sentence.start >= previous_end
        assert sentence.paragraph >= previous_paragraph
        previous_end, previous_paragraph = sentence.end, sentence.paragraph


def test_sample_article_splits_into_its_paragraph_sentences() -> None:
    text = SAMPLE_ARTICLE.read_text(encoding="utf-8")
    sentences = split_sentences(text)
    assert_well_formed(text, sentences)
    # Headline, date and URL are one sentence each; every body paragraph is a single sentence.
    assert len(sentences) == len(text.splitlines())
    assert any(s.text.startswith("Officials in Lt. Gov. Mark Ellis's office") for s in sentences)
    assert any("blockade of St. Petersburg, and dismissed" in s.text for s in sentences)
    assert any("by the U.S. and Polish commands later." in s.text for s in sentences)


def test_seed_article_keeps_reuters_and_belarus_sentences_whole() -> None:
    if not SEED_ARTICLE.exists():
        pytest.skip(f"{SEED_ARTICLE} is absent (../shared is not mounted)")
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    sentences = split_sentences(text)
    assert_well_formed(text, sentences)
    body = [s for s in sentences if s.paragraph >= 3]
    assert body[0].text.startswith("The drills added to the months of tension")
    assert body[0].text.endswith("planning to invade Ukraine in 2022.")
    assert (
        "Tensions have escalated further since the summer over the arrival of thousands of migrants and "
        "refugees on Belarus' border with EU member Poland." in [s.text for s in body]
    )


# Characters that stress offsets: line ends of every kind, tabs, emoji, combining marks,
# other Unicode white space and sentence punctuation.
TRICKY = "ab .!?\"'\n\r\t \u00a0\u2028\u0301\U0001f600é.A.U.S.Mr 1"


@settings(max_examples=300)
@given(st.one_of(st.text(alphabet=TRICKY), st.text()))
def test_offsets_rebuild_the_text_exactly(text: str) -> None:
    assert_well_formed(text, split_sentences(text))


@settings(max_examples=100)
@given(
    st.lists(st.sampled_from(["Mr. Smith said so.", "It rose 5.2%!", "\r\n", "\n\n", " ", "\t", "é\u0301"]))
)
def test_offsets_rebuild_sentence_like_text_exactly(parts: list[str]) -> None:
    text = "".join(parts)
    assert_well_formed(text, split_sentences(text))
