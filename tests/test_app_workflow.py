"""The desk's workflow in the app (AppTest, a real TinyDB store): two-person review from the panel, the table
and bulk changes; sending back; comments and mentions; evidence and its thin-evidence check; the timeline;
My claims; the Settings page; the Overview's review queue and weekly throughput."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from typing import Any

import pytest
from app_support import by_label, click, store_claim
from streamlit.testing.v1 import AppTest

from claims.actions import change_claim, comment_on
from claims.models import (
    Article,
    Claim,
    ClaimChanges,
    ClaimFilter,
    ClaimQuery,
    ClaimStatus,
    Evidence,
    Verdict,
)
from claims.settings import settings_path
from claims.store.contract import Repository

ANNOTATE = "app_pages/annotate.py"
REUTERS = Evidence(url="https://www.reuters.com/navy", title="Navy drills", publisher="Reuters")
AP = Evidence(url="https://apnews.com/drills", title="Drills", publisher="AP", stance="refutes")


def unescaped(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def rated_for_review(
    repo: Repository, article: Article, rater: str, evidence: list[Evidence], quote: str = "40 warships"
) -> Claim:
    """A claim `rater` rated false and sent to review through the workflow's steps."""
    claim = store_claim(repo, article, quote, by=rater)
    claim = change_claim(
        repo,
        claim,
        ClaimChanges(status=ClaimStatus.IN_PROGRESS, verdict=Verdict.FALSE, evidence=evidence),
        rater,
    )
    return change_claim(repo, claim, ClaimChanges(status=ClaimStatus.NEEDS_REVIEW), rater)


def open_claim(app: AppTest, claim: Claim) -> AppTest:
    app.switch_page(ANNOTATE).run()
    assert not app.exception
    app.selectbox(key="open_claim_picker").select(claim.id)
    click(app, "Open claim")
    return app


def stored(repo: Repository, claim: Claim) -> Claim:
    return repo.get_claim(claim.article_id, claim.id)


def messages(elements: Any) -> list[str]:
    return [unescaped(element.value) for element in elements]


def test_the_rater_is_not_offered_approve_and_is_told_to_wait(
    app: AppTest, app_store: Repository, stored_sample: Article
) -> None:
    claim = rated_for_review(app_store, stored_sample, "ana", [REUTERS, AP])
    open_claim(app, claim)
    assert "Approve" not in [button.label for button in app.button]
    assert any("Waiting for another editor's review" in text for text in messages(app.info))


def test_approving_my_own_verdict_in_the_table_or_in_bulk_is_refused_with_the_cores_message(
    app: AppTest, app_store: Repository, stored_sample: Article
) -> None:
    claim = rated_for_review(app_store, stored_sample, "ana", [REUTERS, AP])
    refusal = "ana set this claim's verdict (false), so another editor must approve it (two-person review)"
    app.switch_page("app_pages/claims_table.py").run()
    table = next(table for table in app.dataframe if table.editing_mode != "read_only")
    app.session_state[table.key] = {
        "edited_rows": {0: {"status": "approved"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    assert any(refusal in text for text in messages(app.error))
    click(app, "Discard edits")
    app.selectbox(key="bulk_status").select("approved").run()
    click(app, "Apply to 1 matching claim…")
    click(app, "Yes, set 1 claim")
    assert any(refusal in text for text in messages(app.error))
    assert stored(app_store, claim).status is ClaimStatus.NEEDS_REVIEW


def test_another_editor_approves_and_then_publishes(
    app: AppTest, app_store: Repository, stored_sample: Article
) -> None:
    claim = rated_for_review(app_store, stored_sample, "ben", [REUTERS, AP])
    open_claim(app, claim)
    click(app, "Approve")
    approved = stored(app_store, claim)
    assert (approved.status, approved.approved_by, approved.rated_by) == (ClaimStatus.APPROVED, "ana", "ben")
    click(app, "Publish")
    assert stored(app_store, claim).status is ClaimStatus.PUBLISHED


def test_sending_back_needs_a_comment_which_joins_the_thread(
    app: AppTest, app_store: Repository, stored_sample: Article
) -> None:
    claim = rated_for_review(app_store, stored_sample, "ben", [REUTERS, AP])
    open_claim(app, claim)
    click(app, "Send back with comment")
    assert any("needs a comment saying why" in text for text in messages(app.error))
    assert stored(app_store, claim).status is ClaimStatus.NEEDS_REVIEW
    app.text_area(key=f"send_back_comment-{claim.id}").input("The AP piece is about another exercise.")
    click(app, "Send back with comment")
    sent_back = stored(app_store, claim)
    assert sent_back.status is ClaimStatus.IN_PROGRESS
    assert [(c.by, c.text) for c in sent_back.comments] == [
        ("ana", "The AP piece is about another exercise.")
    ]


def test_a_step_back_in_the_form_without_a_comment_shows_the_cores_message(
    app: AppTest, app_store: Repository, stored_sample: Article
) -> None:
    claim = store_claim(app_store, stored_sample, "40 warships", status="in_progress")
    open_claim(app, claim)
    assert by_label(app.selectbox, "Status").options == ["in progress", "new", "needs review", "dropped"]
    by_label(app.selectbox, "Status").select("new")
    click(app, "Save changes")
    assert any("needs a comment saying why" in text for text in messages(app.error))
    by_label(app.text_area, "Comment").input("Not ours: the wire desk has it.")
    click(app, "Save changes")
    back = stored(app_store, claim)
    assert back.status is ClaimStatus.NEW and back.comments[-1].text == "Not ours: the wire desk has it."


def test_a_comment_mentioning_an_editor_puts_the_claim_in_their_my_claims(
    app: AppTest, app_store: Repository, stored_sample: Article
) -> None:
    claim = store_claim(app_store, stored_sample, "40 warships", by="Ben Okafor")
    open_claim(app, claim)
    app.text_area(key=f"comment_box-{claim.id}-0").input("@Ben Okafor which fleet report is this from?")
    click(app, "Comment")
    [comment] = stored(app_store, claim).comments
    assert comment.mentions == ["Ben Okafor"]
    # Ben sees it in his My claims, on the Claims page and on the Annotate page.
    app.session_state["editor"] = "Ben Okafor"
    app.switch_page("app_pages/claims_table.py").run()
    app.toggle(key="filter_mine").set_value(True).run()
    assert not app.exception
    table = next(table for table in app.dataframe if table.editing_mode != "read_only")
    assert list(table.value["id"]) == [claim.id]
    app.switch_page(ANNOTATE).run()
    assert app.selectbox(key="my_claims_list").value == claim.id
    assert "mentions you" in app.selectbox(key="my_claims_list").format_func(claim.id)


def test_my_claims_on_the_annotate_page_opens_a_claim_waiting_for_my_review(
    app: AppTest, app_store: Repository, stored_sample: Article
) -> None:
    store_claim(app_store, stored_sample, "12,000 sailors", by="ben")  # not mine
    claim = rated_for_review(app_store, stored_sample, "ben", [REUTERS, AP])
    app.switch_page(ANNOTATE).run()
    assert any(expander.label == "My claims (1)" for expander in app.expander)
    click(app, "Open")
    assert app.session_state["open_item"].id == claim.id
    assert "Approve" in [button.label for button in app.button]


def test_thin_evidence_is_flagged_in_the_form_and_approving_it_asks_for_confirmation(
    app: AppTest, app_store: Repository, stored_sample: Article
) -> None:
    claim = rated_for_review(app_store, stored_sample, "ben", [REUTERS])
    open_claim(app, claim)
    assert any("rests on 1 independent source" in text for text in messages(app.warning))
    click(app, "Approve")
    assert any("confirm that this is enough" in text for text in messages(app.error))
    assert stored(app_store, claim).status is ClaimStatus.NEEDS_REVIEW
    app.checkbox(key=f"confirm_thin_evidence-{claim.id}").check().run()
    click(app, "Approve")
    assert stored(app_store, claim).status is ClaimStatus.APPROVED


def test_evidence_rows_added_in_the_table_are_saved_with_their_fields(
    app: AppTest, app_store: Repository, stored_sample: Article
) -> None:
    claim = store_claim(app_store, stored_sample, "40 warships", by="ben")
    open_claim(app, claim)
    table = next(table for table in app.dataframe if table.editing_mode != "read_only")
    app.session_state[table.key] = {
        "edited_rows": {},
        "added_rows": [
            {
                "url": "https://www.reuters.com/navy",
                "title": "Navy drills",
                "publisher": "Reuters",
                "accessed": "2024-03-16",
                "stance": "supports",
                "note": "quotes the admiral",
            }
        ],
        "deleted_rows": [],
    }
    app.run()
    by_label(app.selectbox, "Verdict").select("false")
    click(app, "Save changes")
    saved = stored(app_store, claim)
    assert saved.evidence == [
        Evidence(
            url="https://www.reuters.com/navy",
            title="Navy drills",
            publisher="Reuters",
            accessed=dt.date(2024, 3, 16),
            stance="supports",
            note="quotes the admiral",
        )
    ]


def test_the_form_edits_assignment_and_what_is_checked(
    app: AppTest, app_store: Repository, stored_sample: Article
) -> None:
    claim = store_claim(app_store, stored_sample, "40 warships", by="ben")
    open_claim(app, claim)
    assert by_label(app.selectbox, "Assigned to").options == ["nobody", "ben"]
    by_label(app.selectbox, "Assigned to").select("ben")
    by_label(app.selectbox, "What is checked").select("attribution")
    by_label(app.text_input, "The claim in one neutral sentence").input("The navy sent 40 warships.")
    by_label(app.text_input, "Conclusion (one line)").input("The navy's own figure is 38.")
    click(app, "Save changes")
    saved = stored(app_store, claim)
    assert (saved.assignee, saved.check_focus.value, saved.claim_reviewed, saved.conclusion) == (
        "ben", "attribution", "The navy sent 40 warships.", "The navy's own figure is 38.",
    )  # fmt: skip


def test_the_timeline_lists_each_change_and_comment_oldest_first(
    app: AppTest, app_store: Repository, stored_sample: Article
) -> None:
    claim = rated_for_review(app_store, stored_sample, "ben", [REUTERS, AP])
    comment_on(app_store, stored(app_store, claim), "carla", "Is the AP date right?")
    open_claim(app, claim)
    said = " ".join(unescaped(markdown.value) for markdown in app.markdown)
    wanted = [
        "**ben**",
        "Status: new → in progress",
        "Verdict: unrated → false",
        "Evidence: (none) → 2 items",
        "Status: in progress → needs review",
        "**carla**",
        "> Is the AP date right?",
    ]
    places = [said.find(text) for text in wanted]
    assert -1 not in places, dict(zip(wanted, places, strict=True))
    assert places == sorted(places)


def test_settings_are_saved_beside_the_store_and_a_bad_url_is_named(
    app: AppTest, app_store: Repository
) -> None:
    app.switch_page("app_pages/settings.py").run()
    assert not app.exception
    by_label(app.text_input, "Publisher's name").input("Harbour Desk")
    by_label(app.text_input, "Publisher's URL").input("harbour desk dot org")
    click(app, "Save settings")
    assert any(text.startswith("Not saved. Publisher's URL: ") for text in messages(app.error))
    path = settings_path(str(app_store.location))
    assert not path.exists()
    by_label(app.text_input, "Publisher's URL").input("https://desk.example")
    by_label(app.text_input, "Review URL pattern").input("https://desk.example/checks/{id}")
    click(app, "Save settings")
    assert not app.error
    saved = tomllib.loads(path.read_text(encoding="utf-8"))
    assert saved["publisher"] == {
        "name": "Harbour Desk",
        "url": "https://desk.example",
        "review_url": "https://desk.example/checks/{id}",
    }


def test_the_overview_shows_the_review_queue_with_waiting_times_and_weekly_throughput(
    app: AppTest, app_store: Repository, stored_sample: Article
) -> None:
    first = rated_for_review(app_store, stored_sample, "ben", [REUTERS, AP], quote="12,000 sailors")
    second = rated_for_review(app_store, stored_sample, "carla", [REUTERS, AP])
    approved = change_claim(
        app_store, second, ClaimChanges(status=ClaimStatus.APPROVED), "ben", evidence_confirmed=True
    )
    assert approved.status is ClaimStatus.APPROVED
    app.switch_page("app_pages/overview.py").run()
    assert not app.exception
    headers = [header.value for header in app.subheader]
    assert "Review queue (1)" in headers and "Throughput, last 8 weeks" in headers
    queue = next(table.value for table in app.dataframe if "waiting" in table.value.columns)
    assert list(queue["quote"]) == [first.quote] and list(queue["rated by"]) == ["ben"]
    assert re.fullmatch(r"\d+ min", queue["waiting"][0])
    weekly = next(table.value for table in app.dataframe if "week" in table.value.columns)
    year, week, _ = dt.datetime.now(dt.UTC).isocalendar()
    assert len(weekly) == 8 and weekly["week"].iloc[-1] == f"{year}-W{week:02d}"
    assert (weekly["rated"].iloc[-1], weekly["approved"].iloc[-1], weekly["published"].iloc[-1]) == (2, 1, 0)
    assert sum(weekly["rated"]) == 2


@pytest.mark.parametrize("mine", [True, False])
def test_my_claims_switch_is_the_stores_mine_filter(
    app: AppTest, app_store: Repository, stored_sample: Article, mine: bool
) -> None:
    assigned = store_claim(app_store, stored_sample, "40 warships", by="ben", assignee="ana")
    store_claim(app_store, stored_sample, "12,000 sailors", by="ben")
    app.switch_page("app_pages/claims_table.py").run()
    app.toggle(key="filter_mine").set_value(mine).run()
    table = next(table for table in app.dataframe if table.editing_mode != "read_only")
    expected = app_store.query_claims(ClaimQuery(filter=ClaimFilter(mine="ana" if mine else "")))
    assert set(table.value["id"]) == {claim.id for claim in expected.claims}
    assert (assigned.id in set(table.value["id"])) and (len(table.value) == (1 if mine else 2))


def test_a_long_timeline_shows_its_latest_entries_and_the_rest_on_request(
    app: AppTest, app_store: Repository, stored_sample: Article
) -> None:
    claim = store_claim(app_store, stored_sample, "40 warships", by="ben")
    for number in range(60):
        claim = comment_on(app_store, claim, "carla", f"Question {number}")
    open_claim(app, claim)

    def questions() -> list[str]:
        return [md.value for md in app.markdown if md.value.startswith("> Question")]

    assert len(questions()) == 50 and questions()[-1] == "> Question 59"
    app.toggle(key=f"timeline_all-{claim.id}").set_value(True).run()
    assert len(questions()) == 60 and questions()[0] == "> Question 0"


def test_a_bulk_step_back_is_refused_without_a_comment_and_made_with_one(
    app: AppTest, app_store: Repository, stored_sample: Article
) -> None:
    claim = store_claim(app_store, stored_sample, "40 warships", by="ben", status="in_progress")
    app.switch_page("app_pages/claims_table.py").run()
    app.selectbox(key="bulk_status").select("new").run()
    click(app, "Apply to 1 matching claim…")
    click(app, "Yes, set 1 claim")
    assert any("needs a comment saying why" in text for text in messages(app.error))
    assert stored(app_store, claim).status is ClaimStatus.IN_PROGRESS
    app.selectbox(key="bulk_status").select("new").run()
    click(app, "Apply to 1 matching claim…")
    app.text_input(key="bulk_comment").input("Back to the pool: nobody has time this week.")
    click(app, "Yes, set 1 claim")
    back = stored(app_store, claim)
    assert back.status is ClaimStatus.NEW
    assert back.comments[-1].text == "Back to the pool: nobody has time this week."
