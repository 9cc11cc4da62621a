"""Quotations in straight or curly quotes, with the speaker the sentence gives them."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from claims.models import ClaimType, Sentence
from claims.suggest.findings import Family, Finding
from claims.suggest.rule import Document, Rule
from claims.suggest.speakers import Token, read_speaker, speaker_before, tokenize

_QUOTATION = re.compile(r'"[^"\n]{2,800}"|“[^”\n]{2,800}”')
_CALLED = frozenset(
    """called calls call calling dubbed dubbing termed labelled labeled labelling labeling described
    describing""".split()
)


# A quotation this short after one of these words is a name, not a statement.
_NAME_WORDS = 4
_NAMING_WORDS = frozenset(
    """the a an its his her their our so-called dubbed nicknamed titled entitled named book
    film song album show""".split()
)


def find_quotations(
    text: str, sentences: Sequence[Sentence], attributions: Sequence[Finding]
) -> list[Finding]:
    """Quoted words in straight or curly quotes, with their speaker where the text names one."""
    findings: list[Finding] = []
    starts = [sentence.start for sentence in sentences]
    tokens_of: dict[int, list[Token]] = {}
    around: dict[int, list[Finding]] = {}
    for finding in attributions:
        holder = bisect.bisect_right(starts, finding.start) - 1
        around.setdefault(holder, []).append(finding)
    for match in _QUOTATION.finditer(text):
        holder = bisect.bisect_right(starts, match.start()) - 1
        if holder < 0 or match.start() >= sentences[holder].end or _is_a_name(text, match):
            continue
        sentence = sentences[holder]
        if holder not in tokens_of:
            tokens_of[holder] = tokenize(sentence.text)
        claimant, cue = _quote_speaker(match, sentence, tokens_of[holder], around.get(holder, []))
        reason = f"a quotation from {claimant}" if claimant else "a quotation"
        findings.append(
            Finding(match.start(), match.end(), Family.QUOTATION, ClaimType.QUOTE, reason, cue, claimant)
        )
    return findings


def _is_a_name(text: str, match: re.Match[str]) -> bool:
    """Scare quotes, titles and nicknames name something and claim nothing: a few quoted words used as a
    noun ("the 'third map'", "his 'Blue Notebook'") or given as a name ("dubbed 'Operation Fox'")."""
    if len(match.group()[1:-1].split()) > _NAME_WORDS:
        return False
    before = text[max(0, match.start() - 30) : match.start()].split()
    return bool(before) and before[-1].lower() in _NAMING_WORDS


def _quote_speaker(
    match: re.Match[str], sentence: Sentence, tokens: list[Token], attributions: Sequence[Finding]
) -> tuple[str | None, str | None]:
    """The speaker of a quotation: who "called" it that, or the attribution around it."""
    quote_start = match.start() - sentence.start
    before = [t for t in tokens if t.end <= quote_start]
    nearest = max(len(before) - 5, 0)
    verb = len(before) - 1
    while verb >= nearest and before[verb].lower not in _CALLED:
        verb -= 1  # "called it", "described the plan as"
    if verb >= nearest:
        cue = before[verb].text
        if before[verb].lower.endswith("ing"):  # "The Kremlin denied the reports, calling them ..."
            earlier = [f for f in attributions if f.start <= match.start()]
            return (earlier[-1].claimant if earlier else None), cue
        span = speaker_before(tokens, verb - 1)
        if span is None:
            return None, cue
        phrase = read_speaker(tokens[span[0] : span[1] + 1], sentence.text)
        return (phrase.name if phrase.kind in {"person", "organisation", "name", "group"} else None), cue
    for finding in attributions:
        if (
            finding.family is Family.ATTRIBUTION
            and finding.start <= match.start()
            and match.end() <= finding.end + 1
        ):
            return finding.claimant, finding.cue
    return None, None


def _in_document(document: Document) -> list[Finding]:
    attributions = [f for f in document.found if f.family in {Family.ATTRIBUTION, Family.DENIAL}]
    return find_quotations(document.text, document.sentences, attributions)


RULE = Rule(name=Family.QUOTATION, claim_type=ClaimType.QUOTE, in_document=_in_document)
