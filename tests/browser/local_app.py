"""Serving a Streamlit script on a free local port, and how Chromium is launched here.

Shared by the browser tests (tests/browser/conftest.py) and benchmarks/bench_ui.py; no pytest here.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

REPO_ROOT = Path(__file__).resolve().parents[2]
# Debian's Chromium: Playwright cannot download its own browser here. Without the background
# networking flags Chromium keeps trying hosts this machine's closed network refuses.
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


class ServerFailed(RuntimeError):
    """`streamlit run` exited or never became healthy; the message carries its log."""


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

    @staticmethod
    def until_visible(
        act: Callable[[], None], shown: Locator, timeout_ms: int = 3_000, tries: int = 3
    ) -> None:
        """Do `act` until `shown` is visible. A click, key or drag that lands while the page is still
        settling after a rerun is lost, so after a miss the app is let go idle and it is done again."""
        from playwright.sync_api import expect

        for attempt in range(tries):
            act()
            try:
                expect(shown).to_be_visible(timeout=timeout_ms)
                return
            except AssertionError:
                if attempt == tries - 1:
                    raise
                StreamlitServer.wait_until_idle(shown.page)

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
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--server.fileWatcherType", "none",
        *args,
    ]  # fmt: skip
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
            raise ServerFailed(
                f"streamlit run {script.name} exited with {process.returncode}:\n{server.log()}"
            )
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    server.stop()
    raise ServerFailed(
        f"streamlit run {script.name} was not healthy after {STARTUP_TIMEOUT}s:\n{server.log()}"
    )
