"""Has this been checked before? — in Chromium: an editor uploads a CSV of another organisation's fact-checks
on the Fact-checks page, opens a claim whose sentence one of them covers, links it, and after a reload
sees the link with its rating beside the claim's verdict. Saves test-results/checked_before.png (the claim
panel)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from test_annotate_e2e import ARRIVAL_TIMEOUT_MS, sign_in_if_asked
from test_annotator_e2e import HARBOUR_FILE, claim_form, seed, serve_app

from claims.formats.articles import read_article_file

pytestmark = pytest.mark.browser

RESULTS = Path(__file__).resolve().parents[2] / "test-results"
CSV = (
    "id,claim,title,rating,url,publisher,date\n"
    "bc-101,A joint navy exercise in the Baltic involves as many as 12000 sailors and 40 warships.,"
    "Will 12000 sailors drill in the Baltic?,Mostly true,https://checks.example/baltic,"
    "Baltic Checks,2024-03-20\n"
    "bc-102,A city council banned fishing in the river for 12 weeks.,Did the council ban river fishing?,"
    "False,https://checks.example/river,River Facts,2024-01-02\n"
)


@pytest.fixture(autouse=True)
def patient_expect() -> Iterator[None]:
    """Each step waits for a rerun; on a machine shared by many jobs one can take over 5 s."""
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=5_000)


def test_an_imported_fact_check_is_found_for_a_claim_linked_and_kept_after_a_reload(
    serve_streamlit: Any, tmp_path: Path, page: Page
) -> None:
    annotator = serve_app(serve_streamlit, tmp_path / "store" / "claims.json")
    repo = annotator.repository()
    harbour = read_article_file(HARBOUR_FILE)[0]
    repo.add_article(harbour)
    claim = seed(repo, harbour, "as many as 12,000 sailors", "Ana Ruiz", claim_type="statistic")
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.set_default_timeout(20_000)

    # Import the CSV on the Fact-checks page.
    csv_file = tmp_path / "baltic.csv"
    csv_file.write_text(CSV, encoding="utf-8")
    annotator.server.open(page, "/factchecks")
    sign_in_if_asked(page, "Ana Ruiz")
    page.locator("input[type=file]").set_input_files(str(csv_file))
    page.get_by_role("button", name="Import fact-checks").click()
    expect(page.get_by_text("1 file imported, 0 failed")).to_be_visible()
    expect(page.get_by_text("Known fact-checks (2)")).to_be_visible()
    assert {check.id for check in repo.list_factchecks()} == {"bc-101", "bc-102"}

    # Open the claim: its sentence was checked before by Baltic Checks; link it.
    annotator.server.open(page, f"/annotate?article={harbour.id}&claim={claim.id}")
    sign_in_if_asked(page, "Ana Ruiz")
    expect(page.get_by_test_id("span-selector").locator(".ss-sentence").first).to_be_visible(
        timeout=ARRIVAL_TIMEOUT_MS
    )
    panel = claim_form(page, "Save changes")
    expect(page.get_by_text("Checked before?")).to_be_visible()
    expect(page.get_by_text("Will 12000 sailors drill in the Baltic?")).to_be_visible()
    expect(page.get_by_text("Did the council ban river fishing?")).to_have_count(0)
    page.get_by_role("button", name="Link to this fact-check").click()
    expect(page.get_by_role("button", name="Unlink")).to_be_visible()
    [link] = repo.get_claim(claim.article_id, claim.id).checked_before
    assert (link.factcheck_id, link.rating, link.linked_by) == ("bc-101", "Mostly true", "Ana Ruiz")

    # After a reload the link is still there, with its rating beside the claim's own verdict.
    page.reload()
    sign_in_if_asked(page, "Ana Ruiz")
    panel = claim_form(page, "Save changes")
    expect(page.get_by_text("rated “Mostly true” · this claim: unrated", exact=False)).to_be_visible()
    RESULTS.mkdir(exist_ok=True)
    page.get_by_text("Checked before?").scroll_into_view_if_needed()
    panel.screenshot(path=RESULTS / "checked_before.png")
    assert problems == []
