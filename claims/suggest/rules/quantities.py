"""Quantities with what they count ("as many as 200,000 troops", "$4bn"), trends and records."""

from __future__ import annotations

import re

from claims.models import ClaimType
from claims.suggest.findings import Family, Finding
from claims.suggest.lexicon import MONTH_ABBREVIATIONS, MONTHS
from claims.suggest.number_words import NUMBER_WORDS, ORDINALS, parse_number
from claims.suggest.rule import Rule

_MONTHS = [*MONTHS, *MONTH_ABBREVIATIONS]
_MONTH = r"(?:" + "|".join(_MONTHS) + r")\.?"

_MODIFIER = (
    r"(?:as\s+(?:many|much|few|little|high|low)\s+as|more\s+than|less\s+than|fewer\s+than|"
    r"at\s+least|at\s+most|up\s+to|nearly|almost|about|around|roughly|approximately|some|"
    r"(?:just\s+|well\s+)?(?:over|under|above|below)|an\s+estimated|close\s+to|upwards\s+of|"
    r"only|just|exactly)\s+"
)
# "over tens of thousands" is more often a preposition than an estimate.
_LOOSE_MODIFIER = re.compile(r"(?i)(?:over|under|above|below|about|around|some)\s+")
_CURRENCY = r"(?:(?:US|A|C|NZ|HK)?[$£€¥₹]\s?)"
_DIGITS = r"(?<![A-Za-z])(?<![A-Za-z]-)(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
_VAGUE = (
    r"(?:tens|hundreds|thousands|millions|billions|dozens)(?:\s+of\s+(?:thousands|millions|billions))?"
    r"|a\s+dozen|a\s+handful"
)
_FRACTION_WORD = r"(?:half|halves|thirds?|quarters?|fifths?|tenths?)"
_SMALL = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|\d+)"
_FRACTION = (
    rf"(?:(?:a|one|two|three|four)[\s-]{_FRACTION_WORD}|half(?!-)"
    rf"|{_SMALL}\s+(?:in|out\s+of)\s+(?:every\s+)?{_SMALL})"
)
_SCALE = r"(?:\s?(?:bn|mn|tn|m|k)\b|\s(?:billion|million|thousand|trillion|hundred)\b)"
_UNIT = (
    r"(?:\s?%|\s(?:percent|per\s+cent|percentage\s+points?|(?:US\s+)?dollars|euros|pounds|"
    r"yuan|rubles|roubles|pesos|rupees)\b)"
)
_QUANTITY = re.compile(
    rf"""(?ix)
    (?<![\w$£€¥₹])
    (?P<modifier>{_MODIFIER})?
    (?P<currency>{_CURRENCY})?
    (?:
        (?P<fraction>{_FRACTION})
      | (?P<vague>{_VAGUE})
      | (?P<digits>{_DIGITS})
      | (?P<words>\b{NUMBER_WORDS}\b)
    )
    (?P<scale>{_SCALE})?
    (?P<unit>{_UNIT})?
    """
)
_ORDINAL = re.compile(
    rf"(?i)\b(?:a|an|the|his|her|its|their)\s+(?:{'|'.join(ORDINALS)}|\d+(?:st|nd|rd|th))"
    r"(?:\s+(?:consecutive|straight|successive|straight|full))?(?=\s+[a-z])"
)
# Words that never belong to the noun phrase a number counts.
_NOT_NOUN = frozenset(
    """a an the this that these those his her its their our my your of in on at to for from by with
    without and or but nor as than then so if when while where which who whom whose what why how
    is are was were be been being am has have had do does did will would shall should can could
    may might must not no yes ago each every per over under about around since until before after
    during into onto upon between among against through across up down out off more less fewer
    most least also only just even still already again now here there it they them he she we you
    i me him us said says say told according last next previous near nearby toward towards along
    inside outside beyond within via amid behind beside beneath""".split()
)
_TIME_NOUNS = frozenset(
    "second seconds minute minutes hour hours day days week weeks month months year years decade "
    "decades century centuries time times percent".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")
_SPACE = re.compile(r"[ \t]+")
_AND_PLURAL = re.compile(r"[ \t]+([a-z][a-z-]*s)\b(?![ \t]+of\b)")
# Words after "and" that start a new phrase rather than a second counted noun.
_VAGUE_WORDS = frozenset("tens hundreds thousands millions billions dozens its was has is".split())
_OF = re.compile(r"\s+of(?:\s+(?:the|their|its|his|her|our|those|these|all|a|an))?(?=\s)", re.IGNORECASE)
_DURATION = re.compile(
    rf"(?i)\s+(?:over|per|a|an|each|in|within)\s+(?:the\s+(?:next|past|last|coming)\s+)?"
    rf"(?:(?:{NUMBER_WORDS}|\d+)\s+)?(?:years?|months?|weeks?|days?|decades?|hours?)\b"
)
_YEAR_BEFORE = re.compile(
    rf"(?i)(?:\b(?:in|since|by|until|till|from|of|to|before|after|during|through|early|late|mid|"
    rf"the|between|and|{_MONTH})\s*|-|')$"
)
_DATE_NEIGHBOUR_BEFORE = re.compile(rf"(?i)\b{_MONTH}\s+$")
_DATE_NEIGHBOUR_AFTER = re.compile(
    rf"(?i)^(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b|^\s*(?:a\.m\.|p\.m\.|am\b|pm\b|:)"
)
# "passed the Senate 52-48": one figure, not two (a range of years is not a tally).
_TALLY = re.compile(r"(?<![\w.,-])(?!(?:1[89]|20)\d\d\b)\d{1,3}[-\u2013]\d{1,3}(?![\w.,-]*\d)(?![\w-])")
_HALF_OF_TIME = re.compile(r"(?i)\b(?:the|first|second|other|latter|former)\s+half$")
_AGE = re.compile(r"[A-Z][\w'’-]*,\s*$")
_DETERMINER_BEFORE = re.compile(
    r"(?i)\b(?:the|these|those|both|all|its|their|his|her|our|my|your|no|any)\s+$"
)

_TREND_VERB = (
    r"(?:r(?:ose|isen|ises?|ising)|f(?:ell|allen|alls?|alling)|(?:in|de)creas(?:ed|es|e|ing)|"
    r"drop(?:ped|s|ping)?|gr(?:ew|own|ows?|owing)|declin(?:ed|es|e|ing)|surg(?:ed|es|e|ing)|"
    r"plung(?:ed|es|e|ing)|plummet(?:ed|s|ing)?|jump(?:ed|s|ing)?|climb(?:ed|s|ing)?|soar(?:ed|s|ing)?|"
    r"shr(?:ank|unk|inks?|inking)|slump(?:ed|s)?|tumbl(?:ed|es|e)|spik(?:ed|es)|dipp?(?:ed|s)?|"
    r"went\s+(?:up|down)|(?:was|were|been)\s+(?:cut|reduced|raised)|cut|reduced|raised|"
    r"(?:more\s+than\s+)?(?:doubl|tripl|quadrupl|halv)(?:ed|es|e|ing))"
)
_SELF_QUANTIFYING = re.compile(r"(?i)(?:doubl|tripl|quadrupl|halv)")
_NUMBERISH = rf"(?:{_CURRENCY}?(?:{_DIGITS}|{_FRACTION}|{NUMBER_WORDS})(?:{_SCALE})?(?:{_UNIT})?)"
_TREND = re.compile(
    rf"""(?ix)\b{_TREND_VERB}\b
    (?P<complement>
      (?:\s+(?:by\s+(?:{_MODIFIER})?{_NUMBERISH}|(?:{_MODIFIER})?{_NUMBERISH}(?=[\s,.;]|$)))?
      (?:\s+from\s+{_NUMBERISH})?
      (?:,?\s+to\s+(?:{_MODIFIER})?{_NUMBERISH})?
      (?:\s+(?:since|from)\s+(?:{_MONTH}\s+)?(?:1[89]|20)\d\d\b|\s+(?:over|in)\s+the\s+(?:past|last)\s+
         (?:{NUMBER_WORDS}\s+|\d+\s+)?(?:years?|months?|decades?|weeks?))?
    )"""
)
_SUPERLATIVE = re.compile(
    r"""(?ix)\b(?:the\s+)?(?:highest|lowest|largest|biggest|smallest|greatest|worst|best|fastest|
    slowest|longest|shortest|deadliest|strongest|weakest|most|fewest|least|record)
    (?:\s+[\w-]+){0,3}?
    \s+(?:since\s+(?:(?:1[89]|20)\d\d|records\s+began|the\s+[\w-]+(?:\s+[\w-]+)?|[A-Z]\w+)
       |on\s+record|ever(?:\s+recorded)?|in\s+(?:history|(?:more\s+than\s+|over\s+)?(?:a|an|\d+|"""
    + NUMBER_WORDS
    + r""")\s+(?:decades?|years?|centur(?:y|ies)|generations?|months?)))
    |\b(?:a\s+|an\s+)?(?:record|all-time|multi-year)\s+(?:high|low)s?\b"""
)
_COMPARISON = re.compile(
    rf"""(?ix)\b(?:(?:twice|three\s+times|four\s+times|half|{_DIGITS}\s+times|{NUMBER_WORDS}\s+times)
    \s+(?:as\s+(?:many|much|high|large|big|likely|fast)|more|less|higher|lower|larger|bigger|smaller|faster)
    (?:\s+[\w-]+){{0,3}}?\s+(?:as|than)\s+[\w$£€-]+(?:\s+[\w-]+){{0,2}}
    |(?:higher|lower|more|less|fewer|bigger|larger|smaller|greater|faster|slower|cheaper|
    (?:more|less)\s+expensive)\s+than\s+(?:(?:in|at|during|the|a|any|last|before|ever|at\s+any)\s+)*
    (?:(?:1[89]|20)\d\d|{_NUMBERISH}|year|month|decade|ever|before|other\s+\w+|time)\b)"""
)


def find_quantities(text: str) -> list[Finding]:
    """Numbers with what they count, money and percentages, ordinals, trends, records, comparisons."""
    findings = [*_numbers(text), *_ordinals(text)]
    for match in _TALLY.finditer(text):
        findings.append(_finding(match.start(), match.end(), Family.QUANTITY, "a vote count or score"))
    for match in _TREND.finditer(text):
        if match.group("complement") or _SELF_QUANTIFYING.match(match.group()):
            findings.append(
                _finding(match.start(), match.end(), Family.TREND, "a trend with its size or period")
            )
    for match in _SUPERLATIVE.finditer(text):
        findings.append(_finding(match.start(), match.end(), Family.TREND, "a record or superlative"))
    for match in _COMPARISON.finditer(text):
        findings.append(_finding(match.start(), match.end(), Family.TREND, "a comparison"))
    return findings


def _finding(start: int, end: int, family: Family, reason: str) -> Finding:
    return Finding(start, end, family, ClaimType.STATISTIC, reason)


def _numbers(text: str) -> list[Finding]:
    findings: list[Finding] = []
    for match in _QUANTITY.finditer(text):
        number = (
            match.group("fraction") or match.group("vague") or match.group("digits") or match.group("words")
        )
        if not number:
            continue
        start = match.start("currency") if match.group("currency") else match.start(number_group(match))
        end = match.end()
        end = end if text[end - 1 : end].strip() else end - 1
        has_measure = bool(match.group("currency") or match.group("scale") or match.group("unit"))
        if match.group("digits") and not has_measure and _is_date_or_label(text, match):
            continue
        if match.group("words"):
            value = parse_number(number)
            bare_a = number.lower() == "a" or number.lower().startswith("a") and " " not in number
            if bare_a and not match.group("scale") or not has_measure and (value is None or value <= 1):
                continue  # "a percentage point", "one of them": an article or a pronoun, not a count
        if match.group("fraction") and _HALF_OF_TIME.search(text, 0, match.end()):
            continue
        money_or_percent = bool(match.group("currency") or match.group("unit"))
        noun_end = _counted_noun_end(text, end, only_of=money_or_percent)
        small = _is_small_word_number(match) and not has_measure
        if small and (
            noun_end == end
            or _DETERMINER_BEFORE.search(text, 0, match.start())
            or _word_at(text, noun_end - 1).lower() in _TIME_NOUNS
            and not match.group("modifier")
        ):
            continue  # "the two nations", "for three years": naming or timing, not counting
        if noun_end == end and not has_measure and not match.group("digits") and not match.group("fraction"):
            continue  # "hundreds", "tens of thousands" with nothing counted
        end = max(end, noun_end)
        if has_measure or noun_end > match.end():
            duration = _DURATION.match(text, end)
            if duration and _word_at(text, noun_end - 1).lower() not in _TIME_NOUNS:
                end = duration.end()
        if match.group("modifier") and not (
            match.group("vague") and _LOOSE_MODIFIER.fullmatch(match.group("modifier"))
        ):
            start = match.start()
        findings.append(_finding(start, end, Family.QUANTITY, _quantity_reason(match)))
    return findings


def number_group(match: re.Match[str]) -> str:
    for name in ("fraction", "vague", "digits", "words"):
        if match.group(name):
            return name
    raise ValueError("no number in the match")


def _quantity_reason(match: re.Match[str]) -> str:
    if match.group("currency") or (match.group("unit") and not match.group("unit").strip().startswith("%")):
        unit = (match.group("unit") or "").strip().lower()
        if match.group("currency") or unit not in {"percent", "per cent"} and "percentage" not in unit:
            return "a sum of money"
    if match.group("unit"):
        return "a percentage"
    if match.group("fraction"):
        return "a proportion"
    if match.group("vague"):
        return "an approximate quantity"
    return "a number with what it counts"


def _is_small_word_number(match: re.Match[str]) -> bool:
    words = match.group("words")
    if not words:
        return False
    value = parse_number(words)
    return value is not None and value < 10


def _is_date_or_label(text: str, match: re.Match[str]) -> bool:
    """A year, a day of the month, a clock time: not a quantity on their own."""
    digits = match.group("digits")
    before = text[: match.start("digits")]
    after = text[match.end("digits") :]
    if _DATE_NEIGHBOUR_BEFORE.search(before) or _DATE_NEIGHBOUR_AFTER.match(after):
        return True
    if after.startswith("s") and len(digits) == 4:
        return True  # "the 1990s"
    if _AGE.search(before) and after.startswith(","):
        return True  # "Smith, 45, lives in Ohio"
    is_year_shaped = len(digits) == 4 and digits.isdigit() and 1800 <= int(digits) <= 2100
    if not is_year_shaped:
        return False
    next_word = _WORD.match(after.lstrip())
    counts_something = (
        next_word is not None
        and after[:1].isspace()
        and next_word.group().islower()
        and next_word.group().lower() not in _NOT_NOUN
    )
    return bool(_YEAR_BEFORE.search(before.rstrip() + (" " if before.endswith(" ") else ""))) or (
        not counts_something
    )


def _counted_noun_end(text: str, position: int, allow_of: bool = True, only_of: bool = False) -> int:
    """The end of the noun phrase right after a number ("Russian troops", "of vehicles"), or `position`."""
    cursor = position
    of = _OF.match(text, cursor) if allow_of else None
    if of:
        cursor = of.end()
    elif only_of:
        return position
    end = position
    nouns = 0
    while nouns < 4:
        space = _SPACE.match(text, cursor)
        if not space:
            break
        word = _WORD.match(text, space.end())
        if not word:
            break
        lowered = word.group().lower()
        if lowered == "and" and nouns:
            joined = _AND_PLURAL.match(text, word.end())
            if joined and joined.group(1).lower() not in _NOT_NOUN | _VAGUE_WORDS:
                end = cursor = joined.end()  # "thousands of migrants and refugees"
            break
        if lowered in _NOT_NOUN or lowered.endswith("ly"):
            break
        if nouns and (lowered.endswith("ing") or lowered.endswith("ed")):
            break
        if nouns and lowered.endswith("s") and text[end - 1] == "s" and not word.group()[0].isupper():
            break  # "Americans lives": a plural noun is not followed by another; that is a verb
        nouns += 1
        cursor = word.end()
        end = cursor
        if lowered in _TIME_NOUNS:
            break
    return end


def _word_at(text: str, position: int) -> str:
    start = position
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] in "'-"):
        start -= 1
    return text[start : position + 1]


def _ordinals(text: str) -> list[Finding]:
    findings: list[Finding] = []
    for match in _ORDINAL.finditer(text):
        end = _counted_noun_end(text, match.end(), allow_of=False)
        if end > match.end() and _word_at(text, end - 1).lower() not in {
            "half",
            "halves",
            "quarter",
            "place",
        }:
            findings.append(_finding(match.start(), end, Family.QUANTITY, "an ordinal: how many times"))
    return findings


RULE = Rule(
    name=Family.QUANTITY, claim_type=ClaimType.STATISTIC, in_sentence=find_quantities,
    families=frozenset({Family.QUANTITY, Family.TREND}),
)  # fmt: skip
