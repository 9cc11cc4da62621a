"""Claims: every claim in one table, filtered, bulk status changes, downloads in every format."""

from collections.abc import Callable

import streamlit as st

from annotator import state
from annotator.identity import current_editor
from annotator.resources import repository
from annotator.tables import article_title, claim_rows, status_edits
from annotator.text import plural
from claims.filtering import ClaimFilter, change_claims, filter_claims
from claims.formats.export import EXPORT_FORMATS, FILE_SUFFIXES, MEDIA_TYPES, ExportFormat, export_bytes
from claims.models import ClaimChanges, ClaimStatus, ClaimType, Verdict

DOWNLOAD_LABELS = {"json": "JSON", "jsonl": "JSON Lines", "csv": "CSV", "claimreview": "ClaimReview"}

repo = repository()
articles = {summary.id: summary for summary in repo.list_articles()}
every_claim = repo.list_claims()

st.title("Claims")
if not every_claim:
    st.info("No claims yet: label some on the Annotate page.")
    st.stop()

status_col, verdict_col, type_col = st.columns(3)
statuses = status_col.multiselect("Status", [s.value for s in ClaimStatus], key=state.FILTER_STATUS)
verdicts = verdict_col.multiselect("Verdict", [v.value for v in Verdict], key=state.FILTER_VERDICT)
types = type_col.multiselect("Type", [t.value for t in ClaimType], key=state.FILTER_TYPE)
claimant_col, article_col, text_col = st.columns(3)
claimants = claimant_col.multiselect(
    "Claimant", sorted({c.claimant for c in every_claim if c.claimant}), key=state.FILTER_CLAIMANT
)
article_ids = article_col.multiselect(
    "Article", list(articles), format_func=lambda i: article_title(articles[i]), key=state.FILTER_ARTICLE
)
text = text_col.text_input(
    "Search", placeholder="words in quote, claimant, source, notes", key=state.FILTER_TEXT
)

chosen = ClaimFilter(
    statuses={ClaimStatus(s) for s in statuses},
    verdicts={Verdict(v) for v in verdicts},
    types={ClaimType(t) for t in types},
    claimants=set(claimants),
    article_ids=set(article_ids),
    text=text,
)
shown_claims = filter_claims(every_claim, chosen, articles)
rows = claim_rows(shown_claims, articles)
st.caption(f"{len(rows)} of {plural(len(every_claim), 'claim')}")

st.data_editor(
    rows,
    key=state.CLAIMS_EDITOR,
    hide_index=True,
    width="stretch",
    disabled=[column for column in (rows[0] if rows else {}) if column != "status"],
    column_order=[
        "quote",
        "type",
        "claimant",
        "source",
        "status",
        "verdict",
        "article",
        "editor",
        "updated",
        "link",
    ],
    column_config={
        "status": st.column_config.SelectboxColumn(
            "status", options=[s.value for s in ClaimStatus], required=True
        ),
        "updated": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
        "link": st.column_config.LinkColumn("open", display_text="open in article"),
        "quote": st.column_config.TextColumn(width="large"),
    },
)
edits = status_edits(state.get(state.CLAIMS_EDITOR, {}).get("edited_rows", {}), rows)

bulk_col, apply_col, save_col = st.columns([2, 2, 2], vertical_alignment="bottom")
bulk_status = bulk_col.selectbox(
    "Set the status of all shown claims to", [s.value for s in ClaimStatus], key=state.BULK_STATUS
)
if apply_col.button(f"Apply to {plural(len(shown_claims), 'shown claim')}", disabled=not shown_claims):
    changes = {claim.id: ClaimChanges(status=ClaimStatus(bulk_status)) for claim in shown_claims}
    state.put(
        state.BULK_RESULT, change_claims(repo, changes, {c.id: c for c in shown_claims}, current_editor())
    )
    st.rerun()
if save_col.button(f"Save {plural(len(edits), 'status edit')}", disabled=not edits, type="primary"):
    state.put(
        state.BULK_RESULT, change_claims(repo, edits, {c.id: c for c in shown_claims}, current_editor())
    )
    state.drop(state.CLAIMS_EDITOR)
    st.rerun()

outcome = state.get(state.BULK_RESULT, None)
if outcome is not None:
    st.success(f"Changed {plural(len(outcome.changed), 'claim')}.")
    for reason in outcome.refused.values():
        st.error(reason)
    state.drop(state.BULK_RESULT)

st.subheader("Download")
scope = st.radio(
    "Which claims",
    ["all", "shown"],
    format_func={
        "all": f"All {plural(len(every_claim), 'claim')}",
        "shown": f"The {len(shown_claims)} shown",
    }.__getitem__,
    horizontal=True,
    key=state.DOWNLOAD_SCOPE,
)
picked = None if scope == "all" else shown_claims


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
