"""Fact-checks: import other organisations' published fact-checks, search them, and see who published how
many. Claims and suggestions are matched against them ("Checked before?" on the Annotate page)."""

from __future__ import annotations

import streamlit as st

from annotator import state
from annotator.paging import page_buttons
from annotator.resources import repository
from annotator.text import plural, printable
from claims.formats.factcheck_importing import FACTCHECK_SUFFIXES, import_factcheck_bytes
from claims.models import FactCheckCounts, FactCheckGroup, FactCheckImport, FactCheckQuery

PAGE_SIZE = 50
ANY_PUBLISHER = "(any publisher)"

repo = repository()

st.title("Fact-checks")
st.caption(
    "Fact-checks already published, by this desk or others: every claim and suggestion is matched "
    "against them and against the desk's own rated claims."
)

upload_round: int = state.get(state.FACTCHECK_UPLOADS_ROUND, 0)
files = st.file_uploader(
    "ClaimReview JSON-LD or web pages, Google Fact Check Tools responses, CSV or TSV "
    "(columns id, claim, title, and optionally rating, url, publisher, date)",
    type=[suffix.lstrip(".") for suffix in FACTCHECK_SUFFIXES],
    accept_multiple_files=True,
    key=f"{state.FACTCHECK_UPLOADS}_{upload_round}",
)
if st.button("Import fact-checks", disabled=not files, icon=":material/upload:", type="primary"):
    results: list[FactCheckImport] = []
    progress = st.progress(0.0, text="Importing…")
    for done, upload in enumerate(files, start=1):
        results.append(import_factcheck_bytes(repo, upload.getvalue(), upload.name))
        progress.progress(done / len(files), text=f"Imported {done} of {plural(len(files), 'file')}")
    state.put(state.FACTCHECK_IMPORT_RESULTS, results)
    state.put(state.FACTCHECK_UPLOADS_ROUND, upload_round + 1)  # a new, empty uploader
    st.rerun()

imported: list[FactCheckImport] = state.get(state.FACTCHECK_IMPORT_RESULTS, [])
if imported:
    failed = sum(1 for result in imported if result.failed)
    (st.error if failed else st.success)(
        f"{plural(len(imported) - failed, 'file')} imported, {failed} failed"
    )
    st.dataframe(
        [
            {
                "file": printable(result.source),
                "added": counts.added,
                "updated": counts.updated,
                "unchanged": counts.unchanged,
                "problem": printable(result.message),
            }
            for result in imported
            for counts in [result.counts or FactCheckCounts()]
        ],
        hide_index=True,
        width="stretch",
    )

by_publisher = repo.count_factchecks_by(FactCheckGroup.PUBLISHER)
total = sum(by_publisher.values())
st.subheader(f"Known fact-checks ({total:,})")
if not total:
    st.info("No fact-checks imported yet: upload files above, or run `claims factchecks import FILE…`.")
    st.stop()

search_col, publisher_col = st.columns([2, 1])
search = search_col.text_input("Search claim, title, rating or publisher", key=state.FACTCHECK_SEARCH)
publishers = sorted(by_publisher, key=lambda name: (-by_publisher[name], name.casefold()))
publisher = publisher_col.selectbox(
    "Publisher",
    [ANY_PUBLISHER, *publishers],
    format_func=lambda name: name or "(no publisher)",
    key=state.FACTCHECK_PUBLISHER,
)
chosen = None if publisher == ANY_PUBLISHER else publisher
if state.get(state.FACTCHECK_SHOWN, None) != (search, chosen):  # another search starts at page 1
    state.put(state.FACTCHECK_SHOWN, (search, chosen))
    state.put(state.FACTCHECK_PAGE, 0)
number: int = state.get(state.FACTCHECK_PAGE, 0)
page = repo.query_factchecks(
    FactCheckQuery(text=search, publisher=chosen, offset=number * PAGE_SIZE, limit=PAGE_SIZE)
)
if not page.rows:
    st.info("No fact-check matches the search.")
else:
    first = number * PAGE_SIZE + 1
    st.caption(f"rows {first}–{first + len(page.rows) - 1} of {plural(page.total, 'matching fact-check')}")
    st.dataframe(
        [
            {
                "claim": printable(check.claim),
                "rating": printable(check.rating),
                "publisher": printable(check.publisher),
                "date": check.date,
                "title": printable(check.title),
                "link": check.url,
                "id": printable(check.id),
            }
            for check in page.rows
        ],
        hide_index=True,
        width="stretch",
        column_config={"link": st.column_config.LinkColumn(display_text="open")},
    )
    pages = -(-page.total // PAGE_SIZE)
    page_buttons(state.FACTCHECK_PAGE, number, pages)

st.subheader("By publisher")
st.dataframe(
    [
        {"publisher": printable(name) or "(no publisher)", "fact-checks": by_publisher[name]}
        for name in publishers
    ],
    hide_index=True,
    width="stretch",
)
