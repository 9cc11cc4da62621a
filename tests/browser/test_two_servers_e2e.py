"""Two app servers on one PostgreSQL database, in Chromium, as a desk runs them behind its sign-in proxy:
a save on one server is shown by the other at the next load, and one claim saved from both at once is
saved once, the other editor getting the conflict view that names who won.

Each server is a real `streamlit run` with CLAIMS_DB set to the same fresh database on the test server
(CLAIMS_TEST_POSTGRES, which `make test` provides); without it these tests skip, and under CI=true fail.
Editors are named by the trusted header, as the desk's reverse proxy would send it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from local_app import REPO_ROOT, ServerFailed, StreamlitServer, start_streamlit
from playwright.sync_api import Browser, Locator, Page, expect
from postgres_support import Databases
from test_annotator_e2e import HARBOUR_FILE, choose, claim_form, seed
from test_claims_table_e2e import COLUMNS, data_grid, row_of

from claims.formats.articles import read_article_file
from claims.labels import label
from claims.models import Article, ClaimStatus, Verdict
from claims.store.postgres import PostgresRepository

pytestmark = pytest.mark.browser

APP = REPO_ROOT / "annotator" / "streamlit_app.py"
HEADER = "X-Forwarded-User"
# Every step waits for a rerun of a server that shares two cores with the browser and the database.
PATIENCE_MS = 30_000
# Clicks the element when the page's clock reads `moment` (milliseconds since the epoch).
CLICK_AT_JS = "(element, moment) => setTimeout(() => element.click(), moment - Date.now())"


@dataclass
class Desk:
    """Two app servers and the one database they share (`store` is this test process's own connection)."""

    servers: tuple[StreamlitServer, StreamlitServer]
    store: PostgresRepository
    article: Article


@pytest.fixture(scope="module")
def desk(postgres_databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    url = postgres_databases.create()
    store = PostgresRepository(url)
    article = read_article_file(HARBOUR_FILE)[0]
    store.add_article(article)
    env = {"CLAIMS_DB": url, "CLAIMS_TRUSTED_HEADER": HEADER, "CLAIMS_BACKUPS": ""}
    servers: list[StreamlitServer] = []
    try:
        for n in (1, 2):
            log = tmp_path_factory.mktemp(f"server{n}") / "streamlit.log"
            servers.append(start_streamlit(APP, log_path=log, env=env))
        yield Desk((servers[0], servers[1]), store, article)
    except ServerFailed as failure:
        pytest.fail(str(failure))
    finally:
        for server in servers:
            server.stop()
        store.close()
        postgres_databases.drop(url)


@pytest.fixture(autouse=True)
def patient_expect() -> Iterator[None]:
    expect.set_options(timeout=PATIENCE_MS)
    yield
    expect.set_options(timeout=5_000)


@contextmanager
def editor(browser: Browser, name: str) -> Iterator[Page]:
    """A browser of its own for one editor, signed in by the proxy's header; fails on a script error."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, extra_http_headers={HEADER: name})
    errors: list[str] = []
    context.on("weberror", lambda error: errors.append(str(error.error)))  # in any of its tabs
    try:
        page = context.new_page()
        page.set_default_timeout(PATIENCE_MS)
        yield page
    finally:
        context.close()
    assert errors == []


def open_claim(page: Page, server: StreamlitServer, desk: Desk, claim_id: str) -> Locator:
    """Load Annotate at a claim (a new session, as a reload is) and return its form once drawn."""
    server.open(page, f"/annotate?article={desk.article.id}&claim={claim_id}")
    form = claim_form(page, "Save changes")
    server.wait_until_idle(page)  # the form shows before its run ends: let clicks land on what stays
    return form


def open_claims_table(page: Page, server: StreamlitServer) -> Locator:
    server.open(page, "/claims")
    return data_grid(page)


def status_cell(grid: Locator, quote: str) -> Locator:
    """The Claims table's status cell of the claim with this quote (read from the grid's accessible table)."""
    return grid.locator(f"#glide-cell-{COLUMNS.index('status')}-{row_of(grid, quote)}")


def test_a_status_saved_on_one_server_is_shown_by_the_other_after_a_reload(
    desk: Desk, browser: Browser
) -> None:
    one, two = desk.servers
    claim = seed(
        desk.store, desk.article, "40 warships", "Ben Okafor", status=ClaimStatus.IN_PROGRESS, verdict="false"
    )
    with editor(browser, "Ana Ruiz") as ana, editor(browser, "Ben Okafor") as ben:
        # Ben has the claim open on server 2, and its Claims table in another tab: both read before the save.
        ben_form = open_claim(ben, two, desk, claim.id)
        expect(ben_form.get_by_role("combobox", name="Status")).to_have_value("in progress")
        table_tab = ben.context.new_page()
        expect(status_cell(open_claims_table(table_tab, two), "40 warships")).to_have_text("in progress")

        ana_form = open_claim(ana, one, desk, claim.id)
        choose(ana, ana_form, "Status", "needs review")
        ana_form.get_by_role("button", name="Save changes").click()
        expect(ana.get_by_text("version 2 · created by Ben Okafor")).to_be_visible()
        saved = desk.store.get_claim(claim.article_id, claim.id)
        assert (saved.status, saved.version, saved.updated_by) == (ClaimStatus.NEEDS_REVIEW, 2, "Ana Ruiz")

        table_tab.reload()
        two.wait_until_idle(table_tab)
        expect(status_cell(data_grid(table_tab), "40 warships")).to_have_text("needs review")
        ben.reload()
        two.wait_until_idle(ben)
        ben_form = claim_form(ben, "Save changes")
        expect(ben_form.get_by_role("combobox", name="Status")).to_have_value("needs review")
        expect(
            ben.get_by_text("version 2 · created by Ben Okafor · last changed by Ana Ruiz")
        ).to_be_visible()


def test_one_claim_saved_on_both_servers_at_once_is_saved_once_and_the_other_editor_sees_the_conflict(
    desk: Desk, browser: Browser
) -> None:
    claim = seed(desk.store, desk.article, "as many as 12,000 sailors", "Carla Diaz", claim_type="statistic")
    wanted = {"Ana Ruiz": Verdict.FALSE, "Ben Okafor": Verdict.MOSTLY_TRUE}
    with editor(browser, "Ana Ruiz") as ana, editor(browser, "Ben Okafor") as ben:
        tabs = {"Ana Ruiz": ana, "Ben Okafor": ben}
        forms = {
            name: open_claim(tab, server, desk, claim.id)
            for (name, tab), server in zip(tabs.items(), desk.servers, strict=True)
        }
        for (name, tab), server in zip(tabs.items(), desk.servers, strict=True):
            choose(tab, forms[name], "Verdict", label(wanted[name]))
            server.wait_until_idle(tab)  # the choice has reached the server: Save sends it

        # Both Save buttons pressed in the same instant: each page clicks its own at one agreed moment
        # (the two pages share the browser's clock), so both servers write at once.
        moment = ana.evaluate("Date.now()") + 1_000
        for name in tabs:
            forms[name].get_by_role("button", name="Save changes").evaluate(CLICK_AT_JS, moment)

        outcome = {}
        for name, tab in tabs.items():
            won = tab.get_by_text("version 2 · created by Carla Diaz")
            lost = tab.get_by_text("saved this claim at")
            expect(won.or_(lost)).to_be_visible()
            outcome[name] = "won" if won.is_visible() else "lost"
        assert sorted(outcome.values()) == ["lost", "won"], outcome
        [winner] = [name for name, result in outcome.items() if result == "won"]
        [loser] = [name for name, result in outcome.items() if result == "lost"]

        # The loser's page: nothing of theirs saved, both versions side by side, the winner named.
        page, form = tabs[loser], forms[loser]
        expect(page.get_by_text(f"{winner} saved this claim at")).to_be_visible()
        expect(form.get_by_text("Yours (not saved)")).to_be_visible()
        expect(form.get_by_text(f"{winner}'s, ")).to_be_visible()
        expect(form.get_by_text("Verdict: you both changed it", exact=True)).to_be_visible()
        expect(form.get_by_test_id("stText").filter(has_text=label(wanted[loser]))).to_be_visible()
        expect(form.get_by_test_id("stText").filter(has_text=label(wanted[winner]))).to_be_visible()
        expect(form.get_by_role("button", name="Apply my changes on top of theirs")).to_be_visible()

    stored = desk.store.get_claim(claim.article_id, claim.id)
    assert (stored.verdict, stored.version, stored.updated_by) == (wanted[winner], 2, winner)
