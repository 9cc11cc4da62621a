"""Who is editing: the desk's identity mode, whose name a request carries, and what may be recorded."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from app_support import by_label
from hypothesis import given
from hypothesis import strategies as st

from annotator.identity import (
    MAX_NAME_LENGTH,
    Identity,
    IdentityConfigError,
    IdentityMode,
    IdentitySettings,
    UnusableName,
    clean_name,
    editor_from_header,
    editor_from_typed,
    editor_from_user,
    identity_settings,
    login_providers,
    resolve_identity,
)

OIDC = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s" * 32, "client_id": "x"}
HEADER = IdentitySettings(IdentityMode.HEADER, header="X-Forwarded-User")
TYPED = IdentitySettings(IdentityMode.TYPED)


# --- which mode -------------------------------------------------------------------------------------


def test_without_configuration_the_editor_types_a_name() -> None:
    assert identity_settings({}, None) == TYPED
    assert identity_settings({"CLAIMS_TRUSTED_HEADER": "  "}, {}) == TYPED


def test_a_configured_trusted_header_is_the_only_source_of_names() -> None:
    assert identity_settings({"CLAIMS_TRUSTED_HEADER": "X-Forwarded-User"}, None) == HEADER


def test_an_auth_section_turns_on_openid_connect_with_its_providers() -> None:
    settings = identity_settings({}, OIDC)
    assert settings.mode is IdentityMode.OIDC and settings.providers == (None,)
    named = {"redirect_uri": "…", "okta": {"client_id": "a"}, "google": {"client_id": "b"}}
    assert login_providers(named) == ("google", "okta")


def test_both_modes_at_once_are_refused_rather_than_guessed() -> None:
    with pytest.raises(IdentityConfigError, match="Two ways of signing in.*CLAIMS_TRUSTED_HEADER=X-User"):
        identity_settings({"CLAIMS_TRUSTED_HEADER": "X-User"}, OIDC)


@pytest.mark.parametrize("header", ["X Forwarded User", "X-User:", "X-User\r\nSet-Cookie"])
def test_a_header_setting_that_is_not_a_header_name_is_refused(header: str) -> None:
    with pytest.raises(IdentityConfigError, match="is not a header name"):
        identity_settings({"CLAIMS_TRUSTED_HEADER": header}, None)


@pytest.mark.parametrize("address", [None, "", "0.0.0.0", "::", "192.168.1.20", "annotator.desk.example"])
def test_a_trusted_header_is_refused_on_a_server_others_can_reach_directly(address: str | None) -> None:
    with pytest.raises(IdentityConfigError, match="anyone who reaches it directly can send X-User"):
        identity_settings({"CLAIMS_TRUSTED_HEADER": "X-User"}, None, address)


@pytest.mark.parametrize("address", ["127.0.0.1", "::1", "[::1]", "localhost", "127.0.0.2"])
def test_a_trusted_header_is_honoured_on_a_server_only_this_machine_reaches(address: str) -> None:
    assert identity_settings({"CLAIMS_TRUSTED_HEADER": "X-User"}, None, address).mode is IdentityMode.HEADER


def test_a_remote_proxy_behind_a_firewall_can_be_declared() -> None:
    environ = {"CLAIMS_TRUSTED_HEADER": "X-User", "CLAIMS_PROXY_IS_REMOTE": "1"}
    assert identity_settings(environ, None, "0.0.0.0").mode is IdentityMode.HEADER


def test_an_auth_section_without_a_provider_is_refused() -> None:
    with pytest.raises(IdentityConfigError, match="names no provider"):
        identity_settings({}, {"redirect_uri": "http://localhost:8501/oauth2callback"})


# --- which name ---------------------------------------------------------------------------------------


def test_the_proxy_header_names_the_editor() -> None:
    identity = editor_from_header(["  ana.ruiz@desk.example "], "X-Forwarded-User")
    assert identity == Identity("ana.ruiz@desk.example")


def test_a_request_without_the_header_is_not_signed_in_and_is_told_why() -> None:
    identity = editor_from_header([], "X-Forwarded-User")
    assert identity.editor is None
    assert identity.problem.startswith("Not signed in: this annotator takes your name from the X-Forwarded")


def test_a_header_sent_twice_is_refused_since_one_copy_may_come_from_the_client() -> None:
    identity = editor_from_header(["ana", "mallory"], "X-Forwarded-User")
    assert identity.editor is None and "2 times" in identity.problem


def test_a_utf8_name_decoded_as_latin1_by_the_server_is_read_as_utf8() -> None:
    assert editor_from_header(["Zoë Ştefan".encode().decode("latin-1")], "X-User").editor == "Zoë Ştefan"


def test_a_header_value_that_is_no_usable_name_signs_no_one_in() -> None:
    identity = editor_from_header(["ana\x00admin"], "X-User")
    assert identity.editor is None and "not a usable name" in identity.problem


def test_whatever_is_typed_or_remembered_cannot_replace_the_proxys_name() -> None:
    assert resolve_identity(HEADER, header_values=[], typed="ana", cookie="ana").editor is None
    assert resolve_identity(HEADER, header_values=["ben"], typed="ana", cookie="ana").editor == "ben"


def test_an_openid_connect_login_names_the_editor_by_name_then_email() -> None:
    oidc = IdentitySettings(IdentityMode.OIDC, providers=(None,))
    user = {"is_logged_in": True, "name": "Ana Ruiz", "email": "ana@desk.example"}
    assert resolve_identity(oidc, user=user, typed="mallory").editor == "Ana Ruiz"
    assert editor_from_user({"is_logged_in": True, "name": "", "email": "ana@desk.example"}).editor == (
        "ana@desk.example"
    )
    assert editor_from_user({"is_logged_in": False, "name": "Ana"}).editor is None
    assert "neither a usable name nor an email" in editor_from_user({"is_logged_in": True}).problem


def test_a_typed_name_wins_over_the_remembered_one_and_a_bad_cookie_is_ignored() -> None:
    assert editor_from_typed("Ben", "Ana%20Ruiz") == Identity("Ben")
    assert editor_from_typed(None, "Ana%20Ruiz") == Identity("Ana Ruiz")
    assert editor_from_typed(None, "%00").editor is None
    assert resolve_identity(TYPED, header_values=["proxy-user"]).editor is None  # headers mean nothing here


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("   ", "empty"),
        ("a" * (MAX_NAME_LENGTH + 1), "characters long"),
        ("ana\u202egnp.exe", "control or invisible"),
        ("ana\u200b", "control or invisible"),
        ("ana\x1b[31m", "control or invisible"),
    ],
)
def test_unusable_names_are_refused_saying_why(raw: str, problem: str) -> None:
    with pytest.raises(UnusableName, match=problem):
        clean_name(raw)


@given(st.text())
def test_a_cleaned_name_is_trimmed_short_printable_and_stable(raw: str) -> None:
    try:
        name = clean_name(raw)
    except UnusableName:
        return
    assert name == name.strip() and "  " not in name and 0 < len(name) <= MAX_NAME_LENGTH
    assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in name)
    assert clean_name(name) == name


# --- the app under each mode (AppTest; headers cannot be seeded there, so none arrive) --------------


def test_header_mode_without_the_header_shows_not_signed_in_even_with_a_name_in_the_session(
    app_script: str, app_store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CLAIMS_TRUSTED_HEADER", "X-Forwarded-User")
    at = AppTest.from_file(app_script, default_timeout=60)
    at.session_state["editor"] = "mallory"
    at.run()
    assert not at.exception
    assert "Not signed in" in at.error[0].value
    assert not at.sidebar.text_input and not at.title[1:]
    assert "editor" not in at.session_state


def test_openid_connect_mode_offers_log_in_then_shows_the_logged_in_name(
    app_script: str, app_store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.delenv("CLAIMS_TRUSTED_HEADER", raising=False)
    at = AppTest.from_file(app_script, default_timeout=60)
    at.secrets["auth"] = OIDC
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert by_label(at.sidebar.button, "Log in")
    assert "Log in to start" in at.info[0].value
    assert not at.sidebar.text_input

    at.user = {"is_logged_in": True, "name": "Ana Ruiz", "email": "ana@desk.example"}
    at.run()
    assert not at.exception
    assert by_label(at.sidebar.button, "Log out")
    assert [t.value for t in at.sidebar.text][0] == "Ana Ruiz"
    assert at.session_state["editor"] == "Ana Ruiz"


def test_conflicting_identity_settings_stop_the_app_with_the_reason(
    app_script: str, app_store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CLAIMS_TRUSTED_HEADER", "X-Forwarded-User")
    at = AppTest.from_file(app_script, default_timeout=60)
    at.secrets["auth"] = OIDC
    at.session_state["editor"] = "ana"
    at.run()
    assert not at.exception
    assert "Two ways of signing in are configured" in at.error[0].value
    assert not at.sidebar.text_input


def test_a_typed_name_is_cleaned_and_an_unusable_one_refused(app_script: str, app_store: Any) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(app_script, default_timeout=60)
    at.run()
    by_label(at.sidebar.text_input, "Your name").input("ana\u202eadmin")
    by_label(at.sidebar.button, "Start editing").click()
    at.run()
    assert "control or invisible" in at.sidebar.error[0].value
    assert "editor" not in at.session_state
    by_label(at.sidebar.text_input, "Your name").input("  Ana   Ruiz ")
    by_label(at.sidebar.button, "Start editing").click()
    at.run()
    assert at.session_state["editor"] == "Ana Ruiz"
