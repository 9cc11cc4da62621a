"""Claims: the claims matching the filters, a page at a time, in the order chosen (the store filters,
sorts and pages them); edits by claim id, confirmed before saving; bulk status changes of every matching
claim that ask first and can be undone; downloads in every format."""

from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from annotator import state
from annotator.identity import current_editor
from annotator.paging import page_buttons
from annotator.resources import article_summaries, claim_counts, claim_page, repository
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
from claims.change_sets import PlannedEdit, apply_edits, plan_edits, set_status_of_matching, undo_edits
from claims.errors import ClaimReviewInvalid, ClaimsError, SettingsError
from claims.formats.export import EXPORT_FORMATS, FILE_SUFFIXES, MEDIA_TYPES, ExportFormat, export_bytes
from claims.labels import label
from claims.models import (
    Claim,
    ClaimFilter,
    ClaimQuery,
    ClaimSort,
    ClaimStatus,
    ClaimType,
    Verdict,
    utc_now,
)

DOWNLOAD_LABELS = {
    "json": "JSON",
    "jsonl": "JSON Lines",
    "csv": "CSV",
    "claimreview": "ClaimReview",
    "webannotation": "Web Annotation",
}
DOWNLOAD_HELP = {
    "claimreview": "schema.org ClaimReview (JSON-LD) of the approved and published claims with a verdict",
    "webannotation": "W3C Web Annotations (JSON-LD), one a claim, for annotation tools",
}
PAGE_SIZES = (50, 100, 200)
SORTS = {
    ClaimSort.UPDATED_DESC: "newest change first",
    ClaimSort.UPDATED: "oldest change first",
    ClaimSort.CREATED_DESC: "newest claim first",
    ClaimSort.ARTICLE: "article, then place in it",
    ClaimSort.STATUS: "status, in workflow order",
    ClaimSort.CLAIMANT: "claimant, A to Z",
    ClaimSort.WAITING: "longest in its status first",
}
NOBODY = "(nobody)"  # the assignee filter's word for claims assigned to no one ("" in the store)

repo = repository()
by = current_editor()

st.title("Claims")
by_status = claim_counts("status")
in_all = sum(by_status.values())
if not in_all:
    st.info("No claims yet: label some on the Annotate page.")
    st.stop()


def edited_rows(snapshot: TableSnapshot | None) -> dict[Any, Any]:
    """The positional edits of the editor showing `snapshot` (read before it is drawn again)."""
    if snapshot is None:
        return {}
    editor_state: dict[str, Any] = state.get(snapshot.key(state.CLAIMS_EDITOR), {})
    edits: dict[Any, Any] = editor_state.get("edited_rows", {})
    return edits


def new_snapshot(shown: list[Claim], offset: int, total: int) -> TableSnapshot:
    """A fresh editor: a key never used before, so no edit of an earlier editor can carry over."""
    generation = state.get(state.TABLE_GENERATION, 0) + 1
    state.put(state.TABLE_GENERATION, generation)
    articles = article_summaries(claim.article_id for claim in shown)
    snapshot = TableSnapshot.of(generation, shown, articles, offset=offset, total=total)
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

# Filters, sort and page size: widgets are forgotten when the page is left, so their values are kept in
# KEPT_FILTER and KEPT_VIEW and put back into the widgets on return.
claimant_options = sorted(name for name in claim_counts("claimant") if name)
assignee_options = sorted(claim_counts("assignee"), key=lambda name: (name != "", name.casefold()))
editor_options = sorted(claim_counts("updated_by"), key=str.casefold)
kept: ClaimFilter = state.get(state.KEPT_FILTER, ClaimFilter())
kept_view: tuple[str, int] = state.get(state.KEPT_VIEW, (ClaimSort.UPDATED_DESC.value, 100))
for key, value in {
    state.FILTER_TEXT: kept.text,
    state.FILTER_TITLE: kept.title,
    state.FILTER_STATUS: [s.value for s in ClaimStatus if s in kept.statuses],
    state.FILTER_VERDICT: [v.value for v in Verdict if v in kept.verdicts],
    state.FILTER_TYPE: [t.value for t in ClaimType if t in kept.types],
    state.FILTER_CLAIMANT: [c for c in claimant_options if c in kept.claimants],
    state.FILTER_ASSIGNEE: [a for a in assignee_options if a in kept.assignees],
    state.FILTER_EDITOR: [e for e in editor_options if e in kept.editors],
    state.FILTER_MINE: bool(kept.mine),
    state.CLAIMS_SORT: kept_view[0],
    state.PAGE_SIZE: kept_view[1],
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


text_col, title_col, mine_col = st.columns([4, 2, 1], vertical_alignment="bottom")
text = text_col.text_input("Search quote, claimant, source, notes", key=state.FILTER_TEXT, disabled=editing)
title = title_col.text_input("Article title", key=state.FILTER_TITLE, disabled=editing)
mine = mine_col.toggle(
    "My claims",
    key=state.FILTER_MINE,
    disabled=editing,
    help="Open claims assigned to you, mentioning you in a comment, or waiting for your review",
)
status_col, verdict_col, type_col = st.columns(3)
statuses = vocabulary_filter(status_col, "Status", ClaimStatus, state.FILTER_STATUS)
verdicts = vocabulary_filter(verdict_col, "Verdict", Verdict, state.FILTER_VERDICT)
types = vocabulary_filter(type_col, "Type", ClaimType, state.FILTER_TYPE)
claimant_col, assignee_col, editor_col = st.columns(3)
claimants = claimant_col.multiselect(
    "Claimant", claimant_options, key=state.FILTER_CLAIMANT, disabled=editing
)
assignees = assignee_col.multiselect(
    "Assigned to",
    assignee_options,
    format_func=lambda name: name or NOBODY,
    key=state.FILTER_ASSIGNEE,
    disabled=editing,
)
editors = editor_col.multiselect("Changed by", editor_options, key=state.FILTER_EDITOR, disabled=editing)
chosen = ClaimFilter(
    statuses={ClaimStatus(s) for s in statuses},
    verdicts={Verdict(v) for v in verdicts},
    types={ClaimType(t) for t in types},
    claimants=set(claimants),
    assignees=set(assignees),
    editors=set(editors),
    text=text,
    title=title,
    mine=by if mine else "",
)
state.put(state.KEPT_FILTER, chosen)
sort_col, size_col, _ = st.columns([2, 1, 3])
sort = ClaimSort(
    sort_col.selectbox(
        "Sort",
        [s.value for s in SORTS],
        format_func=lambda value: SORTS[ClaimSort(value)],
        key=state.CLAIMS_SORT,
        disabled=editing,
    )
)
size = int(size_col.selectbox("Rows a page", PAGE_SIZES, key=state.PAGE_SIZE, disabled=editing))
state.put(state.KEPT_VIEW, (sort.value, size))

# Another filter, sort or page size starts again at page 1.
shown_query = (chosen.model_dump_json(), sort.value, size)
if state.get(state.SHOWN_QUERY, None) != shown_query:
    state.put(state.SHOWN_QUERY, shown_query)
    state.put(state.CLAIMS_PAGE, 0)

# The editor keeps what it was given while edits are pending (positions refer to it, versions are
# what a save expects); otherwise it follows the store, the filters and the page.
if snapshot is None or not editing:
    number: int = state.get(state.CLAIMS_PAGE, 0)
    page = claim_page(ClaimQuery(filter=chosen, sort=sort, offset=number * size, limit=size))
    if page.total and number * size >= page.total:  # fewer claims match than when the page was chosen
        number = (page.total - 1) // size
        state.put(state.CLAIMS_PAGE, number)
        page = claim_page(ClaimQuery(filter=chosen, sort=sort, offset=number * size, limit=size))
    if snapshot is None or not snapshot.shows(page.claims) or snapshot.total != page.total:
        snapshot = new_snapshot(page.claims, number * size, page.total)
number = snapshot.offset // size
pages = max(1, -(-snapshot.total // size))


shown_rows = (
    f"rows {snapshot.offset + 1}–{snapshot.offset + len(snapshot.rows)} of {snapshot.total:,} matching"
    if snapshot.rows
    else f"no claims of {plural(in_all, 'claim')} match"
)
st.caption(
    (f"{shown_rows} · {plural(in_all, 'claim')} in all" if snapshot.rows else shown_rows)
    + (" · save or discard your edits to change the filters or the page" if editing else "")
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

page_buttons(state.CLAIMS_PAGE, number, pages, frozen=editing)

planned: list[PlannedEdit] = []
try:
    planned = plan_edits(table_edits(edited_rows(snapshot), snapshot.rows), snapshot.claims, by)
except ClaimsError as error:  # a value the core refuses, or a step the workflow does not allow
    st.error(f"Cannot save this edit: {literal(str(error))}", icon=":material/error:")

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
    "Set the status of every matching claim to",
    [s.value for s in ClaimStatus],
    index=None,
    placeholder="Choose a status",
    format_func=lambda v: label(ClaimStatus(v)),
    key=state.BULK_STATUS,
    disabled=editing,
)
if apply_col.button(
    f"Apply to {plural(snapshot.total, 'matching claim')}…",
    disabled=target is None or editing or not snapshot.total,
    width="stretch",
):
    status = ClaimStatus(str(target))
    asked_at = utc_now()
    counted = claim_counts("status", chosen)
    state.put(
        state.BULK_PENDING,
        BulkRequest(status, chosen, sum(counted.values()), counted.get(status, 0), asked_at, snapshot.claims),
    )

request: BulkRequest | None = state.get(state.BULK_PENDING, None)
if request is not None:
    already = (
        f" ({request.already:,} of the {request.matching:,} matching already are {label(request.status)}.)"
        if request.already
        else ""
    )
    if not request.changing:
        st.info(f"All {plural(request.matching, 'matching claim')} already are {label(request.status)}.")
        state.drop(state.BULK_PENDING)
    else:
        with st.container(border=True):
            question = (
                f"Set status of {plural(request.changing, 'matching claim')} to {label(request.status)}?"
            )
            st.markdown(f"**{question}**{already}")
            why = st.text_input(
                "Comment (a claim moved back a step needs one; it joins each changed claim's thread)",
                key=state.BULK_COMMENT,
            )
            confirmed = False
            if request.status is ClaimStatus.APPROVED:
                confirmed = st.checkbox(
                    "I checked the evidence: approve verdicts resting on fewer than two independent sources",
                    key=state.BULK_CONFIRM_THIN,
                )
            yes_col, no_col, _ = st.columns([2, 2, 3])
            if yes_col.button(f"Yes, set {plural(request.changing, 'claim')}", type="primary"):
                outcome = set_status_of_matching(
                    repo,
                    request.chosen,
                    request.status,
                    by,
                    asked_at=request.asked_at,
                    seen=request.seen,
                    comment=why.strip() or None,
                    evidence_confirmed=confirmed,
                )
                state.put(state.LAST_CHANGE, ChangeReport("bulk", outcome, request.status))
                state.drop(
                    state.BULK_PENDING,
                    state.BULK_STATUS,
                    state.BULK_COMMENT,
                    state.BULK_CONFIRM_THIN,
                    state.TABLE_SNAPSHOT,
                    state.KEPT_EDITS,
                )
                st.rerun()
            if no_col.button("Cancel"):
                state.drop(state.BULK_PENDING)
                st.rerun()

st.subheader("Download")
every_or_matching = st.radio(
    "Which claims",
    ["all", "matching"],
    format_func={
        "all": f"All {plural(in_all, 'claim')}",
        "matching": f"The {snapshot.total:,} matching the filter",
    }.__getitem__,
    horizontal=True,
    key=state.DOWNLOAD_SCOPE,
)


def matching_claims(wanted: ClaimFilter) -> Iterator[Claim]:
    """Every claim matching `wanted`, read a thousand at a time (the most one query returns)."""
    offset = 0
    while True:
        found = repo.query_claims(
            ClaimQuery(filter=wanted, sort=ClaimSort.ARTICLE, offset=offset, limit=1000)
        )
        yield from found.claims
        offset += len(found.claims)
        if not found.claims or offset >= found.total:
            return


def export_as(fmt: ExportFormat, scope: str, wanted: ClaimFilter) -> Callable[[], bytes]:
    """Built when the editor clicks, not on every rerun: a large store takes seconds to export."""
    return lambda: export_bytes(repo, fmt, None if scope == "all" else list(matching_claims(wanted)))


def prepare_claimreview(scope: str, wanted: ClaimFilter) -> None:
    """ClaimReview is checked against Google's requirements before a byte is written: built on request, so
    a refusal can say what each claim lacks instead of offering a file."""
    try:
        state.put(state.CLAIMREVIEW_FILE, export_as("claimreview", scope, wanted)())
    except (ClaimReviewInvalid, SettingsError) as refused:
        state.put(state.CLAIMREVIEW_FILE, str(refused))


for column, fmt in zip(st.columns(len(EXPORT_FORMATS)), EXPORT_FORMATS, strict=True):
    if fmt == "claimreview":
        column.button(
            f"{DOWNLOAD_LABELS[fmt]}…",
            key=state.PREPARE_CLAIMREVIEW,
            help=DOWNLOAD_HELP[fmt] + " (checked first)",
            on_click=prepare_claimreview,
            args=(every_or_matching, chosen),
            icon=":material/fact_check:",
            width="stretch",
        )
        continue
    column.download_button(
        DOWNLOAD_LABELS.get(fmt, fmt),
        help=DOWNLOAD_HELP.get(fmt),
        data=export_as(fmt, every_or_matching, chosen),
        file_name=f"claims.{FILE_SUFFIXES[fmt]}",
        mime=MEDIA_TYPES[fmt],
        icon=":material/download:",
        width="stretch",
        on_click="ignore",
    )

prepared: bytes | str | None = state.get(state.CLAIMREVIEW_FILE, None)
if isinstance(prepared, str):
    st.error(f"ClaimReview refused: {literal(prepared)}", icon=":material/error:")
elif prepared is not None:
    st.download_button(
        "Download the ClaimReview file",
        data=prepared,
        file_name=f"claims.{FILE_SUFFIXES['claimreview']}",
        mime=MEDIA_TYPES["claimreview"],
        icon=":material/download:",
        type="primary",
        on_click="ignore",
    )
