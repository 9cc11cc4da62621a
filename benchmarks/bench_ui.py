"""Prints JSON: how fast the Annotate page is for an article of 200 sentences with 100 claims, or, with
`--pages N`, how fast every page opens over a store of N claims.

- rerun_apptest: the server-side time of one rerun of the page (whole app: sidebar and page) under
  streamlit.testing's AppTest, the first (cold) run apart; the goal is a rerun under 150 ms.
  rerun_parts: what the page itself computes per rerun (claims read from TinyDB, the payload).
- browser: Debian's headless Chromium against `streamlit run` over the same store, in-page times
  (performance.now()) from navigation start or from the mouse press to the frame after the last
  sentence is drawn; *_last_message_ms is press -> the last websocket message before that frame.
  component_draw_ms is the span selector's own figure (data-draw-ms on its root).
  form_edit_*: picking a verdict in the open claim's form, which reruns the claim panel (a fragment)
  alone: press -> the last websocket message, and the kilobytes the server sent for it.

--pages N (e.g. 100000): a store of N claims (benchmarks/bench_store.build_store: 20 a article), served by
`streamlit run` and driven in headless Chromium, one browser session: from a click on the page's link in
the sidebar to its main content drawn and the script run over (Claims: the caption and the table; Overview:
the recent changes; Articles: the page's caption; Annotate: the article's sentences), on the first visit
(the server's caches cold) and on later visits (median), and the Claims page's filter (a status chosen ->
the table redrawn). Then the server's resident memory (VmRSS) and its peak (VmHWM). And, apart from the
browser and less swayed by other programs' load, each page's script run under AppTest (`apptest`: first
run and median rerun, wall clock and CPU).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import logging
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
from local_app import CHROMIUM, CHROMIUM_ARGS, start_streamlit  # noqa: E402

from claims.annotations import new_claim
from claims.formats.articles import make_article
from claims.models import (
    Article,
    ArticleQuery,
    Claim,
    ClaimDraft,
    ClaimQuery,
    ClaimStatus,
    ClaimType,
    Source,
    Verdict,
)
from claims.store import is_server_url, open_repository

REPO_ROOT = Path(__file__).resolve().parents[1]
APP = REPO_ROOT / "annotator" / "streamlit_app.py"
PAGE = "app_pages/annotate.py"
SENTENCES = 200
CLAIMS = 100
GOAL_RERUN_MS = 150

# --- a long, news-like article with claims ---------------------------------------------------------

_PEOPLE = [
    "Finance Minister Maria Lopez",
    "Mayor Jan Peeters",
    "Health Secretary Amir Haddad",
    "opposition leader Clara Voss",
    "police chief Tomas Novak",
    "council spokesperson Lena Berg",
    "union leader Sam Okafor",
    "Transport Minister Ines Duarte",
]
_BODIES = [
    "the national statistics office",
    "the central bank",
    "the city council",
    "the health ministry",
    "an independent audit",
    "the port authority",
    "a university study",
    "the transport agency",
]
_TOPICS = [
    "rents in the capital",
    "waiting times at public hospitals",
    "youth unemployment",
    "the cost of the harbour wall",
    "bus fares",
    "reported burglaries",
    "energy bills",
    "school class sizes",
    "food prices",
    "the number of nurses",
]
_PLACES = ["the northern districts", "the port towns", "the capital", "rural areas", "the old town"]
_TEMPLATES = [
    "{person} said on {day} that {topic} had risen by {pct}% since {year}.",
    "According to {body}, {count:,} people were affected in {place} last year.",
    "{person} denied that the project would cost more than {money} million euros.",
    "{body_cap} expects {topic} to fall by a third by {future}, a spokesperson said.",
    "Critics say the plan will leave {count:,} households without support in {place}.",
    "The figures, published on {day}, show {topic} at the highest level since {year}.",
    "{person} told reporters that {count:,} new jobs would be created in {place} within {n} years.",
    "Residents in {place} have complained about {topic} for months.",
    "{person} blamed the rise in {topic} on the closure of {n} local offices.",
    "An estimated {count:,} visitors came to {place} during the festival, twice as many as in {year}.",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def news_sentence(rng: random.Random) -> str:
    body = rng.choice(_BODIES)
    return rng.choice(_TEMPLATES).format(
        person=_capital(rng),
        body=body,
        body_cap=body[0].upper() + body[1:],
        topic=rng.choice(_TOPICS),
        place=rng.choice(_PLACES),
        day=rng.choice(_DAYS),
        pct=rng.choice([3, 4.5, 7, 12, 18, 25, 40]),
        year=rng.randint(2008, 2021),
        future=rng.randint(2026, 2035),
        count=rng.randint(12, 90) * 100,
        money=rng.choice([2.5, 12, 40, 310, 850]),
        n=rng.randint(2, 9),
    )


def _capital(rng: random.Random) -> str:
    """A person as the subject that opens a sentence."""
    person = rng.choice(_PEOPLE)
    return person[0].upper() + person[1:]


def long_article(seed: int = 1) -> Article:
    """An article of SENTENCES sentences in paragraphs of one to four, built as the app builds one."""
    rng = random.Random(seed)
    paragraphs, left = [], SENTENCES
    while left:
        size = min(left, rng.randint(1, 4))
        paragraphs.append(" ".join(news_sentence(rng) for _ in range(size)))
        left -= size
    article = make_article(
        "\n".join(paragraphs),
        title="Council budget under fire as figures on rents, jobs and hospitals are disputed",
        url="https://news.example/2024/05/council-budget",
        date=dt.date(2024, 5, 14),
        source_file="council_budget.txt",
        imported_by="bench",
    )
    if len(article.sentences) != SENTENCES:
        raise RuntimeError(f"the generated article split into {len(article.sentences)} sentences")
    return article


def article_claims(article: Article, seed: int = 2) -> list[Claim]:
    """CLAIMS claims, one on every other sentence: what was said "that ...", else the sentence."""
    rng = random.Random(seed)
    claims = []
    for sentence in article.sentences[:: len(article.sentences) // CLAIMS][:CLAIMS]:
        said = sentence.text.find(" that ")
        start = sentence.start + (said + len(" that ") if said >= 0 else 0)
        end = sentence.end - 1  # without the full stop
        draft = ClaimDraft(
            article_id=article.id,
            start=start,
            end=end,
            claim_type=rng.choice(list(ClaimType)),
            claimant=rng.choice(_PEOPLE),
            source=Source(name=rng.choice(["Reuters", "AFP", "council minutes"])),
            status=rng.choice(list(ClaimStatus)),
            verdict=rng.choice(list(Verdict)),
            notes="Compare with the annual report, table 4.",
        )
        claims.append(new_claim(article, draft, by=rng.choice(["Ana Ruiz", "Ben Okafor"])))
    return claims


# --- server side: one rerun under AppTest ------------------------------------------------------------


def summarise(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[round(0.95 * (len(ordered) - 1))], 1),
        "min_ms": round(ordered[0], 1),
        "runs": len(ordered),
    }


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def measure_rerun(article: Article, runs: int) -> dict[str, Any]:
    """Milliseconds of at.run() on the Annotate page; the first run (cold caches) apart."""
    from streamlit.testing.v1 import AppTest

    # Setting up an AppTest outside a script run warns that there is no script context; harmless.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["editor"] = "bench"
    at.switch_page(PAGE)
    first = timed(at.run)
    check_page(at, article)
    timings = []
    for _ in range(runs):
        timings.append(timed(at.run))
        check_page(at, article)
    return {"first_run_ms": round(first, 1), **summarise(timings)}


def check_page(at: Any, article: Article) -> None:
    if at.exception:
        raise RuntimeError(f"the Annotate page raised: {at.exception[0].message}")
    caption = at.caption[0].value.replace("\\", "")
    if (
        f"{SENTENCES} sentences · {CLAIMS} claims" not in caption
        or at.subheader[0].value.replace("\\", "") != article.title
    ):
        raise RuntimeError(f"the Annotate page shows something else: {caption!r}")


def measure_parts(article: Article, store: Path, runs: int) -> dict[str, float]:
    """Median milliseconds of the work a rerun does outside Streamlit: read claims, build the payload."""
    from annotator.components.span_selector import build_payload
    from annotator.palette import claim_highlights

    repo = open_repository(store)
    highlights = claim_highlights(repo.list_claims(article.id), "status")

    def median_ms(action: Callable[[], object]) -> float:
        return round(statistics.median(timed(action) for _ in range(runs)), 2)

    payload = build_payload(article.text, article.sentences, highlights)
    return {
        "list_claims_ms": median_ms(lambda: repo.list_claims(article.id)),
        "build_payload_ms": median_ms(lambda: build_payload(article.text, article.sentences, highlights)),
        "payload_kb": round(len(json.dumps(payload)) / 1024, 1),
    }


# --- in the browser ------------------------------------------------------------------------------------

# In-page marks, in milliseconds since navigation start: `pressed` when a mouse button goes down,
# `messages` when the server's websocket messages arrive, `drawn` when a shadow root (the span
# selector draws in one) holds the last sentence after a change, and `shown` one frame later (on
# screen by then). A benchmark resets them with RESET_JS before each interaction.
MARKS_JS = """
(() => {
  window.__marks = { messages: [] };
  addEventListener("mousedown", () => { window.__marks.pressed = performance.now(); }, true);
  const NativeSocket = window.WebSocket;
  window.WebSocket = class extends NativeSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        window.__marks.messages.push(performance.now());
        const data = event.data;
        const size = data.byteLength ?? data.size ?? data.length ?? 0;
        window.__marks.bytes = (window.__marks.bytes || 0) + size;
      });
    }
  };
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    new MutationObserver(() => {
      const marks = window.__marks;
      if (marks.drawn === undefined && root.querySelector('.ss-sentence[data-n="LAST"]')) {
        marks.drawn = performance.now();
        requestAnimationFrame(() => setTimeout(() => { marks.shown = performance.now(); }));
      }
    }).observe(root, { childList: true, subtree: true });
    return root;
  };
})();
""".replace("LAST", str(SENTENCES))
RESET_JS = "window.__marks = { messages: [] }"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# True once the server has answered the form edit (the edit is kept as a draft: Close stays, Save enabled).
DRAFT_KEPT_JS = "() => window.__marks.messages.length > 0"
# Checked every animation frame: marks the first frame in which the claim form is on the page.
FORM_SHOWN_JS = """
() => {
  const shown = [...document.querySelectorAll("button")].some((b) => b.textContent.includes("Save changes"));
  if (shown) window.__marks.shown = performance.now();
  return shown;
}
"""


@contextlib.contextmanager
def served_app(store: Path) -> Iterator[str]:
    """`streamlit run` the app over the store on a free port; yields its URL, stops it after."""
    with tempfile.TemporaryDirectory(prefix="bench_ui_log_") as folder:
        server = start_streamlit(APP, log_path=Path(folder, "streamlit.log"), env={"CLAIMS_DB": str(store)})
        try:
            yield server.url
        finally:
            server.stop()


def measure_browser(url: str, article: Article, claim_id: str, repeats: int) -> dict[str, Any]:
    """Each repeat, in a fresh browser context: load /annotate?article=…, sign in, wait for the last
    sentence; recolour the highlights; go to Articles and back; open a claim by its highlight."""
    from playwright.sync_api import sync_playwright

    samples: dict[str, list[float]] = {}

    def note(name: str, value: float) -> None:
        samples.setdefault(name, []).append(value)

    def note_press(name: str, marks: dict[str, Any]) -> None:
        """Press -> on screen, and press -> the last websocket message before that."""
        note(f"{name}_ms", marks["shown"] - marks["pressed"])
        answered = [t for t in marks["messages"] if marks["pressed"] <= t <= marks["shown"]]
        if answered:
            note(f"{name}_last_message_ms", max(answered) - marks["pressed"])
        note(f"{name}_kb_received", marks.get("bytes", 0) / 1024)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        version = browser.version
        for _ in range(repeats):
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            context.add_init_script(MARKS_JS)
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.goto(f"{url}/annotate?article={article.id}")
            # The app asks who is editing before it shows any page.
            name = page.get_by_role("textbox", name="Your name")
            name.wait_for()
            note("load_to_name_prompt_ms", page.evaluate("performance.now()"))
            name.fill("bench")
            page.get_by_role("button", name="Start editing").click()
            marks = wait_for(page, "shown")
            note("load_to_last_sentence_ms", marks["shown"])
            note_press("sign_in_to_last_sentence", marks)
            selector = page.get_by_test_id("span-selector")
            note("component_draw_ms", float(selector.get_attribute("data-draw-ms") or "nan"))

            # A rerun that redraws the article: colour the highlights by verdict.
            page.evaluate(RESET_JS)
            page.get_by_role("radio", name="verdict").click()
            marks = wait_for(page, "shown")
            note_press("recolour_to_redrawn", marks)

            # In-app navigation: Articles, then back to Annotate (the component mounts afresh).
            nav = page.get_by_test_id("stSidebarNavLink")
            nav.filter(has_text="Articles").click()
            page.get_by_role("heading", name="Stored articles").wait_for()
            page.evaluate(RESET_JS)
            nav.filter(has_text="Annotate").click()
            marks = wait_for(page, "shown")
            note_press("navigate_to_last_sentence", marks)

            # Opening a claim: click its highlight until the claim form is on the page.
            page.evaluate(RESET_JS)
            selector.locator(f'.ss-claim[data-open="{claim_id}"]').first.click()
            page.wait_for_function(FORM_SHOWN_JS, polling="raf")
            marks = dict(page.evaluate("window.__marks"))
            note_press("click_highlight_to_form", marks)

            # Editing the form: a rerun of the claim panel (a fragment) alone, not of the article.
            panel = page.locator(".st-key-claim_panel")
            panel.get_by_test_id("stSelectbox").filter(has=page.get_by_text("Verdict", exact=True)).click()
            page.evaluate(RESET_JS)
            page.get_by_role("option", name="mostly false", exact=True).click()
            page.wait_for_function(DRAFT_KEPT_JS, polling="raf")
            page.locator(IDLE).wait_for()
            marks = dict(page.evaluate("window.__marks"))
            if marks["messages"]:
                note("form_edit_last_message_ms", max(marks["messages"]) - marks["pressed"])
            note("form_edit_kb_received", marks.get("bytes", 0) / 1024)
            context.close()
        browser.close()
    return {
        "chromium": version,
        "repeats": repeats,
        **{name: round(statistics.median(values), 1) for name, values in samples.items()},
        "all": {name: [round(v) for v in values] for name, values in samples.items()},
    }


def wait_for(page: Any, mark: str) -> dict[str, Any]:
    page.wait_for_function(f"window.__marks.{mark} !== undefined", polling=20)
    return dict(page.evaluate("window.__marks"))


# --- every page over a large store ----------------------------------------------------------------------

# What each page draws last, once its script run is over (a locator on the main area).
PAGE_CONTENT = {
    "Claims": lambda main: main.get_by_text(re.compile(r"^rows 1–\d+ of [\d,]+ matching")),
    "Overview": lambda main: main.get_by_role("heading", name="Recent changes"),
    "Articles": lambda main: main.get_by_text(re.compile(r"^rows 1–\d+ of [\d,]+ articles")),
    "Annotate": lambda main: main.get_by_test_id("span-selector").locator(".ss-sentence").first,
}


def measure_pages(url: str, server_pid: int, repeats: int) -> dict[str, Any]:
    """Milliseconds from a click on each page's sidebar link to its content drawn (script run over),
    first visit and the median of `repeats` later ones; the Claims filter; the server's memory."""
    from playwright.sync_api import sync_playwright

    first: dict[str, float] = {}
    later: dict[str, list[float]] = {name: [] for name in PAGE_CONTENT}
    filtered: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        version = browser.version
        page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        page.set_default_timeout(600_000)
        started = time.perf_counter()
        page.goto(url)
        name = page.get_by_role("textbox", name="Your name")
        name.wait_for()
        name.fill("bench")
        page.get_by_role("button", name="Start editing").click()
        main = page.get_by_test_id("stMain")
        PAGE_CONTENT["Articles"](main).wait_for()
        page.locator(IDLE).wait_for()
        sign_in_ms = (time.perf_counter() - started) * 1000
        nav = page.get_by_test_id("stSidebarNavLink")
        for visit in range(repeats + 1):
            # Each page is reached from the one before it (Claims from Articles, then from Overview).
            for title, content in PAGE_CONTENT.items():
                started = time.perf_counter()
                nav.filter(has_text=title).click()
                content(main).wait_for()
                page.locator(IDLE).wait_for()
                took = (time.perf_counter() - started) * 1000
                if visit == 0:
                    first[title] = took
                else:
                    later[title].append(took)
            # The Claims page with a filter: a status chosen, until the table says how many match.
            nav.filter(has_text="Claims").click()
            PAGE_CONTENT["Claims"](main).wait_for()
            page.locator(IDLE).wait_for()
            status = ["needs review", "approved", "published", "in progress"][visit % 4]
            main.get_by_test_id("stMultiSelect").filter(has=page.get_by_text("Status", exact=True)).click()
            started = time.perf_counter()
            page.get_by_role("option", name=status, exact=True).click()
            page.keyboard.press("Escape")
            main.get_by_test_id("stMultiSelect").filter(has=page.get_by_text(status, exact=True)).wait_for()
            page.locator(IDLE).wait_for()
            PAGE_CONTENT["Claims"](main).wait_for()
            filtered.append((time.perf_counter() - started) * 1000)
            main.get_by_role("button", name=f"Remove {status}").click()  # back to no filter
            page.locator(IDLE).wait_for()
            nav.filter(has_text="Overview").click()  # leave Claims: the next cycle starts by opening it
            PAGE_CONTENT["Overview"](main).wait_for()
            page.locator(IDLE).wait_for()
        browser.close()
    memory = _server_memory(server_pid)
    return {
        "chromium": version,
        "sign_in_to_articles_ms": round(sign_in_ms),
        "first_visit_ms": {title: round(ms) for title, ms in first.items()},
        "later_visits_median_ms": {title: round(statistics.median(ms)) for title, ms in later.items()},
        "later_visits_ms": {title: [round(v) for v in ms] for title, ms in later.items()},
        "claims_filter_first_ms": round(filtered[0]),
        "claims_filter_later_median_ms": round(statistics.median(filtered[1:]))
        if len(filtered) > 1
        else None,
        **memory,
    }


def _server_memory(pid: int) -> dict[str, float]:
    """The server process's resident memory now and at its peak, in MB (from /proc)."""
    found: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[f"server_{'rss' if key == 'VmRSS' else 'peak_rss'}_mb"] = round(
                int(value.split()[0]) / 1024
            )
    return found


PAGE_FILES = {
    "Claims": "app_pages/claims_table.py",
    "Overview": "app_pages/overview.py",
    "Articles": "app_pages/articles.py",
    "Annotate": "app_pages/annotate.py",
}


def measure_page_runs(store: str, runs: int) -> dict[str, Any]:
    """Each page's script run under AppTest (in this process, whole app: sidebar and page), the first one
    (the page's queries not cached yet) and the median of `runs` reruns, wall clock and CPU milliseconds:
    what the server computes, apart from the browser and from other programs' load."""
    from streamlit.testing.v1 import AppTest

    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    os.environ["CLAIMS_DB"] = str(store)
    at = AppTest.from_file(str(APP), default_timeout=600)
    at.session_state["editor"] = "bench"
    started, cpu = time.perf_counter(), time.process_time()
    at.run()  # the default page (Articles); the store's index is built here
    figures: dict[str, Any] = {
        "first_run_ms": round((time.perf_counter() - started) * 1000),
        "first_run_cpu_ms": round((time.process_time() - cpu) * 1000),
    }
    for title, script in PAGE_FILES.items():
        at.switch_page(script)
        walls, cpus = [], []
        for _ in range(runs + 1):
            started, cpu = time.perf_counter(), time.process_time()
            at.run()
            walls.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            if at.exception:
                raise RuntimeError(f"the {title} page raised: {at.exception[0].message}")
        figures[title] = {
            "first_ms": round(walls[0]),
            "first_cpu_ms": round(cpus[0]),
            "rerun_median_ms": round(statistics.median(walls[1:])),
            "rerun_median_cpu_ms": round(statistics.median(cpus[1:])),
        }
    return figures


def bench_pages(claims: int, repeats: int, store: str | None, runs: int) -> dict[str, Any]:
    """Build (or reuse) a store of `claims` claims and time every page over it. `store` may be a TinyDB
    path or a postgresql:// URL (an empty database is filled by bench_postgres.build)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_store import build_store

    with tempfile.TemporaryDirectory(prefix="bench_pages_") as folder:
        location = store or str(Path(folder) / "store" / "claims.json")
        built = None
        started = time.perf_counter()
        if is_server_url(location):
            from bench_postgres import build

            server_store = open_repository(location)
            if server_store.query_claims(ClaimQuery(limit=1)).total == 0:
                build(server_store, claims)  # type: ignore[arg-type]
                built = round(time.perf_counter() - started, 1)
        elif not Path(location).exists():
            build_store(Path(location), claims)
            built = round(time.perf_counter() - started, 1)
        repo = open_repository(location)
        totals = repo.query_articles(ArticleQuery(limit=1))
        server = start_streamlit(APP, log_path=Path(folder, "streamlit.log"), env={"CLAIMS_DB": location})
        try:
            figures = measure_pages(server.url, server.process.pid, repeats)
        finally:
            server.stop()
        server_side = measure_page_runs(location, runs)
        return {
            "store": {
                "claims": totals.claims,
                "articles": totals.total,
                "built_s": built,
                "backend": type(repo).__name__,
            },
            "repeats": repeats,
            **figures,
            "apptest": server_side,
        }


# --- main ------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20, help="AppTest reruns timed")
    parser.add_argument("--repeats", type=int, default=5, help="browser page loads timed")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium figures")
    parser.add_argument("--pages", type=int, metavar="N", help="time every page over a store of N claims")
    parser.add_argument(
        "--store", help="with --pages: a store built before (a path or a postgresql:// URL; else a new one)"
    )
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    if args.pages:
        results: dict[str, Any] = bench_pages(args.pages, args.repeats, args.store, args.runs)
        results["machine"] = _machine(load_before)
        print(json.dumps(results, indent=2))
        return
    article = long_article()
    claims = article_claims(article)
    with tempfile.TemporaryDirectory(prefix="bench_ui_") as folder:
        store = Path(folder) / "store" / "claims.json"
        repo = open_repository(store)
        repo.add_article(article)
        for claim in claims:
            repo.add_claim(claim)
        os.environ["CLAIMS_DB"] = str(store)
        results = {
            "article": {
                "sentences": len(article.sentences),
                "claims": len(claims),
                "characters": len(article.text),
            },
            "rerun_apptest": measure_rerun(article, args.runs),
            "rerun_parts": measure_parts(article, store, args.runs),
        }
        results["rerun_goal_ms"] = GOAL_RERUN_MS
        results["rerun_p95_meets_goal"] = results["rerun_apptest"]["p95_ms"] < GOAL_RERUN_MS
        if not args.no_browser:
            with served_app(store) as url:
                results["browser"] = measure_browser(url, article, claims[len(claims) // 2].id, args.repeats)
    results["machine"] = _machine(load_before)
    print(json.dumps(results, indent=2))


def _machine(load_before: float) -> dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        # Other programs share the cores; a load above the core count slows every figure.
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "python": platform.python_version(),
        "streamlit": _version("streamlit"),
    }


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


if __name__ == "__main__":
    main()
