"""Numbers written as words or digits ("twenty-five thousand", "4bn", "1,200") read as values."""

from __future__ import annotations

import re

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
# Suffixes written against a figure in news copy: "$4bn", "£20m", "3tn", "15k".
SUFFIX_SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000, "tn": 1_000_000_000_000}
ORDINALS = (
    "second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()

_WORD = r"(?:" + "|".join(sorted([*UNITS, *TENS], key=len, reverse=True)) + r")"
_SCALE = r"(?:" + "|".join(SCALES) + r")"
# "twenty-five", "two hundred and fifty thousand", "a million"; `one` and `a` alone are handled by callers.
# One way to read each word and at most seven words, so a failed match cannot backtrack for long.
NUMBER_WORDS = rf"(?:{_WORD}|a)(?:[\s-]+(?:and\s+)?(?:{_WORD}|{_SCALE})\b){{0,6}}"
_NUMBER_WORDS_ONLY = re.compile(rf"(?i){NUMBER_WORDS}")
_DIGITS = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*([a-zA-Z]+)?")


def parse_number(text: str) -> float | None:
    """The value of a written number, or None when it is not one.

    >>> parse_number("two hundred and fifty thousand")
    250000.0
    >>> parse_number("$4bn")
    4000000000.0
    """
    cleaned = text.strip().lower().lstrip("$£€¥ ").replace("us$", "")
    if not cleaned:
        return None
    digits = _DIGITS.fullmatch(cleaned)
    if digits:
        value = float(digits.group(1).replace(",", "") + (digits.group(2) or ""))
        suffix = digits.group(3)
        if suffix is None:
            return value
        scale = SUFFIX_SCALES.get(suffix) or SCALES.get(suffix)
        return value * scale if scale else None
    if not _NUMBER_WORDS_ONLY.fullmatch(cleaned):
        return None
    return _parse_words(re.split(r"[\s-]+", cleaned))


def _parse_words(words: list[str]) -> float | None:
    total = 0.0
    current = 0.0
    seen_number = False
    for word in words:
        if word == "and":
            continue
        if word == "a":
            current += 1
        elif word in UNITS:
            current += UNITS[word]
            seen_number = True
        elif word in TENS:
            current += TENS[word]
            seen_number = True
        elif word in SCALES:
            scale = SCALES[word]
            seen_number = True
            current = max(current, 1) * scale
            if scale >= 1_000:
                total += current
                current = 0
        else:
            return None
    return total + current if seen_number else None
