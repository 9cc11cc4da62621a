"""The suggestion panel beside the article: why a span was proposed; accept or reject it, or all like it."""

from __future__ import annotations

import streamlit as st

from annotator import state
from annotator.checked_before import show_checked_before
from annotator.claim_form import claim_form, forget_draft
from annotator.feedback import errors_shown
from annotator.forms import fields_from_form
from annotator.identity import current_editor
from annotator.text import all_of, literal, plural
from claims.actions import text_to_match
from claims.models import Article, ClaimFields, Suggestion
from claims.store.contract import Repository
from claims.suggest.grouping import in_same_sentence, of_same_kind, on_same_span
from claims.suggest.review import accept_suggestions, reject_suggestions, suggested_fields, suggestion_id
from claims.suggest.scores import score_in_words


def show_suggestion_panel(
    repo: Repository, article: Article, suggestion: Suggestion, shown: list[Suggestion]
) -> bool:
    """Why the suggestion was made, and what to do with it; True while its claim form is shown."""
    kind = suggestion.claim_type.value
    st.markdown(f"#### Suggested {kind}")
    with st.container(border=True):
        st.text(suggestion.quote)
        details = [f"{score_in_words(suggestion.score)} (score {suggestion.score:.2f})", suggestion.reason]
        if suggestion.claimant:
            details.append(f"claimant: {suggestion.claimant}")
        if suggestion.source:
            details.append(f"source: {suggestion.source}")
        if suggestion.cue:
            details.append(f"cue: “{suggestion.cue}”")
        st.caption(literal(" · ".join(details)))

    draft_key = state.OpenItem.suggestion(article.id, suggestion_id(suggestion)).draft_key
    if state.get(state.ACCEPTING, False) or draft_key in state.drafts():
        values = claim_form(
            draft_key,
            0,
            ClaimFields(**suggested_fields(suggestion)),
            None,
            "Save claim",
            details_open=False,
            on_cancel=lambda: state.drop(state.ACCEPTING),
        )
        if values is not None:
            with errors_shown():
                fields = fields_from_form(values)
                [claim] = accept_suggestions(repo, article, [(suggestion, fields)], by=current_editor())
                forget_draft(draft_key)
                _done(f"Saved as a claim ({kind})")
                state.open_item(state.OpenItem.claim(article.id, claim.id))
                st.rerun()
        return True

    accept, reject = st.columns(2)
    if accept.button(
        "Accept…",
        key=state.ACCEPT_SUGGESTION,
        type="primary",
        icon=":material/check:",
        width="stretch",
        help="Open it as a new claim with these labels, to check them before saving",
    ):
        state.put(state.ACCEPTING, True)
        state.request_focus()
        st.rerun()
    if reject.button(
        "Reject",
        key=state.REJECT_SUGGESTION,
        icon=":material/close:",
        width="stretch",
        help="Never show this suggestion again for this article",
    ):
        _reject(repo, article, [suggestion], "Rejected")

    same_span = on_same_span(suggestion, shown)
    for other in same_span:
        label = f"Also suggested here: {other.claim_type.value}"
        if st.button(label, key=f"{state.SWITCH_SUGGESTION}-{suggestion_id(other)}"):
            state.open_item(state.OpenItem.suggestion(article.id, suggestion_id(other)))
            st.rerun()

    same_kind = of_same_kind(suggestion, shown)
    in_sentence = in_same_sentence(suggestion, shown)
    st.caption(f"Every {kind} suggestion shown")
    for scope, group in (
        (f"in sentence {suggestion.sentence_index + 1}", in_sentence),
        ("in the article", same_kind),
    ):
        label = f"{all_of(len(group), kind + ' suggestion')} {scope}"
        if st.button(f"Accept {label}", key=f"{state.ACCEPT_ALL}-{scope}", width="stretch"):
            with errors_shown():
                accepted = accept_suggestions(
                    repo, article, [(s, suggested_fields(s)) for s in group], by=current_editor()
                )
                _done(f"Accepted {plural(len(accepted), 'claim')}")
                st.rerun()
        if st.button(f"Reject {label}", key=f"{state.REJECT_ALL}-{scope}", width="stretch"):
            _reject(repo, article, group, "Rejected")
    show_checked_before(repo, text_to_match(article, suggestion.start, suggestion.end))
    return False


def _reject(repo: Repository, article: Article, suggestions: list[Suggestion], verb: str) -> None:
    with errors_shown():
        count = reject_suggestions(repo, article, suggestions, by=current_editor())
        _done(f"{verb} {plural(count, 'suggestion')}")
        st.rerun()


def _done(message: str) -> None:
    st.toast(message, icon=":material/check:")
    state.open_item(None)
