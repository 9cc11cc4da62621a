"""Entry point: page config, navigation, who is editing, and the sidebar every page shares."""

import streamlit as st

from annotator.backups import keep_automatic_backups
from annotator.identity import IdentityConfigError, IdentityMode, current_settings, identify
from annotator.resources import store_location
from annotator.sidebar import show_sidebar
from annotator.text import literal
from claims.errors import SettingsError
from claims.settings import load_settings

st.set_page_config(page_title="Claim annotator", page_icon=":material/fact_check:", layout="wide")

pages = [
    st.Page("app_pages/articles.py", title="Articles", icon=":material/article:", default=True),
    st.Page("app_pages/annotate.py", title="Annotate", icon=":material/edit_note:", url_path="annotate"),
    st.Page("app_pages/claims_table.py", title="Claims", icon=":material/table_rows:", url_path="claims"),
    st.Page("app_pages/overview.py", title="Overview", icon=":material/monitoring:", url_path="overview"),
    st.Page(
        "app_pages/factchecks.py", title="Fact-checks", icon=":material/fact_check:", url_path="factchecks"
    ),
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
    load_settings(store_location())  # read here too, so a broken file is seen before a download needs it
except SettingsError as problem:
    st.warning(
        f"The ClaimReview download will not work until the Settings page fixes this: {literal(str(problem))}"
    )
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
