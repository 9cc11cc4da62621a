"""Has this been checked before? — in the app (AppTest, a real TinyDB store): earlier fact-checks under a
claim and a suggestion, linking and unlinking one (kept after a reload), the desk's own rated claims,
every sentence of an article run from the Articles page, and the Fact-checks page (import, search, counts
by publisher)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from app_support import by_label, click, store_claim
from streamlit.testing.v1 import AppTest

from claims.actions import change_claim
from claims.formats.articles import make_article
from claims.models import (
    Article,
    Claim,
    ClaimChanges,
    ClaimStatus,
    ClaimType,
    FactCheckSource,
    KnownFactCheck,
    Verdict,
)
from claims.store.contract import Repository
from claims.suggest.engine import suggest_claims
from claims.suggest.review import suggestion_id

ANNOTATE = "app_pages/annotate.py"
SAILORS = KnownFactCheck(
    id="bc-101",
    claim="A joint navy exercise in the Baltic involves as many as 12,000 sailors and 40 warships.",
    title="Will 12,000 sailors and 40 warships drill in the Baltic?",
    rating="Mostly true",
    url="https://checks.example/baltic-sailors",
    publisher="Baltic Checks",
    date=dt.date(2024, 3, 20),
)
UNRELATED = KnownFactCheck(
    id="bc-102",
    claim="A city council banned fishing in the river for 12 weeks.",
    title="Did the council ban river fishing?",
    rating="False",
    url="https://checks.example/river-fishing",
    publisher="River Facts",
)


def unescaped(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def texts(elements: Any) -> list[str]:
    return [unescaped(str(element.value)) for element in elements]


@pytest.fixture
def known(app_store: Repository) -> Repository:
    app_store.add_factchecks([SAILORS, UNRELATED])
    return app_store


def open_claim(app: AppTest, claim: Claim) -> AppTest:
    """The Annotate page with `claim` open, as a link to it opens it."""
    app.query_params["article"] = claim.article_id
    app.query_params["claim"] = claim.id
    app.switch_page(ANNOTATE).run()
    assert not app.exception
    return app


def stored(repo: Repository, claim: Claim) -> Claim:
    return repo.get_claim(claim.article_id, claim.id)


def test_a_claim_shows_the_earlier_fact_check_of_its_sentence_and_not_an_unrelated_one(
    app: AppTest, known: Repository, stored_sample: Article
) -> None:
    claim = store_claim(known, stored_sample, "as many as 12,000 sailors")
    open_claim(app, claim)
    shown = "\n".join(texts(app.markdown))
    assert "Checked before?" in shown
    assert SAILORS.title in shown
    assert UNRELATED.title not in shown
    assert any("Mostly true" in caption and "Baltic Checks" in caption for caption in texts(app.caption))


def test_linking_a_fact_check_stores_it_on_the_claim_and_shows_its_rating_beside_the_verdict(
    app: AppTest, known: Repository, stored_sample: Article, app_script: str
) -> None:
    claim = store_claim(known, stored_sample, "as many as 12,000 sailors")
    open_claim(app, claim)
    click(app, "Link to this fact-check")
    [link] = stored(known, claim).checked_before
    assert (link.factcheck_id, link.source, link.rating, link.linked_by) == (
        "bc-101",
        FactCheckSource.IMPORTED,
        "Mostly true",
        "ana",
    )
    assert any(text.startswith("Linked: ") for text in texts(app.markdown))
    assert any("rated “Mostly true” · this claim: unrated" in caption for caption in texts(app.caption))
    assert "Link to this fact-check" not in [button.label for button in app.button]  # linked once
    assert "No earlier fact-check matches this closely enough." not in texts(app.caption)
    assert any("Checked before: (none) → 1 item" in text for text in texts(app.markdown))  # the timeline

    # A reload (a new session) shows the link; Unlink removes it and says so in the history.
    again = AppTest.from_file(app_script, default_timeout=60)
    again.session_state["editor"] = "ben"
    again.run()
    open_claim(again, claim)
    assert any(text.startswith("Linked: ") for text in texts(again.markdown))
    click(again, "Unlink")
    after = stored(known, claim)
    assert after.checked_before == []
    assert after.history[-1].by == "ben"


def test_the_desks_own_rated_claim_in_another_article_is_found_as_checked_before(
    app: AppTest, app_store: Repository, stored_sample: Article
) -> None:
    earlier = make_article(
        "The navy said as many as 12,000 sailors and 40 warships would exercise in the Baltic.",
        title="Navy plans Baltic drills",
        url="https://news.example/baltic",
    )
    app_store.add_article(earlier)
    rated = store_claim(app_store, earlier, "as many as 12,000 sailors and 40 warships", by="ben")
    change_claim(
        app_store, rated, ClaimChanges(status=ClaimStatus.IN_PROGRESS, verdict=Verdict.MOSTLY_TRUE), "ben"
    )
    claim = store_claim(app_store, stored_sample, "as many as 12,000 sailors")
    open_claim(app, claim)
    captions = texts(app.caption)
    assert any("the desk's own check" in caption and "mostly true" in caption for caption in captions)
    click(app, "Link to this fact-check")
    [link] = stored(app_store, claim).checked_before
    assert (link.factcheck_id, link.source) == (rated.id, FactCheckSource.STORE)


def test_a_claim_is_never_shown_as_its_own_earlier_check(
    app: AppTest, app_store: Repository, stored_sample: Article
) -> None:
    claim = store_claim(app_store, stored_sample, "as many as 12,000 sailors")
    change_claim(app_store, claim, ClaimChanges(status=ClaimStatus.IN_PROGRESS, verdict=Verdict.TRUE), "ben")
    open_claim(app, claim)
    assert "No earlier fact-check matches this closely enough." in texts(app.caption)


def test_a_suggestion_shows_the_fact_checks_that_cover_its_sentence(
    app: AppTest, known: Repository, stored_sample: Article
) -> None:
    app.switch_page(ANNOTATE).run()
    app.toggle(key="show_low_scores").set_value(True).run()  # the figure alone is not in the default view
    suggestion = next(
        s
        for s in suggest_claims(stored_sample.text, stored_sample.sentences)
        if "12,000 sailors" in s.quote and s.claim_type is ClaimType.STATISTIC
    )
    app.selectbox(key="suggestion_picker").select(suggestion_id(suggestion))
    click(app, "Open suggestion")
    shown = "\n".join(texts(app.markdown))
    assert "Checked before?" in shown and SAILORS.title in shown
    assert "Link to this fact-check" not in [button.label for button in app.button]  # not a claim yet


def article_table(at: AppTest) -> Any:
    return next(table for table in at.dataframe if table.key and table.key.startswith("article_table"))


def test_the_articles_page_lists_the_sentences_checked_before(
    app: AppTest, known: Repository, stored_sample: Article
) -> None:
    app.run()  # the article was stored after the page was first drawn
    app.session_state[article_table(app).key] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    app.run()
    click(app, "Find already-checked claims")
    hits = next(table for table in app.dataframe if "checked before" in table.value.columns)
    rows = hits.value.to_dict("records")
    assert [row["sentence"] for row in rows] == [1]
    assert rows[0]["checked before"] == SAILORS.title
    assert rows[0]["rating"] == "Mostly true"
    assert "1 sentence probably checked before" in "\n".join(texts(app.markdown))


CSV = (
    "id,claim,title,rating,url,publisher,date\n"
    "x-1,The harbour wall cost 4 million euros.,Did the wall cost 4 million?,False,"
    "https://checks.example/wall,Harbour Facts,2024-02-01\n"
    "x-2,The mayor opened three new schools.,Three new schools?,True,,Harbour Facts,2024-02-03\n"
)


def test_the_fact_checks_page_imports_files_each_with_its_result_and_lists_them(
    app: AppTest, app_store: Repository
) -> None:
    app.switch_page("app_pages/factchecks.py").run()
    assert "No fact-checks imported yet" in app.info[0].value
    app.file_uploader[0].set_value(
        [("harbour.csv", CSV.encode(), "text/csv"), ("broken.json", b"{not json", "application/json")]
    )
    app.run()
    click(app, "Import fact-checks")
    assert "1 file imported, 1 failed" in app.error[0].value
    results = app.dataframe[0].value.to_dict("records")
    assert [(row["file"], row["added"]) for row in results] == [("harbour.csv", 2), ("broken.json", 0)]
    assert "broken.json" in results[1]["problem"] or results[1]["problem"]
    assert {check.id for check in app_store.list_factchecks()} == {"x-1", "x-2"}
    assert "Known fact-checks (2)" in texts(app.subheader)

    by_label(app.text_input, "Search claim, title, rating or publisher").input("schools")
    app.run()
    listed = next(table for table in app.dataframe if "claim" in table.value.columns)
    assert listed.value["id"].tolist() == ["x-2"]
    counts = next(table for table in app.dataframe if "fact-checks" in table.value.columns)
    assert counts.value.to_dict("records") == [{"publisher": "Harbour Facts", "fact-checks": 2}]

    # Importing the same file again changes nothing.
    app.file_uploader[0].set_value([("harbour.csv", CSV.encode(), "text/csv")])
    app.run()
    click(app, "Import fact-checks")
    [again] = app.dataframe[0].value.to_dict("records")
    assert (again["added"], again["unchanged"]) == (0, 2)
