"""Exports stand alone, round-trip through any backend, and refuse what they cannot read."""

from __future__ import annotations

import csv
import gc
import io
import json
import tempfile
from pathlib import Path
from unittest.mock import patch

import pydantic_core
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from records_support import at_status

from claims.annotations import apply_changes, new_claim, parse_draft
from claims.errors import ExportFormatError
from claims.formats import export as export_module
from claims.formats.articles import make_article, read_article_file
from claims.formats.export import (
    SCHEMA_VERSION,
    ExportRecords,
    Record,
    export_bytes,
    export_chunks,
    export_document,
    render,
    render_chunks,
    sentences_covering,
)
from claims.formats.loading import load_export, read_export
from claims.formats.output import write_output
from claims.models import Article, Claim, ClaimChanges, ClaimStatus, ClaimType, ExportDocument, Verdict
from claims.store import open_repository
from claims.store.contract import Repository
from claims.store.memory import MemoryRepository
from claims.workflow import FIRST_STATUSES

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "harbour_exercise.txt"


def add_claim(repo: Repository, article: Article, quote: str, **fields: object) -> Claim:
    start = article.text.index(quote)
    draft = parse_draft({"article_id": article.id, "start": start, "end": start + len(quote), **fields})
    claim = new_claim(article, draft, by="ana")
    repo.add_claim(claim)
    return claim


@pytest.fixture
def filled(repo: Repository) -> Repository:
    article = read_article_file(SAMPLE)[0].model_copy(update={"title": "Harbour"})
    repo.add_article(article)
    add_claim(repo, article, "as many as 12,000 sailors", claim_type="statistic", claimant="Reuters")
    add_claim(repo, article, "$4bn", claim_type="statistic")
    add_claim(repo, article, "The ministry has repeatedly denied", claim_type="denial")
    return repo


def strip_time(document: ExportDocument) -> dict[str, object]:
    data = document.model_dump(mode="json")
    data.pop("exported_at")
    return data


def test_json_export_carries_each_claims_sentence_and_article(filled: Repository) -> None:
    document = json.loads(export_bytes(filled, "json"))
    assert document["schema_version"] == SCHEMA_VERSION == 4
    assert len(document["articles"]) == 1 and len(document["claims"]) == 3
    claim = next(c for c in document["claims"] if c["quote"] == "as many as 12,000 sailors")
    assert claim["article_title"] == "Harbour"
    assert len(claim["sentences"]) == 1
    assert "as many as 12,000 sailors" in claim["sentences"][0]["text"]
    text = document["articles"][0]["text"]
    assert text[claim["start"] : claim["end"]] == claim["quote"]


def test_jsonl_export_has_one_claim_a_line(filled: Repository) -> None:
    lines = export_bytes(filled, "jsonl").decode().splitlines()
    assert len(lines) == 3
    assert {json.loads(line)["claim_type"] for line in lines} == {"statistic", "denial"}


def test_csv_export_has_a_row_a_claim_and_defuses_formulas(repo: Repository) -> None:
    article = make_article('=HYPERLINK("http://evil") said 5 people.\n-10% fell.', title="Sheet")
    repo.add_article(article)
    add_claim(repo, article, '=HYPERLINK("http://evil") said 5 people', claim_type="quote")
    add_claim(
        repo,
        article,
        "-10% fell",
        claim_type="statistic",
        source={"name": "Office", "url": "https://o.example"},
    )
    rows = list(csv.DictReader(io.StringIO(export_bytes(repo, "csv").decode())))
    assert len(rows) == 2
    assert rows[0]["quote"].startswith("'=HYPERLINK")
    assert rows[1]["quote"] == "'-10% fell"
    assert rows[1]["source_name"] == "Office" and rows[1]["source_url"] == "https://o.example"
    assert rows[0]["article_title"] == "Sheet" and rows[0]["sentence"]


def test_loading_an_export_into_an_empty_store_gives_the_same_export(
    filled: Repository, tmp_path: Path
) -> None:
    exported = export_document(filled)
    other = open_repository(tmp_path / "copy.json")
    report = load_export(other, read_export(export_bytes(filled, "json"), "export.json"))
    assert (report.articles.added, report.claims.added) == (1, 3)
    assert strip_time(export_document(other)) == strip_time(exported)


def test_loading_into_a_store_that_has_some_claims_merges_by_id(filled: Repository) -> None:
    data = export_bytes(filled, "json")
    claims = sorted(filled.list_claims(), key=lambda c: c.start)
    filled.delete_claim(claims[0].article_id, claims[0].id, by="bo")
    newer = read_export(data, "export.json")
    newer.claims[1] = newer.claims[1].model_copy(update={"version": 5, "verdict": Verdict.FALSE})
    report = load_export(filled, newer)
    assert report.articles.model_dump() == {"added": 0, "updated": 0, "skipped": 1}
    assert report.claims.model_dump() == {"added": 1, "updated": 1, "skipped": 1}
    assert filled.get_claim(claims[1].article_id, newer.claims[1].id).verdict is Verdict.FALSE


def test_an_older_export_never_overwrites_a_newer_edit(filled: Repository) -> None:
    data = export_bytes(filled, "json")
    claim = filled.list_claims()[0]
    filled.update_claim(
        claim.article_id, claim.id, apply_changes(ClaimChanges(verdict=Verdict.TRUE), 1, "ben")
    )
    report = load_export(filled, read_export(data, "old.json"))
    assert report.claims.skipped == 3
    assert filled.get_claim(claim.article_id, claim.id).verdict is Verdict.TRUE


def test_jsonl_export_loads_back_when_the_articles_are_stored(filled: Repository) -> None:
    data = export_bytes(filled, "jsonl")
    for claim in filled.list_claims():
        filled.delete_claim(claim.article_id, claim.id, by="bo")
    report = load_export(filled, read_export(data, "claims.jsonl"))
    assert report.claims.added == 3


def test_export_from_a_newer_schema_is_refused_and_the_store_is_unchanged(filled: Repository) -> None:
    document = json.loads(export_bytes(filled, "json"))
    document["schema_version"] = 99
    with pytest.raises(ExportFormatError, match="newer version.*schema 99.*upgrade"):
        read_export(json.dumps(document).encode(), "future.json")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "future.json: the file is empty"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b'{"schema_version": 1,\n "articles": [', "line 2 of future.json: not valid JSON"),
        (b'{"title": "x", "text": "y"}', "no schema_version.*claims import"),
        (b'{"schema_version": "1"}', "whole number"),
        (
            b'{"schema_version": 1, "exported_at": "2024-01-01T00:00:00Z", '
            b'"articles": [], "claims": [{"id": 1}]}',
            r"claims\.0\.",
        ),
        (b"[1, 2]", "not an export"),
    ],
)
def test_unreadable_exports_get_a_specific_message(data: bytes, message: str) -> None:
    with pytest.raises(ExportFormatError, match=message):
        read_export(data, "future.json")


def test_a_claim_whose_quote_does_not_match_its_article_is_refused_before_anything_is_written(
    filled: Repository, tmp_path: Path
) -> None:
    document = read_export(export_bytes(filled, "json"), "x.json")
    document.claims[0] = document.claims[0].model_copy(update={"quote": "X" * len(document.claims[0].quote)})
    empty = open_repository(tmp_path / "empty.json")
    with pytest.raises(ExportFormatError, match=r"claims\[0\].*does not match"):
        load_export(empty, document, "x.json")
    assert empty.list_articles() == [] and empty.list_claims() == []


def test_a_claim_without_its_article_is_refused(filled: Repository) -> None:
    document = read_export(export_bytes(filled, "jsonl"), "x.jsonl")
    with pytest.raises(ExportFormatError, match="neither in the file nor in the store"):
        load_export(MemoryRepository(), document, "x.jsonl")


def test_a_claim_crossing_a_sentence_boundary_carries_both_sentences() -> None:
    article = make_article("Troops massed. Putin denied it. Nobody believed him.")
    starts = [sentence.start for sentence in article.sentences]
    covering = sentences_covering(
        article.sentences, article.text.index("massed"), article.text.index(" it."), starts
    )
    assert [s.text for s in covering] == ["Troops massed.", "Putin denied it."]


bodies = st.lists(
    st.text(alphabet=st.sampled_from("ab Z.\n,é👍\u0301 9"), min_size=3, max_size=80).filter(str.strip),
    min_size=1,
    max_size=3,
    unique=True,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies=bodies, data=st.data())
def test_export_round_trips_through_the_tinydb_store(bodies: list[str], data: st.DataObject) -> None:
    source = MemoryRepository()
    for body in bodies:
        article = make_article(body, title=data.draw(st.none() | st.text(max_size=20)))
        if not source.add_article(article):
            continue
        for _ in range(data.draw(st.integers(0, 3))):
            start = data.draw(st.integers(0, len(article.text) - 1))
            end = data.draw(st.integers(start + 1, len(article.text)))
            assume(article.text[start:end].strip())
            draft = parse_draft(
                {
                    "article_id": article.id,
                    "start": start,
                    "end": end,
                    "claim_type": data.draw(st.sampled_from(list(ClaimType))),
                    "status": data.draw(st.sampled_from(sorted(FIRST_STATUSES))),
                    "verdict": data.draw(st.sampled_from(list(Verdict))),
                    "claimant": data.draw(st.none() | st.text(min_size=1, max_size=20)),
                    "notes": data.draw(st.text(max_size=30)),
                }
            )
            made = new_claim(
                article, draft, by=data.draw(st.from_regex(r"[A-Za-z][A-Za-z ]{0,9}", fullmatch=True))
            )
            # Any status a store may hold, as the workflow would have left the record (not replayed here).
            source.add_claim(at_status(made, data.draw(st.sampled_from(list(ClaimStatus)))))
    exported = export_document(source)
    with tempfile.TemporaryDirectory() as folder:
        target = open_repository(Path(folder) / "store.json")
        load_export(target, read_export(export_bytes(source, "json"), "export.json"))
        assert strip_time(export_document(target)) == strip_time(exported)


def test_exporting_leaves_the_cycle_collector_running(filled: Repository) -> None:
    assert gc.isenabled()
    export_bytes(filled, "json")
    assert gc.isenabled()


# Records as stores hold them (JSON-ready), with the characters serialisers differ on: controls, quotes,
# backslashes, line and paragraph separators, non-ASCII, astral characters; and integers to 64 bits.
json_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]) | st.sampled_from('"\\/\u2028\x7f<&'),
    max_size=12,
)
json_leaves = st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | json_text
json_records = st.dictionaries(
    json_text,
    st.recursive(
        json_leaves,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(json_text, inner, max_size=3),
        max_leaves=8,
    ),
    max_size=5,
)


@settings(max_examples=60, deadline=None)
@given(
    articles=st.lists(json_records, max_size=3),
    claims=st.lists(json_records, max_size=3)
    | st.integers(999, 2001).map(lambda n: [{"n": i} for i in range(n)]),
    decisions=st.lists(json_records, max_size=2),
)
def test_the_streamed_json_formats_are_byte_for_byte_what_pydantic_core_writes(
    articles: list[Record], claims: list[Record], decisions: list[Record]
) -> None:
    records = ExportRecords(articles, claims, decisions, [])
    document = export_module._document(records)
    expected = pydantic_core.to_json(document, indent=2) + b"\n"
    with patch.object(export_module, "_document", return_value=document):
        assert b"".join(render_chunks(records, "json")) == expected
        assert render(records, "json") == expected
    version = {"schema_version": SCHEMA_VERSION}
    assert render(records, "jsonl") == b"".join(pydantic_core.to_json(version | c) + b"\n" for c in claims)


def test_a_number_beyond_64_bits_is_exported_as_it_always_was() -> None:
    records = ExportRecords([], [{"id": "x", "version": 2**70}])
    assert b'"version": 1180591620717411303424' in render(records, "json")
    assert json.loads(render(records, "jsonl")) == {
        "schema_version": SCHEMA_VERSION,
        "id": "x",
        "version": 2**70,
    }


def test_an_export_streamed_to_a_file_equals_the_export_in_memory(filled: Repository, tmp_path: Path) -> None:
    target = tmp_path / "export.json"
    write_output(target, export_chunks(filled, "json"))
    written = json.loads(target.read_bytes())
    in_memory = json.loads(export_bytes(filled, "json"))
    assert written.pop("exported_at") and in_memory.pop("exported_at")
    assert written == in_memory and len(written["claims"]) == 3
    assert gc.isenabled()


def test_a_store_written_before_claims_had_an_assignee_still_exports_and_loads(tmp_path: Path) -> None:
    repo = open_repository(tmp_path / "old" / "claims.json")
    article = read_article_file(SAMPLE)[0]
    repo.add_article(article)
    claim = add_claim(repo, article, "$4bn", claim_type="statistic")
    [claim_file] = Path(repo.location).parent.rglob("*.claim.json")
    stored = json.loads(claim_file.read_bytes())
    del stored["claim"]["assignee"]  # as every claim saved before the field existed
    claim_file.write_bytes(json.dumps(stored).encode())

    exported = json.loads(export_bytes(repo, "json"))
    assert [c["id"] for c in exported["claims"]] == [claim.id]
    target = MemoryRepository()
    load_export(target, read_export(export_bytes(repo, "json"), "old.json"))
    assert target.list_claims() == [claim]
