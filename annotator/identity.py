"""Who is editing: an OpenID Connect log-in, a name set by a trusted proxy, or a name typed once.

The decisions (which mode the desk configured, whose name a request carries, whether a name is
usable) are plain functions of plain values, tested without Streamlit; `identify()` feeds them what
Streamlit knows about the session, and `current_editor()` is the name every change is recorded under.

- OpenID Connect: `[auth]` in `.streamlit/secrets.toml`; editors log in with `st.login`, the name is
  `st.user`'s name (else email) and cannot be typed.
- Trusted header: `CLAIMS_TRUSTED_HEADER=X-Forwarded-User`; the newsroom's authenticating reverse proxy
  sets it on every request, and a request without it is not signed in. Only honoured when configured,
  and only on a server bound to loopback (or with CLAIMS_PROXY_IS_REMOTE=1 behind a firewall).
- Neither: the editor types a name, kept in a browser cookie so a reload or a new tab does not ask again.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import unquote

import streamlit as st

from annotator import state
from claims.errors import ClaimsError

TRUSTED_HEADER_ENV = "CLAIMS_TRUSTED_HEADER"
REMOTE_PROXY_ENV = "CLAIMS_PROXY_IS_REMOTE"
EDITOR_COOKIE = "claims_editor"
COOKIE_MAX_AGE = 365 * 24 * 3600  # seconds: a year, renewed whenever the editor opens the app
MAX_NAME_LENGTH = 100
_HTTP_TOKEN = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+")  # what RFC 9110 allows as a header name


class IdentityMode(StrEnum):
    TYPED = "typed"
    OIDC = "oidc"
    HEADER = "header"


class IdentityConfigError(ClaimsError):
    """The desk's identity settings contradict each other or are malformed; nobody can sign in."""


class UnusableName(ClaimsError):
    """A name that cannot be recorded as an editor's (empty, too long, control characters)."""


class NotSignedIn(ClaimsError):
    """current_editor() was asked before anyone signed in (the app stops before pages run)."""


@dataclass(frozen=True)
class IdentitySettings:
    """How this desk identifies editors: the mode, and the header or log-in providers it uses."""

    mode: IdentityMode
    header: str | None = None  # HEADER: the request header the proxy sets
    providers: tuple[str | None, ...] = ()  # OIDC: st.login(provider) names; None is [auth]'s own


@dataclass(frozen=True)
class Identity:
    """Who is editing, or, when no one is, what the page should tell them."""

    editor: str | None
    problem: str = ""


# --- decisions: plain values in, plain values out ------------------------------------------------


def identity_settings(
    environ: Mapping[str, str], auth: Mapping[str, Any] | None, server_address: str | None = "127.0.0.1"
) -> IdentitySettings:
    """The mode from CLAIMS_TRUSTED_HEADER and secrets.toml's [auth] section; both at once is refused.

    A trusted header is refused on a server that listens beyond this machine (`server_address`), where
    anyone who reaches it directly could send the header with any name, unless CLAIMS_PROXY_IS_REMOTE=1
    says a firewall lets only the proxy reach it.
    """
    header = environ.get(TRUSTED_HEADER_ENV, "").strip()
    if header and auth:
        raise IdentityConfigError(
            f"Two ways of signing in are configured: {TRUSTED_HEADER_ENV}={header} and an [auth] "
            "section in .streamlit/secrets.toml. Keep one of them."
        )
    if header:
        if not _HTTP_TOKEN.fullmatch(header):
            raise IdentityConfigError(
                f"{TRUSTED_HEADER_ENV}={header!r} is not a header name (letters, digits and - only)."
            )
        if not _is_loopback(server_address) and environ.get(REMOTE_PROXY_ENV, "").strip() != "1":
            raise IdentityConfigError(
                f"{TRUSTED_HEADER_ENV} is set but the server listens on {server_address or 'every address'}, "
                f"so anyone who reaches it directly can send {header} with any name. Serve it on 127.0.0.1 "
                f"behind the proxy (server.address in .streamlit/config.toml), or set {REMOTE_PROXY_ENV}=1 "
                "if the proxy runs on another machine and a firewall lets only it reach this server."
            )
        return IdentitySettings(IdentityMode.HEADER, header=header)
    if auth:
        return IdentitySettings(IdentityMode.OIDC, providers=login_providers(auth))
    return IdentitySettings(IdentityMode.TYPED)


def _is_loopback(address: str | None) -> bool:
    if address is None or not address.strip():
        return False  # Streamlit's default: every interface
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to a network address


def login_providers(auth: Mapping[str, Any]) -> tuple[str | None, ...]:
    """The providers st.login accepts: None when [auth] holds one itself, then each [auth.NAME]."""
    own = (None,) if "client_id" in auth else ()
    named = tuple(sorted(name for name, value in auth.items() if isinstance(value, Mapping)))
    if not own and not named:
        raise IdentityConfigError(
            "The [auth] section of .streamlit/secrets.toml names no provider: give client_id, "
            "client_secret and server_metadata_url in [auth] or in an [auth.NAME] section."
        )
    return own + named


def clean_name(raw: str) -> str:
    """The name as recorded: spaces trimmed and runs of white space made one; refused if unusable."""
    name = " ".join(raw.split())
    if not name:
        raise UnusableName("The name is empty.")
    if len(name) > MAX_NAME_LENGTH:
        raise UnusableName(f"The name is {len(name)} characters long; at most {MAX_NAME_LENGTH} are kept.")
    if any(unicodedata.category(character) in ("Cc", "Cf") for character in name):
        raise UnusableName("The name holds control or invisible formatting characters.")
    return name


def editor_from_header(values: Sequence[str], header: str) -> Identity:
    """The editor a proxy named in `header` (all of the request's values of it, in order)."""
    if not values:
        return Identity(
            None,
            f"Not signed in: this annotator takes your name from the {header} header that the "
            "newsroom's sign-in proxy sets, and this request came without it. Open the annotator "
            "through the newsroom's address rather than the server's own, or ask whoever runs it.",
        )
    if len(values) > 1:
        return Identity(
            None,
            f"Not signed in: the request carries the {header} header {len(values)} times, so it "
            "cannot tell who you are. The proxy must replace the header, not add to it.",
        )
    try:
        return Identity(clean_name(_utf8_from_latin1(values[0])))
    except UnusableName as problem:
        return Identity(None, f"Not signed in: the {header} header is not a usable name. {problem}")


def _utf8_from_latin1(value: str) -> str:
    # HTTP servers decode header bytes as Latin-1; proxies send names like "Zoë" as UTF-8 bytes.
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def editor_from_user(user: Mapping[str, Any]) -> Identity:
    """The editor an OpenID Connect log-in names (st.user): their name, else their email."""
    if not user.get("is_logged_in"):
        return Identity(None, "Log in to start: every change you make is recorded under your name.")
    for claim in ("name", "email"):
        value = user.get(claim)
        if isinstance(value, str) and value.strip():
            try:
                return Identity(clean_name(value))
            except UnusableName:
                continue
    return Identity(
        None,
        "Logged in, but the identity provider gave neither a usable name nor an email: ask it to "
        "send the 'profile' or 'email' claims.",
    )


def editor_from_typed(typed: str | None, cookie: str | None) -> Identity:
    """The name typed in this session, else the one this browser remembers (its cookie, URL-encoded)."""
    for candidate in (typed, unquote(cookie) if cookie else None):
        if candidate:
            try:
                return Identity(clean_name(candidate))
            except UnusableName:
                continue
    return Identity(None, "Enter your name in the sidebar to start: it is recorded on every change you make.")


def resolve_identity(
    settings: IdentitySettings,
    *,
    header_values: Sequence[str] = (),
    user: Mapping[str, Any] | None = None,
    typed: str | None = None,
    cookie: str | None = None,
) -> Identity:
    """Who is editing under the desk's settings; only the mode's own source is ever consulted."""
    if settings.mode is IdentityMode.HEADER:
        return editor_from_header(header_values, settings.header or "")
    if settings.mode is IdentityMode.OIDC:
        return editor_from_user(user or {})
    return editor_from_typed(typed, cookie)


# --- the Streamlit side -----------------------------------------------------------------------------


def current_settings() -> IdentitySettings:
    """This server's identity settings (environment and secrets.toml); raises IdentityConfigError."""
    auth = st.secrets.get("auth") if st.secrets.load_if_toml_exists() else None
    address = st.get_option("server.address")
    settings = identity_settings(
        os.environ, auth if isinstance(auth, Mapping) else None, address if isinstance(address, str) else None
    )
    missing = [name for name in ("authlib", "httpx") if importlib.util.find_spec(name) is None]
    if settings.mode is IdentityMode.OIDC and missing:
        raise IdentityConfigError(
            f"OpenID Connect is configured in .streamlit/secrets.toml, but {' and '.join(missing)}, which "
            "st.login needs, is not installed: run `.venv/bin/pip install -r requirements.txt`."
        )
    return settings


def identify(settings: IdentitySettings) -> Identity:
    """Who is editing in this session; also kept in session state for the pages (state.editor())."""
    typed = cookie = None
    header_values: list[str] = []
    user: Mapping[str, Any] = {}
    if settings.mode is IdentityMode.HEADER:
        header_values = st.context.headers.get_all(settings.header or "")
    elif settings.mode is IdentityMode.OIDC:
        user = st.user.to_dict()
    else:
        typed = state.editor()
        if not state.get(state.EDITOR_COOKIE_DROPPED, False):
            cookie = st.context.cookies.get(EDITOR_COOKIE)
    identity = resolve_identity(settings, header_values=header_values, user=user, typed=typed, cookie=cookie)
    if identity.editor is None:
        state.drop(state.EDITOR)
    else:
        state.put(state.EDITOR, identity.editor)
    return identity


def current_editor() -> str:
    """The name to record on a change (and to pass as `by=`); only asked once someone is signed in."""
    name = state.editor()
    if not name:
        raise NotSignedIn("Nobody is signed in yet: sign in before changing anything.")
    return name
