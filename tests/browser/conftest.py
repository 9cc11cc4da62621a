"""Fixtures for tests that drive a served Streamlit script in headless Chromium.

`serve_streamlit(script, env=...)` starts `streamlit run` on a free local port and returns a
`StreamlitServer` (`.url`, `.open(page)`, `.wait_until_idle(page)`, `.log()`); `browser` is one
headless Chromium (Debian's) per session; `page` is a fresh tab per test. Every test under
tests/browser/ is marked `browser`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest
from local_app import CHROMIUM, CHROMIUM_ARGS, REPO_ROOT, ServerFailed, StreamlitServer, start_streamlit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def serve_streamlit(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., StreamlitServer]]:
    """A factory: `serve_streamlit(script, env={"CLAIMS_DB": ...})` serves a script until the session ends.

    `script` is a path (relative paths are taken from the repository root); the process runs from
    the repository root with the current environment plus `env`. Call it from a module-scoped
    fixture to share one server among a module's tests.
    """
    servers: list[StreamlitServer] = []

    def serve(
        script: str | Path, *, env: Mapping[str, str] | None = None, args: tuple[str, ...] = ()
    ) -> StreamlitServer:
        path = Path(script) if Path(script).is_absolute() else REPO_ROOT / script
        log_path = tmp_path_factory.mktemp("streamlit") / f"{path.stem}.log"
        try:
            server = start_streamlit(path, log_path=log_path, env=env, args=args)
        except ServerFailed as failure:
            pytest.fail(str(failure))
        servers.append(server)
        return server

    yield serve
    for server in servers:
        server.stop()


def _skip_or_fail(reason: str) -> NoReturn:
    """Browser tests are optional on a laptop without Chromium, but required in CI."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required because CI is set)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, driven by Playwright (which cannot download its own here)."""
    if not CHROMIUM.exists():
        _skip_or_fail(f"browser tests need Chromium at {CHROMIUM}: sudo apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("browser tests need Playwright: pip install -r requirements-dev.txt")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context and tab for one test, 1280x900."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()
