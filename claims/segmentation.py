"""Text -> sentences with exact [start, end) offsets, one paragraph line at a time (nupunkt)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from nupunkt import PunktSentenceTokenizer
from nupunkt.models import load_default_model

from claims.models import Sentence

# Titles written before a name in news copy: never the end of a sentence when a capitalised
# word follows ("Adm. John Aquilino"). nupunkt knows some (mr, gov, lt, ...), not these.
NEWS_TITLES = frozenset(
    {"adm", "atty", "brig", "cmdr", "cpl", "det", "insp", "maj", "msgr", "pres", "pvt", "supt"}
)

# Abbreviations of news copy. The default model lacks "lt" (it split "Putin met Lt. Gov. Smith"
# after "Lt."); the rest are listed so the break rates learned for them cannot override us.
NEWS_ABBREVIATIONS = NEWS_TITLES | {
    "capt", "col", "gen", "gov", "lt", "sgt", "dr", "mr", "mrs", "ms", "prof", "rev", "hon",
    "rep", "reps", "sen", "sens", "gens", "govs",
    "st", "mt", "ft", "ave", "blvd", "u.s", "u.k", "u.n", "e.u", "d.c", "inc", "corp", "co",
    "ltd", "l.l.c", "a.m", "p.m",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}  # fmt: skip

# "No. 1": an abbreviation before a figure, yet the model rightly breaks after "no." before a
# capitalised word ("He said no. Putin disagreed."), so its learned break rate is kept.
NUMBER_ABBREVIATIONS = ("no", "nos")

# A paragraph is one line; "\r\n" and a lone "\r" end a line too, and are never part of it.
_LINE = re.compile(r"[^\r\n]+")


class _NewsTokenizer(PunktSentenceTokenizer):
    _TITLE_ABBREVS = PunktSentenceTokenizer._TITLE_ABBREVS | NEWS_TITLES

    # The default model (trained largely on legal text) lists many plain words as
    # abbreviations ("south", "tax", "so", "will"), so "Troops massed in the south. Putin
    # denied it." stayed one sentence. Their learned break rates say they end sentences;
    # trusting a rate seen even once fixed 96 of 102 such synthetic news cases and 20 of the
    # 60 boundaries missed between ClaimBuster sentences joined in pairs, and cost no Golden
    # Rule. News abbreviations have their rates removed below, so this cannot split them.
    BREAK_RATE_MIN_COUNT = 1

    # "Yahoo! in the accounting department": in news a lowercase word after "!" or "?"
    # continues the sentence (Golden Rule 41); sentences there start with a capital.
    EXCL_QUEST_LOWERCASE_CONTINUES = True


@cache
def _tokenizer() -> PunktSentenceTokenizer:
    """Our own tokenizer, built once: nupunkt.load() is cached and shared, never mutate it.

    load_default_model() reads the model file afresh, so these parameters are ours alone.
    Sharing it between threads (Streamlit sessions) is safe: after this function its only
    mutable state is nupunkt's memo of decisions, plain dict reads and writes.
    """
    tokenizer = _NewsTokenizer(load_default_model().parameters)
    tokenizer.add_abbreviations([*NEWS_ABBREVIATIONS, *NUMBER_ABBREVIATIONS])
    for abbreviation in NEWS_ABBREVIATIONS:
        tokenizer.parameters.abbrev_break_rates.pop(abbreviation, None)
    tokenizer.clear_decision_cache()
    return tokenizer


def split_sentences(text: str) -> list[Sentence]:
    """Split an article body into sentences, each with text == body[start:end], in order.

    Paragraphs are the non-blank lines, numbered from 0; no sentence crosses a line break.
    """
    sentences: list[Sentence] = []
    paragraph = 0
    for line in _LINE.finditer(text):
        if line.group().isspace():
            continue
        offset = line.start()
        for start, end in _line_spans(line.group()):
            sentences.append(
                Sentence(
                    index=len(sentences),
                    paragraph=paragraph,
                    start=offset + start,
                    end=offset + end,
                    text=text[offset + start : offset + end],
                )
            )
        paragraph += 1
    return sentences


def _line_spans(line: str) -> Iterator[tuple[int, int]]:
    """Cut a line where nupunkt ends a sentence, then trim white space from each piece.

    Only nupunkt's end offsets are used, so every character of the line lands in exactly one
    sentence, whatever nupunkt does with the text between two of its spans.
    """
    ends = {end for _, end in _tokenizer().span_tokenize(line) if 0 < end < len(line)}
    start = 0
    for end in [*sorted(ends), len(line)]:
        while start < end and line[start].isspace():
            start += 1
        stop = end
        while stop > start and line[stop - 1].isspace():
            stop -= 1
        if start < stop:
            yield start, stop
        start = end
