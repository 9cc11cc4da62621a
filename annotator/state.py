"""Every session_state key and widget key of the app, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import streamlit as st

T = TypeVar("T")

# Who is editing (annotator/identity.py decides; a typed name is also kept in a browser cookie).
EDITOR = "editor"
EDITOR_INPUT = "editor_input"
EDITOR_FORM = "who_am_i"
EDITOR_COOKIE_WRITER = "editor_cookie_writer"
EDITOR_COOKIE_DROPPED = "editor_cookie_dropped"  # "Change name": the cookie this session sent is stale
CHANGE_EDITOR = "change_editor"
LOG_IN = "log_in"  # + the provider's name
LOG_OUT = "log_out"

# Articles page.
ARTICLE_SEARCH = "article_search"
ARTICLE_SORT = "article_sort"
ARTICLES_PAGE = "articles_page"  # which page of the matching articles is shown, from 0
ARTICLES_SHOWN = "articles_shown_query"  # search and sort of the page shown: another starts at page 1
PASTE_FORM = "paste_form"
UPLOADS = "uploads"
UPLOADS_ROUND = "uploads_round"  # the uploader's key ends with it: each import starts an empty uploader
IMPORT_RESULTS = "import_results"
ARTICLE_TABLE = "article_table"
DELETE_PENDING = "article_delete_pending"

# Annotate page.
ARTICLE_ID = "article_id"
ARTICLE_PICKER = "article_picker"
PICKER_SEARCH = "article_picker_search"  # words narrowing the picker's articles
ARTICLE_POSITION = "article_position"  # the open article's place in the picker's order, if known
COLOUR_BY = "colour_by"
SPAN_SELECTOR = "span_selector"
OPEN_ITEM = "open_item"  # the OpenItem shown beside the article, if any
URL_PLACE = "url_place"  # the place this session last put in the URL (another URL: a reload or a link)
SEEN_CLAIM = "seen_claim"  # the open claim as the editor opened it (JSON): the base of their edit
DRAFTS = "claim_drafts"  # unsaved forms: draft key -> {"base": claim JSON or None, "values": form texts}
CONFLICT = "conflict"  # the id of the open claim whose save another editor's save refused
CLAIM_DELETE_PENDING = "claim_delete_pending"
UNDO_STACK = "deleted_claims"  # claims deleted this session, newest last
FOCUS_FORM = "focus_claim_form"  # a counter, raised each time keyboard focus should move into the form
FOCUS_PENDING = "focus_claim_form_pending"  # the panel has not yet passed the latest request on
FALLBACK_SENTENCE = "fallback_sentence"
FALLBACK_QUOTE = "fallback_quote"
MARK_PROBLEM = "mark_problem"  # why the words typed could not be marked
OPEN_PICKER = "open_claim_picker"
SUGGESTION_PICKER = "suggestion_picker"
FOCUS_SENTENCE = "focus_sentence"
SHOW_SUGGESTIONS = "show_suggestions"
LOW_SCORES = "show_low_scores"
ALL_SUGGESTIONS = "show_all_suggestions"
ACCEPTING = "accepting_suggestion"  # the open suggestion's claim form is shown
# Widgets of the Annotate page.
CLAIM_PANEL = "claim_panel"  # the container beside the article (sticky; CSS class st-key-claim_panel)
UNSAVED_GUARD = "unsaved_guard"  # the component that warns before an unsaved form is thrown away
NEXT_UNCLAIMED = "next_unclaimed"
USE_SPAN = "use_span"
OPEN_CLAIM_BUTTON = "open_claim_button"
OPEN_SUGGESTION_BUTTON = "open_suggestion_button"
SAVE_CLAIM = "save_claim"
CANCEL_FORM = "cancel_form"  # + the draft key
CLOSE_CLAIM = "close_claim"
DELETE_CLAIM = "delete_claim"
CONFIRM_DELETE = "confirm_delete_claim"
CANCEL_DELETE = "cancel_delete_claim"
UNDO_DELETE = "undo_delete"
APPLY_MINE = "apply_mine_on_theirs"
DISCARD_MINE = "discard_mine"
ACCEPT_SUGGESTION = "accept_suggestion"
REJECT_SUGGESTION = "reject_suggestion"
ACCEPT_ALL = "accept_all"  # + the scope
REJECT_ALL = "reject_all"  # + the scope
SWITCH_SUGGESTION = "switch_suggestion"  # + the suggestion's id
CLAIM_FIELD = "claim_field"  # + draft key, version and field name: one claim form widget
CLASH_CHOICE = "clash_choice"  # + field name: mine or theirs, for a field both editors changed
# The review and the timeline of the open claim (each + the claim's id).
APPROVE = "approve_claim"
CONFIRM_THIN = "confirm_thin_evidence"
SEND_BACK = "send_back_claim"
SEND_BACK_WHY = "send_back_comment"
PUBLISH = "publish_claim"
ADD_COMMENT = "add_comment"
TIMELINE = "timeline"  # + the claim's id: the container of its timeline
TIMELINE_ALL = "timeline_all"  # + the claim's id: show every entry, not only the latest
COMMENT_BOX = "comment_box"  # + the claim's id and its comment count: a fresh box after each comment
MY_CLAIMS_LIST = "my_claims_list"  # the Annotate page's list of the editor's claims
OPEN_MINE = "open_my_claim"

# What the keyboard path remembers of one article, forgotten when the article changes.
KEYBOARD_MARKING = (FOCUS_SENTENCE, FALLBACK_SENTENCE, FALLBACK_QUOTE, MARK_PROBLEM)

ItemKind = Literal["claim", "suggestion", "span"]


@dataclass(frozen=True, slots=True)
class OpenItem:
    """What the panel beside the article shows: a stored claim, a suggestion, or a new span to label."""

    kind: ItemKind
    article_id: str
    id: str = ""  # the claim's id, or the suggestion's (claims.suggest.review.suggestion_id); "" for a span
    start: int = 0  # a new span's [start, end) in the article body
    end: int = 0

    @classmethod
    def claim(cls, article_id: str, claim_id: str) -> OpenItem:
        return cls("claim", article_id, claim_id)

    @classmethod
    def suggestion(cls, article_id: str, suggestion_id: str) -> OpenItem:
        return cls("suggestion", article_id, suggestion_id)

    @classmethod
    def span(cls, article_id: str, start: int, end: int) -> OpenItem:
        return cls("span", article_id, "", start, end)

    @property
    def draft_key(self) -> str:
        """The name of this item's unsaved form; a claim keeps one draft whatever version is open."""
        if self.kind == "span":
            return f"span-{self.article_id}-{self.start}-{self.end}"
        return f"{self.kind}-{self.article_id}-{self.id}"


def opened() -> OpenItem | None:
    item = st.session_state.get(OPEN_ITEM)
    return item if isinstance(item, OpenItem) else None


def open_item(item: OpenItem | None) -> None:
    """Show this item beside the article (None: nothing), forgetting what was pending for the last one.

    Drafts stay: opening the same item again brings its unsaved form back.
    """
    if item != opened():
        drop(CONFLICT, CLAIM_DELETE_PENDING, ACCEPTING, SEEN_CLAIM)
    if item is None:
        drop(OPEN_ITEM)
    else:
        put(OPEN_ITEM, item)


def drafts() -> dict[str, dict[str, Any]]:
    """The unsaved claim forms (see DRAFTS); changes to the dict returned are kept."""
    kept: dict[str, dict[str, Any]] = st.session_state.setdefault(DRAFTS, {})
    return kept


def request_focus() -> None:
    """Ask the panel to move keyboard focus into its form the next time it is drawn."""
    put(FOCUS_FORM, get(FOCUS_FORM, 0) + 1)
    put(FOCUS_PENDING, True)


def take_focus_request() -> int:
    """The latest focus request (a positive counter) if not yet passed on, else 0; passes it on."""
    pending = get(FOCUS_PENDING, False)
    drop(FOCUS_PENDING)
    return get(FOCUS_FORM, 0) if pending else 0


def claim_field(draft_key: str, version: int, name: str) -> str:
    return f"{CLAIM_FIELD}-{draft_key}-v{version}-{name}"


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
FILTER_ASSIGNEE = "filter_assignee"
FILTER_EDITOR = "filter_editor"  # who changed the claim last
FILTER_MINE = "filter_mine"  # the "My claims" switch: ClaimFilter.mine = the current editor
CLAIMREVIEW_FILE = "claimreview_file"  # the ClaimReview prepared for download (bytes), or why it was refused
PREPARE_CLAIMREVIEW = "prepare_claimreview"
CLAIMS_SORT = "claims_sort"
PAGE_SIZE = "claims_page_size"
KEPT_VIEW = "claims_view"  # the sort and page size chosen last (kept like KEPT_FILTER)
CLAIMS_PAGE = "claims_page"  # which page of the matching claims is shown, from 0
SHOWN_QUERY = "claims_shown_query"  # filter, sort and size of the page shown: another starts at page 1
KEPT_FILTER = "claims_filter"  # the ClaimFilter chosen last: widget state is dropped when the page is left
TABLE_GENERATION = "claims_table_generation"  # counts editors started, so each gets a key of its own
TABLE_SNAPSHOT = "claims_table_snapshot"  # the TableSnapshot the current editor was given
TABLE_REVIEW = "claims_table_review"  # the editor asked to save: the changes are listed for confirmation
BULK_PENDING = "bulk_pending"  # a planned bulk change waiting for confirmation
BULK_COMMENT = "bulk_comment"  # the comment a bulk change gives each claim it moves (a step back needs one)
BULK_CONFIRM_THIN = "bulk_confirm_thin"  # a bulk approval confirms thinly sourced verdicts
LAST_CHANGE = "claims_last_change"  # the ChangeReport of the last save, bulk change or undo
# The table's planned edits as of its last run: the editor's own state is dropped when the page is
# left, so edits not yet saved are kept here and offered again on return.
KEPT_EDITS = "claims_kept_edits"
LEFT_EDITS = "claims_left_edits"  # kept edits found on return, offered until saved or discarded


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


# Settings page.
SETTINGS_NAME = "settings_publisher_name"
SETTINGS_URL = "settings_publisher_url"
SETTINGS_LOGO = "settings_publisher_logo"
SETTINGS_REVIEW_URL = "settings_review_url"
SAVE_SETTINGS = "save_settings"

# "Checked before?" and the Fact-checks page
LINK_FACTCHECK = "link_factcheck"
UNLINK_FACTCHECK = "unlink_factcheck"
FACTCHECK_UPLOADS = "factcheck_uploads"
FACTCHECK_UPLOADS_ROUND = "factcheck_uploads_round"  # a new uploader after each import
FACTCHECK_IMPORT_RESULTS = "factcheck_import_results"
FACTCHECK_SEARCH = "factcheck_search"
FACTCHECK_PUBLISHER = "factcheck_publisher"
FACTCHECK_PAGE = "factcheck_page"
FACTCHECK_SHOWN = "factcheck_shown"  # search and publisher of the page shown: another starts at page 1
CHECKED_ARTICLE = "checked_article"  # (article id, its sentences' hits) after "Find already-checked claims"
