"""Between form widgets and the core: text fields in, claim fields out; no Streamlit.

The core decides what a value means (claims.evidence.source_from for a source, the models for evidence);
this module only moves values between the widgets' texts and the shapes the core takes.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

from claims.evidence import source_from
from claims.labels import label
from claims.models import ClaimFields, Evidence, Sentence

# The claim form's fields, in the order the form shows them (row by row), with their labels.
FORM_LABELS = {
    "claim_type": "Type",
    "claimant": "Claimant (who made it)",
    "source_name": "Source cited",
    "source_url": "Source URL",
    "assignee": "Assigned to",
    "check_focus": "What is checked",
    "claim_reviewed": "The claim in one neutral sentence",
    "conclusion": "Conclusion (one line)",
    "status": "Status",
    "verdict": "Verdict",
    "evidence": "Evidence",
    "notes": "Notes",
    "comment": "Comment",
}
# The claim's labels as a conflict and the timeline name them.
FIELD_NAMES = {
    "claim_type": "Type",
    "claimant": "Claimant",
    "source": "Source",
    "status": "Status",
    "verdict": "Verdict",
    "assignee": "Assigned to",
    "evidence": "Evidence",
    "notes": "Notes",
    "claim_reviewed": "Claim checked",
    "conclusion": "Conclusion",
    "check_focus": "What is checked",
}
# The evidence table's columns, in order.
EVIDENCE_COLUMNS = ("url", "title", "publisher", "accessed", "stance", "note")


def blank_to_none(value: str | None) -> str | None:
    return value.strip() or None if value else None


def sentence_label(sentence: Sentence, width: int = 90) -> str:
    text = sentence.text if len(sentence.text) <= width else sentence.text[: width - 1] + "…"
    return f"{sentence.index + 1}. {text}"


def _cell(value: Any) -> str:
    """One cell of the evidence table as text: a date as YYYY-MM-DD, an empty cell (None, NaN, NaT) as ""."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or str(value) in ("NaT", "nan"):
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value).strip()


def evidence_rows(evidence: Iterable[Evidence]) -> list[dict[str, str]]:
    """Evidence as the table's rows, every cell a text."""
    return [
        {
            "url": item.url or "",
            "title": item.title,
            "publisher": item.publisher,
            "accessed": item.accessed.isoformat() if item.accessed else "",
            "stance": item.stance.value,
            "note": item.note,
        }
        for item in evidence
    ]


def table_rows(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """The evidence table's rows as texts, rows left entirely blank dropped."""
    cleaned = [{name: _cell(row.get(name)) for name in EVIDENCE_COLUMNS} for row in rows]
    return [row for row in cleaned if any(value for name, value in row.items() if name != "stance")]


def evidence_text(rows: Iterable[Mapping[str, Any]]) -> str:
    """The table's rows as the one text a form value holds (JSON, so a draft keeps it as a string)."""
    return json.dumps(table_rows(rows), ensure_ascii=False)


def evidence_values(text: str) -> list[dict[str, Any]]:
    """The evidence items of a form's text, as the core's Evidence takes them (it checks them)."""
    rows = json.loads(text) if text.strip() else []
    return [
        {
            "url": row["url"] or None,
            "title": row["title"],
            "publisher": row["publisher"],
            "accessed": row["accessed"] or None,
            "stance": row["stance"] or "context",
            "note": row["note"],
        }
        for row in table_rows(rows)
    ]


def claim_fields(values: Mapping[str, str]) -> dict[str, Any]:
    """The labels of the claim form as the core's ClaimFields expects them; the source follows the core's
    one rule (claims.evidence.source_from), which raises InvalidClaim for an unusable address."""
    source = source_from(values["source_name"], values["source_url"])
    return {
        "claim_type": values["claim_type"],
        "claimant": blank_to_none(values["claimant"]),
        "source": source.model_dump() if source else None,
        "assignee": blank_to_none(values["assignee"]),
        "status": values["status"],
        "verdict": values["verdict"],
        "claim_reviewed": values["claim_reviewed"].strip(),
        "conclusion": values["conclusion"].strip(),
        "check_focus": values["check_focus"],
        "evidence": evidence_values(values["evidence"]),
        "notes": values["notes"].strip(),
    }


def form_values(fields: ClaimFields) -> dict[str, str]:
    """What the claim form shows for these labels, one text a field (see FORM_LABELS)."""
    return {
        "claim_type": fields.claim_type.value,
        "claimant": fields.claimant or "",
        "source_name": fields.source.name if fields.source else "",
        "source_url": (fields.source.url or "") if fields.source else "",
        "assignee": fields.assignee or "",
        "check_focus": fields.check_focus.value,
        "claim_reviewed": fields.claim_reviewed,
        "conclusion": fields.conclusion,
        "status": fields.status.value,
        "verdict": fields.verdict.value,
        "evidence": evidence_text(evidence_rows(fields.evidence)),
        "notes": fields.notes,
        "comment": "",
    }


def fields_from_form(values: Mapping[str, str]) -> dict[str, Any]:
    """The claim form's texts as the core's ClaimFields expects them (the comment is not a label)."""
    return claim_fields(values)


def shown_value(fields: ClaimFields, name: str) -> str:
    """One label of a claim as a fact-checker reads it, in full (for comparing two versions)."""
    value = getattr(fields, name)
    if name == "source":
        return " · ".join(filter(None, [value.name, value.url])) if value else "(none)"
    if name == "evidence":
        lines = [" · ".join(filter(None, row.values())) for row in evidence_rows(value)]
        return "\n".join(lines) or "(none)"
    if name in ("claim_type", "status", "verdict", "check_focus"):
        return label(value)
    if name in ("notes", "claim_reviewed", "conclusion"):
        return value or "(empty)"
    return str(value) if value else "(none)"
