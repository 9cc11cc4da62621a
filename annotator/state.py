"""Every session_state key and widget key of the app, in one place."""

from __future__ import annotations

from typing import Any, TypeVar

import streamlit as st

T = TypeVar("T")

# Who is editing (asked once per browser session).
EDITOR = "editor"
EDITOR_INPUT = "editor_input"

# Articles page.
PASTE_FORM = "paste_form"
UPLOADS = "uploads"
IMPORT_RESULTS = "import_results"
ARTICLE_TABLE = "article_table"
DELETE_PENDING = "article_delete_pending"

# Annotate page.
ARTICLE_ID = "article_id"
ARTICLE_PICKER = "article_picker"
COLOUR_BY = "colour_by"
SPAN_SELECTOR = "span_selector"
PENDING_SPAN = "pending_span"  # (start, end) chosen but not saved yet
OPEN_CLAIM = "open_claim"  # the claim being edited, as the editor opened it
CONFLICT = "conflict"  # the VersionConflict of the last save, if any
CLAIM_DELETE_PENDING = "claim_delete_pending"
UNDO_STACK = "deleted_claims"  # claims deleted this session, newest last
FALLBACK_SENTENCE = "fallback_sentence"
FALLBACK_QUOTE = "fallback_quote"
OPEN_PICKER = "open_claim_picker"
CLAIM_FORM = "claim_form"
FOCUS_SENTENCE = "focus_sentence"
SHOW_SUGGESTIONS = "show_suggestions"
LOW_SCORES = "show_low_scores"
OPEN_SUGGESTION = "open_suggestion"  # the id of the suggestion shown in the panel
ACCEPTING = "accepting_suggestion"  # its claim form is open
SUGGESTION_PICKER = "suggestion_picker"

# Claims page.
FILTER_STATUS = "filter_status"
FILTER_VERDICT = "filter_verdict"
FILTER_TYPE = "filter_type"
FILTER_CLAIMANT = "filter_claimant"
FILTER_ARTICLE = "filter_article"
FILTER_TEXT = "filter_text"
CLAIMS_EDITOR = "claims_editor"
BULK_STATUS = "bulk_status"
DOWNLOAD_SCOPE = "download_scope"
BULK_RESULT = "bulk_result"
FILTER_TITLE = "filter_title"
KEPT_FILTER = "claims_filter"  # the ClaimFilter chosen last: widget state is dropped when the page is left
TABLE_GENERATION = "claims_table_generation"  # counts editors started, so each gets a key of its own
TABLE_SNAPSHOT = "claims_table_snapshot"  # the TableSnapshot the current editor was given
TABLE_REVIEW = "claims_table_review"  # the editor asked to save: the changes are listed for confirmation
BULK_PENDING = "bulk_pending"  # a planned bulk change waiting for confirmation
LAST_CHANGE = "claims_last_change"  # the ChangeReport of the last save, bulk change or undo


def get(key: str, default: T) -> T:
    value: Any = st.session_state.get(key, default)
    return value  # type: ignore[no-any-return]


def put(key: str, value: object) -> None:
    st.session_state[key] = value


def drop(*keys: str) -> None:
    for key in keys:
        st.session_state.pop(key, None)


def editor() -> str | None:
    name: str | None = st.session_state.get(EDITOR)
    return name
