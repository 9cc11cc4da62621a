"""Articles: paste or upload articles, page through and search what is stored, open one, delete one."""

import hashlib
from collections import Counter
from collections.abc import Sequence
from typing import Any

import streamlit as st

from annotator import state
from annotator.checked_before import LIKELY_SAME, match_words
from annotator.feedback import errors_shown
from annotator.identity import current_editor
from annotator.paging import page_buttons
from annotator.resources import article_by_id, article_table_rows, repository
from annotator.text import literal, plural, printable
from claims.formats.articles import ARTICLE_SUFFIXES
from claims.formats.importing import import_bytes, import_pasted
from claims.labels import label
from claims.match.desk import checked_before_many
from claims.models import Article, ArticleQuery, ArticleSort, ImportResult

repo = repository()
editor = current_editor()


def show_import_results(results: Sequence[ImportResult]) -> None:
    """One line a file, names and messages with control characters shown as escapes, not obeyed."""
    counted = Counter(r.status for r in results)
    summary = ", ".join(
        f"{counted[status]} {label(status)}" for status in ("imported", "already_present", "failed")
    )
    (st.error if counted["failed"] else st.success)(summary)
    st.dataframe(
        [
            {
                "file": printable(r.source),
                "result": label(r.status),
                "title": printable(r.title or ""),
                "why": printable(r.message or ""),
            }
            for r in results
        ],
        hide_index=True,
        width="stretch",
    )


def table_key(rows: Sequence[dict[str, Any]]) -> str:
    """The table's key names the articles it lists, in order.

    Its selection is a row position, so when the list changes (an import, a delete, another
    editor's upload) the table starts afresh with nothing selected, rather than letting the same
    position select a different article.
    """
    listed = hashlib.sha256("\n".join(row["id"] for row in rows).encode()).hexdigest()[:16]
    return f"{state.ARTICLE_TABLE}_{listed}"


PAGE_SIZE = 50
SORTS = {
    ArticleSort.IMPORTED_DESC: "newest import first",
    ArticleSort.TITLE: "title, A to Z",
    ArticleSort.CLAIMS_DESC: "most claims first",
    ArticleSort.UPDATED_DESC: "latest claim change first",
}


@st.fragment
def stored_articles() -> None:
    """The table and its actions rerun on their own: selecting a row does not rerun the importers.

    A page of PAGE_SIZE articles at a time, searched and sorted by the store.
    """
    search_col, sort_col = st.columns([2, 1])
    search = search_col.text_input("Search title, file, URL or id", key=state.ARTICLE_SEARCH)
    sort = ArticleSort(
        sort_col.selectbox(
            "Sort",
            [s.value for s in SORTS],
            format_func=lambda value: SORTS[ArticleSort(value)],
            key=state.ARTICLE_SORT,
        )
    )
    if state.get(state.ARTICLES_SHOWN, None) != (search, sort.value):  # another search starts at page 1
        state.put(state.ARTICLES_SHOWN, (search, sort.value))
        state.put(state.ARTICLES_PAGE, 0)
    number: int = state.get(state.ARTICLES_PAGE, 0)
    rows, page = article_table_rows(
        ArticleQuery(text=search, sort=sort, offset=number * PAGE_SIZE, limit=PAGE_SIZE)
    )
    if page.total and not rows:  # fewer articles than when the page was chosen (a delete elsewhere)
        number = (page.total - 1) // PAGE_SIZE
        state.put(state.ARTICLES_PAGE, number)
        rows, page = article_table_rows(
            ArticleQuery(text=search, sort=sort, offset=number * PAGE_SIZE, limit=PAGE_SIZE)
        )
    if not rows:
        st.info(
            "No article matches the search."
            if search.strip()
            else "No articles yet: paste one or upload files above."
        )
        return
    pages = -(-page.total // PAGE_SIZE)
    first = number * PAGE_SIZE + 1
    st.caption(
        f"rows {first}–{first + len(rows) - 1} of {plural(page.total, 'article')} · "
        f"{plural(page.sentences, 'sentence')} · {plural(page.claims, 'claim')}"
    )
    for row in rows:
        row["title"] = printable(row["title"])
        row["last editor"] = row["last editor"] or ""  # an article stored without a name (e.g. by a script)
    picked = st.dataframe(
        rows,
        key=table_key(rows),
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
        column_order=["title", "date", "sentences", "claims", "status", "last editor", "updated"],
        column_config={"updated": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")},
    )
    page_buttons(state.ARTICLES_PAGE, number, pages)
    selected = [rows[position] for position in picked.selection.rows]
    chosen = selected[0] if selected else None
    if chosen is None:
        st.caption("Select an article in the table to annotate or delete it.")
    else:
        st.caption(f"Selected: **{literal(chosen['title'])}**")

    open_col, delete_col, check_col, _ = st.columns([1, 1, 2, 2])
    if open_col.button("Annotate", type="primary", icon=":material/edit_note:", disabled=chosen is None):
        assert chosen is not None  # a disabled button is never clicked
        state.put(state.ARTICLE_ID, chosen["id"])
        st.switch_page("app_pages/annotate.py", query_params={"article": chosen["id"]})
    if delete_col.button("Delete…", icon=":material/delete:", disabled=chosen is None):
        assert chosen is not None
        state.put(state.DELETE_PENDING, chosen["id"])
    if check_col.button(
        "Find already-checked claims",
        icon=":material/manage_search:",
        disabled=chosen is None,
        help="Run every sentence of the article against the known fact-checks and the desk's rated claims",
    ):
        assert chosen is not None
        with errors_shown(), st.spinner("Matching every sentence…"):
            state.put(state.CHECKED_ARTICLE, (chosen["id"], already_checked(article_by_id(chosen["id"]))))
    checked = state.get(state.CHECKED_ARTICLE, None)
    if chosen is not None and checked is not None and checked[0] == chosen["id"]:
        show_already_checked(chosen["id"], checked[1])

    if chosen is None or state.get(state.DELETE_PENDING, None) != chosen["id"]:
        state.drop(state.DELETE_PENDING)  # a question belongs to the row it was asked about
        return
    its_claims = f" and its {plural(chosen['claims'], 'claim')}" if chosen["claims"] else ""
    st.warning(f"Delete **{literal(chosen['title'])}**{its_claims}? This cannot be undone.")
    yes, no, _ = st.columns([1, 1, 4])
    if yes.button("Yes, delete", type="primary"):
        with errors_shown():
            repo.delete_article(chosen["id"], by=editor)
            state.drop(state.DELETE_PENDING, state.ARTICLE_ID, state.OPEN_ITEM)
            st.toast(f"Deleted {literal(chosen['title'])}")
            st.rerun()  # the whole app: the sidebar counts change too
    no.button("Cancel", on_click=state.drop, args=(state.DELETE_PENDING,))


def already_checked(article: Article) -> list[dict[str, Any]]:
    """Each sentence of `article` that an earlier fact-check probably covers, with its best match."""
    found = checked_before_many(repo, [s.text for s in article.sentences], top=1, min_score=LIKELY_SAME)
    return [
        {
            "sentence": sentence.index + 1,
            "text": printable(sentence.text),
            "checked before": printable(match.title or match.claim),
            "rating": printable(match.rating),
            "publisher": printable(match.publisher or ("this desk" if match.source == "store" else "")),
            "match": match_words(match.score),
            "score": round(match.score, 2),
            "link": match.url,
        }
        for sentence, matches in zip(article.sentences, found, strict=True)
        for match in matches[:1]
    ]


def show_already_checked(article_id: str, hits: list[dict[str, Any]]) -> None:
    if not hits:
        st.info("No sentence of this article matches a known fact-check closely enough.")
        return
    st.markdown(f"**{plural(len(hits), 'sentence')} probably checked before**")
    st.dataframe(
        hits,
        hide_index=True,
        width="stretch",
        column_config={"link": st.column_config.LinkColumn(display_text="open")},
    )
    st.page_link(
        "app_pages/annotate.py",
        label="Open the article to link them to its claims",
        query_params={"article": article_id},
        icon=":material/edit_note:",
    )


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
    upload_round: int = state.get(state.UPLOADS_ROUND, 0)
    files = st.file_uploader(
        "Article files (plain text, the headline/date/URL format, JSON or JSON Lines)",
        type=[suffix.lstrip(".") for suffix in ARTICLE_SUFFIXES],
        accept_multiple_files=True,
        key=f"{state.UPLOADS}_{upload_round}",
    )
    if st.button("Import files", disabled=not files, icon=":material/upload:"):
        imported: list[ImportResult] = []
        progress = st.progress(0.0, text="Importing…")
        for done, upload in enumerate(files, start=1):
            imported.extend(import_bytes(repo, upload.getvalue(), upload.name, by=editor))
            progress.progress(done / len(files), text=f"Imported {done} of {plural(len(files), 'file')}")
        state.put(state.IMPORT_RESULTS, imported)
        # A new key is a new, empty uploader: the next import does not carry these files again.
        state.put(state.UPLOADS_ROUND, upload_round + 1)
        st.rerun()

results: list[ImportResult] = state.get(state.IMPORT_RESULTS, [])
if results:
    show_import_results(results)

st.subheader("Stored articles")
stored_articles()
