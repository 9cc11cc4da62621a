"""Prints JSON: what one app server costs a desk, in memory per editor and in page times, over a store of
100,000 claims (TinyDB; PostgreSQL too when a server is given).

For each store: one `streamlit run` server (make run's command), editors named by the trusted header as
behind the desk's sign-in proxy, and N sessions in one headless Chromium (a browser context each), opened
one after another and kept open. Each session loads the Claims page (a new session: the app's first
page), then moves with the sidebar to Annotate, Overview and back to Claims. Then every session moves to
the Overview in the same instant ("everyone at once"), then to Claims.

- rss_mb: the server process's resident memory (VmRSS): `idle` once started, `first_session` after one
  session has seen every page (the caches every session shares are filled), `all_sessions` with N open,
  `after_at_once` after the simultaneous round, `peak` (VmHWM) over the whole run.
  per_session_mb = (all_sessions - first_session) / (N - 1): what each further editor adds.
  With --servers S, S app servers share the store, session n goes to server n mod S, the memory figures
  are sums over the servers and `first_session` is taken once each server has served one.
- pages_ms: medians over the sessions, from the load or the click to the page drawn and its run over.
- at_once_ms: from the shared instant to each session's page drawn (median and slowest).
- postgres_backends (a server on this machine): the database's connections (the app server's pool) and
  the memory of the server processes behind them, with every session open.

Run from the repository root:
  .venv/bin/python benchmarks/bench_desk.py                        # TinyDB, 100,000 claims, 20 sessions
  .venv/bin/python benchmarks/bench_desk.py --postgres auto        # and a throw-away PostgreSQL
  .venv/bin/python benchmarks/bench_desk.py --postgres postgresql://user@host/postgres --no-tinydb
  .venv/bin/python benchmarks/bench_desk.py --postgres auto --no-tinydb --servers 2   # two app servers
A server URL names a server: a new database is created on it, loaded and dropped afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import signal
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tests" / "browser"))
sys.path.insert(0, str(REPO_ROOT / "tests"))
from bench_store import CLAIMS_PER_ARTICLE, _batches, build_store  # noqa: E402
from local_app import CHROMIUM, CHROMIUM_ARGS, StreamlitServer, start_streamlit  # noqa: E402

from claims.store import open_repository  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

APP = REPO_ROOT / "annotator" / "streamlit_app.py"
HEADER = "X-Forwarded-User"
TIMEOUT_MS = 600_000  # a page at 100,000 claims on a loaded machine can take minutes today
IDLE = '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'
# Clicks `link` when the page's clock reads `moment` (ms since the epoch, shared by every page of the
# browser), then records in window.__desk.done when the page it leads to is drawn and no run is in
# progress: its heading is there (and for Claims, the table), as the sequential figures wait for.
# (Watching the script state alone misses runs: React may never draw the "running" state.)
CLICK_AT_JS = """
(link, [moment, heading, table]) => {
  const desk = (window.__desk = {});
  const app = document.querySelector('[data-testid="stApp"]');
  const drawn = () =>
    [...document.querySelectorAll("h1")].some((h) => h.textContent.trim() === heading) &&
    (!table || document.querySelector('[data-testid="stDataFrame"] canvas') !== null) &&
    app.dataset.testScriptState === "notRunning";
  setTimeout(() => {
    desk.clicked = Date.now();
    link.click();
    const timer = setInterval(() => {
      if (drawn()) {
        desk.done = Date.now();
        clearInterval(timer);
      }
    }, 20);
  }, moment - Date.now());
}
"""


# --- the stores ------------------------------------------------------------------------------------


@contextlib.contextmanager
def tinydb_store(claims: int, existing: Path | None) -> Iterator[dict[str, Any]]:
    """A TinyDB store of `claims` claims (built with bench_store.build_store), or `existing` as it is."""
    if existing is not None:
        yield {"backend": "tinydb", "location": str(existing), "built_s": None}
        return
    with tempfile.TemporaryDirectory(prefix="bench_desk_") as folder:
        started = time.perf_counter()
        path = Path(folder) / "store" / "claims.json"
        build_store(path, claims)
        yield {"backend": "tinydb", "location": str(path), "built_s": round(time.perf_counter() - started, 1)}


@contextlib.contextmanager
def postgres_store(claims: int, server: str) -> Iterator[dict[str, Any]]:
    """A new database on `server` ("auto": a throw-away server) holding the same store as build_store
    builds (same generator and seed), merged in the same batches; dropped afterwards."""
    with contextlib.ExitStack() as stack:
        if server == "auto":
            from postgres_server import find_binaries, running_server

            binaries = find_binaries()
            if binaries is None:
                raise SystemExit("--postgres auto needs PostgreSQL installed (pg_ctl not found)")
            server = stack.enter_context(running_server(binaries, durable=True))  # as a desk runs it
        database = stack.enter_context(new_database(server))
        started = time.perf_counter()
        repo = open_repository(database)
        rng = random.Random(1)  # build_store's seed
        for articles, batch in _batches(max(1, claims // CLAIMS_PER_ARTICLE), rng):
            repo.merge(articles, batch)
        close = getattr(repo, "close", None)
        if close is not None:
            close()
        built = round(time.perf_counter() - started, 1)
        yield {
            "backend": "postgres",
            "location": _without_password(database),
            "url": database,
            "built_s": built,
        }


@contextlib.contextmanager
def new_database(server: str) -> Iterator[str]:
    import psycopg
    from psycopg import sql

    name = f"claims_bench_desk_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield urlunsplit(urlsplit(server)._replace(path="/" + name))
        finally:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))


# --- the server's memory ---------------------------------------------------------------------------


def memory_mb(pid: int) -> dict[str, float]:
    """Resident memory now (VmRSS) and at its peak so far (VmHWM) of one process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = round(int(value.split()[0]) / 1024, 1)  # reported in kB
    return fields


def rss_mb(pid: int) -> float:
    return memory_mb(pid)["VmRSS"]


def postgres_backends_mb(database: str) -> dict[str, Any] | None:
    """The server processes serving `database`'s connections (the app server's pool), when the server
    runs on this machine: how many, and their proportional memory (Pss: shared buffers split among the
    processes that touch them) and private memory, summed, in MB. None for a server elsewhere."""
    import psycopg

    with psycopg.connect(database, autocommit=True) as conn:
        own = conn.execute("SELECT pg_backend_pid()").fetchone()
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    if own is None or not Path(f"/proc/{own[0]}").exists():
        return None
    totals = {"Pss": 0, "Private_Clean": 0, "Private_Dirty": 0}
    for (pid,) in rows:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                name, _, value = line.partition(":")
                if name in totals:
                    totals[name] += int(value.split()[0])  # kB
    private = totals["Private_Clean"] + totals["Private_Dirty"]
    return {
        "connections": len(rows),
        "pss_mb": round(totals["Pss"] / 1024, 1),
        "private_mb": round(private / 1024, 1),
    }


# --- the sessions ----------------------------------------------------------------------------------


def timed_ms(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return round((time.perf_counter() - started) * 1000, 1)


def claims_drawn(page: Page) -> None:
    page.get_by_role("heading", name="Claims", exact=True).wait_for()
    page.get_by_test_id("stDataFrame").first.locator("canvas").first.wait_for()
    page.locator(IDLE).wait_for()


def annotate_drawn(page: Page) -> None:
    page.get_by_test_id("span-selector").locator(".ss-sentence").first.wait_for()
    page.locator(IDLE).wait_for()


def overview_drawn(page: Page) -> None:
    page.get_by_role("heading", name="Overview", exact=True).wait_for()
    page.locator(IDLE).wait_for()


DRAWN = {"Claims": claims_drawn, "Annotate": annotate_drawn, "Overview": overview_drawn}


def nav_link(page: Page, title: str) -> Any:
    return page.get_by_test_id("stSidebarNavLink").filter(has_text=title)


def visit(page: Page, title: str) -> float:
    """Milliseconds from a click on the page's sidebar link to the page drawn and its run over."""
    return timed_ms(lambda: (nav_link(page, title).click(), DRAWN[title](page)))


def open_session(browser: Browser, server: StreamlitServer, editor: str) -> tuple[Page, dict[str, float]]:
    """A new editor's session: load Claims, then Annotate, Overview and Claims again by the sidebar."""
    context = browser.new_context(
        viewport={"width": 1400, "height": 900}, extra_http_headers={HEADER: editor}
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    times = {"claims_load": timed_ms(lambda: (page.goto(f"{server.url}/claims"), claims_drawn(page)))}
    times["annotate"] = visit(page, "Annotate")
    times["overview"] = visit(page, "Overview")
    times["claims_again"] = visit(page, "Claims")
    return page, times


def all_at_once(pages: list[Page], title: str) -> dict[str, Any]:
    """Every session clicks `title` in the same instant: ms from then to each one's page drawn (median,
    slowest), and how many were not drawn within TIMEOUT_MS (left out of the figures)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    moment = int(pages[0].evaluate("Date.now()")) + 1_000 + 50 * len(pages)
    for page in pages:
        nav_link(page, title).evaluate(CLICK_AT_JS, [moment, title, title == "Claims"])
    finished, deadline = [], time.monotonic() + TIMEOUT_MS / 1000
    for page in pages:
        left_ms = max(1_000.0, (deadline - time.monotonic()) * 1000)
        try:
            page.wait_for_function("window.__desk.done !== undefined", polling=100, timeout=left_ms)
        except PlaywrightTimeout:
            continue
        finished.append(float(page.evaluate("window.__desk.done")) - moment)
    if not finished:
        return {"not_drawn": len(pages)}
    return {
        "median": round(statistics.median(finished), 1),
        "slowest": round(max(finished), 1),
        "not_drawn": len(pages) - len(finished),
    }


def measure_desk(store: dict[str, Any], sessions: int, servers: int = 1) -> dict[str, Any]:
    """`servers` app servers on the store; session n is served by server n mod `servers` (as a proxy that
    keeps each editor on one server would spread them). Memory figures are summed over the servers."""
    from playwright.sync_api import sync_playwright

    location = store.get("url", store["location"])
    env = {"CLAIMS_DB": location, "CLAIMS_TRUSTED_HEADER": HEADER, "CLAIMS_BACKUPS": ""}
    with tempfile.TemporaryDirectory(prefix="bench_desk_log_") as folder, contextlib.ExitStack() as stack:
        started: list[StreamlitServer] = []
        for n in range(servers):
            server = start_streamlit(APP, log_path=Path(folder, f"streamlit{n}.log"), env=env)
            stack.callback(server.stop)
            started.append(server)

        def total_rss() -> float:
            return round(sum(rss_mb(server.process.pid) for server in started), 1)

        time.sleep(2)  # let start-up settle before the idle figure
        rss = {"idle": total_rss()}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            pages, times = [], []
            for n in range(sessions):
                page, taken = open_session(browser, started[n % servers], f"Editor {n + 1:02d}")
                pages.append(page)
                times.append(taken)
                if n == servers - 1:  # every server has served one session: its shared caches are full
                    rss["first_session"] = total_rss()
                print(f"{store['backend']}: session {n + 1} {taken}", file=sys.stderr, flush=True)
            rss["all_sessions"] = total_rss()
            overview = all_at_once(pages, "Overview")
            claims = all_at_once(pages, "Claims")
            rss["after_at_once"] = total_rss()
            rss["peak"] = round(sum(memory_mb(server.process.pid)["VmHWM"] for server in started), 1)
            database = postgres_backends_mb(location) if store["backend"] == "postgres" else None
            browser.close()
    per_session = (rss["all_sessions"] - rss["first_session"]) / max(1, sessions - servers)
    return {
        "store": {k: v for k, v in store.items() if k != "url"},
        "servers": servers,
        "sessions": sessions,
        "rss_mb": rss,
        "per_session_mb": round(per_session, 1),
        **({"postgres_backends": database} if database is not None else {}),
        "pages_ms": {
            "first_session": times[0],
            "median": {name: round(statistics.median(t[name] for t in times), 1) for name in times[0]},
            "slowest": {name: max(t[name] for t in times) for name in times[0]},
        },
        "at_once_ms": {"overview": overview, "claims": claims},
    }


# --- main ------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--servers", type=int, default=1, help="app servers on the one store")
    parser.add_argument("--postgres", help="a PostgreSQL server URL, or 'auto' for a throw-away server")
    parser.add_argument("--no-tinydb", action="store_true", help="measure PostgreSQL only")
    parser.add_argument(
        "--tinydb-store", type=Path, help="an existing TinyDB store to serve instead of building one"
    )
    args = parser.parse_args()
    # Stop cleanly on SIGTERM too: the server, the browser and a created database are cleaned up.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    if not CHROMIUM.exists():
        raise SystemExit(f"bench_desk needs Chromium at {CHROMIUM}: make chromium")

    load_before = os.getloadavg()[0]
    results: dict[str, Any] = {"claims": args.claims}
    if not args.no_tinydb:
        with tinydb_store(args.claims, args.tinydb_store) as store:
            results["tinydb"] = measure_desk(store, args.sessions, args.servers)
    if args.postgres:
        with postgres_store(args.claims, args.postgres) as store:
            results["postgres"] = measure_desk(store, args.sessions, args.servers)
    results["machine"] = {
        "cores": os.cpu_count(),
        # Other programs share the cores; a load above the core count slows every figure.
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "python": platform.python_version(),
    }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
