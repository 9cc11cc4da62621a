"""What a suggestion's score means: the "worth checking" line, and the score in words for editors."""

from __future__ import annotations

# A calibrated probability: 0.5 and above means "worth checking", in debates and in news alike.
WORTH_CHECKING = 0.5
LIKELY = 0.75

_WORDS = (
    (LIKELY, "likely worth checking"),
    (WORTH_CHECKING, "possibly worth checking"),
    (0.25, "probably not worth checking"),
    (0.0, "unlikely to be worth checking"),
)


def score_in_words(score: float) -> str:
    """The score as an editor reads it: "likely worth checking" (0.75 and above), "possibly worth
    checking" (0.5 to 0.75), "probably not worth checking" (0.25 to 0.5), else "unlikely ..."."""
    return next(words for floor, words in _WORDS if score >= floor)
