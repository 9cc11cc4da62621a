"""The Claims and Overview pages under AppTest: filters, bulk changes, downloads, progress."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from app_support import by_label, click, store_claim
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from annotator.tables import ROW_COLUMNS, TableSnapshot, table_edits
from claims.annotations import apply_changes
from claims.change_sets import plan_edits
from claims.errors import InvalidClaim
from claims.formats.articles import make_article
from claims.formats.export import EXPORT_FORMATS
from claims.labels import label
from claims.models import Article, Claim, ClaimChanges, ClaimStatus, Verdict
from claims.store.contract import Repository
from claims.workflow import Step, next_statuses, step_of


@pytest.fixture
def article(stored_sample: Article) -> Article:
    return stored_sample


@pytest.fixture
def claims(app_store: Repository, article: Article) -> list[Claim]:
    return [
        store_claim(app_store, article, "12,000 sailors", claim_type="statistic", claimant="Reuters"),
        store_claim(
            app_store, article, "$4bn", claim_type="statistic", claimant="Mark Ellis", status="needs_review"
        ),
        store_claim(
            app_store,
            article,
            "The ministry has repeatedly denied",
            claim_type="denial",
            verdict="false",
            notes="blockade",
        ),
    ]


@pytest.fixture
def claims_page(app: AppTest, claims: list[Claim]) -> AppTest:
    app.switch_page("app_pages/claims_table.py").run()
    assert not app.exception
    return app


def shown_count(at: AppTest) -> str:
    """How many claims match and how many there are, from the caption above the table: "1 of 3"."""
    caption = next(c.value for c in at.caption if c.value.startswith(("rows ", "no claims of ")))
    if caption.startswith("no claims of "):
        return f"0 of {caption.split()[3]}"
    found = re.fullmatch(r"rows \d+–\d+ of ([\d,]+) matching · ([\d,]+) claims? in all", caption)
    assert found, caption
    return f"{found[1]} of {found[2]}"


def test_the_table_lists_every_claim_with_its_article(claims_page: AppTest, article: Article) -> None:
    table = claims_page.dataframe[0].value
    assert len(table) == 3
    assert set(table["article"]) == {article.title}
    assert shown_count(claims_page) == "3 of 3"
    assert "rows 1–3 of 3 matching · 3 claims in all" in [caption.value for caption in claims_page.caption]


@pytest.mark.parametrize(
    ("key", "values", "expected"),
    [
        ("filter_status", ["needs_review"], "1 of 3"),
        ("filter_type", ["statistic"], "2 of 3"),
        ("filter_verdict", ["false"], "1 of 3"),
        ("filter_claimant", ["Reuters", "Mark Ellis"], "2 of 3"),
    ],
)
def test_filters_narrow_the_table(claims_page: AppTest, key: str, values: list[str], expected: str) -> None:
    claims_page.multiselect(key=key).set_value(values).run()
    assert shown_count(claims_page).startswith(expected)


def test_text_search_looks_in_notes_and_quotes(claims_page: AppTest) -> None:
    claims_page.text_input(key="filter_text").input("BLOCKADE").run()
    assert shown_count(claims_page).startswith("1 of 3")
    claims_page.text_input(key="filter_text").input("sailors").run()
    assert shown_count(claims_page).startswith("1 of 3")


def test_the_search_box_says_what_it_searches_and_titles_have_a_filter_of_their_own(
    claims_page: AppTest, article: Article
) -> None:
    labels = [box.label for box in claims_page.text_input]
    assert labels == ["Search quote, claimant, source, notes", "Article title"]
    title_word = article.title.split()[0] if article.title else ""
    claims_page.text_input(key="filter_text").input(title_word).run()
    assert shown_count(claims_page).startswith("0 of 3")
    claims_page.text_input(key="filter_text").input("").run()
    claims_page.text_input(key="filter_title").input(title_word.upper()).run()
    assert shown_count(claims_page).startswith("3 of 3")
    claims_page.text_input(key="filter_title").input("no such article").run()
    assert shown_count(claims_page).startswith("0 of 3")


def test_the_table_shows_the_apps_words_not_stored_values(claims_page: AppTest) -> None:
    table = claims_page.dataframe[0].value
    assert sorted(table["status"]) == ["needs review", "new", "new"]
    assert "needs_review" not in set(table["status"])
    options = claims_page.multiselect(key="filter_status").options
    assert "in progress" in options and "in_progress" not in options


def test_filters_survive_leaving_the_page_and_coming_back(claims_page: AppTest) -> None:
    claims_page.multiselect(key="filter_status").set_value(["needs_review"]).run()
    claims_page.text_input(key="filter_title").input("harbour").run()
    assert shown_count(claims_page).startswith("1 of 3")
    claims_page.switch_page("app_pages/overview.py").run()
    claims_page.switch_page("app_pages/articles.py").run()
    claims_page.switch_page("app_pages/claims_table.py").run()
    assert not claims_page.exception
    assert claims_page.multiselect(key="filter_status").value == ["needs_review"]
    assert claims_page.text_input(key="filter_title").value == "harbour"
    assert shown_count(claims_page).startswith("1 of 3")


def unescaped(markdown: str) -> str:
    """Markdown as the editor reads it (stored text is shown escaped)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def statuses_by_quote(repo: Repository) -> dict[str, str]:
    return {claim.quote: claim.status.value for claim in repo.list_claims()}


def test_bulk_status_change_asks_first_naming_the_count_and_the_change(
    claims_page: AppTest, app_store: Repository
) -> None:
    before = statuses_by_quote(app_store)
    apply = by_label(claims_page.button, "Apply to 3 matching claims…")
    assert claims_page.selectbox(key="bulk_status").value is None
    assert apply.disabled  # no default status: nothing happens until one is chosen
    claims_page.multiselect(key="filter_type").set_value(["statistic"]).run()
    claims_page.selectbox(key="bulk_status").select("in_progress").run()
    click(claims_page, "Apply to 2 matching claims…")
    question = "Set status of 2 matching claims to in progress?"
    assert question in [md.value.strip("*") for md in claims_page.markdown]
    assert statuses_by_quote(app_store) == before  # nothing written yet
    click(claims_page, "Cancel")
    assert statuses_by_quote(app_store) == before


def test_bulk_status_change_applies_to_the_filtered_claims_only_and_undo_restores_them(
    claims_page: AppTest, app_store: Repository
) -> None:
    before = statuses_by_quote(app_store)
    claims_page.multiselect(key="filter_status").set_value(["new"]).run()
    claims_page.selectbox(key="bulk_status").select("in_progress").run()
    click(claims_page, "Apply to 2 matching claims…")
    click(claims_page, "Yes, set 2 claims")
    assert claims_page.success[0].value == "Set status of 2 claims to in progress."
    statuses = sorted((c.claim_type.value, c.status.value, c.updated_by) for c in app_store.list_claims())
    assert statuses == [
        ("denial", "in_progress", "ana"),
        ("statistic", "in_progress", "ana"),
        ("statistic", "needs_review", "ben"),
    ]
    assert claims_page.selectbox(key="bulk_status").value is None
    click(claims_page, "Undo")
    assert claims_page.success[0].value == "Undone: 2 claims back as they were."
    assert statuses_by_quote(app_store) == before


def test_undo_of_a_bulk_change_leaves_a_claim_changed_since_and_says_who_changed_it(
    claims_page: AppTest, app_store: Repository, claims: list[Claim]
) -> None:
    claims_page.multiselect(key="filter_status").set_value(["new"]).run()
    claims_page.selectbox(key="bulk_status").select("dropped").run()
    click(claims_page, "Apply to 2 matching claims…")
    click(claims_page, "Yes, set 2 claims")
    sailors = app_store.get_claim(claims[0].article_id, claims[0].id)
    app_store.update_claim(
        sailors.article_id,
        sailors.id,
        apply_changes(ClaimChanges(verdict=Verdict.TRUE), sailors.version, "carla"),
    )
    click(claims_page, "Undo")
    assert claims_page.success[0].value == "Undone: 1 claim back as they were."
    [refused] = claims_page.error
    assert unescaped(refused.value).startswith("“12,000 sailors”: carla changed verdict to true at ")
    assert statuses_by_quote(app_store)["12,000 sailors"] == "dropped"


def test_a_bulk_change_refuses_a_claim_changed_by_someone_else_after_it_was_shown(
    claims_page: AppTest, app_store: Repository, claims: list[Claim]
) -> None:
    claims_page.selectbox(key="bulk_status").select("dropped").run()
    click(claims_page, "Apply to 3 matching claims…")
    app_store.update_claim(
        claims[1].article_id,
        claims[1].id,
        apply_changes(ClaimChanges(verdict=Verdict.FALSE), claims[1].version, "carla"),
    )
    click(claims_page, "Yes, set 3 claims")
    assert claims_page.success[0].value == "Set status of 2 claims to dropped."
    assert unescaped(claims_page.error[0].value).startswith("“$4bn”: carla changed verdict to false at ")
    assert statuses_by_quote(app_store)["$4bn"] == "needs_review"


def test_every_export_format_is_offered_and_claimreview_is_checked_before_its_file(
    claims_page: AppTest,
) -> None:
    labels = [button.proto.label for button in claims_page.get("download_button")]
    names = {"json": "JSON", "jsonl": "JSON Lines", "csv": "CSV", "webannotation": "Web Annotation"}
    assert labels == [names[fmt] for fmt in EXPORT_FORMATS if fmt != "claimreview"]
    assert "ClaimReview…" in [button.label for button in claims_page.button]


# --- edits in the table, by claim id (AppTest cannot type into a data_editor) ---------------------


def newest_first(claims: list[Claim]) -> list[Claim]:
    """The order of the table's default sort (ClaimSort.UPDATED_DESC)."""
    return sorted(claims, key=lambda c: (-c.updated_at.timestamp(), c.id))


def snapshot_of(claims: list[Claim], article: Article, generation: int = 1) -> TableSnapshot:
    return TableSnapshot.of(generation, newest_first(claims), {article.id: article.summary()})


def test_table_edits_become_changes_by_claim_id_in_the_apps_words(
    claims: list[Claim], article: Article
) -> None:
    rows = snapshot_of(claims, article).rows
    edits = table_edits(
        {
            0: {"status": "in progress", "verdict": rows[0]["verdict"]},
            "1": {"claimant": "  "},
            2: {"notes": "not an editable column"},
        },
        rows,
    )
    assert tuple(rows[0]) == ROW_COLUMNS
    assert list(edits) == [rows[0]["id"], rows[1]["id"]]
    assert edits[rows[0]["id"]].status is ClaimStatus.IN_PROGRESS
    assert edits[rows[1]["id"]].model_fields_set == {"claimant"} and edits[rows[1]["id"]].claimant is None


def test_table_edits_follow_the_rows_the_editor_was_given_even_after_the_store_re_sorts(
    app_store: Repository, claims: list[Claim], article: Article
) -> None:
    given = snapshot_of(claims, article)
    last = len(given.rows) - 1
    oldest = given.claims[given.rows[last]["id"]]
    app_store.update_claim(
        oldest.article_id, oldest.id, apply_changes(ClaimChanges(notes="now newest"), oldest.version, "ben")
    )
    resorted = snapshot_of(app_store.list_claims(), article, generation=2)
    assert resorted.rows[0]["id"] == oldest.id  # newest change first: every row moved down
    assert resorted.rows[last]["id"] != oldest.id  # the same position is now another claim
    edits = table_edits({last: {"status": "published"}}, given.rows)
    assert list(edits) == [oldest.id]


FLEET = tuple(f"Ship {n} carried {n * 11} sailors." for n in range(6))


def forward_or_same(status: ClaimStatus) -> list[ClaimStatus]:
    """The status itself and every status one forward step away (a table edit carries no comment, which a
    step back needs), approval left out (it needs another editor than the rater)."""
    forward = [s for s in next_statuses(status) if step_of(status, s) is Step.FORWARD]
    return [status, *(s for s in forward if s is not ClaimStatus.APPROVED)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    statuses=st.lists(st.sampled_from(ClaimStatus), min_size=6, max_size=6),
    order=st.permutations(range(6)),
    choices=st.dictionaries(st.integers(0, 5), st.integers(0, 5), max_size=6),
)
def test_planned_table_edits_change_exactly_the_claims_at_the_edited_rows_of_the_given_table(
    statuses: list[ClaimStatus],
    order: list[int],
    choices: dict[int, int],
    make_article: Callable[..., Article],
    make_claim: Callable[..., Claim],
) -> None:
    fleet = make_article("fleet", FLEET, title="Fleet")
    claims = [make_claim(fleet, f"{n * 11} sailors", status=statuses[n], verdict="false") for n in range(6)]
    given = TableSnapshot.of(1, [claims[i] for i in order], {fleet.id: fleet.summary()})
    current = [given.claims[row["id"]].status for row in given.rows]
    edits = {
        row: forward_or_same(current[row])[pick % len(forward_or_same(current[row]))]
        for row, pick in choices.items()
    }
    edited_rows = {row: {"status": label(status)} for row, status in edits.items()}
    planned = plan_edits(table_edits(edited_rows, given.rows), given.claims, "ana")
    expected = {
        given.rows[row]["id"]: status
        for row, status in edits.items()
        if given.claims[given.rows[row]["id"]].status is not status
    }
    assert {edit.seen.id: edit.changes.status for edit in planned} == expected
    assert all(edit.changes.model_fields_set == {"status"} for edit in planned)


def test_a_snapshot_knows_when_the_store_no_longer_holds_what_it_shows(
    app_store: Repository, claims: list[Claim], article: Article
) -> None:
    given = snapshot_of(claims, article)
    assert given.shows(newest_first(claims))
    assert not given.shows(list(reversed(newest_first(claims))))  # the same claims in another order
    changed = app_store.update_claim(
        claims[1].article_id, claims[1].id, apply_changes(ClaimChanges(notes="x"), claims[1].version, "ben")
    )
    assert not given.shows([changed if c.id == changed.id else c for c in newest_first(claims)])
    assert not given.shows(newest_first(claims)[:2])


def test_a_word_outside_the_vocabulary_names_the_claim(claims: list[Claim], article: Article) -> None:
    rows = snapshot_of(claims, article).rows
    with pytest.raises(InvalidClaim, match=f"status='done'.*claim “{rows[0]['quote']}”"):
        table_edits({0: {"status": "done"}}, rows)


def test_overview_counts_progress_and_lists_what_needs_attention(
    app: AppTest, app_store: Repository, claims: list[Claim]
) -> None:
    app_store.add_article(
        make_article("An article nobody has labelled, with 2 sentences. Yes.", title="Fresh")
    )
    app.switch_page("app_pages/overview.py").run()
    assert not app.exception
    metrics = {metric.label: metric.value for metric in app.metric}
    assert {k: metrics[k] for k in ("Articles", "Claims", "Waiting for review", "Published")} == {
        "Articles": "2", "Claims": "3", "Waiting for review": "1", "Published": "0",
    }  # fmt: skip
    assert (metrics["Suggestions accepted"], metrics["Accepted of decided"]) == ("0", "–")
    headers = [header.value for header in app.subheader]
    assert "Articles with no claims yet (1)" in headers and "Review queue (1)" in headers
    tables = app.dataframe
    assert tables[0].value["title"].tolist() == ["Fresh"]
    assert tables[1].value["quote"].tolist() == ["$4bn"]


@pytest.fixture
def overview(app: AppTest, claims: list[Claim]) -> AppTest:
    app.switch_page("app_pages/overview.py").run()
    assert not app.exception
    return app


def bars(chart: Any) -> list[tuple[str, int]]:
    """The bars of a chart, top to bottom, as (label, count); the chart must fix their order itself."""
    spec = json.loads(chart.proto.spec)
    order = spec["encoding"]["y"].get("sort")
    assert isinstance(order, list), f"the bars are in the chart's own order ({order!r}), not the workflow's"
    counts = dict(
        dataframe_util.convert_arrow_bytes_to_pandas_df(chart.proto.data.data)[["label", "claims"]].values
    )
    return [(label, int(counts[label])) for label in order]


def test_overview_bars_follow_the_workflow_in_the_apps_words(overview: AppTest) -> None:
    by_status, by_verdict = overview.get("vega_lite_chart")[:2]
    assert bars(by_status) == [
        ("new", 2), ("in progress", 0), ("needs review", 1),
        ("approved", 0), ("published", 0), ("dropped", 0),
    ]  # fmt: skip
    assert bars(by_verdict) == [
        ("true", 0), ("mostly true", 0), ("half true", 0), ("mostly false", 0), ("false", 1),
        ("misleading", 0), ("unproven", 0), ("not checkable", 0), ("unrated", 2),
    ]  # fmt: skip


def test_recent_changes_say_who_changed_which_claim_and_when(
    app: AppTest, app_store: Repository, claims: list[Claim]
) -> None:
    first = claims[0]
    edit = apply_changes(ClaimChanges(verdict=Verdict.MOSTLY_TRUE), first.version, "Cleo")
    app_store.update_claim(first.article_id, first.id, edit)
    app.switch_page("app_pages/overview.py").run()
    recent = app.dataframe[-1]
    assert list(recent.proto.column_order)[:4] == ["when", "who", "change", "quote"]
    newest = recent.value.iloc[0]
    assert (newest["who"], newest["change"], newest["quote"]) == (
        "Cleo",
        "edited (version 2)",
        "12,000 sailors",
    )
    assert newest["when"] == app_store.get_claim(first.article_id, first.id).updated_at
    assert newest["verdict"] == "mostly true"
    assert newest["open"] == f"annotate?article={first.article_id}&claim={first.id}"
    assert recent.value["change"].tolist()[1:] == ["created", "created"]
    assert not any(
        "_" in value for value in recent.value["status"].tolist() + recent.value["verdict"].tolist()
    )
