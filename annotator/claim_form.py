"""The claim form: a claim's labels, what is checked, its evidence table and a comment, kept as a draft in
session state until saved or dropped."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd  # type: ignore[import-untyped]  # no stubs installed; one DataFrame built here
import streamlit as st

from annotator import state
from annotator.forms import EVIDENCE_COLUMNS, FORM_LABELS, evidence_text, evidence_values, form_values
from claims.evidence import independent_sources
from claims.labels import label
from claims.models import CheckFocus, Claim, ClaimFields, ClaimStatus, ClaimType, Evidence, Stance, Verdict
from claims.workflow import ENOUGH_SOURCES, FIRST_STATUSES, thin_evidence

OPTIONS = {
    "claim_type": [t.value for t in ClaimType],
    "verdict": [v.value for v in Verdict],
    "check_focus": [f.value for f in CheckFocus],
}
# The form's rows: Tab moves along a row, then down, as the eye does.
ROWS = (
    ("claim_type", "claimant"),
    ("source_name", "source_url"),
    ("status", "verdict"),
)
# The rest sits in an expander: open when editing a claim, closed when labelling a new one, so the keyboard
# path from marking words to saving stays short.
DETAILS = "Assignment, what is checked, evidence, notes"
NOBODY = "nobody"
# The fields typed in a box of their own; evidence is a table and has no key of its own.
_TEXT_KEYS = tuple(name for name in FORM_LABELS if name != "evidence")
_DETAIL_FIELDS = ("assignee", "check_focus", "claim_reviewed", "conclusion", "evidence", "notes", "comment")
COMMENT_HELP = "Needed to move a claim back a step; joins the claim's thread. @Name mentions an editor."


def claim_form(
    draft_key: str,
    version: int,
    base: ClaimFields,
    base_claim: dict[str, Any] | None,
    submit_label: str,
    *,
    statuses: Sequence[ClaimStatus] = tuple(sorted(FIRST_STATUSES, key=list(ClaimStatus).index)),
    editors: Sequence[str] = (),
    disabled: bool = False,
    details_open: bool = True,
    on_cancel: Callable[[], None] | None = None,
) -> dict[str, str] | None:
    """The labels of a claim, starting from `base` or from the draft kept under `draft_key`.

    The status select offers `statuses` (the workflow's next steps, the current status first); the
    assignee select offers `editors` or a typed name. Whenever the values differ from `base` they are kept
    as that draft (with `base_claim`, the claim JSON they were started from, if any), until forget_draft.
    Returns the form's texts when the editor presses the submit button (claim_panel turns them into the
    core's fields inside the error edge), else None. `details_open` opens the expander of the other fields.
    """
    drafts = state.drafts()
    draft = drafts.get(draft_key)
    start = {**form_values(base), **(draft["values"] if draft else {})}
    keys = {name: state.claim_field(draft_key, version, name) for name in _TEXT_KEYS}
    for name, key in keys.items():
        if key not in st.session_state:
            st.session_state[key] = start[name]
    status_options = [status.value for status in statuses]
    if st.session_state[keys["status"]] not in status_options:
        status_options.insert(0, st.session_state[keys["status"]])
    assignees = ["", *sorted({*editors, start["assignee"]} - {""}, key=str.casefold)]
    for left, right in ROWS:
        row = st.columns(2)
        for column, name in ((row[0], left), (row[1], right)):
            _field(column, name, keys[name], status_options, assignees)
    # Details with unsaved values (a draft brought back) show open, whatever `details_open` says.
    shown = form_values(base)
    unsaved = any(start[name] != shown[name] for name in _DETAIL_FIELDS)
    with st.expander(DETAILS, expanded=details_open or unsaved):
        assignee_col, focus_col = st.columns(2)
        _field(assignee_col, "assignee", keys["assignee"], status_options, assignees)
        _field(focus_col, "check_focus", keys["check_focus"], status_options, assignees)
        st.text_input(FORM_LABELS["claim_reviewed"], key=keys["claim_reviewed"], max_chars=1000)
        st.text_input(FORM_LABELS["conclusion"], key=keys["conclusion"], max_chars=500)
        evidence = _evidence_table(draft_key, version, start["evidence"])
        st.text_area(FORM_LABELS["notes"], key=keys["notes"], height=100)
        st.text_area(FORM_LABELS["comment"], key=keys["comment"], height=68, help=COMMENT_HELP)
    values = {name: str(st.session_state[key] or "") for name, key in keys.items()}
    values["evidence"] = evidence
    _thin_evidence_warning(values)
    if values != form_values(base):
        drafts[draft_key] = {"base": base_claim, "values": values}
    else:
        drafts.pop(draft_key, None)
    submit_at: Any = st  # the Save button takes the row alone, or shares it with Cancel (Save first)
    if on_cancel is not None:
        submit_at, cancel_at = st.columns(2)
        cancel_at.button(
            "Cancel",
            key=f"{state.CANCEL_FORM}-{draft_key}",
            on_click=_cancel,
            args=(draft_key, on_cancel),
            width="stretch",
        )
    clicked = submit_at.button(
        submit_label,
        key=f"{state.SAVE_CLAIM}-{draft_key}",
        type="primary",
        icon=":material/save:",
        disabled=disabled,
        width="stretch",
    )
    return values if clicked else None


def _field(column: Any, name: str, key: str, statuses: list[str], assignees: list[str]) -> None:
    """One field of the form in its column: a select for a vocabulary, status or assignee, else a box."""
    if name == "status":
        column.selectbox(
            FORM_LABELS[name],
            statuses,
            key=key,
            format_func=label,  # the current status and the steps the workflow allows from it
        )
    elif name == "assignee":
        column.selectbox(
            FORM_LABELS[name],
            assignees,
            key=key,
            format_func=lambda name: name or NOBODY,
            accept_new_options=True,
            help="The editor working on the claim; type a name that is not listed",
        )
    elif name in OPTIONS:
        column.selectbox(FORM_LABELS[name], OPTIONS[name], key=key, format_func=label)
    else:
        placeholder = "e.g. Reuters" if name == "source_name" else None
        column.text_input(FORM_LABELS[name], key=key, placeholder=placeholder)


def _evidence_table(draft_key: str, version: int, start: str) -> str:
    """The evidence as an editable table (rows can be added and deleted); returns it as the form's text.

    The table is given the rows the form started from, kept in session state, so its edits (which
    Streamlit keeps as changes to the rows it was given) always apply to the same rows."""
    given_key = state.claim_field(draft_key, version, "evidence_given")
    if given_key not in st.session_state:
        st.session_state[given_key] = start
    rows = json.loads(st.session_state[given_key] or "[]")
    # Text columns even without rows (an empty column would be taken for numbers).
    table = pd.DataFrame(rows, columns=list(EVIDENCE_COLUMNS), dtype="object")
    st.markdown(f"**{FORM_LABELS['evidence']}**")
    edited = st.data_editor(
        table,
        key=state.claim_field(draft_key, version, "evidence_table"),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "url": st.column_config.LinkColumn("URL", help="The address of the source"),
            "title": st.column_config.TextColumn("title", max_chars=500),
            "publisher": st.column_config.TextColumn("publisher", max_chars=300),
            "accessed": st.column_config.TextColumn(
                "accessed", help="The date the source was read: YYYY-MM-DD", validate=r"^\d{4}-\d{2}-\d{2}$"
            ),
            "stance": st.column_config.SelectboxColumn(
                "stance", options=[s.value for s in Stance], default=Stance.CONTEXT.value
            ),
            "note": st.column_config.TextColumn("note", max_chars=5000),
        },
    )
    columns = [list(edited.get(name, [])) for name in EVIDENCE_COLUMNS]
    return evidence_text(
        dict(zip(EVIDENCE_COLUMNS, cells, strict=True)) for cells in zip(*columns, strict=True)
    )


def _thin_evidence_warning(values: dict[str, str]) -> None:
    """Warn under the evidence when a verdict rests on fewer independent sources than the desk wants."""
    try:
        evidence = [Evidence.model_validate(item) for item in evidence_values(values["evidence"])]
        verdict = Verdict(values["verdict"])
    except ValueError:
        return  # saving names what is wrong
    # Only the verdict and the evidence matter to the rule; the claim itself is not saved yet.
    unsaved: dict[str, Any] = {"verdict": verdict, "evidence": evidence}
    if thin_evidence(Claim.model_construct(**unsaved)):
        sources = independent_sources(evidence)
        st.warning(
            f"This verdict ({label(verdict)}) rests on {sources} independent "
            f"source{'s' * (sources != 1)}: at least {ENOUGH_SOURCES} publishers or sites are expected, "
            "and a reviewer will be asked to confirm it.",
            icon=":material/warning:",
        )


def form_values_now(draft_key: str, base: ClaimFields) -> dict[str, str]:
    """What the form under this key holds now: its draft, else the base it starts from."""
    draft = state.drafts().get(draft_key)
    return {**form_values(base), **dict(draft["values"])} if draft else form_values(base)


def _cancel(draft_key: str, then: Callable[[], None]) -> None:
    forget_draft(draft_key)
    then()


def forget_draft(draft_key: str) -> None:
    """Drop the draft kept under this key: it was saved, cancelled or discarded."""
    drafts = state.drafts()
    drafts.pop(draft_key, None)
    state.put(state.DRAFTS, drafts)
    for key in [key for key in st.session_state if str(key).startswith(f"{state.CLAIM_FIELD}-{draft_key}-")]:
        del st.session_state[key]
