"""The row of buttons under a paged table: *◀ Previous page*, "page k of n", *Next page ▶*."""

from __future__ import annotations

import streamlit as st

from annotator import state


def page_buttons(page_key: str, number: int, pages: int, *, frozen: bool = False) -> None:
    """Buttons that move the page number kept under `page_key` (from 0) by one, within 0..pages-1;
    `frozen` disables both (while edits wait to be saved)."""
    back_col, where_col, forward_col = st.columns([1, 2, 1], vertical_alignment="center")
    back_col.button(
        "◀ Previous page",
        key=f"{page_key}-previous",
        disabled=frozen or number == 0,
        on_click=state.put,
        args=(page_key, max(0, number - 1)),
        width="stretch",
    )
    where_col.caption(f"page {number + 1} of {pages:,}")
    forward_col.button(
        "Next page ▶",
        key=f"{page_key}-next",
        disabled=frozen or number >= pages - 1,
        on_click=state.put,
        args=(page_key, min(pages - 1, number + 1)),
        width="stretch",
    )
