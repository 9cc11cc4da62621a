"""Entry point: page config, navigation, who is editing, and the sidebar every page shares."""

import streamlit as st

from annotator.backups import keep_automatic_backups
from annotator.identity import IdentityConfigError, IdentityMode, current_settings, identify
from annotator.sidebar import show_sidebar
from claims.errors import ClaimReviewSettingsError
from claims.formats.claimreview import ReviewPublisher

st.set_page_config(page_title="Claim annotator", page_icon=":material/fact_check:", layout="wide")

pages = [
    st.Page("app_pages/articles.py", title="Articles", icon=":material/article:", default=True),
    st.Page("app_pages/annotate.py", title="Annotate", icon=":material/edit_note:", url_path="annotate"),
    st.Page("app_pages/claims_table.py", title="Claims", icon=":material/table_rows:", url_path="claims"),
    st.Page("app_pages/overview.py", title="Overview", icon=":material/monitoring:", url_path="overview"),
    st.Page("app_pages/settings.py", title="Settings", icon=":material/settings:", url_path="settings"),
]
page = st.navigation(pages)
try:
    settings = current_settings()
except IdentityConfigError as problem:
    st.title("Claim annotator")
    st.error(f"Nobody can sign in until this is fixed. {problem}")
    st.stop()
try:
    ReviewPublisher.from_environment()  # checked here too: the ClaimReview download would fail silently
except ClaimReviewSettingsError as problem:
    st.warning(f"The ClaimReview download will not work until this is fixed: {problem}")
identity = identify(settings)
show_sidebar(settings, identity)
keep_automatic_backups()
if identity.editor is None:
    st.title("Claim annotator")
    if settings.mode is IdentityMode.HEADER:
        st.error(identity.problem)  # the proxy should have named everyone: something is misconfigured
    else:
        st.info(identity.problem)
    st.stop()
page.run()
