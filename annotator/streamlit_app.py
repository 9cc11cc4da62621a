"""Entry point: page config, navigation, and the sidebar every page shares."""

import streamlit as st

from annotator import state
from annotator.backups import keep_automatic_backups
from annotator.sidebar import show_sidebar

st.set_page_config(page_title="Claim annotator", page_icon=":material/fact_check:", layout="wide")

pages = [
    st.Page("app_pages/articles.py", title="Articles", icon=":material/article:", default=True),
    st.Page("app_pages/annotate.py", title="Annotate", icon=":material/edit_note:", url_path="annotate"),
    st.Page("app_pages/claims_table.py", title="Claims", icon=":material/table_rows:", url_path="claims"),
    st.Page("app_pages/overview.py", title="Overview", icon=":material/monitoring:", url_path="overview"),
]
page = st.navigation(pages)
show_sidebar()
keep_automatic_backups()
if not state.editor():
    st.title("Claim annotator")
    st.info("Enter your name in the sidebar to start: it is recorded on every change you make.")
    st.stop()
page.run()
