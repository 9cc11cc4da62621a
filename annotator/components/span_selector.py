"""The article view of the annotate page: select a span with the mouse, click a highlight to open it.

One `st.components.v2` component draws the whole article; the pure functions here build what it
draws and turn what the browser reports (UTF-16 offsets) back into Python string offsets.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal, TypedDict

import streamlit as st

from claims.models import Sentence

HighlightKind = Literal["claim", "suggestion"]
HIGHLIGHT_KINDS: frozenset[str] = frozenset({"claim", "suggestion"})


@dataclass(frozen=True, slots=True)
class Highlight:
    """A span [start, end) drawn over the article: a claim (solid colour) or a suggestion (dashed)."""

    id: str
    start: int
    end: int
    kind: HighlightKind
    color: str
    label: str = ""
    selected: bool = False  # the claim open beside the article: outlined


class SelectEvent(TypedDict):
    """The editor selected text[start:end] with the mouse."""

    action: Literal["select"]
    start: int
    end: int


class OpenEvent(TypedDict):
    """The editor clicked the highlight with this id (of this kind)."""

    action: Literal["open"]
    id: str
    kind: HighlightKind


SpanEvent = SelectEvent | OpenEvent


@dataclass(frozen=True, slots=True)
class Segment:
    """A run text[start:end] covered by the same highlights (indices, outermost first)."""

    start: int
    end: int
    stack: tuple[int, ...]


# --- building what the browser draws -------------------------------------------------------------


def check_sentences(text: str, sentences: Sequence[Sentence]) -> None:
    """Raise ValueError unless the sentences, in order of start, are disjoint and match the text."""
    previous_end = 0
    for sentence in sentences:
        if not previous_end <= sentence.start < sentence.end <= len(text):
            raise ValueError(
                f"sentence {sentence.index} [{sentence.start}, {sentence.end}) is out of order, "
                f"empty or outside the text of {len(text)} characters"
            )
        if text[sentence.start : sentence.end] != sentence.text:
            raise ValueError(f"sentence {sentence.index} does not match the text at its offsets")
        previous_end = sentence.end


def check_highlights(text: str, highlights: Sequence[Highlight]) -> None:
    """Raise ValueError for a highlight outside the text, of an unknown kind, or with a repeated id."""
    seen: set[str] = set()
    for highlight in highlights:
        if not 0 <= highlight.start < highlight.end <= len(text):
            raise ValueError(
                f"highlight {highlight.id!r} [{highlight.start}, {highlight.end}) is empty "
                f"or outside the text of {len(text)} characters"
            )
        if highlight.kind not in HIGHLIGHT_KINDS:
            raise ValueError(f"highlight {highlight.id!r} has unknown kind {highlight.kind!r}")
        if highlight.id in seen:
            raise ValueError(f"two highlights share the id {highlight.id!r}")
        seen.add(highlight.id)


def split_segments(text: str, cuts: Sequence[int], highlights: Sequence[Highlight]) -> list[Segment]:
    """Split the text at every cut and highlight boundary; each piece gets the highlights covering it.

    A stack lists highlight indices outermost (longest) first, so its last entry is the innermost
    highlight: the one drawn on top and opened by a click. Of two equal spans the later one wins.
    """
    points = {0, len(text), *cuts}
    starting: dict[int, list[int]] = defaultdict(list)
    ending: dict[int, list[int]] = defaultdict(list)
    for index, highlight in enumerate(highlights):
        points.update((highlight.start, highlight.end))
        starting[highlight.start].append(index)
        ending[highlight.end].append(index)
    by_depth = sorted(range(len(highlights)), key=lambda i: (highlights[i].start - highlights[i].end, i))
    depth = {index: rank for rank, index in enumerate(by_depth)}
    # One sweep over the boundaries, keeping the highlights open at each.
    covering: set[int] = set()
    segments = []
    for start, end in pairwise(sorted(points)):
        covering.difference_update(ending.get(start, ()))
        covering.update(starting.get(start, ()))
        segments.append(Segment(start, end, tuple(sorted(covering, key=depth.__getitem__))))
    return segments


def build_payload(
    text: str, sentences: Sequence[Sentence], highlights: Sequence[Highlight]
) -> dict[str, Any]:
    """The JSON the browser draws: paragraphs of numbered sentences and gaps, each a list of segments.

    A segment is ``[start, text, stack]``; ``start`` is the Python offset the browser reports back,
    which is why sentence numbers (drawn by CSS, outside any segment) never count towards offsets.
    Whitespace between paragraphs ends the previous paragraph, so every character is drawn once.
    """
    ordered = sorted(sentences, key=lambda s: s.start)
    check_sentences(text, ordered)
    check_highlights(text, highlights)
    cuts = [offset for s in ordered for offset in (s.start, s.end)]
    paragraphs: list[list[dict[str, Any]]] = []
    paragraph_index: int | None = None
    sentence_at = 0
    item: dict[str, Any] | None = None
    for segment in split_segments(text, cuts, highlights):
        while sentence_at < len(ordered) and ordered[sentence_at].end <= segment.start:
            sentence_at += 1
        sentence = ordered[sentence_at] if sentence_at < len(ordered) else None
        number = None if sentence is None or sentence.start > segment.start else sentence.index + 1
        if item is None or item["n"] != number:
            if sentence is not None and number is not None and sentence.paragraph != paragraph_index:
                paragraph_index = sentence.paragraph
                paragraphs.append([])
            elif not paragraphs:
                paragraphs.append([])
            item = {"n": number, "segments": []}
            paragraphs[-1].append(item)
        item["segments"].append([segment.start, text[segment.start : segment.end], list(segment.stack)])
    return {
        "paragraphs": paragraphs,
        "highlights": [
            {"id": h.id, "kind": h.kind, "color": h.color, "label": h.label, "selected": h.selected}
            for h in highlights
        ],
    }


# --- reading what the browser reports -------------------------------------------------------------


def utf16_length(text: str) -> int:
    """How many UTF-16 code units JavaScript counts in the text."""
    return len(text.encode("utf-16-le")) // 2


def utf16_to_index(text: str, start: int, units: int, *, round_up: bool = False) -> int:
    """The Python offset `units` UTF-16 code units after `start` (clamped to the text).

    An offset in the middle of a surrogate pair moves to the start of that character, or past it
    with `round_up`.
    """
    index = start
    while units > 0 and index < len(text):
        width = 2 if ord(text[index]) > 0xFFFF else 1
        if width > units:
            return index + 1 if round_up else index
        units -= width
        index += 1
    return index


def _joins_previous(char: str) -> bool:
    """Whether the character belongs to the cluster before it (accent, skin tone, variation, ZWJ)."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me")  # accents, Indic vowel signs, enclosing marks
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xFE00 <= code <= 0xFE0F
        or code == 0x200D
    )


def _splits_cluster(text: str, offset: int) -> bool:
    """Whether a boundary at offset would split a character cluster (e + accent, emoji sequences)."""
    return 0 < offset < len(text) and (_joins_previous(text[offset]) or text[offset - 1] == "\u200d")


def snap_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) so it does not cut a character cluster, then trim whitespace at its edges."""
    while _splits_cluster(text, start):
        start -= 1
    while _splits_cluster(text, end):
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _boundary(text: str, point: object, *, round_up: bool) -> int | None:
    """A browser boundary ``[segment start, UTF-16 offset into the segment]`` as a Python offset."""
    if not isinstance(point, Sequence) or len(point) != 2:
        return None
    segment_start, units = point
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (segment_start, units)):
        return None
    if not 0 <= segment_start <= len(text) or units < 0:
        return None
    return utf16_to_index(text, segment_start, units, round_up=round_up)


def selection_event(text: str, raw: object) -> SelectEvent | None:
    """Turn the browser's ``{"start": point, "end": point}`` into a trimmed Python span, if any."""
    if not isinstance(raw, Mapping):
        return None
    # Round outwards, so a half-selected astral character is kept rather than dropped.
    start = _boundary(text, raw.get("start"), round_up=False)
    end = _boundary(text, raw.get("end"), round_up=True)
    # A start after the end means the selection held no segment text (say, only a paragraph break).
    if start is None or end is None or start > end:
        return None
    start, end = snap_span(text, start, end)
    if start >= end:
        return None
    return {"action": "select", "start": start, "end": end}


def open_event(raw: object, highlights: Sequence[Highlight]) -> OpenEvent | None:
    """The browser's clicked highlight id, with its kind, if it names one of the highlights drawn."""
    if isinstance(raw, str):
        for highlight in highlights:
            if highlight.id == raw:
                return {"action": "open", "id": raw, "kind": highlight.kind}
    return None


# --- the component -----------------------------------------------------------------------------------

_HERE = Path(__file__).parent
_component = st.components.v2.component(
    "claim_annotator.span_selector",
    css=(_HERE / "span_selector.css").read_text(encoding="utf-8"),
    js=(_HERE / "span_selector.js").read_text(encoding="utf-8"),
)


def _no_callback() -> None:
    """Trigger values need an on_<name>_change callback to be registered; the result is enough."""


def span_selector(
    text: str, sentences: Sequence[Sentence], highlights: Sequence[Highlight], *, key: str
) -> SpanEvent | None:
    """Draw the article with its highlights; return what the editor just did, once, or None.

    Offsets are Python string offsets into `text`. Raises ValueError if the sentences or highlights
    do not fit the text.
    """
    result = _component(
        key=key,
        data=build_payload(text, sentences, highlights),
        on_select_change=_no_callback,
        on_open_change=_no_callback,
    )
    return selection_event(text, result.get("select")) or open_event(result.get("open"), highlights)


def guard_payload(form: str, dirty: bool, scope: str, focus: int) -> dict[str, Any]:
    """What the guard mode of the component needs (see unsaved_changes_guard)."""
    return {"guard": {"form": form, "dirty": dirty, "scope": f"st-key-{scope}", "focus": focus}}


def unsaved_changes_guard(form: str, *, dirty: bool, scope: str, focus: int, key: str) -> None:
    """Warn before a reload or close throws away an unsaved form, and move focus into the form.

    The same component in its guard mode, drawing nothing. The browser asks "Leave site?" while
    `dirty` is true, or once the editor has typed into the container keyed `scope` since this was
    last called with new values: typing not yet sent to Python counts too. `form` names the form
    shown there. When `focus` changes to a positive number, keyboard focus moves to the
    container's first field.
    """
    _component(key=key, data=guard_payload(form, dirty, scope, focus))
