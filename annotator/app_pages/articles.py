"""Articles: paste or upload articles, see what is stored, open one, delete one."""

import streamlit as st

from annotator import state
from annotator.feedback import errors_shown
from annotator.resources import repository
from annotator.tables import article_rows, article_title
from annotator.text import literal, plural
from claims.formats.articles import ARTICLE_SUFFIXES
from claims.formats.importing import import_bytes, import_pasted
from claims.models import ImportResult

repo = repository()
editor = state.editor()

st.title("Articles")

paste_tab, upload_tab = st.tabs(["Paste an article", "Upload files"])

with paste_tab, st.form(state.PASTE_FORM, clear_on_submit=True):
    title = st.text_input("Title")
    left, right = st.columns(2)
    url = left.text_input("URL", placeholder="https://…")
    date = right.date_input("Published", value=None, format="YYYY-MM-DD")
    body = st.text_area("Body: one paragraph per line", height=220)
    if st.form_submit_button("Import article", type="primary", icon=":material/add:"):
        result = import_pasted(repo, body, title=title or None, url=url or None, date=date, by=editor)
        state.put(state.IMPORT_RESULTS, [result])
        st.rerun()  # so the sidebar counts include it

with upload_tab:
    files = st.file_uploader(
        "Article files (plain text, the headline/date/URL format, JSON or JSON Lines)",
        type=[suffix.lstrip(".") for suffix in ARTICLE_SUFFIXES],
        accept_multiple_files=True,
        key=state.UPLOADS,
    )
    if st.button("Import files", disabled=not files, icon=":material/upload:"):
        results: list[ImportResult] = []
        progress = st.progress(0.0, text="Importing…")
        for done, upload in enumerate(files or [], start=1):
            results.extend(import_bytes(repo, upload.getvalue(), upload.name, by=editor))
            progress.progress(done / len(files or [1]), text=f"Imported {done} of {len(files or [])}")
        state.put(state.IMPORT_RESULTS, results)
        st.rerun()

results: list[ImportResult] = state.get(state.IMPORT_RESULTS, [])
if results:
    counts = {
        status: sum(r.status == status for r in results)
        for status in ("imported", "already_present", "failed")
    }
    summary = ", ".join(
        f"{counts[key]} {label}"
        for key, label in (
            ("imported", "imported"),
            ("already_present", "already present"),
            ("failed", "failed"),
        )
    )
    (st.error if counts["failed"] else st.success)(summary)
    st.dataframe(
        [
            {"file": r.source, "result": r.status.replace("_", " "), "title": r.title or "", "why": r.message}
            for r in results
        ],
        hide_index=True,
        width="stretch",
    )

st.subheader("Stored articles")
summaries = repo.list_articles()
if not summaries:
    st.info("No articles yet: paste one or upload files above.")
    st.stop()

rows = article_rows(summaries, repo.list_claims())
picked = st.dataframe(
    rows,
    key=state.ARTICLE_TABLE,
    on_select="rerun",
    selection_mode="single-row",
    hide_index=True,
    width="stretch",
    column_order=["title", "date", "sentences", "claims", "status", "last editor", "updated"],
    column_config={"updated": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")},
)
chosen_rows = picked.selection.rows if picked else []
by_id = {summary.id: summary for summary in summaries}
chosen_id = rows[chosen_rows[0]]["id"] if chosen_rows else state.get(state.ARTICLE_ID, None)
if chosen_id not in by_id:
    chosen_id = rows[0]["id"]
chosen = by_id[chosen_id]

st.caption(f"Selected: **{literal(article_title(chosen))}**")
open_col, delete_col, _ = st.columns([1, 1, 4])
if open_col.button("Annotate", type="primary", icon=":material/edit_note:"):
    state.put(state.ARTICLE_ID, chosen.id)
    st.switch_page("app_pages/annotate.py")
if delete_col.button("Delete…", icon=":material/delete:"):
    state.put(state.DELETE_PENDING, chosen.id)

if state.get(state.DELETE_PENDING, None) == chosen.id:
    claim_count = next(row["claims"] for row in rows if row["id"] == chosen.id)
    st.warning(
        f"Delete **{literal(article_title(chosen))}** and its {plural(claim_count, 'claim')}? "
        "This cannot be undone."
    )
    yes, no, _ = st.columns([1, 1, 4])
    if yes.button("Yes, delete", type="primary"):
        with errors_shown():
            repo.delete_article(chosen.id, by=editor or "")
            state.drop(state.DELETE_PENDING, state.ARTICLE_ID, state.OPEN_CLAIM, state.PENDING_SPAN)
            st.toast(f"Deleted {article_title(chosen)}")
            st.rerun()
    if no.button("Cancel"):
        state.drop(state.DELETE_PENDING)
        st.rerun()
