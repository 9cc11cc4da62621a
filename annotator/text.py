"""How the app words things: stored text shown literally, counts with their nouns, the vocabulary in words."""

from __future__ import annotations

import datetime as dt
import re

from claims.errors import printable
from claims.models import ClaimStatus, Verdict

__all__ = ["STATUS_ORDER", "VERDICT_ORDER", "all_of", "literal", "plural", "printable", "waited"]

# CommonMark lets any ASCII punctuation be escaped; Streamlit adds :emoji: and $math$ to Markdown.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'])")

# The editorial workflow, first step first (the order of ClaimStatus).
STATUS_ORDER: tuple[ClaimStatus, ...] = tuple(ClaimStatus)
# Verdicts from true to false, then the ones off that scale, and "unrated" last.
VERDICT_ORDER: tuple[Verdict, ...] = (
    Verdict.TRUE,
    Verdict.MOSTLY_TRUE,
    Verdict.HALF_TRUE,
    Verdict.MOSTLY_FALSE,
    Verdict.FALSE,
    Verdict.MISLEADING,
    Verdict.UNPROVEN,
    Verdict.NOT_CHECKABLE,
    Verdict.UNRATED,
)


def literal(text: str) -> str:
    """Markdown that displays `text` as it is: no formatting, links, HTML or math."""
    return _MARKDOWN.sub(r"\\\1", text).replace("\n", " ")


def plural(count: int, word: str, words: str | None = None) -> str:
    """ "1 claim", "2 claims", "1,234 claims"; `words` for a plural that is not `word` + "s"."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def all_of(count: int, word: str, words: str | None = None) -> str:
    """ "the 1 claim", "all 3 claims", "no claims": a count that a verb acts on (never "all 1 claim")."""
    many = words or word + "s"
    if count == 0:
        return f"no {many}"
    if count == 1:
        return f"the 1 {word}"
    return f"all {count} {many}"


def waited(since: dt.datetime | None, now: dt.datetime) -> str:
    """How long since `since`, in the largest unit that fits: "3 d 4 h", "5 h 10 min", "12 min";
    "unknown" for a claim that does not say since when (an older record)."""
    if since is None:
        return "unknown"
    minutes = max(0, int((now - since).total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"
