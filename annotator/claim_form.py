"""The claim form: a claim's labels, kept as a draft in session state until saved or dropped."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from annotator import state
from annotator.forms import FORM_LABELS, fields_from_form, form_values
from claims.labels import label
from claims.models import ClaimFields, ClaimStatus, ClaimType, Verdict

OPTIONS = {
    "claim_type": [t.value for t in ClaimType],
    "status": [s.value for s in ClaimStatus],
    "verdict": [v.value for v in Verdict],
}
# The form's rows: Tab moves along a row, then down, as the eye does.
ROWS = (("claim_type", "claimant"), ("source_name", "source_url"), ("status", "verdict"))


def claim_form(
    draft_key: str,
    version: int,
    base: ClaimFields,
    base_claim: dict[str, Any] | None,
    submit_label: str,
    *,
    disabled: bool = False,
    on_cancel: Callable[[], None] | None = None,
) -> dict[str, Any] | None:
    """The labels of a claim, starting from `base` or from the draft kept under `draft_key`.

    Whenever the values differ from `base` they are kept as that draft (with `base_claim`, the claim
    JSON they were started from, if any), until forget_draft. Returns the labels when the editor
    presses the submit button, else None. Fields sit in rows, so Tab moves along a row, then down.
    With `on_cancel`, a Cancel button beside the submit button forgets the draft and calls it.
    """
    drafts = state.drafts()
    draft = drafts.get(draft_key)
    start = draft["values"] if draft else form_values(base)
    keys = {name: state.claim_field(draft_key, version, name) for name in FORM_LABELS}
    for name, key in keys.items():
        if key not in st.session_state:
            st.session_state[key] = start[name]
    for left, right in ROWS:
        row = st.columns(2)
        for column, name in ((row[0], left), (row[1], right)):
            if name in OPTIONS:
                column.selectbox(FORM_LABELS[name], OPTIONS[name], key=keys[name], format_func=label)
            else:
                placeholder = "e.g. Reuters" if name == "source_name" else None
                column.text_input(FORM_LABELS[name], key=keys[name], placeholder=placeholder)
    st.text_area(FORM_LABELS["evidence"], key=keys["evidence"], height=80)
    st.text_area(FORM_LABELS["notes"], key=keys["notes"], height=100)
    values = {name: str(st.session_state[key]) for name, key in keys.items()}
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
    return fields_from_form(values) if clicked else None


def form_values_now(draft_key: str, base: ClaimFields) -> dict[str, str]:
    """What the form under this key holds now: its draft, else the base it starts from."""
    draft = state.drafts().get(draft_key)
    return dict(draft["values"]) if draft else form_values(base)


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
