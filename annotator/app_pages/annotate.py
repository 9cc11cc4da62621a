"""Annotate: the article with its claims highlighted; select a span to label it, click one to edit it."""

import streamlit as st

from annotator import state
from annotator.claim_panel import show_claim_panel
from annotator.components.span_selector import span_selector
from annotator.feedback import errors_shown
from annotator.forms import sentence_label
from annotator.palette import ColourBy, claim_highlights, legend
from annotator.resources import article_by_id, repository
from annotator.tables import article_title
from annotator.text import literal, plural
from claims.annotations import locate_quote, next_unclaimed_sentence

repo = repository()
summaries = sorted(repo.list_articles(), key=lambda a: (a.imported_at, a.id))
if not summaries:
    st.title("Annotate")
    st.info("No articles yet: import one on the Articles page.")
    st.stop()

# A link from the claims table (?article=…&claim=…) opens that claim in its article.
linked_article = st.query_params.get("article")
if linked_article:
    state.put(state.ARTICLE_ID, linked_article)
    if st.query_params.get("claim"):
        state.put(state.OPEN_CLAIM, {"id": st.query_params["claim"], "article_id": linked_article})
    st.query_params.clear()

ids = [summary.id for summary in summaries]
current_id = state.get(state.ARTICLE_ID, ids[0])
if current_id not in ids:
    current_id = ids[0]
position = ids.index(current_id)


def go_to(article_id: str) -> None:
    state.put(state.ARTICLE_ID, article_id)
    state.drop(state.PENDING_SPAN, state.OPEN_CLAIM, state.CONFLICT, state.FOCUS_SENTENCE)


back, picker, forward = st.columns([1, 6, 1], vertical_alignment="bottom")
back.button("◀ Previous", disabled=position == 0, on_click=go_to, args=(ids[max(position - 1, 0)],),
            width="stretch")  # fmt: skip
forward.button("Next ▶", disabled=position == len(ids) - 1, on_click=go_to,
               args=(ids[min(position + 1, len(ids) - 1)],), width="stretch")  # fmt: skip
titles = {summary.id: article_title(summary) for summary in summaries}
state.put(state.ARTICLE_PICKER, current_id)
picker.selectbox(
    "Article",
    ids,
    format_func=titles.__getitem__,
    key=state.ARTICLE_PICKER,
    on_change=lambda: go_to(state.get(state.ARTICLE_PICKER, current_id)),
)

article = article_by_id(current_id)
claims = repo.list_claims(article.id)
meta = " · ".join(filter(None, [article.date.isoformat() if article.date else None, article.url]))
st.subheader(literal(article_title(article)))
counts = f"{plural(len(article.sentences), 'sentence')} · {plural(len(claims), 'claim')}"
st.caption(literal(f"{meta} · {counts}"))

text_col, panel_col = st.columns([3, 2], gap="large")

with text_col:
    colour_by: ColourBy = st.segmented_control(
        "Colour by", ["status", "verdict"], default="status", key=state.COLOUR_BY
    ) or "status"  # fmt: skip
    st.html(
        " ".join(
            f'<span style="background:{colour};padding:1px 6px;margin-right:6px;border-radius:3px;'
            f'font-size:0.8em">{name}</span>'
            for name, colour in legend(colour_by).items()
        )
    )
    opened_id = (state.get(state.OPEN_CLAIM, None) or {}).get("id")
    highlights = claim_highlights(claims, colour_by, selected=opened_id)
    event = span_selector(article.text, article.sentences, highlights, key=state.SPAN_SELECTOR)
    if event and event["action"] == "select":
        state.put(state.PENDING_SPAN, (event["start"], event["end"]))
        state.drop(state.OPEN_CLAIM, state.CONFLICT)
        st.rerun()  # so the article drops the outline of the claim that was open
    elif event and event["action"] == "open":
        state.put(state.OPEN_CLAIM, {"id": event["id"], "article_id": article.id})
        state.drop(state.PENDING_SPAN, state.CONFLICT)
        st.rerun()  # so the article outlines the claim now open

    with st.expander("Mark a claim without the mouse", icon=":material/keyboard:"):
        focus = state.get(state.FOCUS_SENTENCE, 0)
        if st.button("Next sentence without claims", icon=":material/skip_next:"):
            found = next_unclaimed_sentence(article.sentences, claims, after=focus)
            if found is None:
                st.info("Every sentence after this one has a claim.")
            else:
                state.put(state.FOCUS_SENTENCE, found)
                state.put(state.FALLBACK_SENTENCE, found)
        sentence_index = st.selectbox(
            "Sentence",
            range(len(article.sentences)),
            format_func=lambda i: sentence_label(article.sentences[i]),
            key=state.FALLBACK_SENTENCE,
        )
        quote = st.text_input("Words of the claim (blank for the whole sentence)", key=state.FALLBACK_QUOTE)
        if st.button("Use this span", icon=":material/format_quote:"):
            with errors_shown():
                start, end = locate_quote(article, sentence_index, quote)
                state.put(state.PENDING_SPAN, (start, end))
                state.put(state.FOCUS_SENTENCE, sentence_index)
                state.drop(state.OPEN_CLAIM, state.CONFLICT)
        if claims:
            ordered = sorted(claims, key=lambda c: (c.start, c.end))
            opened = st.selectbox(
                "Or open a claim",
                [c.id for c in ordered],
                format_func=lambda i: next(c.quote for c in ordered if c.id == i)[:90],
                key=state.OPEN_PICKER,
            )
            if st.button("Open claim", icon=":material/open_in_new:"):
                state.put(state.OPEN_CLAIM, {"id": opened, "article_id": article.id})
                state.drop(state.PENDING_SPAN, state.CONFLICT)

with panel_col:
    show_claim_panel(repo, article)
