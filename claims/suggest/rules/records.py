"""Records and firsts: "the highest level since 1990", "a record low", "for the first time in 40 years"."""

from __future__ import annotations

import re

from claims.models import ClaimType
from claims.suggest.findings import Finding, trim_span
from claims.suggest.rule import Rule

_RECORD = re.compile(
    r"""(?ix)\b(?:
        for\s+the\s+first\s+time\s+(?:in|since)\s+[^,;:.]{2,40}
      | (?:an?\s+|the\s+)?(?:all-time|record|historic)\s+(?:high|low)s?
      | the\s+(?:highest|lowest|largest|biggest|smallest|worst|best|fastest|slowest)\s+(?:[a-z]+\s+){0,3}?
        (?:since\s+[^,;:.]{2,30}|ever(?:\s+recorded)?|on\s+record|in\s+(?:history|decades|a\s+decade|\d+\s+years))
    )"""
)


def find_records(text: str) -> list[Finding]:
    """Each record or first as the words that state it."""
    findings = []
    for match in _RECORD.finditer(text):
        start, end = trim_span(text, match.start(), match.end())
        if end > start:
            findings.append(Finding(start, end, RULE.name, RULE.claim_type, "a record or a first"))
    return findings


RULE = Rule(name="record", claim_type=ClaimType.STATISTIC, in_sentence=find_records)
