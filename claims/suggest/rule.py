"""What a rule is: a name, a finder of spans, the claim type it proposes and how its spans are scored.

The rules themselves live in claims/suggest/rules/, one module each, listed in RULES there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from claims.models import ClaimType, Sentence
from claims.suggest.findings import Finding
from claims.suggest.speakers import SpeakerMemory


class Scoring(StrEnum):
    """How a rule's span is scored from its sentence's check-worthiness."""

    SENTENCE = "sentence"  # the sentence's score as it is
    # worth × (0.75 + 0.25 × worth) of it (a prediction, a cause), unless a rule whose span backs a
    # claim fired in the sentence
    WEAK = "weak"


@dataclass
class Document:
    """What a document-wide rule reads: the body, its sentences, who has spoken so far, and what the
    rules listed before it found (a quotation takes its speaker from the attribution around it)."""

    text: str
    sentences: Sequence[Sentence]
    memory: SpeakerMemory = field(default_factory=SpeakerMemory)
    found: list[Finding] = field(default_factory=list)


SentenceFinder = Callable[[str], list[Finding]]
DocumentFinder = Callable[[Document], list[Finding]]


@dataclass(frozen=True)
class Rule:
    """One rule. `families` are the names its findings carry (its own name unless it says more): the
    model's rule cues, so retrain after adding a rule. Exactly one finder: `in_sentence` reads one
    sentence at a time (offsets in the sentence); `in_document` reads the whole body (body offsets)."""

    name: str
    claim_type: ClaimType
    scoring: Scoring = Scoring.SENTENCE
    backs_claims: bool = True  # a span of this rule makes a WEAK span in its sentence worth its full score
    in_sentence: SentenceFinder | None = None
    in_document: DocumentFinder | None = None
    families: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if (self.in_sentence is None) == (self.in_document is None):
            raise ValueError(f"rule {self.name!r} needs exactly one finder")
        if not self.families:
            object.__setattr__(self, "families", frozenset({self.name}))
