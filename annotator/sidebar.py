"""The sidebar: who is editing, which store is open, and what it holds."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from annotator import state
from annotator.resources import current_stats, repository
from annotator.text import plural


def show_sidebar() -> None:
    with st.sidebar:
        _who_am_i()
        st.divider()
        _store_summary()


def _who_am_i() -> None:
    name = state.editor()
    if name:
        st.markdown("**Editing as**")
        st.text(name)
        if st.button("Change name", key="change_editor", icon=":material/person:"):
            state.drop(state.EDITOR)
            st.rerun()
        return
    with st.form("who_am_i", border=False):
        typed = st.text_input(
            "Your name",
            key=state.EDITOR_INPUT,
            placeholder="e.g. Ana Ruiz",
            help="Recorded on every claim you create or change.",
        )
        if st.form_submit_button("Start editing", type="primary") and typed.strip():
            state.put(state.EDITOR, typed.strip())
            st.rerun()


def _store_summary() -> None:
    repo = repository()
    stats = current_stats()
    st.caption("Store")
    st.text(Path(repo.location).name, help=repo.location)
    st.caption(
        " · ".join(
            [
                plural(stats.articles, "article"),
                plural(stats.sentences, "sentence"),
                plural(stats.claims, "claim"),
            ]
        )
    )
