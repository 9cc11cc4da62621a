"""A component that sets or deletes a cookie in the editor's browser; the server reads it back, at the
next page load, through `st.context.cookies`. Streamlit has no API to set a cookie itself."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

_component = st.components.v2.component(
    "claim_annotator.browser_cookie",
    js=(Path(__file__).parent / "cookie.js").read_text(encoding="utf-8"),
)


def set_browser_cookie(name: str, value: str | None, *, max_age: int, key: str) -> None:
    """Keep `value` in the cookie `name` for `max_age` seconds (URL-encoded); None deletes it.

    The browser writes it once this run's output reaches it, so render it on every run that should
    keep it, not only the run that changed it.
    """
    _component(key=key, data={"name": name, "value": value, "maxAge": max_age}, height=0)
