"""Evidence and sources as editors type them: one rule for every door (form, table, CLI)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from claims.errors import InvalidClaim
from claims.models import Evidence, Source, Stance

# The evidence box of the claim form and `--evidence` of the CLI: one item a line, fields split by "|".
EVIDENCE_LINE = "URL | title | publisher | supports/refutes/context | accessed YYYY-MM-DD | note"
_FIELDS = ("url", "title", "publisher", "stance", "accessed", "note")


def site_of(url: str | None) -> str:
    """The host of a web address without "www." ("" for none): what makes two links the same site."""
    if not url:
        return ""
    host = (urlsplit(url).hostname or "").casefold()
    return host.removeprefix("www.")


def source_key(item: Evidence) -> str:
    """What makes a source independent of another: its publisher (casefolded), else its site."""
    return item.publisher.strip().casefold() or site_of(item.url)


def independent_sources(evidence: Iterable[Evidence]) -> int:
    """How many different publishers or sites the evidence comes from (items with neither do not count)."""
    return len({key for item in evidence if (key := source_key(item))})


def source_from(name: str | None, url: str | None) -> Source | None:
    """The source an article cites, from a name and an address either of which may be blank; a bare address
    is named after its site ("reuters.com")."""
    name = (name or "").strip() or None
    url = (url or "").strip() or None
    if name is None and url is None:
        return None
    if name is None:
        name = site_of(url)
        if not name:
            raise InvalidClaim("source_url", url, "expected a web address starting with http:// or https://")
    try:
        return Source(name=name, url=url)
    except ValueError as error:
        raise InvalidClaim("source_url", url, str(error).splitlines()[-1].strip()) from None


def parse_evidence_line(line: str, number: int = 1) -> Evidence:
    """One item of evidence from a line "URL | title | publisher | stance | accessed | note" (trailing fields
    may be left out). A line that does not start with a web address is a note; `number` names the line in
    messages."""
    parts = [part.strip() for part in line.split("|", len(_FIELDS) - 1)]
    if not parts[0].lower().startswith(("http://", "https://")):
        return Evidence(note=line.strip())
    values: dict[str, Any] = dict(zip(_FIELDS, parts, strict=False))
    stance = values.get("stance", "").casefold()
    if stance and stance not in set(Stance):
        raise InvalidClaim(f"evidence line {number}", stance, "stance is one of: supports, refutes, context")
    values["stance"] = stance or Stance.CONTEXT
    accessed = values.get("accessed", "")
    try:
        values["accessed"] = dt.date.fromisoformat(accessed) if accessed else None
    except ValueError:
        raise InvalidClaim(f"evidence line {number}", accessed, "accessed is a date: YYYY-MM-DD") from None
    try:
        return Evidence.model_validate(values)
    except ValueError as error:
        raise InvalidClaim(f"evidence line {number}", parts[0], str(error).splitlines()[-1].strip()) from None


def parse_evidence(text: str) -> list[Evidence]:
    """Every non-blank line of `text` as an item of evidence (see parse_evidence_line)."""
    return [
        parse_evidence_line(line, number) for number, line in enumerate(text.splitlines(), 1) if line.strip()
    ]


def format_evidence(evidence: Iterable[Evidence]) -> str:
    """Evidence as lines for parse_evidence: an item with a web address reads back the same (when its
    fields hold no "|" or line break); one without reads back as a note holding its title and note."""
    lines = []
    for item in evidence:
        if item.url is None:
            lines.append(" | ".join(filter(None, [item.title, item.note])))
            continue
        fields = [
            item.url,
            item.title,
            item.publisher,
            "" if item.stance is Stance.CONTEXT else item.stance.value,
            item.accessed.isoformat() if item.accessed else "",
            item.note,
        ]
        while fields and not fields[-1]:
            fields.pop()
        lines.append(" | ".join(fields))
    return "\n".join(lines)
