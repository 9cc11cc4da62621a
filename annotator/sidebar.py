"""The sidebar: who is editing, which store is open, and what it holds."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from annotator import state
from annotator.components.cookie import set_browser_cookie
from annotator.identity import (
    COOKIE_MAX_AGE,
    EDITOR_COOKIE,
    Identity,
    IdentityMode,
    IdentitySettings,
    UnusableName,
    clean_name,
)
from annotator.resources import current_stats, repository
from annotator.text import plural


def show_sidebar(settings: IdentitySettings, identity: Identity) -> None:
    with st.sidebar:
        if settings.mode is IdentityMode.HEADER:
            _signed_in_by_proxy(settings, identity)
        elif settings.mode is IdentityMode.OIDC:
            _log_in_or_out(settings, identity)
        else:
            _who_am_i(identity)
        st.divider()
        _store_summary()
        if settings.mode is IdentityMode.TYPED:
            _remember_in_browser(identity)  # last: the component draws nothing but takes a gap


def _signed_in_by_proxy(settings: IdentitySettings, identity: Identity) -> None:
    if identity.editor:
        st.markdown("**Signed in as**")
        st.text(identity.editor, help=f"From the newsroom's sign-in ({settings.header} header)")
    else:
        st.markdown("**Not signed in**")


def _log_in_or_out(settings: IdentitySettings, identity: Identity) -> None:
    if identity.editor:
        st.markdown("**Signed in as**")
        st.text(identity.editor)
        if st.button("Log out", key=state.LOG_OUT, icon=":material/logout:"):
            st.logout()
        return
    for provider in settings.providers:
        label = f"Log in with {provider.capitalize()}" if provider else "Log in"
        if st.button(label, key=f"{state.LOG_IN}_{provider or ''}", type="primary", icon=":material/login:"):
            if provider:
                st.login(provider)
            else:
                st.login()


def _who_am_i(identity: Identity) -> None:
    if identity.editor:
        st.markdown("**Editing as**")
        st.text(identity.editor)
        if st.button("Change name", key=state.CHANGE_EDITOR, icon=":material/person:"):
            state.drop(state.EDITOR)
            state.put(state.EDITOR_COOKIE_DROPPED, True)
            st.rerun()
        return
    with st.form(state.EDITOR_FORM, border=False):
        typed = st.text_input(
            "Your name",
            key=state.EDITOR_INPUT,
            placeholder="e.g. Ana Ruiz",
            help="Recorded on every claim you create or change; this browser remembers it.",
        )
        if st.form_submit_button("Start editing", type="primary") and typed.strip():
            try:
                state.put(state.EDITOR, clean_name(typed))
            except UnusableName as problem:
                st.error(str(problem))
                return
            st.rerun()


def _remember_in_browser(identity: Identity) -> None:
    """Keep the typed name in a cookie for reloads and new tabs (renewed on every run), or drop it
    once the editor chose "Change name"."""
    if identity.editor:
        set_browser_cookie(
            EDITOR_COOKIE, identity.editor, max_age=COOKIE_MAX_AGE, key=state.EDITOR_COOKIE_WRITER
        )
    elif state.get(state.EDITOR_COOKIE_DROPPED, False):
        set_browser_cookie(EDITOR_COOKIE, None, max_age=0, key=state.EDITOR_COOKIE_WRITER)


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
