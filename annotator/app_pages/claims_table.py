"""Claims: every claim in one table, filtered; edits by claim id, confirmed before saving; bulk status
changes that ask first and can be undone; downloads in every format."""

from collections.abc import Callable
from enum import StrEnum
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from annotator import state
from annotator.identity import current_editor
from annotator.resources import repository
from annotator.tables import CLAIM_COLUMN_WIDTHS as WIDTHS
from annotator.tables import (
    EDITABLE_COLUMNS,
    ROW_COLUMNS,
    BulkRequest,
    ChangeReport,
    TableSnapshot,
    table_edits,
)
from annotator.text import literal, plural
from claims.change_sets import PlannedEdit, apply_edits, plan_edits, undo_edits
from claims.errors import InvalidClaim
from claims.filtering import ClaimFilter, filter_claims
from claims.formats.export import EXPORT_FORMATS, FILE_SUFFIXES, MEDIA_TYPES, ExportFormat, export_bytes
from claims.labels import label
from claims.models import Claim, ClaimChanges, ClaimStatus, ClaimType, Verdict

DOWNLOAD_LABELS = {"json": "JSON", "jsonl": "JSON Lines", "csv": "CSV", "claimreview": "ClaimReview"}

repo = repository()
articles = {summary.id: summary for summary in repo.list_articles()}
every_claim = repo.list_claims()
by = current_editor()

st.title("Claims")
if not every_claim:
    st.info("No claims yet: label some on the Annotate page.")
    st.stop()


def edited_rows(snapshot: TableSnapshot | None) -> dict[Any, Any]:
    """The positional edits of the editor showing `snapshot` (read before it is drawn again)."""
    if snapshot is None:
        return {}
    editor_state: dict[str, Any] = state.get(snapshot.key(state.CLAIMS_EDITOR), {})
    edits: dict[Any, Any] = editor_state.get("edited_rows", {})
    return edits


def new_snapshot(chosen_claims: list[Claim]) -> TableSnapshot:
    """A fresh editor: a key never used before, so no edit of an earlier editor can carry over."""
    generation = state.get(state.TABLE_GENERATION, 0) + 1
    state.put(state.TABLE_GENERATION, generation)
    snapshot = TableSnapshot.of(generation, chosen_claims, articles)
    state.put(state.TABLE_SNAPSHOT, snapshot)
    return snapshot


def describe_edit(edit: PlannedEdit) -> str:
    fields = "; ".join(f"{f.field}: {literal(f.old)} → {literal(f.new)}" for f in edit.fields)
    return f"**“{literal(edit.seen.quote)}”** — {fields}"


def ask_to_save(question: str, edits: list[PlannedEdit], save: str, cancel: str, asking: str) -> None:
    """List `edits` under `question`; saving writes them against the versions seen and starts a fresh
    table, cancelling only forgets the question (`asking`, the session key that keeps it open)."""
    with st.container(border=True):
        st.markdown(question)
        st.markdown("\n".join(f"- {describe_edit(edit)}" for edit in edits))
        yes_col, no_col, _ = st.columns([2, 2, 3])
        if yes_col.button(save, type="primary"):
            state.put(state.LAST_CHANGE, ChangeReport("saved", apply_edits(repo, edits, by)))
            state.drop(asking, state.TABLE_SNAPSHOT, state.KEPT_EDITS)
            st.rerun()
        if no_col.button(cancel):
            state.drop(asking)
            st.rerun()


snapshot: TableSnapshot | None = state.get(state.TABLE_SNAPSHOT, None)
editing = bool(edited_rows(snapshot))
# Read before the table is drawn (drawing registers its key): False when the editor left the page.
table_kept_its_state = snapshot is not None and snapshot.key(state.CLAIMS_EDITOR) in st.session_state
if not table_kept_its_state and state.get(state.KEPT_EDITS, []):
    state.put(state.LEFT_EDITS, state.get(state.KEPT_EDITS, []))
    state.drop(state.KEPT_EDITS)
if editing:
    state.drop(state.BULK_PENDING)

# Filters: widgets are forgotten when the page is left, so their values are kept in KEPT_FILTER and
# put back into the widgets on return.
claimant_options = sorted({c.claimant for c in every_claim if c.claimant})
kept: ClaimFilter = state.get(state.KEPT_FILTER, ClaimFilter())
for key, value in {
    state.FILTER_TEXT: kept.text,
    state.FILTER_TITLE: kept.title,
    state.FILTER_STATUS: [s.value for s in ClaimStatus if s in kept.statuses],
    state.FILTER_VERDICT: [v.value for v in Verdict if v in kept.verdicts],
    state.FILTER_TYPE: [t.value for t in ClaimType if t in kept.types],
    state.FILTER_CLAIMANT: [c for c in claimant_options if c in kept.claimants],
}.items():
    if key not in st.session_state:
        state.put(key, value)


def vocabulary_filter(column: DeltaGenerator, name: str, vocabulary: type[StrEnum], key: str) -> list[str]:
    """A multiselect of a vocabulary's stored values, shown in the app's words."""
    chosen: list[str] = column.multiselect(
        name,
        [value.value for value in vocabulary],
        format_func=lambda value: label(vocabulary(value)),
        key=key,
        disabled=editing,
    )
    return chosen


text_col, title_col = st.columns([2, 1])
text = text_col.text_input("Search quote, claimant, source, notes", key=state.FILTER_TEXT, disabled=editing)
title = title_col.text_input("Article title", key=state.FILTER_TITLE, disabled=editing)
status_col, verdict_col, type_col, claimant_col = st.columns(4)
statuses = vocabulary_filter(status_col, "Status", ClaimStatus, state.FILTER_STATUS)
verdicts = vocabulary_filter(verdict_col, "Verdict", Verdict, state.FILTER_VERDICT)
types = vocabulary_filter(type_col, "Type", ClaimType, state.FILTER_TYPE)
claimants = claimant_col.multiselect(
    "Claimant", claimant_options, key=state.FILTER_CLAIMANT, disabled=editing
)
chosen = ClaimFilter(
    statuses={ClaimStatus(s) for s in statuses},
    verdicts={Verdict(v) for v in verdicts},
    types={ClaimType(t) for t in types},
    claimants=set(claimants),
    text=text,
    title=title,
)
state.put(state.KEPT_FILTER, chosen)

# The editor keeps what it was given while edits are pending (positions refer to it, versions are
# what a save expects); otherwise it follows the store and the filters.
shown = filter_claims(every_claim, chosen, articles)
if snapshot is None or (not editing and not snapshot.shows(shown)):
    snapshot = new_snapshot(shown)

st.caption(
    f"{len(snapshot.rows)} of {plural(len(every_claim), 'claim')}"
    + (" · save or discard your edits to change the filters" if editing else "")
)
st.data_editor(
    snapshot.rows,
    key=snapshot.key(state.CLAIMS_EDITOR),
    hide_index=True,
    width="stretch",
    disabled=[column for column in ROW_COLUMNS if column not in EDITABLE_COLUMNS],
    column_order=list(WIDTHS) + ["article", "source"],
    column_config={
        "quote": st.column_config.TextColumn("quote", width=WIDTHS["quote"]),
        "link": st.column_config.LinkColumn("open", display_text="open in article", width=WIDTHS["link"]),
        "status": st.column_config.SelectboxColumn(
            "status",
            options=[label(s) for s in ClaimStatus],
            required=True,
            width=WIDTHS["status"],
        ),
        "verdict": st.column_config.SelectboxColumn(
            "verdict",
            options=[label(v) for v in Verdict],
            required=True,
            width=WIDTHS["verdict"],
        ),
        "claimant": st.column_config.TextColumn("claimant", max_chars=300, width=WIDTHS["claimant"]),
        "editor": st.column_config.TextColumn("editor", width=WIDTHS["editor"]),
        "updated": st.column_config.DatetimeColumn(
            "updated", format="YYYY-MM-DD HH:mm", width=WIDTHS["updated"]
        ),
        "type": st.column_config.TextColumn("type", width=WIDTHS["type"]),
        "article": st.column_config.TextColumn("article", width="medium"),
    },
)

planned: list[PlannedEdit] = []
try:
    planned = plan_edits(table_edits(edited_rows(snapshot), snapshot.rows), snapshot.claims, by)
except InvalidClaim as error:
    st.error(f"Cannot save this edit: {error}")

# Edits made before the editor left the page: the table forgot them, this page did not.
state.put(state.KEPT_EDITS, planned)
left_behind: list[PlannedEdit] = state.get(state.LEFT_EDITS, [])
if left_behind:
    ask_to_save(
        f"**You left this page with {plural(len(left_behind), 'unsaved change')}.** "
        "Save them now (each against the version you saw) or discard them.",
        left_behind,
        f"Save {plural(len(left_behind), 'left change')}",
        "Discard them",
        state.LEFT_EDITS,
    )

if editing:
    count_col, save_col, discard_col = st.columns([3, 2, 2], vertical_alignment="center")
    count_col.caption(f"{plural(len(planned), 'unsaved change')}")
    if save_col.button(
        f"Save {plural(len(planned), 'change')}…", disabled=not planned, type="primary", width="stretch"
    ):
        state.put(state.TABLE_REVIEW, True)
    if discard_col.button("Discard edits", width="stretch"):
        state.drop(state.TABLE_SNAPSHOT, state.TABLE_REVIEW, state.KEPT_EDITS)
        st.rerun()

reviewing: bool = state.get(state.TABLE_REVIEW, False)
if planned and reviewing:
    ask_to_save(
        f"**Save these changes to {plural(len(planned), 'claim')}?**",
        planned,
        f"Yes, save {plural(len(planned), 'claim')}",
        "Keep editing",
        state.TABLE_REVIEW,
    )

report: ChangeReport | None = state.get(state.LAST_CHANGE, None)
if report is not None:
    done = report.outcome
    message_col, undo_col = st.columns([5, 1], vertical_alignment="center")
    if done.applied:
        message_col.success(report.summary())
    else:
        message_col.warning(report.summary())
    if report.kind != "undone" and done.applied and undo_col.button("Undo", width="stretch"):
        state.put(state.LAST_CHANGE, ChangeReport("undone", undo_edits(repo, done, by)))
        state.drop(state.TABLE_SNAPSHOT, state.KEPT_EDITS)
        st.rerun()
    for refused in done.refused:
        st.error(f"“{literal(refused.quote)}”: {literal(refused.reason)}")

bulk_col, apply_col = st.columns([2, 1], vertical_alignment="bottom")
target = bulk_col.selectbox(
    "Set the status of every shown claim to",
    [s.value for s in ClaimStatus],
    index=None,
    placeholder="Choose a status",
    format_func=lambda v: label(ClaimStatus(v)),
    key=state.BULK_STATUS,
    disabled=editing,
)
if apply_col.button(
    f"Apply to {plural(len(snapshot.rows), 'shown claim')}…",
    disabled=target is None or editing or not snapshot.rows,
    width="stretch",
):
    status = ClaimStatus(str(target))
    changes = {claim.id: ClaimChanges(status=status) for claim in snapshot.shown_claims()}
    state.put(state.BULK_PENDING, BulkRequest(status, plan_edits(changes, snapshot.claims, by), len(changes)))

request: BulkRequest | None = state.get(state.BULK_PENDING, None)
if request is not None:
    others = request.shown - len(request.planned)
    already = (
        f" ({others} of the {request.shown} shown already are {label(request.status)}.)" if others else ""
    )
    if not request.planned:
        st.info(f"All {plural(request.shown, 'shown claim')} already are {label(request.status)}.")
        state.drop(state.BULK_PENDING)
    else:
        with st.container(border=True):
            question = f"Set status of {plural(len(request.planned), 'claim')} to {label(request.status)}?"
            st.markdown(f"**{question}**{already}")
            yes_col, no_col, _ = st.columns([2, 2, 3])
            if yes_col.button(f"Yes, set {plural(len(request.planned), 'claim')}", type="primary"):
                outcome = apply_edits(repo, request.planned, by)
                state.put(state.LAST_CHANGE, ChangeReport("bulk", outcome, request.status))
                state.drop(state.BULK_PENDING, state.BULK_STATUS, state.TABLE_SNAPSHOT, state.KEPT_EDITS)
                st.rerun()
            if no_col.button("Cancel"):
                state.drop(state.BULK_PENDING)
                st.rerun()

st.subheader("Download")
every_or_shown = st.radio(
    "Which claims",
    ["all", "shown"],
    format_func={
        "all": f"All {plural(len(every_claim), 'claim')}",
        "shown": f"The {len(snapshot.rows)} shown",
    }.__getitem__,
    horizontal=True,
    key=state.DOWNLOAD_SCOPE,
)
picked = None if every_or_shown == "all" else snapshot.shown_claims()


def export_as(fmt: ExportFormat) -> Callable[[], bytes]:
    """Built when the editor clicks, not on every rerun: a large store takes seconds to export."""
    return lambda: export_bytes(repo, fmt, picked)


for column, fmt in zip(st.columns(len(EXPORT_FORMATS)), EXPORT_FORMATS, strict=True):
    column.download_button(
        DOWNLOAD_LABELS[fmt],
        help="schema.org ClaimReview (JSON-LD) of the rated claims" if fmt == "claimreview" else None,
        data=export_as(fmt),
        file_name=f"claims.{FILE_SUFFIXES[fmt]}",
        mime=MEDIA_TYPES[fmt],
        icon=":material/download:",
        width="stretch",
        on_click="ignore",
    )
