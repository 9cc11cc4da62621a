"""Between form widgets and the core: text fields in, claim fields out; no Streamlit."""

from __future__ import annotations

from typing import Any

from claims.models import Evidence, Sentence


def blank_to_none(value: str | None) -> str | None:
    return value.strip() or None if value else None


def parse_evidence(text: str) -> list[dict[str, Any]]:
    """One piece of evidence a line: "URL | title | note"; title and note are optional.

    A line that does not start with a web address is kept as a note.
    """
    evidence = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|", 2)] + ["", ""]
        first, title, note = parts[0], parts[1], parts[2]
        if first.lower().startswith(("http://", "https://")):
            evidence.append({"url": first, "title": title, "note": note})
        else:
            evidence.append({"url": None, "title": title, "note": " | ".join(filter(None, [first, note]))})
    return evidence


def format_evidence(evidence: list[Evidence]) -> str:
    lines = []
    for item in evidence:
        fields = [item.url or "", item.title, item.note]
        while fields and not fields[-1]:
            fields.pop()
        lines.append(" | ".join(fields))
    return "\n".join(lines)


def sentence_label(sentence: Sentence, width: int = 90) -> str:
    text = sentence.text if len(sentence.text) <= width else sentence.text[: width - 1] + "…"
    return f"{sentence.index + 1}. {text}"


def claim_fields(
    claim_type: str,
    claimant: str,
    source_name: str,
    source_url: str,
    status: str,
    verdict: str,
    evidence: str,
    notes: str,
) -> dict[str, Any]:
    """The labels of the claim form as the core's ClaimFields expects them."""
    name = blank_to_none(source_name)
    url = blank_to_none(source_url)
    return {
        "claim_type": claim_type,
        "claimant": blank_to_none(claimant),
        "source": {"name": name or url, "url": url} if (name or url) else None,
        "status": status,
        "verdict": verdict,
        "evidence": parse_evidence(evidence),
        "notes": notes.strip(),
    }
