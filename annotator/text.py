"""Showing stored text literally in places that read Markdown (titles, captions)."""

from __future__ import annotations

import re

# CommonMark lets any ASCII punctuation be escaped; Streamlit adds :emoji: and $math$ to Markdown.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'])")


def literal(text: str) -> str:
    """Markdown that displays `text` as it is: no formatting, links, HTML or math."""
    return _MARKDOWN.sub(r"\\\1", text).replace("\n", " ")


def plural(count: int, word: str, words: str | None = None) -> str:
    """ "1 claim", "2 claims"."""
    return f"{count} {word if count == 1 else (words or word + 's')}"
