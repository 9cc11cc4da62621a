"""Annotate: the article with its claims highlighted; select a span to label it, click one to edit it.

The article picker asks the store for a page of articles around the open one (never the whole
list), and the page reads only the open article's claims. The URL names the place (`?article=…&claim=…`
or `&suggestion=…`): it follows the editor as they move, and a reload, back/forward or a link from
elsewhere lands on the place it names.
"""

import streamlit as st

from annotator import state
from annotator.claim_panel import show_panel
from annotator.components.span_selector import span_selector
from annotator.forms import sentence_label
from annotator.identity import current_editor
from annotator.palette import SUGGESTION_COLOUR, ColourBy, claim_highlights, legend, suggestion_highlights
from annotator.resources import article_by_id, article_page, claim_page, repository, suggestions_for
from annotator.text import literal, plural
from claims.annotations import locate_quote, next_unclaimed_sentence
from claims.article_listing import article_title
from claims.errors import ClaimsError
from claims.labels import label
from claims.models import ArticleQuery, Claim, ClaimFilter, ClaimQuery, ClaimSort
from claims.suggest.engine import WORTH_CHECKING
from claims.suggest.ranking import SuggestionView
from claims.suggest.review import open_in_view, open_suggestions, suggestion_id
from claims.workflow import may_review

PLACE_KEYS = ("article", "claim", "suggestion")
# The article column scrolls with the page; the panel beside it stays in view (below the app header).
# Streamlit wraps each container in a layout wrapper as tall as the container, so the wrapper is
# what sticks, within the column; a panel taller than the window scrolls on its own.
STICKY_PANEL_CSS = f"""<style>
[data-testid="stLayoutWrapper"]:has(> .st-key-{state.CLAIM_PANEL}) {{
  position: sticky;
  top: 4rem;
  z-index: 1;
}}
.st-key-{state.CLAIM_PANEL} {{
  max-height: calc(100vh - 5rem);
  overflow-y: auto;
  padding-right: 0.25rem;
}}
</style>"""

PICKER_SIZE = 50  # articles the picker offers at a time, around the open one
MY_CLAIMS = 50  # claims the "My claims" list offers


def why_mine(claim: Claim, editor: str) -> str:
    """Why a claim is in the editor's "My claims", in words."""
    if may_review(claim, editor):
        return "waiting for your review"
    if claim.assignee == editor:
        return "assigned to you"
    return "mentions you"


repo = repository()
newest = article_page(ArticleQuery(limit=1))
if not newest.total:
    st.title("Annotate")
    st.info("No articles yet: import one on the Articles page.")
    st.stop()


def stored(article_id: str) -> bool:
    try:
        article_by_id(article_id)
    except ClaimsError:  # not stored (deleted, or an id from a mistyped link)
        return False
    return True


def place_in_url() -> dict[str, str]:
    return {key: st.query_params[key] for key in PLACE_KEYS if st.query_params.get(key)}


def item_in(place: dict[str, str]) -> state.OpenItem | None:
    article_id = place["article"]
    if place.get("claim"):
        return state.OpenItem.claim(article_id, place["claim"])
    if place.get("suggestion"):
        return state.OpenItem.suggestion(article_id, place["suggestion"])
    return None


# A URL naming a place this session did not write there is a reload, a link, or back/forward: go there.
# (A URL naming no article, as after the sidebar's page links, keeps the session's place.)
linked = place_in_url()
if linked.get("article") and linked != state.get(state.URL_PLACE, None):
    state.put(state.URL_PLACE, linked)
    if stored(linked["article"]):
        if linked["article"] != state.get(state.ARTICLE_ID, None):
            state.drop(*state.KEYBOARD_MARKING, state.ARTICLE_POSITION)
        state.put(state.ARTICLE_ID, linked["article"])
        state.open_item(item_in(linked))
    else:
        st.warning(
            literal(
                f"The link names article {linked['article']}, which this store does not hold "
                "(it may have been deleted): showing another article."
            ),
            icon=":material/link_off:",
        )

current_id: str = state.get(state.ARTICLE_ID, newest.rows[0].article.id)
if not stored(current_id):
    current_id = newest.rows[0].article.id
    state.drop(state.ARTICLE_POSITION)
state.put(state.ARTICLE_ID, current_id)  # an article imported meanwhile is newer, but this one stays open


def listing(search: str, offset: int, limit: int) -> list[str]:
    """Ids of the articles matching `search`, newest import first, from `offset`."""
    found = article_page(ArticleQuery(text=search, offset=offset, limit=limit))
    return [row.article.id for row in found.rows]


# Where the open article is in the picker's order (newest import first, narrowed by the search): kept
# from the last move while it still holds, else looked for among the first PICKER_SIZE; None if not there.
search: str = state.get(state.PICKER_SEARCH, "")
kept_place: tuple[str, int] | None = state.get(state.ARTICLE_POSITION, None)
position: int | None = None
if kept_place is not None and kept_place[0] == search and listing(search, kept_place[1], 1) == [current_id]:
    position = kept_place[1]
elif current_id in (first := listing(search, 0, PICKER_SIZE)):
    position = first.index(current_id)
window_start = max(0, (position or 0) - PICKER_SIZE // 2)
window = article_page(ArticleQuery(text=search, offset=window_start, limit=PICKER_SIZE))
offered = {row.article.id: article_title(row.article) for row in window.rows}
if current_id not in offered:  # the open article is always offered, first when the search leaves it out
    offered = {current_id: article_title(article_by_id(current_id)), **offered}


def go_to(article_id: str, place: int | None = None) -> None:
    state.put(state.ARTICLE_ID, article_id)
    state.put(state.ARTICLE_POSITION, (search, place) if place is not None else None)
    state.open_item(None)
    state.drop(*state.KEYBOARD_MARKING)


def step(by: int) -> None:
    """Previous (-1) or next (+1) article in the picker's order."""
    assert position is not None  # the buttons are disabled otherwise
    neighbour = listing(search, position + by, 1)
    if neighbour:
        go_to(neighbour[0], position + by)


def picker_changed() -> None:
    chosen = state.get(state.ARTICLE_PICKER, current_id)
    ids = [row.article.id for row in window.rows]
    go_to(chosen, window_start + ids.index(chosen) if chosen in ids else None)


back, search_col, picker, forward = st.columns([1, 3, 5, 1], vertical_alignment="bottom")
back.button("◀ Previous", disabled=not position, on_click=step, args=(-1,), width="stretch")
forward.button(
    "Next ▶",
    disabled=position is None or position >= window.total - 1,
    on_click=step,
    args=(1,),
    width="stretch",
)
search_col.text_input("Find an article", key=state.PICKER_SEARCH, placeholder="title, file, URL or id")
state.put(state.ARTICLE_PICKER, current_id)
picker.selectbox(
    "Article",
    list(offered),
    format_func=offered.__getitem__,
    key=state.ARTICLE_PICKER,
    on_change=picker_changed,
    help=f"Newest import first; up to {PICKER_SIZE} at a time (type in *Find an article* to narrow them)",
)

me = current_editor()
mine = claim_page(ClaimQuery(filter=ClaimFilter(mine=me), sort=ClaimSort.WAITING, limit=MY_CLAIMS))


def open_mine() -> None:
    """Open the claim chosen in "My claims", in its article."""
    chosen = next((c for c in mine.claims if c.id == state.get(state.MY_CLAIMS_LIST, None)), None)
    if chosen is not None:
        if chosen.article_id != current_id:
            state.drop(*state.KEYBOARD_MARKING, state.ARTICLE_POSITION)
        state.put(state.ARTICLE_ID, chosen.article_id)
        state.open_item(state.OpenItem.claim(chosen.article_id, chosen.id))


article = article_by_id(current_id)
claims = repo.list_claims(article.id)
meta = " · ".join(filter(None, [article.date.isoformat() if article.date else None, article.url]))
st.subheader(literal(article_title(article)))
decisions = repo.list_decisions(article.id)
counts = f"{plural(len(article.sentences), 'sentence')} · {plural(len(claims), 'claim')}"
st.caption(literal(f"{meta} · {counts}"))
with st.expander(f"My claims ({mine.total:,})", icon=":material/assignment_ind:"):
    if mine.claims:
        reasons = {claim.id: why_mine(claim, me) for claim in mine.claims}
        my_claims = {claim.id: claim for claim in mine.claims}
        mine_col, open_col = st.columns([5, 1], vertical_alignment="bottom")
        mine_col.selectbox(
            "Assigned to me, mentioning me, or waiting for my review (longest in its status first)",
            list(my_claims),
            format_func=lambda i: f"{reasons[i]} · {label(my_claims[i].status)} · {my_claims[i].quote[:80]}",
            key=state.MY_CLAIMS_LIST,
        )
        open_col.button(
            "Open", key=state.OPEN_MINE, on_click=open_mine, icon=":material/open_in_new:", width="stretch"
        )
        if mine.total > len(mine.claims):
            st.caption(
                f"The {len(mine.claims)} waiting longest of {mine.total:,}; the Claims page lists all."
            )
    else:
        st.caption("Nothing is assigned to you, mentions you or waits for your review.")
st.html(STICKY_PANEL_CSS)

text_col, panel_col = st.columns([3, 2], gap="large")


def mark_span(sentence_index: int, quote: str) -> None:
    """Open the claim form on the words (the whole sentence when blank), keyboard focus in its first field."""
    state.drop(state.MARK_PROBLEM)
    try:
        start, end = locate_quote(article, sentence_index, quote)
    except ClaimsError as problem:
        state.put(state.MARK_PROBLEM, str(problem))
        return
    state.open_item(state.OpenItem.span(article.id, start, end))
    state.put(state.FOCUS_SENTENCE, sentence_index)
    state.request_focus()


def mark_typed_words() -> None:
    """The words box: Enter marks the words typed."""
    if state.get(state.FALLBACK_QUOTE, "").strip():
        mark_span(state.get(state.FALLBACK_SENTENCE, 0), state.get(state.FALLBACK_QUOTE, ""))


def mark_chosen_span() -> None:
    mark_span(state.get(state.FALLBACK_SENTENCE, 0), state.get(state.FALLBACK_QUOTE, ""))


def next_unclaimed() -> None:
    found = next_unclaimed_sentence(article.sentences, claims, after=state.get(state.FOCUS_SENTENCE, 0))
    if found is None:
        state.put(state.MARK_PROBLEM, "Every sentence after this one has a claim.")
    else:
        state.drop(state.MARK_PROBLEM)
        state.put(state.FOCUS_SENTENCE, found)
        state.put(state.FALLBACK_SENTENCE, found)


with text_col:
    colour_by: ColourBy = (
        st.segmented_control("Colour by", ["status", "verdict"], default="status", key=state.COLOUR_BY)
        or "status"
    )
    suggest_col, all_col, low_col = st.columns(3)
    show_suggestions = suggest_col.toggle(
        "Suggestions",
        value=True,
        key=state.SHOW_SUGGESTIONS,
        help="Spans the tool proposes as check-worthy, underlined dashed: at first the best of them, "
        "on about a third of the sentences",
    )
    show_all = all_col.toggle(
        "Show all suggestions",
        value=False,
        key=state.ALL_SUGGESTIONS,
        disabled=not show_suggestions,
        help=f"Every claim scoring {WORTH_CHECKING} or more, not only the best third of the sentences",
    )
    low_scores = low_col.toggle(
        "Low scores too",
        value=False,
        key=state.LOW_SCORES,
        disabled=not show_suggestions,
        help=f"Every candidate, also those scoring under {WORTH_CHECKING} and overlapping ones",
    )
    # Every suggestion not yet decided, whatever its score: a selection matching one accepts it.
    undecided = open_suggestions(suggestions_for(article), claims, decisions, 0.0)
    view = SuggestionView.asked(show_all, low_scores)
    shown = open_in_view(suggestions_for(article), claims, decisions, len(article.sentences), view)
    suggestions = shown if show_suggestions else []
    st.html(
        " ".join(
            f'<span style="background:{colour};padding:1px 6px;margin-right:6px;border-radius:3px;'
            f'font-size:0.8em">{name}</span>'
            for name, colour in legend(colour_by).items()
        )
        + f' <span style="border-bottom:2px dashed {SUGGESTION_COLOUR};font-size:0.8em">suggested</span>'
    )
    item = state.opened()
    opened_id = item.id if item is not None and item.article_id == article.id else None
    highlights = claim_highlights(claims, colour_by, selected=opened_id)
    highlights += suggestion_highlights(suggestions, selected=opened_id)
    event = span_selector(article.text, article.sentences, highlights, key=state.SPAN_SELECTOR)
    if event and event["action"] == "select":
        state.open_item(state.OpenItem.span(article.id, event["start"], event["end"]))
        state.request_focus()
        st.rerun()  # so the article drops the outline of what was open
    elif event and event["action"] == "open":
        if event["kind"] == "claim":
            state.open_item(state.OpenItem.claim(article.id, event["id"]))
        else:
            state.open_item(state.OpenItem.suggestion(article.id, event["id"]))
        st.rerun()  # so the article outlines what is now open

    # The keyboard path, straight after the article: sentence, words (Enter marks them), then the form.
    sentence_col, quote_col = st.columns([1, 1], vertical_alignment="bottom")
    sentence_index = sentence_col.selectbox(
        "Sentence",
        range(len(article.sentences)),
        format_func=lambda i: sentence_label(article.sentences[i], width=400),  # searchable in full
        key=state.FALLBACK_SENTENCE,
    )
    quote_col.text_input(
        "Words of the claim (Enter marks them)",
        key=state.FALLBACK_QUOTE,
        on_change=mark_typed_words,
        placeholder="blank: the whole sentence",
    )
    use_col, next_col = st.columns(2)
    use_col.button(
        "Use this span",
        icon=":material/format_quote:",
        key=state.USE_SPAN,
        on_click=mark_chosen_span,
        width="stretch",
    )
    next_col.button(
        "Next sentence without claims",
        icon=":material/skip_next:",
        key=state.NEXT_UNCLAIMED,
        on_click=next_unclaimed,
        width="stretch",
    )
    problem = state.get(state.MARK_PROBLEM, None)
    if problem:
        st.error(problem, icon=":material/error:")

    with st.expander("Open a claim or a suggestion without the mouse", icon=":material/keyboard:"):
        if claims:
            ordered = sorted(claims, key=lambda c: (c.start, c.end))
            quotes = {c.id: c.quote for c in ordered}
            opened = st.selectbox(
                "Claim",
                list(quotes),
                format_func=lambda i: quotes[i][:90],
                key=state.OPEN_PICKER,
            )
            if st.button("Open claim", icon=":material/open_in_new:", key=state.OPEN_CLAIM_BUTTON):
                state.open_item(state.OpenItem.claim(article.id, opened))
                st.rerun()
        if suggestions:
            by_id = {suggestion_id(s): s for s in suggestions}
            picked = st.selectbox(
                "Suggestion",
                list(by_id),
                format_func=lambda i: f"{by_id[i].claim_type.value}: {by_id[i].quote[:80]}",
                key=state.SUGGESTION_PICKER,
            )
            if st.button("Open suggestion", icon=":material/lightbulb:", key=state.OPEN_SUGGESTION_BUTTON):
                state.open_item(state.OpenItem.suggestion(article.id, picked))
                st.rerun()
        if not claims and not suggestions:
            st.caption("This article has no claims or open suggestions yet.")

with panel_col, st.container(key=state.CLAIM_PANEL):
    show_panel(repo, article, suggestions, undecided)

# The URL names where the editor is now, so a reload, back/forward or a copied link comes back here.
item = state.opened()
place = {"article": article.id}
if item is not None and item.article_id == article.id and item.kind != "span":
    place[item.kind] = item.id
if place != place_in_url():
    others = {key: value for key, value in st.query_params.to_dict().items() if key not in PLACE_KEYS}
    st.query_params.from_dict({**others, **place})
state.put(state.URL_PLACE, place)
