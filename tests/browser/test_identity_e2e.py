"""Who is editing, in Chromium: a typed name survives reloads and new tabs; a trusted proxy's header
names the editor, cannot be overridden by typing, and a request without it is not signed in; an
OpenID Connect log-in (st.login, against a local fake provider) names the editor too."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fake_oidc import FakeProvider, start_provider
from local_app import StreamlitServer
from playwright.sync_api import Browser, BrowserContext, Page, expect

from claims.store import open_repository

pytestmark = pytest.mark.browser

APP = "annotator/streamlit_app.py"
EDITOR = "Ana Ruiz"
PROXY_USER = "ben.okafor@desk.example"


@pytest.fixture(scope="module")
def typed_app(
    serve_streamlit: Callable[..., StreamlitServer], tmp_path_factory: pytest.TempPathFactory
) -> StreamlitServer:
    store = tmp_path_factory.mktemp("typed") / "claims.json"
    return serve_streamlit(APP, env={"CLAIMS_DB": str(store), "CLAIMS_TRUSTED_HEADER": ""})


@pytest.fixture(scope="module")
def proxied_app(
    serve_streamlit: Callable[..., StreamlitServer], tmp_path_factory: pytest.TempPathFactory
) -> tuple[StreamlitServer, Path]:
    store = tmp_path_factory.mktemp("proxied") / "claims.json"
    server = serve_streamlit(APP, env={"CLAIMS_DB": str(store), "CLAIMS_TRUSTED_HEADER": "X-Forwarded-User"})
    return server, store


@pytest.fixture(scope="module")
def provider() -> Iterator[FakeProvider]:
    started = start_provider({"name": "Chen Wei", "email": "chen.wei@desk.example"})
    yield started
    started.stop()


@pytest.fixture(scope="module")
def oidc_app(
    serve_streamlit: Callable[..., StreamlitServer],
    tmp_path_factory: pytest.TempPathFactory,
    provider: FakeProvider,
) -> tuple[StreamlitServer, Path]:
    """The app with an [auth] section naming the fake provider (written once the app's port is known;
    Streamlit reads secrets.toml at the first script run)."""
    folder = tmp_path_factory.mktemp("oidc")
    secrets_file = folder / "secrets.toml"
    server = serve_streamlit(
        APP,
        env={"CLAIMS_DB": str(folder / "claims.json"), "CLAIMS_TRUSTED_HEADER": ""},
        args=("--secrets.files", str(secrets_file)),
    )
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "{server.url}/oauth2callback"\n'
        f'cookie_secret = "{"c" * 40}"\n'
        f'client_id = "{provider.client_id}"\n'
        f'client_secret = "{provider.client_secret}"\n'
        f'server_metadata_url = "{provider.metadata_url}"\n',
        encoding="utf-8",
    )
    return server, folder / "claims.json"


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """One browser profile (its cookies shared by its tabs)."""
    opened = browser.new_context(viewport={"width": 1280, "height": 900})
    opened.set_default_timeout(15_000)
    yield opened
    opened.close()


def remembered(page: Page, present: bool = True) -> None:
    """Wait until the browser has stored (or dropped) the name's cookie: the component writes it just
    after the sidebar shows the name, and a reload in between would not carry it yet."""
    check = "document.cookie.includes('claims_editor=')"
    page.wait_for_function(check if present else f"!{check}")


def expect_signed_in(page: Page, name: str) -> None:
    expect(page.get_by_test_id("stSidebar").get_by_text(name, exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Articles", exact=True)).to_be_visible()
    expect(page.get_by_role("textbox", name="Your name")).to_have_count(0)


def test_a_typed_name_survives_a_reload_and_a_new_tab(
    typed_app: StreamlitServer, context: BrowserContext
) -> None:
    page = context.new_page()
    typed_app.open(page)
    expect(page.get_by_text("Enter your name in the sidebar to start")).to_be_visible()
    page.get_by_role("textbox", name="Your name").fill(EDITOR)
    page.get_by_role("button", name="Start editing").click()
    expect_signed_in(page, EDITOR)
    remembered(page)

    page.reload()
    typed_app.wait_until_idle(page)
    expect_signed_in(page, EDITOR)

    other_tab = context.new_page()
    typed_app.open(other_tab)
    expect_signed_in(other_tab, EDITOR)


def test_change_name_forgets_the_remembered_name(typed_app: StreamlitServer, context: BrowserContext) -> None:
    page = context.new_page()
    typed_app.open(page)
    page.get_by_role("textbox", name="Your name").fill(EDITOR)
    page.get_by_role("button", name="Start editing").click()
    expect_signed_in(page, EDITOR)
    remembered(page)

    page.get_by_role("button", name="Change name").click()
    expect(page.get_by_role("textbox", name="Your name")).to_be_visible()
    remembered(page, present=False)
    page.reload()
    typed_app.wait_until_idle(page)
    expect(page.get_by_text("Enter your name in the sidebar to start")).to_be_visible()

    page.get_by_role("textbox", name="Your name").fill("Ben Okafor")
    page.get_by_role("button", name="Start editing").click()
    expect_signed_in(page, "Ben Okafor")
    remembered(page)
    page.reload()
    typed_app.wait_until_idle(page)
    expect_signed_in(page, "Ben Okafor")


def test_the_trusted_proxy_header_names_the_editor_and_every_change_records_it(
    proxied_app: tuple[StreamlitServer, Path], browser: Browser
) -> None:
    server, store = proxied_app
    context = browser.new_context(extra_http_headers={"X-Forwarded-User": PROXY_USER})
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        server.open(page)
        expect_signed_in(page, PROXY_USER)
        expect(page.get_by_role("button", name="Change name")).to_have_count(0)

        page.get_by_role("textbox", name="Title", exact=True).fill("Harbour wall")
        page.get_by_role("textbox", name="Body: one paragraph per line").fill(
            "The council spent 4 million euros on the harbour wall."
        )
        page.get_by_role("button", name="Import article").click()
        expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("1 imported")
        [article] = open_repository(store).list_articles()
        assert article.imported_by == PROXY_USER
    finally:
        context.close()


def test_without_the_proxy_header_a_request_is_not_signed_in(
    proxied_app: tuple[StreamlitServer, Path], page: Page
) -> None:
    server, _ = proxied_app
    server.open(page)
    expect(page.get_by_test_id("stAlertContentError")).to_contain_text(
        "Not signed in: this annotator takes your name from the X-Forwarded-User header"
    )
    expect(page.get_by_role("textbox", name="Your name")).to_have_count(0)
    expect(page.get_by_role("heading", name="Articles", exact=True)).to_have_count(0)


def test_an_openid_connect_log_in_names_the_editor_until_log_out(
    oidc_app: tuple[StreamlitServer, Path], page: Page
) -> None:
    server, store = oidc_app
    server.open(page)
    expect(page.get_by_text("Log in to start")).to_be_visible()
    expect(page.get_by_role("textbox", name="Your name")).to_have_count(0)

    # The app sends the browser to the provider and back (three redirects), then loads afresh.
    with page.expect_navigation(url=f"{server.url}/", timeout=30_000):
        page.get_by_role("button", name="Log in").click()
    server.wait_until_idle(page)
    expect_signed_in(page, "Chen Wei")
    page.get_by_role("textbox", name="Title", exact=True).fill("Harbour wall")
    page.get_by_role("textbox", name="Body: one paragraph per line").fill(
        "The council spent 4 million euros on the harbour wall."
    )
    page.get_by_role("button", name="Import article").click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("1 imported")
    [article] = open_repository(store).list_articles()
    assert article.imported_by == "Chen Wei"

    page.reload()
    server.wait_until_idle(page)
    expect_signed_in(page, "Chen Wei")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    expect(page.get_by_text("Log in to start")).to_be_visible()
