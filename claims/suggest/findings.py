"""What the span rules find in a sentence, before scoring, and the clause helpers they share."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from claims.models import ClaimType


class Family(StrEnum):
    """Which rule found a span; the scorer treats each family differently."""

    QUANTITY = "quantity"
    TREND = "trend"
    ATTRIBUTION = "attribution"
    QUOTATION = "quotation"
    DENIAL = "denial"
    PREDICTION = "prediction"
    CAUSAL = "causal"
    OPINION = "opinion"
    QUESTION = "question"
    SENTENCE = "sentence"


@dataclass(frozen=True, slots=True)
class Finding:
    """A span [start, end) of the article body a rule proposes, with what the rule knows of it."""

    start: int
    end: int
    family: str  # the rule family that found it: a Family, or a newer rule's name
    claim_type: ClaimType
    reason: str
    cue: str | None = None
    claimant: str | None = None
    source: str | None = None  # whom the article cites for it ("according to Reuters"), not who claims it
    # A denial of "that claim": it is about the claim of the sentence before, and as worth checking
    refers_back: bool = False

    def shifted(self, offset: int) -> Finding:
        return replace(self, start=self.start + offset, end=self.end + offset)


# Where a clause starts or stops inside a sentence: a comma, semicolon, colon or dash.
_CLAUSE_BREAK = re.compile(r"[,;:]\s+|\s+[-\u2013\u2014]+\s+|\(|\)")
# Words after a comma that open a new clause rather than continue a list.
_NEW_CLAUSE = re.compile(
    r"(?i)(?:and|but|while|although|though|whereas|which|who|as|after|before|because|since|when|so|"
    r"according|[a-z]+ing)\b"
)


# "... near the U.S." keeps its last full stop: it belongs to the abbreviation.
_ENDS_WITH_ABBREVIATION = re.compile(r"\b(?:[A-Za-z]\.){2,}$")


def clause_start(text: str, position: int, floor: int = 0) -> int:
    """Where the clause holding `position` starts: just after the last break before it."""
    start = floor
    for match in _CLAUSE_BREAK.finditer(text, floor, position):
        start = match.end()
    return start


def clause_end(text: str, position: int, stop_at_conjunction: bool = True) -> int:
    """Where the clause holding `position` ends: the next break opening a new clause, or the sentence end."""
    for match in _CLAUSE_BREAK.finditer(text, position):
        if not stop_at_conjunction:
            return match.start()
        if _NEW_CLAUSE.match(text, match.end()) or match.group().strip() in {";", ":", "-", "(", ")"}:
            return match.start()
    return sentence_body_end(text)


def sentence_body_end(text: str) -> int:
    """The end of a sentence without its closing punctuation and closing quotes."""
    end = len(text.rstrip())
    if _ENDS_WITH_ABBREVIATION.search(text, 0, end):
        return end
    while end > 0 and text[end - 1] in ".!?":
        end -= 1
    return end


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past white space and dangling punctuation at either edge."""
    while start < end and (text[start].isspace() or text[start] in ",;:-\u2013\u2014"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:-\u2013\u2014("):
        end -= 1
    piece = text[start:end]
    if (
        piece.endswith('"')
        and piece.count('"') % 2 == 1
        or piece.endswith("\u201d")
        and "\u201c" not in piece
    ):
        end -= 1  # a closing quote whose opening one lies outside the span
    return start, end
