"""Annotate: the article with its claims highlighted; select a span to label it, click one to edit it."""

import streamlit as st

from annotator import state
from annotator.claim_panel import show_claim_panel
from annotator.components.span_selector import span_selector
from annotator.feedback import errors_shown
from annotator.forms import sentence_label
from annotator.palette import SUGGESTION_COLOUR, ColourBy, claim_highlights, legend, suggestion_highlights
from annotator.resources import article_by_id, repository, suggestions_for
from annotator.suggestion_panel import show_suggestion_panel
from annotator.tables import article_title
from annotator.text import literal, plural
from claims.annotations import locate_quote, next_unclaimed_sentence
from claims.suggest.engine import WORTH_CHECKING
from claims.suggest.review import open_suggestions, suggestion_id

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


def open_item(item_id: str) -> None:
    """Open a claim or (ids starting "s:") a suggestion in the panel beside the article."""
    state.drop(state.PENDING_SPAN, state.CONFLICT, state.ACCEPTING, state.OPEN_CLAIM, state.OPEN_SUGGESTION)
    if item_id.startswith("s:"):
        state.put(state.OPEN_SUGGESTION, item_id)
    else:
        state.put(state.OPEN_CLAIM, {"id": item_id, "article_id": current_id})


def go_to(article_id: str) -> None:
    state.put(state.ARTICLE_ID, article_id)
    state.drop(state.PENDING_SPAN, state.OPEN_CLAIM, state.OPEN_SUGGESTION, state.ACCEPTING, state.CONFLICT)
    state.drop(state.FOCUS_SENTENCE)


back, picker, forward = st.columns([1, 6, 1], vertical_alignment="bottom")
back.button(
    "◀ Previous", disabled=position == 0, on_click=go_to, args=(ids[max(position - 1, 0)],), width="stretch"
)
forward.button(
    "Next ▶",
    disabled=position == len(ids) - 1,
    on_click=go_to,
    args=(ids[min(position + 1, len(ids) - 1)],),
    width="stretch",
)
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
decisions = repo.list_decisions(article.id)
counts = f"{plural(len(article.sentences), 'sentence')} · {plural(len(claims), 'claim')}"
st.caption(literal(f"{meta} · {counts}"))

text_col, panel_col = st.columns([3, 2], gap="large")

with text_col:
    colour_by: ColourBy = (
        st.segmented_control("Colour by", ["status", "verdict"], default="status", key=state.COLOUR_BY)
        or "status"
    )
    suggest_col, low_col = st.columns(2)
    show_suggestions = suggest_col.toggle(
        "Suggestions",
        value=True,
        key=state.SHOW_SUGGESTIONS,
        help="Spans the tool proposes as check-worthy, underlined dashed",
    )
    low_scores = low_col.toggle(
        "Low scores too",
        value=False,
        key=state.LOW_SCORES,
        disabled=not show_suggestions,
        help=f"Also show suggestions scoring under {WORTH_CHECKING}",
    )
    suggestions = (
        open_suggestions(suggestions_for(article), claims, decisions, 0.0 if low_scores else WORTH_CHECKING)
        if show_suggestions
        else []
    )
    st.html(
        " ".join(
            f'<span style="background:{colour};padding:1px 6px;margin-right:6px;border-radius:3px;'
            f'font-size:0.8em">{name}</span>'
            for name, colour in legend(colour_by).items()
        )
        + f' <span style="border-bottom:2px dashed {SUGGESTION_COLOUR};font-size:0.8em">suggested</span>'
    )
    opened_id = (state.get(state.OPEN_CLAIM, None) or {}).get("id") or state.get(state.OPEN_SUGGESTION, None)
    highlights = claim_highlights(claims, colour_by, selected=opened_id)
    highlights += suggestion_highlights(suggestions, selected=opened_id)
    event = span_selector(article.text, article.sentences, highlights, key=state.SPAN_SELECTOR)
    if event and event["action"] == "select":
        state.put(state.PENDING_SPAN, (event["start"], event["end"]))
        state.drop(state.OPEN_CLAIM, state.OPEN_SUGGESTION, state.ACCEPTING, state.CONFLICT)
        st.rerun()  # so the article drops the outline of what was open
    elif event and event["action"] == "open":
        open_item(event["id"])
        st.rerun()  # so the article outlines what is now open

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
                open_item(opened)
                st.rerun()
        if suggestions:
            by_id = {suggestion_id(s): s for s in suggestions}
            picked = st.selectbox(
                "Or open a suggestion",
                list(by_id),
                format_func=lambda i: f"{by_id[i].claim_type.value}: {by_id[i].quote[:80]}",
                key=state.SUGGESTION_PICKER,
            )
            if st.button("Open suggestion", icon=":material/lightbulb:"):
                open_item(picked)
                st.rerun()

with panel_col:
    open_suggestion = next(
        (s for s in suggestions if suggestion_id(s) == state.get(state.OPEN_SUGGESTION, None)), None
    )
    if open_suggestion is not None:
        show_suggestion_panel(repo, article, open_suggestion, suggestions)
    else:
        show_claim_panel(repo, article)
