"""Settings: who publishes the desk's ClaimReviews and where each review lives, kept in a TOML file beside the
store (claims/settings.py); saved only when every value is usable, each problem named by its field."""

import streamlit as st
from pydantic import ValidationError

from annotator import state
from annotator.feedback import errors_shown
from annotator.resources import store_location
from annotator.text import literal
from claims.errors import SettingsError
from claims.models import DeskSettings, PublisherSettings
from claims.settings import load_settings, save_settings, settings_path

# The publisher's fields as the page labels them, with the widget that holds each.
FIELDS = {
    "name": ("Publisher's name", state.SETTINGS_NAME),
    "url": ("Publisher's URL", state.SETTINGS_URL),
    "logo": ("Logo URL", state.SETTINGS_LOGO),
    "review_url": ("Review URL pattern", state.SETTINGS_REVIEW_URL),
}
HELP = {
    "name": "The organisation named as the author of every ClaimReview",
    "url": "The organisation's home page, e.g. https://desk.example",
    "logo": "An image of the organisation's logo, e.g. https://desk.example/logo.png",
    "review_url": "Where each review is published; {id} is replaced by the claim's id, "
    "e.g. https://desk.example/checks/{id}",
}

location = store_location()
path = settings_path(location)

st.title("Settings")
st.caption(literal(f"Kept in {path} (beside the store); the ClaimReview download and export use them."))

current = DeskSettings()
try:
    current = load_settings(location)
except SettingsError as unreadable:
    st.error(f"{literal(str(unreadable))}. Saving below replaces the file.", icon=":material/error:")

publisher = current.publisher
for name, (_, key) in FIELDS.items():
    if key not in st.session_state:
        st.session_state[key] = getattr(publisher, name) or ""

st.subheader("Publisher of the ClaimReviews")
for name, (field_label, key) in FIELDS.items():
    st.text_input(field_label, key=key, help=HELP[name])


def problems_of(error: ValidationError) -> list[str]:
    """Each problem of the typed values, named by the field's label on this page."""
    found = []
    for problem in error.errors():
        names = [str(part) for part in problem["loc"]]
        field = next((FIELDS[part][0] for part in reversed(names) if part in FIELDS), "Publisher")
        if not names and "review_url" in problem["msg"]:
            field = FIELDS["review_url"][0]
        found.append(f"{field}: {problem['msg'].removeprefix('Value error, ')}")
    return found


if st.button("Save settings", key=state.SAVE_SETTINGS, type="primary", icon=":material/save:"):
    typed = {name: str(st.session_state[key]).strip() or None for name, (_, key) in FIELDS.items()}
    try:
        wanted = DeskSettings(
            publisher=PublisherSettings.model_validate({**typed, "name": typed["name"] or ""})
        )
    except ValidationError as error:
        for refused in problems_of(error):
            st.error(f"Not saved. {literal(refused)}", icon=":material/error:")
    else:
        with errors_shown():
            written = save_settings(location, wanted)
            st.success(literal(f"Saved to {written}."), icon=":material/check:")
