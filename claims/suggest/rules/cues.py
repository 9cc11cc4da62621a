"""Cue words for predictions, causes, opinions and questions, and the kind of a plain sentence."""

from __future__ import annotations

import re

from claims.models import ClaimType
from claims.suggest.findings import Family, Finding, clause_end, clause_start, sentence_body_end, trim_span
from claims.suggest.lexicon import MONTHS, WEEKDAYS
from claims.suggest.rule import Rule, Scoring

_PREDICTION = re.compile(
    r"""(?ix)\b(?:
        (?:will|would|shall|'ll|could|may|might)(?:\s+(?:likely|probably|almost\s+certainly|soon|also|still))?
            \s+(?!not\b|be\s+able\b)[a-z]+
      | (?:is|are|was|were)\s+
        (?:expected|likely|set|due|projected|forecast|predicted|scheduled|poised|going)\s+to
      | (?:expects?|expected|plans?|planned|intends?|intended)\s+to
      | forecasts?|predicts?|projects?\s+that
    )\b"""
)
_CAUSAL = re.compile(
    r"""(?ix)\b(?:because(?:\s+of)?|due\s+to|as\s+a\s+result\s+of|thanks\s+to|owing\s+to|
    led\s+to|leads?\s+to|leading\s+to|resulted\s+in|results?\s+in|caused|causes|causing|
    (?:fuel+ed|driven|triggered|sparked|prompted)\s+by|contributed\s+to|blamed\s+\w+(?:\s+\w+)?\s+(?:for|on)|
    prompting|triggering|sparking|therefore|consequently)\b"""
)
_OPINION = re.compile(
    r"""(?ix)\b(?:I|we)\s+(?:think|believe|feel|hope|want|need|wish|trust|am\s+(?:sure|convinced|confident))\b
    |\b(?:in\s+my\s+(?:view|opinion)|it\s+seems|we\s+(?:must|should|ought\s+to|need\s+to|have\s+to|can(?:not|'t)?)
    |(?:you|they|he|she)\s+(?:should|ought\s+to|must)|let\s+me|let's|frankly|honestly|of\s+course)\b"""
)
_EVALUATIVE = re.compile(
    r"""(?ix)\b(?:great|terrible|wonderful|disgraceful|reckless|shameful|outrageous|ridiculous|absurd|
    excellent|awful|horrible|fantastic|tremendous|disaster|disastrous|best|worst)\b"""
)
_POLICY = re.compile(
    r"""(?ix)\b(?:law|laws|bill|bills|legislation|policy|policies|tax|taxes|tariffs?|sanctions?|ban(?:s|ned)?|
    budget|regulations?|reforms?|programs?|programmes?|subsid(?:y|ies)|agreement|treaty|deal|plan|
    vetoe?d?|voted?|votes|signed|passed|enacted|repealed|funding|spending|welfare|medicare|social\s+security)\b"""
)
_EVENT_VERB = re.compile(
    r"(?i)\b(?:[a-z]{3,}ed|held|met|won|lost|went|came|began|sent|fought|built|took|made|gave|killed)\b"
)
_EVENT_TIME = re.compile(
    r"(?i)\b(?:yesterday|last\s+(?:week|month|year)|(?:1[89]|20)\d\d|"
    + "|".join(name for name in [*MONTHS, *WEEKDAYS] if name != "may")
    + r")\b"
)


def find_cues(text: str) -> list[Finding]:
    """Predictions and causal claims, each as the clause that carries its cue."""
    return [*find_predictions(text), *find_causes(text)]


def find_predictions(text: str) -> list[Finding]:
    """Predictions, each as the clause that carries its modal or forecast verb."""
    findings: list[Finding] = []
    for match in _PREDICTION.finditer(text):
        end = clause_end(text, match.end())
        start, end = trim_span(text, match.start(), end)
        if end > start and _is_modal_use(match.group()) and not match.group().startswith("May"):
            findings.append(
                Finding(start, end, Family.PREDICTION, ClaimType.PREDICTION, "a prediction", match.group())
            )
    return findings


def find_causes(text: str) -> list[Finding]:
    """Causal claims, each as the clause around its cue ("because of", "led to")."""
    findings: list[Finding] = []
    for match in _CAUSAL.finditer(text):
        start = clause_start(text, match.start())
        end = clause_end(text, match.end())
        start, end = trim_span(text, start, end)
        if end > start and end > match.end():
            cue = " ".join(match.group().split())
            findings.append(
                Finding(start, end, Family.CAUSAL, ClaimType.CAUSAL, "a cause and its effect", cue)
            )
    return findings


def _is_modal_use(cue: str) -> bool:
    # "will" the noun does not predict ("the will of the people"); a verb follows a modal. "May"
    # capitalised is the month (callers skip it): a sentence rarely opens with the modal.
    last = cue.split()[-1].lower()
    return last not in {"be", "the", "a", "an", "of", "and", "or", "to"} or len(cue.split()) > 2


def is_question(text: str) -> bool:
    return text.rstrip().rstrip("\"'”’)").endswith("?")


def looks_like_opinion(text: str) -> bool:
    """First-person beliefs and exhortations: "I think", "we must", "they should"."""
    return _OPINION.search(text) is not None


def has_evaluative_words(text: str) -> bool:
    return _EVALUATIVE.search(text) is not None


def whole_sentence(text: str, family: Family, claim_type: ClaimType, reason: str) -> Finding | None:
    start, end = trim_span(text, 0, sentence_body_end(text))
    if end <= start:
        return None
    return Finding(start, end, family, claim_type, reason)


def plain_sentence_type(text: str) -> tuple[ClaimType, str]:
    """What kind of claim a sentence without other cues makes: a policy, an event, or other."""
    if _POLICY.search(text):
        return ClaimType.POLICY, "a statement about a policy, law or vote"
    if _EVENT_VERB.search(text) and _EVENT_TIME.search(text):
        return ClaimType.EVENT, "a report of an event"
    return ClaimType.OTHER, "reads like a checkable factual statement"


# Predictions and causes are scored below their sentence unless a figure or a speaker backs them.
PREDICTIONS = Rule(
    name=Family.PREDICTION, claim_type=ClaimType.PREDICTION, scoring=Scoring.WEAK, backs_claims=False,
    in_sentence=find_predictions,
)  # fmt: skip
CAUSES = Rule(
    name=Family.CAUSAL, claim_type=ClaimType.CAUSAL, scoring=Scoring.WEAK, backs_claims=False,
    in_sentence=find_causes,
)  # fmt: skip
