"""The desk's workflow from the command line: review, history, comments, evidence, assignment, deletion,
suggestions and settings, each a door onto the core function the app uses, on a real store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from claims.cli import cli
from claims.models import Decision
from claims.store import open_repository

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "harbour_exercise.txt"
QUOTE = "as many as 12,000 sailors"
TWO_SOURCES = (
    "https://www.reuters.com/navy | Navy drills | Reuters | supports | 2024-03-16",
    "https://apnews.com/fleet | Fleets gather | AP | supports",
)


@pytest.fixture(params=["tinydb", "postgres"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A real store: a TinyDB file, and a PostgreSQL database (skipped without the test server)."""
    if request.param == "postgres":
        return str(request.getfixturevalue("postgres_url"))
    return str(tmp_path / "store" / "claims.json")


@pytest.fixture
def tiny(tmp_path: Path) -> str:
    return str(tmp_path / "store" / "claims.json")


def run(*args: Any) -> Result:
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def ok(*args: Any) -> Any:
    """Run a command that must succeed; its JSON output."""
    result = run(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def refused(*args: Any) -> str:
    """Run a command the core must refuse; its one-line message."""
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1
    return result.stderr.strip()


def article_in(db: str) -> str:
    result = run("import", SAMPLE, "--db", db)
    assert result.exit_code == 0, result.output
    return result.output.split()[1]


def rated_claim(db: str, by: str = "ana", evidence: tuple[str, ...] = TWO_SOURCES) -> dict[str, Any]:
    """A claim `by` rated false and sent to review, resting on the given evidence."""
    article_id = article_in(db)
    text = json.loads(run("split", SAMPLE).stdout)["text"]
    start = text.index(QUOTE)
    evidence_options = [part for line in evidence for part in ("--evidence", line)]
    claim = ok("add", "--article", article_id, "--start", start, "--end", start + len(QUOTE),
               "--status", "in_progress", *evidence_options, "--by", by, "--db", db)  # fmt: skip
    ok("update", claim["id"], "--verdict", "false", "--by", by, "--db", db)
    return ok("update", claim["id"], "--status", "needs_review", "--by", by, "--db", db)  # type: ignore[no-any-return]


def shown(db: str, claim_id: str) -> dict[str, Any]:
    return ok("show", claim_id, "--db", db)  # type: ignore[no-any-return]


# --- review -------------------------------------------------------------------------------------------


def test_self_approval_is_refused_with_the_cores_message_and_nothing_is_written(db: str) -> None:
    claim = rated_claim(db, by="ana")
    before = shown(db, claim["id"])
    message = refused("review", claim["id"], "approve", "--by", "ana", "--db", db)
    assert message == (
        "Error: ana set this claim's verdict (false), so another editor must approve it (two-person review)"
    )
    assert shown(db, claim["id"]) == before


def test_another_editor_approves_and_is_stamped_as_the_approver(db: str) -> None:
    claim = rated_claim(db, by="ana")
    approved = ok("review", claim["id"], "approve", "--comment", "Sources hold.", "--by", "ben", "--db", db)
    assert (approved["status"], approved["approved_by"], approved["rated_by"]) == ("approved", "ben", "ana")
    assert approved["comments"][-1]["text"] == "Sources hold."


def test_self_approval_is_refused_from_a_real_process(tiny: str) -> None:
    claim = rated_claim(tiny, by="ana")
    env = {**os.environ, "CLAIMS_DB": tiny, "CLAIMS_EDITOR": "ana"}
    done = subprocess.run([sys.executable, "-m", "claims", "review", claim["id"], "approve"],
                          capture_output=True, text=True, env=env)  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.startswith("Error: ana set this claim's verdict") and not done.stdout


def test_approving_a_verdict_on_one_source_needs_a_confirmation(tiny: str) -> None:
    claim = rated_claim(tiny, evidence=(TWO_SOURCES[0],))
    message = refused("review", claim["id"], "approve", "--by", "ben", "--db", tiny)
    assert "rests on 1 independent source" in message and "confirm" in message
    approved = ok("review", claim["id"], "approve", "--confirm-thin-evidence", "--by", "ben", "--db", tiny)
    assert approved["status"] == "approved"


def test_sending_back_needs_a_comment_which_joins_the_thread_and_the_history(tiny: str) -> None:
    claim = rated_claim(tiny)
    message = refused("review", claim["id"], "send-back", "--by", "ben", "--db", tiny)
    assert "needs a comment saying why" in message
    assert shown(tiny, claim["id"])["status"] == "needs_review"
    back = ok("review", claim["id"], "send-back", "--comment", "Find the AP source.", "--by", "ben",
              "--db", tiny)  # fmt: skip
    assert back["status"] == "in_progress"
    assert back["comments"][-1]["text"] == "Find the AP source." and back["comments"][-1]["by"] == "ben"
    assert back["history"][-1]["comment"] == "Find the AP source."


def test_send_back_to_another_status(tiny: str) -> None:
    claim = rated_claim(tiny)
    back = ok("review", claim["id"], "send-back", "--to", "new", "--comment", "Not ours.", "--by", "ben",
              "--db", tiny)  # fmt: skip
    assert back["status"] == "new"


def test_publish_only_follows_approval(tiny: str) -> None:
    claim = rated_claim(tiny)
    message = refused("publish", claim["id"], "--by", "ben", "--db", tiny)
    assert "cannot go from needs review to published" in message
    ok("review", claim["id"], "approve", "--by", "ben", "--db", tiny)
    published = ok("publish", claim["id"], "--by", "cleo", "--db", tiny)
    assert (published["status"], published["published_by"]) == ("published", "cleo")


def test_update_without_an_expected_version_takes_the_claim_as_it_is(tiny: str) -> None:
    claim = rated_claim(tiny)
    changed = ok("update", claim["id"], "--claim-reviewed", "12,000 sailors take part in the exercise.",
                 "--conclusion", "Reuters reported 12,000.", "--focus", "attribution", "--by", "ben",
                 "--db", tiny)  # fmt: skip
    assert changed["version"] == claim["version"] + 1
    assert changed["claim_reviewed"] == "12,000 sailors take part in the exercise."
    assert (changed["conclusion"], changed["check_focus"]) == ("Reuters reported 12,000.", "attribution")


def test_a_step_back_through_update_needs_a_comment(tiny: str) -> None:
    claim = rated_claim(tiny)
    assert "needs a comment" in refused("update", claim["id"], "--status", "new", "--db", tiny)
    back = ok("update", claim["id"], "--status", "new", "--comment", "Start over.", "--db", tiny)
    assert back["status"] == "new" and back["comments"][-1]["text"] == "Start over."


def test_update_still_refuses_a_stale_expected_version(tiny: str) -> None:
    claim = rated_claim(tiny)
    message = refused("update", claim["id"], "--expected-version", 1, "--notes", "x", "--by", "ben",
                      "--db", tiny)  # fmt: skip
    assert f"your version 1, now {claim['version']}" in message


def test_set_status_prints_the_workflows_refusals_and_takes_a_comment(tiny: str) -> None:
    claim = rated_claim(tiny)
    article_id = claim["article_id"]
    other = ok("add", "--article", article_id, "--start", 0, "--end", 8, "--db", tiny)
    report = ok("set-status", "approved", "--article", article_id, "--by", "ana", "--db", tiny)
    reasons = {item["claim_id"]: item["reason"] for item in report["refused"]}
    assert report["changed"] == 0
    assert "another editor must approve it" in reasons[claim["id"]]
    assert "cannot go from new to approved" in reasons[other["id"]]
    back = ok("set-status", "in_progress", "--status", "needs_review", "--comment", "More sources.",
              "--by", "ben", "--db", tiny)  # fmt: skip
    assert back["claims"] == [claim["id"]]
    assert shown(tiny, claim["id"])["comments"][-1]["text"] == "More sources."


# --- history, comments, assignment --------------------------------------------------------------------


def test_history_prints_each_change_oldest_first_with_old_and_new_values(tiny: str) -> None:
    claim = rated_claim(tiny)
    ok("review", claim["id"], "send-back", "--comment", "Which fleets?", "--by", "ben", "--db", tiny)
    ok("comment", claim["id"], "Two allied fleets, per Reuters.", "--by", "ana", "--db", tiny)
    history = ok("history", claim["id"], "--db", tiny)
    assert history["deleted"] is False and history["quote"] == QUOTE
    entries = history["entries"]
    assert [entry["version"] for entry in entries] == [1, 2, 3, 4, 5]
    assert [entry["by"] for entry in entries] == ["ana", "ana", "ana", "ben", "ana"]
    assert {"field": "verdict", "old": "unrated", "new": "false"} in entries[1]["changes"]
    assert entries[3]["changes"] == [
        {"field": "status", "old": "needs_review", "new": "in_progress"}
    ]  # fmt: skip
    assert entries[3]["comment"] == "Which fleets?"
    assert (entries[4]["changes"], entries[4]["comment"]) == ([], "Two allied fleets, per Reuters.")
    assert [entry["at"] for entry in entries] == sorted(entry["at"] for entry in entries)


def test_a_deleted_claims_history_ends_with_its_deletion(tiny: str) -> None:
    claim = rated_claim(tiny)
    deleted = ok("delete", claim["id"], "--by", "ben", "--db", tiny)
    assert deleted == {"deleted_claim": claim["id"], "article_id": claim["article_id"], "quote": QUOTE}
    assert "no claim with id" in refused("show", claim["id"], "--db", tiny)
    history = ok("history", claim["id"], "--db", tiny)
    assert history["deleted"] is True
    assert [entry["kind"] for entry in history["entries"]] == ["change"] * 3 + ["deletion"]
    assert history["entries"][-1]["by"] == "ben"


def test_history_of_an_unknown_claim_says_so(tiny: str) -> None:
    article_in(tiny)
    assert "no claim (stored or deleted) with id 'nope'" in refused("history", "nope", "--db", tiny)


def test_a_comment_mentioning_an_editor_puts_the_claim_in_their_claims(tiny: str) -> None:
    claim = rated_claim(tiny, by="Ana Ruiz")
    article_id = claim["article_id"]
    other = ok("add", "--article", article_id, "--start", 0, "--end", 8, "--by", "ben", "--db", tiny)
    assert [c["id"] for c in listed(tiny, "--mine", "Ana Ruiz")] == []
    said = ok("comment", other["id"], "@ana ruiz is this the navy's own figure?", "--by", "ben", "--db", tiny)
    assert said["comments"][-1]["mentions"] == ["Ana Ruiz"]
    assert [c["id"] for c in listed(tiny, "--mine", "Ana Ruiz")] == [other["id"]]
    # Ben's review queue: the claim Ana rated waits for him; the one he commented on is not his.
    assert [c["id"] for c in listed(tiny, "--mine", "ben")] == [claim["id"]]


def listed(db: str, *args: str) -> list[dict[str, Any]]:
    result = run("list", *args, "--db", db)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_a_blank_comment_is_refused(tiny: str) -> None:
    claim = rated_claim(tiny)
    assert "a comment needs some text" in refused("comment", claim["id"], "  ", "--db", tiny)


def test_assign_gives_a_claim_to_an_editor_or_to_nobody(tiny: str) -> None:
    claim = rated_claim(tiny)
    assert ok("assign", claim["id"], "Chloé", "--by", "ana", "--db", tiny)["assignee"] == "Chloé"
    assert [c["id"] for c in listed(tiny, "--assignee", "Chloé")] == [claim["id"]]
    assert ok("assign", claim["id"], "--nobody", "--db", tiny)["assignee"] is None
    both = run("assign", claim["id"], "ben", "--nobody", "--db", tiny)
    assert both.exit_code == 2 and "either NAME or --nobody" in both.stderr


# --- evidence and sources -----------------------------------------------------------------------------


def test_evidence_is_added_and_removed_by_number(tiny: str) -> None:
    claim = rated_claim(tiny, evidence=())
    added = ok("evidence", "add", claim["id"], "--url", "https://www.reuters.com/navy", "--title", "Drills",
               "--publisher", "Reuters", "--accessed", "2024-03-16", "--stance", "refutes", "--note", "p. 2",
               "--db", tiny)  # fmt: skip
    assert added["evidence"] == [
        {"url": "https://www.reuters.com/navy", "title": "Drills", "publisher": "Reuters",
         "accessed": "2024-03-16", "note": "p. 2", "stance": "refutes"}
    ]  # fmt: skip
    ok("evidence", "add", claim["id"], "--url", "https://apnews.com/fleet", "--db", tiny)
    kept = ok("evidence", "remove", claim["id"], 1, "--db", tiny)
    assert [item["url"] for item in kept["evidence"]] == ["https://apnews.com/fleet"]
    assert "the claim has 1 evidence items" in refused("evidence", "remove", claim["id"], 5, "--db", tiny)


def test_evidence_with_a_bad_address_is_refused_naming_it(tiny: str) -> None:
    claim = rated_claim(tiny, evidence=())
    message = refused("evidence", "add", claim["id"], "--url", "reuters.com/navy", "--db", tiny)
    assert "url='reuters.com/navy'" in message
    assert shown(tiny, claim["id"])["evidence"] == []


def test_evidence_lines_give_every_field_and_a_bad_stance_is_named(tiny: str) -> None:
    claim = rated_claim(tiny)
    assert [item["publisher"] for item in claim["evidence"]] == ["Reuters", "AP"]
    assert claim["evidence"][0]["accessed"] == "2024-03-16"
    message = refused(
        "update", claim["id"], "--evidence", "https://a.example/x | A | B | maybe", "--db", tiny
    )
    assert "evidence line 1='maybe'" in message


def test_a_bare_source_url_is_named_after_its_site(tiny: str) -> None:
    article_id = article_in(tiny)
    claim = ok("add", "--article", article_id, "--start", 0, "--end", 8,
               "--source-url", "https://www.reuters.com/world/x", "--db", tiny)  # fmt: skip
    assert claim["source"] == {"name": "reuters.com", "url": "https://www.reuters.com/world/x"}
    changed = ok("update", claim["id"], "--source", "Reuters", "--db", tiny)
    assert changed["source"] == {"name": "Reuters", "url": None}


# --- deleting -----------------------------------------------------------------------------------------


def test_delete_article_takes_its_claims_and_says_how_many(tiny: str) -> None:
    claim = rated_claim(tiny)
    ok("add", "--article", claim["article_id"], "--start", 0, "--end", 8, "--db", tiny)
    result = run("delete-article", claim["article_id"], "--by", "ben", "--db", tiny)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"deleted_article": claim["article_id"], "deleted_claims": 2}
    assert "and its 2 claims" in result.stderr
    assert ok("stats", "--db", tiny)["claims"] == 0
    assert "no article with id" in refused("delete-article", claim["article_id"], "--db", tiny)


def test_articles_lists_each_with_its_claims_by_status(tiny: str) -> None:
    claim = rated_claim(tiny)
    result = run("articles", "--db", tiny)
    assert result.exit_code == 0, result.output
    [row] = [json.loads(line) for line in result.stdout.splitlines()]
    assert (row["id"], row["claims"], row["by_status"]) == (claim["article_id"], 1, {"needs_review": 1})
    assert row["status"] == "1 needs review" and row["last editor"] == "ana"
    assert "1 of 1 matching articles" in result.stderr
    assert run("articles", "--claims", "none", "--db", tiny).stdout == ""


# --- suggestions --------------------------------------------------------------------------------------


def test_suggestions_are_accepted_and_rejected_by_number(tiny: str) -> None:
    article_id = article_in(tiny)
    suggested = ok("suggest", "--article", article_id, "--db", tiny)["suggestions"]
    first, second = suggested[0], suggested[1]
    claims = ok("suggestions", "accept", article_id, first["number"], "--by", "ana", "--db", tiny)
    assert [(c["start"], c["end"], c["claim_type"], c["origin"]) for c in claims] == [
        (first["start"], first["end"], first["claim_type"], "suggestion")
    ]
    assert ok("suggestions", "reject", article_id, second["number"], "--by", "ben", "--db", tiny) == {
        "rejected": 1
    }
    decisions = open_repository(tiny).list_decisions(article_id)
    assert sorted((d.decision, d.by) for d in decisions) == [
        (Decision.ACCEPTED, "ana"),
        (Decision.REJECTED, "ben"),
    ]
    again = refused("suggestions", "accept", article_id, first["number"], "--db", tiny)
    assert "ana already accepted it" in again
    assert "numbered 1 to" in refused("suggestions", "reject", article_id, 999, "--db", tiny)


def test_suggestion_numbers_stay_the_same_whatever_the_minimum_score(tiny: str) -> None:
    article_id = article_in(tiny)
    every = ok("suggest", "--article", article_id, "--min-score", 0, "--db", tiny)["suggestions"]
    worth = ok("suggest", "--article", article_id, "--min-score", 0.9, "--db", tiny)["suggestions"]
    shown = ok("suggest", "--article", article_id, "--db", tiny)["suggestions"]
    by_number = {s["number"]: s for s in every}
    assert worth and all(by_number[s["number"]] == s for s in worth)
    assert shown and all(by_number[s["number"]] == s for s in shown)


def test_accepting_several_suggestions_is_one_write_refused_whole(tiny: str) -> None:
    article_id = article_in(tiny)
    ok("suggestions", "reject", article_id, 2, "--db", tiny)
    assert "already rejected it" in refused("suggestions", "accept", article_id, 1, 2, "--db", tiny)
    assert ok("stats", "--db", tiny)["claims"] == 0


# --- settings -----------------------------------------------------------------------------------------


def test_settings_set_then_show_round_trip(tiny: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLAIMS_SETTINGS", raising=False)
    saved = ok("settings", "set", "--publisher", "Harbour Desk", "--publisher-url", "https://desk.example",
               "--logo", "https://desk.example/logo.png", "--review-url", "https://desk.example/checks/{id}",
               "--db", tiny)  # fmt: skip
    assert saved == ok("settings", "show", "--db", tiny)
    assert saved["file"] == str(Path(tiny).with_name("claims.settings.toml"))
    assert saved["publisher"] == {
        "name": "Harbour Desk",
        "url": "https://desk.example",
        "logo": "https://desk.example/logo.png",
        "review_url": "https://desk.example/checks/{id}",
    }
    kept = ok("settings", "set", "--logo", "", "--db", tiny)
    assert kept["publisher"]["logo"] is None and kept["publisher"]["name"] == "Harbour Desk"


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--publisher-url", "desk.example", "--publisher-url 'desk.example': expected a web address"),
        (
            "--review-url",
            "https://desk.example/checks",
            "--review-url 'https://desk.example/checks': review_url",
        ),
    ],
)
def test_a_bad_setting_is_named_and_nothing_is_saved(
    tiny: str, monkeypatch: pytest.MonkeyPatch, option: str, value: str, message: str
) -> None:
    monkeypatch.delenv("CLAIMS_SETTINGS", raising=False)
    ok("settings", "set", "--publisher", "Harbour Desk", "--db", tiny)
    before = Path(tiny).with_name("claims.settings.toml").read_bytes()
    assert message in refused("settings", "set", option, value, "--db", tiny)
    assert Path(tiny).with_name("claims.settings.toml").read_bytes() == before


def test_every_suggestion_like_one_is_accepted_as_the_panel_does(tiny: str) -> None:
    article_id = article_in(tiny)
    every = ok("suggest", "--article", article_id, "--all", "--db", tiny)["suggestions"]
    like = next(s for s in every if s["score"] >= 0.5)
    same = [s for s in every if s["claim_type"] == like["claim_type"]]
    claims = ok("suggestions", "accept", article_id, "--like", like["number"], "--db", tiny)
    assert [(c["start"], c["end"]) for c in claims] == [(s["start"], s["end"]) for s in same]
    assert ok("suggestions", "accept", article_id, "--like", like["number"], "--db", tiny) == []
    both = run("suggestions", "accept", article_id, 1, "--like", 1, "--db", tiny)
    assert both.exit_code == 2 and "either NUMBERS or --like N" in both.stderr


def test_history_lines_print_one_line_an_entry(tiny: str) -> None:
    claim = rated_claim(tiny)
    result = run("history", claim["id"], "--lines", "--db", tiny)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and lines[-1].endswith(" · ana · version 3 · status: in progress -> needs review")


def test_update_evidence_replaces_it_and_an_empty_line_clears_it(tiny: str) -> None:
    claim = rated_claim(tiny)
    replaced = ok(
        "update", claim["id"], "--evidence", "https://apnews.com/fleet | Fleets gather", "--db", tiny
    )
    assert [(item["url"], item["title"]) for item in replaced["evidence"]] == [
        ("https://apnews.com/fleet", "Fleets gather")
    ]
    assert ok("update", claim["id"], "--evidence", "", "--db", tiny)["evidence"] == []


def test_add_with_a_comment_starts_the_thread(tiny: str) -> None:
    article_id = article_in(tiny)
    claim = ok("add", "--article", article_id, "--start", 0, "--end", 8, "--comment", "From the wire.",
               "--by", "ana", "--db", tiny)  # fmt: skip
    assert [(c["by"], c["text"]) for c in claim["comments"]] == [("ana", "From the wire.")]
    assert "a comment needs some text" in refused(
        "add", "--article", article_id, "--start", 9, "--end", 12, "--comment", " ", "--db", tiny
    )
    assert ok("stats", "--db", tiny)["claims"] == 1


# --- publication ----------------------------------------------------------------------------------------


def approved_claim(db: str) -> dict[str, Any]:
    claim = rated_claim(db)
    ok("update", claim["id"], "--claimant", "The navy", "--db", db)
    return ok("review", claim["id"], "approve", "--by", "ben", "--db", db)  # type: ignore[no-any-return]


def test_a_claimreview_export_the_core_refuses_writes_no_file_and_names_what_each_claim_lacks(
    tiny: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLAIMS_SETTINGS", raising=False)
    claim = approved_claim(tiny)
    out = tmp_path / "out" / "reviews.jsonld"
    out.parent.mkdir()
    result = run("export", "--format", "claimreview", "-o", out, "--db", tiny)
    assert result.exit_code == 1 and result.stdout == ""
    named = result.stderr.split(f"claim {claim['id']}: ")[1]
    assert "author" in named and "url" in named
    assert list(out.parent.iterdir()) == []  # neither the file nor a temporary one
    to_stdout = run("export", "--format", "claimreview", "--db", tiny)
    assert to_stdout.exit_code == 1 and to_stdout.stdout == ""


def test_a_claimreview_export_names_the_desk_from_the_settings_or_the_options(
    tiny: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLAIMS_SETTINGS", raising=False)
    claim = approved_claim(tiny)
    ok("settings", "set", "--publisher", "Harbour Desk", "--publisher-url", "https://desk.example",
       "--review-url", "https://desk.example/checks/{id}", "--db", tiny)  # fmt: skip
    out = tmp_path / "reviews.jsonld"
    assert run("export", "--format", "claimreview", "-o", out, "--db", tiny).exit_code == 0
    [review] = json.loads(out.read_text())
    assert (review["author"]["name"], review["url"]) == (
        "Harbour Desk",
        f"https://desk.example/checks/{claim['id']}",
    )
    overridden = ok("export", "--format", "claimreview", "--publisher", "Night Desk", "--db", tiny)
    assert overridden[0]["author"]["name"] == "Night Desk"
    assert (
        ok("settings", "show", "--db", tiny)["publisher"]["name"] == "Harbour Desk"
    )  # the file is unchanged


def test_a_bad_publisher_option_is_named_and_nothing_is_exported(tiny: str, tmp_path: Path) -> None:
    approved_claim(tiny)
    out = tmp_path / "reviews.jsonld"
    message = refused("export", "--format", "claimreview", "--publisher", "Desk",
                      "--publisher-url", "desk.example", "-o", out, "--db", tiny)  # fmt: skip
    assert (
        "--publisher-url 'desk.example': expected a web address" in message
        and "nothing was exported" in message
    )
    assert not out.exists()
    wrong = run("export", "--format", "json", "--publisher", "Desk", "--db", tiny)
    assert wrong.exit_code == 2 and "apply to --format claimreview" in wrong.stderr


def test_a_web_annotation_export_holds_one_annotation_a_claim(tiny: str) -> None:
    claim = rated_claim(tiny)
    collection = ok("export", "--format", "webannotation", "--db", tiny)
    items = collection["first"]["items"] if "first" in collection else collection["items"]
    [annotation] = items
    selectors = {selector["type"]: selector for selector in annotation["target"]["selector"]}
    assert selectors["TextQuoteSelector"]["exact"] == claim["quote"] == QUOTE
