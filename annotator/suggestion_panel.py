"""The suggestion panel beside the article: why a span was proposed; accept or reject it, or all like it."""

from __future__ import annotations

import streamlit as st

from annotator import state
from annotator.claim_panel import claim_form
from annotator.feedback import errors_shown
from annotator.identity import current_editor
from annotator.text import literal, plural
from claims.models import Article, ClaimFields, Suggestion
from claims.store.contract import Repository
from claims.suggest.review import accept_suggestions, reject_suggestions, suggested_fields, suggestion_id


def show_suggestion_panel(
    repo: Repository, article: Article, suggestion: Suggestion, shown: list[Suggestion]
) -> None:
    kind = suggestion.claim_type.value
    st.markdown(f"#### Suggested {kind}")
    with st.container(border=True):
        st.text(suggestion.quote)
        details = [f"score {suggestion.score:.2f}", suggestion.reason]
        if suggestion.claimant:
            details.append(f"claimant: {suggestion.claimant}")
        if suggestion.cue:
            details.append(f"cue: “{suggestion.cue}”")
        st.caption(literal(" · ".join(details)))

    if state.get(state.ACCEPTING, False):
        fields = claim_form(
            f"suggested_{suggestion.start}_{suggestion.end}",
            ClaimFields(**suggested_fields(suggestion)),
            "Save claim",
        )
        if st.button("Cancel", key="cancel_accept"):
            state.drop(state.ACCEPTING)
            st.rerun()
        if fields is not None:
            with errors_shown():
                [claim] = accept_suggestions(repo, article, [(suggestion, fields)], by=current_editor())
                _done(f"Saved as a claim ({kind})")
                state.put(state.OPEN_CLAIM, {"id": claim.id, "article_id": article.id})
                st.rerun()
        return

    accept, reject = st.columns(2)
    if accept.button(
        "Accept…",
        key="accept_suggestion",
        type="primary",
        icon=":material/check:",
        width="stretch",
        help="Open it as a new claim with these labels, to check them before saving",
    ):
        state.put(state.ACCEPTING, True)
        st.rerun()
    if reject.button(
        "Reject",
        key="reject_suggestion",
        icon=":material/close:",
        width="stretch",
        help="Never show this suggestion again for this article",
    ):
        _reject(repo, article, [suggestion], "Rejected")

    same_span = [
        s for s in shown if (s.start, s.end) == (suggestion.start, suggestion.end) and s != suggestion
    ]
    for other in same_span:
        if st.button(f"Also suggested here: {other.claim_type.value}", key=f"switch_{suggestion_id(other)}"):
            state.put(state.OPEN_SUGGESTION, suggestion_id(other))
            st.rerun()

    same_kind = [s for s in shown if s.claim_type == suggestion.claim_type]
    in_sentence = [s for s in same_kind if s.sentence_index == suggestion.sentence_index]
    st.caption(f"Every {kind} suggestion shown")
    for scope, group in (
        (f"in sentence {suggestion.sentence_index + 1}", in_sentence),
        ("in the article", same_kind),
    ):
        label = f"all {plural(len(group), kind + ' suggestion')} {scope}"
        if st.button(f"Accept {label}", key=f"accept_all_{scope}", width="stretch"):
            with errors_shown():
                accepted = accept_suggestions(
                    repo, article, [(s, suggested_fields(s)) for s in group], by=current_editor()
                )
                _done(f"Accepted {plural(len(accepted), 'claim')}")
                st.rerun()
        if st.button(f"Reject {label}", key=f"reject_all_{scope}", width="stretch"):
            _reject(repo, article, group, "Rejected")


def _reject(repo: Repository, article: Article, suggestions: list[Suggestion], verb: str) -> None:
    with errors_shown():
        count = reject_suggestions(repo, article, suggestions, by=current_editor())
        _done(f"{verb} {plural(count, 'suggestion')}")
        st.rerun()


def _done(message: str) -> None:
    st.toast(message, icon=":material/check:")
    state.drop(state.OPEN_SUGGESTION, state.ACCEPTING)
