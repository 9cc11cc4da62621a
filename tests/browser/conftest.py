"""Fixtures for tests that drive a served Streamlit script in headless Chromium.

`serve_streamlit(script, env=...)` starts `streamlit run` on a free local port and returns a
`StreamlitServer` (`.url`, `.open(page)`, `.wait_until_idle(page)`, `.log()`); `browser` is one
headless Chromium (Debian's) per session; `page` is a fresh tab per test. Every test under
tests/browser/ is marked `browser`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_TIMEOUT = 45.0


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@dataclass
class StreamlitServer:
    """A `streamlit run` subprocess serving one script at `url`."""

    script: Path
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def open(self, page: Page, path: str = "") -> None:
        """Load the app in the page and wait until its first script run has finished."""
        page.goto(self.url + path)
        self.wait_until_idle(page)

    @staticmethod
    def wait_until_idle(page: Page, timeout: float = 30.0) -> None:
        """Wait until the app is connected and no script run is in progress.

        Right after a click the rerun may not have started yet, so after an interaction wait for
        the output you expect instead (Playwright's `expect(...)` retries until it appears).
        """
        page.locator(
            '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
            '[data-test-script-state="notRunning"]'
        ).wait_for(timeout=timeout * 1000)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_streamlit(
    script: Path, *, log_path: Path, env: Mapping[str, str] | None = None, args: tuple[str, ...] = ()
) -> StreamlitServer:
    """Start `streamlit run script` on a free port and return once its health check answers."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.fileWatcherType",
        "none",
        *args,
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env={**os.environ, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = StreamlitServer(script, f"http://127.0.0.1:{port}", process, log_path)
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"streamlit run {script.name} exited with {process.returncode}:\n{server.log()}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    server.stop()
    pytest.fail(f"streamlit run {script.name} was not healthy after {STARTUP_TIMEOUT}s:\n{server.log()}")


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
        server = start_streamlit(path, log_path=log_path, env=env, args=args)
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
