"""Proposed claims in an article body: spans from the rules, scores from the check-worthiness model.

The rules (suggest_quantities, suggest_attributions, suggest_quotations, suggest_cues) find the
spans, their types, claimants and cues; the model says how check-worthy each sentence is; the
family of a span then moves its score (predictions and causes a little lower, opinions and
questions well below 0.5).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from functools import cache

from claims.models import ClaimType, Sentence, Suggestion
from claims.segmentation import split_sentences
from claims.suggest.checkworthiness import CheckworthinessModel, sentence_features, shipped_model
from claims.suggest.findings import Family, Finding
from claims.suggest.rule import Document, Scoring
from claims.suggest.rules import RULES
from claims.suggest.rules.cues import (
    has_evaluative_words,
    is_question,
    looks_like_opinion,
    plain_sentence_type,
    whole_sentence,
)
from claims.suggest.scores import WORTH_CHECKING
from claims.suggest.speakers import SpeakerMemory

__all__ = ["WORTH_CHECKING", "Suggester", "default_suggester", "document_features", "suggest_claims"]

# A sentence no rule matched is still proposed whole when the model rates it at least this high.
WHOLE_SENTENCE_FLOOR = 0.3
# Predictions and causal claims without a number or a speaker are worth less than the sentence: this
# share of it when the model is unsure, the discount shrinking as it grows sure (on ClaimBuster, a flat
# 0.75 turned more check-worthy sentences than not from above 0.5 to below it).
WEAK_FAMILY_FACTOR = 0.75
OPINION_CEILING = 0.3
QUESTION_CEILING = 0.2
MAX_RULE_CHARS = 2_000

_SENTENCE_RULES = [rule.in_sentence for rule in RULES if rule.in_sentence is not None]
_DOCUMENT_RULES = [rule.in_document for rule in RULES if rule.in_document is not None]
# Families that make a prediction or a cause in the same sentence worth its full score.
_SUPPORT = frozenset(family for rule in RULES if rule.backs_claims for family in rule.families)
_WEAK = frozenset(family for rule in RULES if rule.scoring is Scoring.WEAK for family in rule.families)


def suggest_claims(
    text: str, sentences: list[Sentence] | None = None, min_score: float = 0.0
) -> list[Suggestion]:
    """Propose the claims in an article body, sorted by position, each scored in [0, 1].

    `sentences` are the body's sentences (as split_sentences gives them); they are split here when
    not given. Only suggestions scoring at least `min_score` are returned; 0.5 and above means
    "worth checking".
    """
    return default_suggester().suggest(text, sentences, min_score)


@cache
def default_suggester() -> Suggester:
    return Suggester(shipped_model())


def document_features(text: str, sentences: Sequence[Sentence]) -> list[dict[str, float]]:
    """Each sentence's model features, read in its document: what the suggester scores and what the
    model is trained on (claims.suggest.training calls this, never a copy of it)."""
    _check_sentences(text, sentences)
    return [features for _, _, features in _read(text, sentences)]


def _read(text: str, sentences: Sequence[Sentence]) -> list[tuple[Sentence, list[Finding], dict[str, float]]]:
    """Each sentence with its rules' findings (body offsets) and its features. The speaker memory and
    quotations run over the whole document, so a sentence is read in its context."""
    sentences = [_for_rules(sentence) for sentence in sentences]
    document = Document(text, sentences, SpeakerMemory())
    for rule in _DOCUMENT_RULES:
        document.found.extend(rule(document))
    by_sentence: dict[int, list[Finding]] = defaultdict(list)
    starts = [sentence.start for sentence in sentences]
    for finding in document.found:
        by_sentence[bisect.bisect_right(starts, finding.start) - 1].append(finding)
    read = []
    for position, sentence in enumerate(sentences):
        findings = _sentence_findings(text, sentence, by_sentence.get(position, []))
        cues = _cues(sentence.text, [f.shifted(-sentence.start) for f in findings])
        read.append((sentence, findings, sentence_features(sentence.text, cues)))
    return read


class Suggester:
    """The span rules joined to one check-worthiness model (the eval builds one per fold)."""

    def __init__(self, model: CheckworthinessModel) -> None:
        self.model = model

    def suggest(
        self, text: str, sentences: Sequence[Sentence] | None = None, min_score: float = 0.0
    ) -> list[Suggestion]:
        sentences = split_sentences(text) if sentences is None else sentences
        _check_sentences(text, sentences)
        suggestions: dict[tuple[int, int, ClaimType], Suggestion] = {}
        previous_worth = 0.0
        for sentence, findings, features in _read(text, sentences):
            worth = self.model.probability_of_features(features)
            for suggestion in self._score(text, sentence, findings, worth, previous_worth):
                key = suggestion.key
                if key not in suggestions or suggestions[key].score < suggestion.score:
                    suggestions[key] = suggestion
            previous_worth = worth
        ordered = sorted(suggestions.values(), key=lambda s: s.key)
        return [s for s in ordered if s.score >= min_score]

    def _score(
        self, text: str, sentence: Sentence, findings: list[Finding], worth: float, previous_worth: float
    ) -> list[Suggestion]:
        """Each finding scored from its sentence's worth; a denial of "that claim" is as worth checking
        as the claim of the sentence before it (did they deny it?)."""
        has_support = any(f.family in _SUPPORT for f in findings)
        whole: Finding | None = None
        if is_question(sentence.text):
            whole = whole_sentence(sentence.text, Family.QUESTION, ClaimType.OTHER, "a question, not a claim")
        elif looks_like_opinion(sentence.text):
            whole = whole_sentence(
                sentence.text, Family.OPINION, ClaimType.OPINION, "an opinion or exhortation"
            )
        elif not findings and worth >= WHOLE_SENTENCE_FLOOR:
            # No rule matched, yet the sentence reads as checkable: propose all of it.
            claim_type, reason = plain_sentence_type(sentence.text)
            whole = whole_sentence(sentence.text, Family.SENTENCE, claim_type, reason)
        if whole is not None:
            findings = [*findings, whole.shifted(sentence.start)]
        findings = [*findings, *_statements_with_facts(findings)]
        return [
            _suggestion(
                text,
                f,
                sentence.index,
                _family_score(f.family, max(worth, previous_worth) if f.refers_back else worth, has_support),
            )
            for f in findings
        ]


# What an attributed statement holding a figure, a forecast or a cause is, the most specific first.
_FACT_TYPES = (ClaimType.STATISTIC, ClaimType.PREDICTION, ClaimType.CAUSAL)
_FACT_FAMILIES = frozenset(
    family for rule in RULES if rule.claim_type in _FACT_TYPES for family in rule.families
)


def _statements_with_facts(findings: Sequence[Finding]) -> list[Finding]:
    """An attributed statement holding a quantity (or a prediction, a cause) is one claim with both
    facts: the statement's span and speaker, the type of the facts inside it (a figure first)."""
    merged: list[Finding] = []
    for statement in findings:
        if statement.family not in {Family.ATTRIBUTION, Family.QUOTATION} or not (
            statement.claimant or statement.source
        ):
            continue
        inner = [
            f
            for f in findings
            if f.family in _FACT_FAMILIES and statement.start <= f.start and f.end <= statement.end
        ]
        # Facts not inside another fact; "would cost $4bn" is a forecast of a figure, not a figure.
        outermost = {
            f.claim_type
            for f in inner
            if not any(
                g is not f and g.start <= f.start and f.end <= g.end and g.end - g.start > f.end - f.start
                for g in inner
            )
        }
        claim_type = next((t for t in _FACT_TYPES if t in outermost), None)
        if claim_type is not None:
            article = "an" if claim_type.value[0] in "aeiou" else "a"
            if statement.claimant:
                reason = f"{article} {claim_type.value} attributed to {statement.claimant}"
            else:
                reason = f"{article} {claim_type.value}, according to {statement.source}"
            merged.append(replace(statement, claim_type=claim_type, reason=reason))
    return merged


def _family_score(family: str, worth: float, has_support: bool) -> float:
    if family is Family.QUESTION:
        return min(QUESTION_CEILING, worth / 2)
    if family is Family.OPINION:
        return min(OPINION_CEILING, worth / 2)
    if family in _WEAK and not has_support:
        return worth * (WEAK_FAMILY_FACTOR + (1 - WEAK_FAMILY_FACTOR) * worth)
    return worth


def _suggestion(text: str, finding: Finding, sentence_index: int, score: float) -> Suggestion:
    return Suggestion(
        start=finding.start,
        end=finding.end,
        quote=text[finding.start : finding.end],
        claim_type=finding.claim_type,
        claimant=finding.claimant,
        source=finding.source,
        cue=finding.cue,
        score=round(min(max(score, 0.0), 1.0), 4),
        reason=finding.reason,
        sentence_index=sentence_index,
    )


def _sentence_findings(text: str, sentence: Sentence, attributed: list[Finding]) -> list[Finding]:
    """Every rule's findings in one sentence, in body offsets, without spans nested in a like span.

    A quotation may run on past its sentence's end; every other span stays inside its sentence.
    """
    local = [finding for rule in _SENTENCE_RULES for finding in rule(sentence.text)]
    findings = [*attributed, *(f.shifted(sentence.start) for f in local)]
    findings = [f for f in findings if sentence.start <= f.start < f.end <= len(text)]
    return _without_nested_statistics(findings)


def _without_nested_statistics(findings: list[Finding]) -> list[Finding]:
    """A statistic inside a larger statistic ("a third" in "fell by a third") adds nothing."""
    statistics = sorted(
        (f for f in findings if f.claim_type is ClaimType.STATISTIC), key=lambda f: (f.start, -f.end)
    )
    nested: set[int] = set()
    widest: Finding | None = None
    for finding in statistics:
        if (
            widest is not None
            and finding.end <= widest.end
            and (finding.start, finding.end)
            != (
                widest.start,
                widest.end,
            )
        ):
            nested.add(id(finding))
        elif widest is None or finding.end > widest.end:
            widest = finding
    return [f for f in findings if id(f) not in nested]


def _for_rules(sentence: Sentence) -> Sentence:
    """The part of a sentence the span rules read: a "sentence" past MAX_RULE_CHARS is a list or a
    table, not prose, and reading all of it would only make the rules slow."""
    if len(sentence.text) <= MAX_RULE_CHARS:
        return sentence
    return sentence.model_copy(
        update={"text": sentence.text[:MAX_RULE_CHARS], "end": sentence.start + MAX_RULE_CHARS}
    )


def _cues(text: str, findings: Sequence[Finding]) -> set[str]:
    cues = {str(finding.family) for finding in findings}
    if any(f.claimant or f.source for f in findings if f.family in {Family.ATTRIBUTION, Family.DENIAL}):
        cues.add("named_claimant")
    if is_question(text):
        cues.add("question")
    if looks_like_opinion(text):
        cues.add("opinion")
    if has_evaluative_words(text):
        cues.add("evaluative")
    if any(character.isdigit() for character in text):
        cues.add("digit")
    claim_type, _ = plain_sentence_type(text)
    cues.add(f"kind_{claim_type.value}")
    return cues


def _check_sentences(text: str, sentences: Sequence[Sentence]) -> None:
    for sentence in sentences:
        if text[sentence.start : sentence.end] != sentence.text:
            raise ValueError(
                f"sentence {sentence.index} does not match the text at [{sentence.start}, {sentence.end})"
            )
