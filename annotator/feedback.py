"""The one place where the core's typed errors become messages on screen."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from claims.errors import ClaimsError


@contextmanager
def errors_shown() -> Iterator[None]:
    """Show a ClaimsError raised inside the block as st.error instead of a traceback."""
    try:
        yield
    except ClaimsError as error:
        st.error(str(error), icon=":material/error:")
