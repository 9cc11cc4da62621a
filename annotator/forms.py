"""Between form widgets and the core: text fields in, claim fields out; no Streamlit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from claims.labels import label
from claims.models import ClaimFields, Evidence, Sentence

# The claim form's fields, in the order the form shows them (row by row), with their labels.
FORM_LABELS = {
    "claim_type": "Type",
    "claimant": "Claimant (who made it)",
    "source_name": "Source cited",
    "source_url": "Source URL",
    "status": "Status",
    "verdict": "Verdict",
    "evidence": "Evidence: one a line, URL | title | note",
    "notes": "Notes",
}
# The claim's labels as a conflict names them.
FIELD_NAMES = {
    "claim_type": "Type",
    "claimant": "Claimant",
    "source": "Source",
    "status": "Status",
    "verdict": "Verdict",
    "evidence": "Evidence",
    "notes": "Notes",
}


def blank_to_none(value: str | None) -> str | None:
    return value.strip() or None if value else None


def parse_evidence(text: str) -> list[dict[str, Any]]:
    """One piece of evidence a line: "URL | title | note"; title and note are optional.

    A line that does not start with a web address is kept as a note.
    """
    evidence: list[dict[str, Any]] = []
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


def form_values(fields: ClaimFields) -> dict[str, str]:
    """What the claim form shows for these labels, one text a field (see FORM_LABELS)."""
    return {
        "claim_type": fields.claim_type.value,
        "claimant": fields.claimant or "",
        "source_name": fields.source.name if fields.source else "",
        "source_url": (fields.source.url or "") if fields.source else "",
        "status": fields.status.value,
        "verdict": fields.verdict.value,
        "evidence": format_evidence(fields.evidence),
        "notes": fields.notes,
    }


def fields_from_form(values: Mapping[str, str]) -> dict[str, Any]:
    """The claim form's texts as the core's ClaimFields expects them."""
    return claim_fields(*(values[name] for name in FORM_LABELS))


def shown_value(fields: ClaimFields, name: str) -> str:
    """One label of a claim as a fact-checker reads it, in full (for comparing two versions)."""
    value = getattr(fields, name)
    if name == "source":
        return " · ".join(filter(None, [value.name, value.url])) if value else "(none)"
    if name == "evidence":
        return format_evidence(value) or "(none)"
    if name in ("claim_type", "status", "verdict"):
        return label(value)
    if name == "notes":
        return value or "(empty)"
    return str(value) if value else "(none)"
