"""The app's rolling automatic backups of its store: looked at on every rerun, written in the background."""

from __future__ import annotations

import os

import streamlit as st

from annotator.resources import repository, store_location
from claims.backup import BackupSchedule, RollingBackups
from claims.errors import ClaimsError


def keep_automatic_backups() -> None:
    """Start a backup of the store if one is due (see `RollingBackups`); costs a clock check when not.

    Configured by CLAIMS_BACKUPS, CLAIMS_BACKUP_KEEP and CLAIMS_BACKUP_INTERVAL; a wrong setting is shown
    in the sidebar rather than stopping the app.
    """
    repo = repository()
    try:
        backups = _rolling_backups(store_location())
    except ClaimsError as error:
        st.sidebar.warning(f"Automatic backups are off: {error}", icon=":material/warning:")
        return
    if backups is not None:
        backups.maybe_start(repo)
        if backups.last_error:
            st.sidebar.warning(f"The last automatic backup failed: {backups.last_error}")


@st.cache_resource(show_spinner=False)
def _rolling_backups(location: str) -> RollingBackups | None:
    # One per store for the whole server: every session shares its lock, so no two backups run at once.
    # Each is written by a child process: a whole-store export's memory goes back to the system with it.
    schedule = BackupSchedule.from_environment(location, os.environ)
    return RollingBackups(schedule, in_child_for=location) if schedule is not None else None
