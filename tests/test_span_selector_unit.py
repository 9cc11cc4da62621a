"""The span selector's Python half: segments and payload from text + highlights, browser offsets back."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from annotator.components.span_selector import (
    Highlight,
    build_payload,
    guard_payload,
    open_event,
    selection_event,
    snap_span,
    split_segments,
    utf16_length,
    utf16_to_index,
)
from claims.models import Sentence

TROOPS = "Officials said as many as 200,000 troops were massed."


def span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def claim(id: str, text: str, quote: str, color: str = "#ffe08a") -> Highlight:
    return Highlight(id, *span(text, quote), "claim", color, id)


def suggestion(id: str, text: str, quote: str) -> Highlight:
    return Highlight(id, *span(text, quote), "suggestion", "#d6336c", id)


def sentences_of(paragraphs: list[list[str]]) -> tuple[str, list[Sentence]]:
    """Sentences joined by spaces, paragraphs by blank lines, with their offsets."""
    text, sentences = "", []
    for paragraph_index, paragraph in enumerate(paragraphs):
        text += "\n\n" if text else ""
        for position, sentence in enumerate(paragraph):
            text += " " if position else ""
            end = len(text) + len(sentence)
            sentences.append(
                Sentence(
                    index=len(sentences), paragraph=paragraph_index, start=len(text), end=end, text=sentence
                )
            )
            text += sentence
    return text, sentences


def browser_point(text: str, segment_start: int, offset: int) -> list[int]:
    """What the browser reports for a Python offset inside the segment starting at segment_start."""
    return [segment_start, utf16_length(text[segment_start:offset])]


def flat_segments(payload: dict[str, object]) -> list[list[object]]:
    return [seg for paragraph in payload["paragraphs"] for item in paragraph for seg in item["segments"]]  # type: ignore[attr-defined]


# --- segments -----------------------------------------------------------------------------------


def test_overlapping_highlights_split_the_text_with_the_innermost_last() -> None:
    highlights = [claim("outer", TROOPS, "as many as 200,000 troops"), suggestion("inner", TROOPS, "200,000")]
    segments = split_segments(TROOPS, [], highlights)
    pieces = [(TROOPS[s.start : s.end], s.stack) for s in segments]
    assert pieces == [
        ("Officials said ", ()),
        ("as many as ", (0,)),
        ("200,000", (0, 1)),
        (" troops", (0,)),
        (" were massed.", ()),
    ]


def test_partly_overlapping_highlights_each_keep_their_own_part() -> None:
    highlights = [claim("a", TROOPS, "said as many"), claim("b", TROOPS, "many as 200,000")]
    pieces = [(TROOPS[s.start : s.end], s.stack) for s in split_segments(TROOPS, [], highlights)]
    assert ("said as ", (0,)) in pieces
    assert ("many", (1, 0)) in pieces  # same length: the later highlight is innermost
    assert (" as 200,000", (1,)) in pieces


def test_the_shorter_highlight_is_innermost_whatever_the_order_given() -> None:
    highlights = [suggestion("short", TROOPS, "200,000"), claim("long", TROOPS, "200,000 troops")]
    segment = next(s for s in split_segments(TROOPS, [], highlights) if TROOPS[s.start : s.end] == "200,000")
    assert segment.stack == (1, 0)


# --- payload ------------------------------------------------------------------------------------


def test_payload_numbers_sentences_and_groups_them_in_paragraphs() -> None:
    text, sentences = sentences_of([["One.", "Two."], ["Three."]])
    payload = build_payload(text, sentences, [])
    assert payload["paragraphs"] == [
        [
            {"n": 1, "segments": [[0, "One.", []]]},
            {"n": None, "segments": [[4, " ", []]]},
            {"n": 2, "segments": [[5, "Two.", []]]},
            {"n": None, "segments": [[9, "\n\n", []]]},
        ],
        [{"n": 3, "segments": [[11, "Three.", []]]}],
    ]


def test_payload_draws_a_highlight_across_two_sentences_in_each() -> None:
    text, sentences = sentences_of([["One two.", "Three four."]])
    payload = build_payload(text, sentences, [claim("c", text, "two. Three")])
    stacked = [(seg[1], seg[2]) for seg in flat_segments(payload) if seg[2]]
    assert stacked == [("two.", [0]), (" ", [0]), ("Three", [0])]
    assert payload["highlights"] == [
        {"id": "c", "kind": "claim", "color": "#ffe08a", "label": "c", "selected": False}
    ]


def test_payload_carries_markup_as_plain_text_for_the_browser_to_set_as_text() -> None:
    text = 'A <script>window.__xss = 1</script> and <img src=x onerror="x()"> **bold**.'
    payload = build_payload(text, [Sentence(index=0, paragraph=0, start=0, end=len(text), text=text)], [])
    assert "".join(seg[1] for seg in flat_segments(payload)) == text  # type: ignore[misc]
    assert json.loads(json.dumps(payload)) == payload


def test_payload_without_sentences_is_one_unnumbered_paragraph() -> None:
    payload = build_payload("Just text.", [], [])
    assert payload["paragraphs"] == [[{"n": None, "segments": [[0, "Just text.", []]]}]]


def test_payload_of_empty_text_has_no_paragraphs() -> None:
    assert build_payload("", [], [])["paragraphs"] == []


@pytest.mark.parametrize(
    ("highlight", "message"),
    [
        (Highlight("h", 3, 3, "claim", "#fff"), "empty or outside"),
        (Highlight("h", 0, 999, "claim", "#fff"), "empty or outside"),
        (Highlight("h", 0, 3, "note", "#fff"), "unknown kind"),  # type: ignore[arg-type]
    ],
)
def test_payload_refuses_a_highlight_that_does_not_fit(highlight: Highlight, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build_payload(TROOPS, [], [highlight])


def test_payload_refuses_two_highlights_with_one_id() -> None:
    with pytest.raises(ValueError, match="share the id"):
        build_payload(TROOPS, [], [claim("h", TROOPS, "said"), claim("h", TROOPS, "troops")])


def test_payload_refuses_sentences_that_do_not_match_the_text() -> None:
    wrong = Sentence(index=0, paragraph=0, start=0, end=9, text="Something")
    with pytest.raises(ValueError, match="does not match"):
        build_payload(TROOPS, [wrong], [])


# --- offsets from the browser -------------------------------------------------------------------


def test_utf16_offsets_count_an_astral_character_twice() -> None:
    text = "a👍🏽b"  # thumbs up + skin tone: two code points, four UTF-16 units
    assert utf16_length(text) == 6
    assert utf16_to_index(text, 0, 5) == 3
    assert utf16_to_index(text, 0, 2) == 1  # inside the thumbs up: back to its start
    assert utf16_to_index(text, 0, 2, round_up=True) == 2
    assert utf16_to_index(text, 0, 99) == len(text)


def test_a_selection_after_an_emoji_has_code_point_offsets() -> None:
    text = "Locals 👍🏽 bought about 3,000 cups."
    start, end = span(text, "about 3,000")
    raw = {"start": browser_point(text, 0, start), "end": browser_point(text, 0, end)}
    assert raw["start"][1] == start + 2  # what JavaScript counts: two more than Python
    assert selection_event(text, raw) == {"action": "select", "start": start, "end": end}


def test_a_selection_is_measured_from_its_segments_start() -> None:
    text = "Café 👍🏽 then 200,000 troops."
    segment_start = text.index("then")
    start, end = span(text, "200,000 troops")
    raw = {"start": browser_point(text, segment_start, start), "end": browser_point(text, segment_start, end)}
    event = selection_event(text, raw)
    assert event is not None
    assert text[event["start"] : event["end"]] == "200,000 troops"


def test_a_selection_is_trimmed_of_whitespace_at_its_edges() -> None:
    start, end = span(TROOPS, " 200,000 troops ")
    event = selection_event(TROOPS, {"start": [0, start], "end": [0, end]})
    assert event == {"action": "select", "start": start + 1, "end": end - 1}


def test_a_selection_never_cuts_a_combining_accent_or_skin_tone() -> None:
    text = "cafe\u0301 👍🏽 ok"
    assert snap_span(text, 0, 4) == (0, 5)  # the accent joins the e
    assert snap_span(text, 4, 5) == (3, 5)  # starting on the accent takes its base letter
    thumbs = text.index("👍")
    assert snap_span(text, thumbs, thumbs + 1) == (thumbs, thumbs + 2)
    assert snap_span("नमस्ते", 0, 1) == (0, 1)
    assert snap_span("कि", 0, 1) == (0, 2)  # ka + the vowel sign i (a spacing mark)
    family = "a 👩\u200d👧 b"  # woman, zero-width joiner, girl: one picture
    assert snap_span(family, 2, 3) == (2, 5)
    assert snap_span(family, 4, 5) == (2, 5)


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "0,5",
        {"start": [0, 3]},
        {"start": [0, 0], "end": [0, "5"]},
        {"start": [0, 0], "end": [0, True]},
        {"start": [-1, 0], "end": [0, 5]},
        {"start": [999, 0], "end": [999, 5]},
        {"start": [0, 9], "end": [0, 4]},  # a start after the end: nothing but a paragraph break
        {"start": [0, 14], "end": [0, 15]},  # only whitespace
    ],
)
def test_a_selection_that_is_malformed_or_empty_is_no_event(raw: object) -> None:
    assert selection_event(TROOPS, raw) is None


def test_clicking_a_highlight_opens_it_by_id() -> None:
    highlights = [claim("claim-1", TROOPS, "troops")]
    assert open_event("claim-1", highlights) == {"action": "open", "id": "claim-1", "kind": "claim"}
    assert open_event("claim-2", highlights) is None
    assert open_event(7, highlights) is None


# --- properties ---------------------------------------------------------------------------------

CHARACTERS = st.sampled_from(list("ab .,\n") + ["é", "e\u0301", "👍🏽", "😀", "\u200d", "中"])
TEXTS = st.lists(CHARACTERS, max_size=40).map("".join)


@st.composite
def texts_with_highlights(draw: st.DrawFn) -> tuple[str, list[int], list[Highlight]]:
    text = draw(TEXTS.filter(bool))
    offsets = st.integers(0, len(text))
    cuts = draw(st.lists(offsets, max_size=6))
    highlights = []
    for index, (a, b) in enumerate(draw(st.lists(st.tuples(offsets, offsets), max_size=6))):
        if a != b:
            kind = draw(st.sampled_from(["claim", "suggestion"]))
            highlights.append(Highlight(f"h{index}", min(a, b), max(a, b), kind, "#abcdef"))
    return text, cuts, highlights


@given(texts_with_highlights())
def test_segments_tile_the_text_and_carry_exactly_the_highlights_covering_them(
    case: tuple[str, list[int], list[Highlight]],
) -> None:
    text, cuts, highlights = case
    segments = split_segments(text, cuts, highlights)
    assert "".join(text[s.start : s.end] for s in segments) == text
    assert all(a.end == b.start for a, b in zip(segments, segments[1:], strict=False))
    for segment in segments:
        assert segment.start < segment.end
        covering = {i for i, h in enumerate(highlights) if h.start <= segment.start and segment.end <= h.end}
        assert set(segment.stack) == covering
        lengths = [highlights[i].end - highlights[i].start for i in segment.stack]
        assert lengths == sorted(lengths, reverse=True)


@st.composite
def articles(draw: st.DrawFn) -> tuple[str, list[Sentence]]:
    words = draw(st.lists(TEXTS.filter(lambda s: s.strip() != ""), min_size=1, max_size=6))
    breaks = draw(st.lists(st.booleans(), min_size=len(words), max_size=len(words)))
    text, sentences, paragraph = "", [], 0
    for word, new_paragraph in zip(words, breaks, strict=True):
        if text:
            paragraph += new_paragraph
            text += "\n\n" if new_paragraph else " "
        end = len(text) + len(word)
        sentences.append(
            Sentence(index=len(sentences), paragraph=paragraph, start=len(text), end=end, text=word)
        )
        text += word
    return text, sentences


@given(articles(), st.data())
def test_payload_segments_tile_the_text_at_their_offsets(
    article: tuple[str, list[Sentence]], data: st.DataObject
) -> None:
    text, sentences = article
    a, b = sorted(data.draw(st.tuples(st.integers(0, len(text)), st.integers(0, len(text)))))
    highlights = [Highlight("h", a, b, "claim", "#fff")] if a < b else []
    payload = build_payload(text, sentences, highlights)
    segments = flat_segments(payload)
    assert "".join(str(seg[1]) for seg in segments) == text
    for start, piece, _ in segments:
        assert text[start : start + len(piece)] == piece  # type: ignore[operator, misc]
    numbered = {
        item["n"]: "".join(seg[1] for seg in item["segments"])
        for paragraph in payload["paragraphs"]
        for item in paragraph
        if item["n"] is not None
    }
    assert numbered == {s.index + 1: s.text for s in sentences}


@given(TEXTS, st.data())
def test_browser_offsets_convert_back_to_the_python_span(text: str, data: st.DataObject) -> None:
    a, b = sorted(data.draw(st.tuples(st.integers(0, len(text)), st.integers(0, len(text)))))
    segment_start = data.draw(st.integers(0, a))
    raw = {"start": browser_point(text, segment_start, a), "end": browser_point(text, segment_start, b)}
    event = selection_event(text, raw)
    start, end = snap_span(text, a, b)
    if start < end:
        assert event == {"action": "select", "start": start, "end": end}
    else:
        assert event is None


# --- under AppTest ------------------------------------------------------------------------------


def test_the_component_renders_under_apptest_as_an_element_carrying_its_payload() -> None:
    def page() -> None:
        from annotator.components.span_selector import Highlight, span_selector

        event = span_selector("Ten troops.", [], [Highlight("c", 4, 10, "claim", "#ff0")], key="article")
        import streamlit as st

        st.write(repr(event))

    at = AppTest.from_function(page).run()
    assert not at.exception
    element = at.main[0]
    assert element.type == "bidi_component"
    assert json.loads(element.proto.json)["highlights"][0]["id"] == "c"
    assert at.markdown[0].value == "None"


def test_the_guard_is_told_which_form_is_shown_whether_work_is_unsaved_and_where_to_focus() -> None:
    assert guard_payload("span-a-1-5", True, "claim_panel", 3) == {
        "guard": {"form": "span-a-1-5", "dirty": True, "scope": "st-key-claim_panel", "focus": 3}
    }
    assert "paragraphs" not in guard_payload("", False, "claim_panel", 0)  # draws no article
