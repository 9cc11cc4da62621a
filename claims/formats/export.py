"""Exports: the store's records -> claims that stand alone -> JSON, JSON Lines, CSV, ClaimReview or W3C Web
Annotation.

Exports work on JSON-ready records (what `model_dump(mode="json")` gives) rather than models:
the store wrote them from checked models, and skipping a second round of model building makes a
100,000-claim export several times faster (see README, Benchmarks). The JSON formats are written by
orjson, in chunks a writer can stream to a file, byte for byte what pydantic-core's serialiser wrote.
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, Literal

import orjson
import pydantic_core
from pydantic import TypeAdapter

from claims.errors import ExportFormatError
from claims.formats.claimreview import render_claimreview
from claims.formats.webannotation import render_webannotation
from claims.models import (
    Article,
    Claim,
    Deletion,
    DeskSettings,
    ExportDocument,
    PublisherSettings,
    SuggestionDecision,
    utc_now,
)
from claims.settings import load_settings
from claims.store.article_files import collector_paused
from claims.store.contract import Repository, StoreDocuments

# 1: articles and claims; 2: also the editors' suggestion decisions and the deletion records; 3: each claim
# also carries what is checked (claim_reviewed, conclusion, check_focus), its review stamps (rated, approved,
# published: by whom and when, status_since), its comment thread and history, and evidence with publisher,
# date accessed and stance. Every older version loads, the fields it lacks taking their defaults.
SCHEMA_VERSION = 4
ExportFormat = Literal["json", "jsonl", "csv", "claimreview", "webannotation"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("json", "jsonl", "csv", "claimreview", "webannotation")
MEDIA_TYPES: dict[ExportFormat, str] = {
    "json": "application/json",
    "jsonl": "application/x-ndjson",
    "csv": "text/csv",
    "claimreview": "application/ld+json",
    "webannotation": "application/ld+json",
}
FILE_SUFFIXES: dict[ExportFormat, str] = {
    "json": "json",
    "jsonl": "jsonl",
    "csv": "csv",
    "claimreview": "claimreview.jsonld",
    "webannotation": "webannotation.jsonld",
}
CSV_COLUMNS = (
    "id", "article_id", "article_title", "article_url", "article_date", "start", "end", "quote",
    "sentence", "claim_type", "claimant", "source_name", "source_url", "status", "verdict",
    "claim_reviewed", "conclusion", "check_focus", "assignee", "evidence", "notes", "origin", "created_by",
    "created_at", "updated_by", "updated_at", "rated_by", "rated_at", "approved_by", "approved_at",
    "published_at", "version", "comment_count", "checked_before", "schema_version",
)  # fmt: skip

Record = dict[str, Any]
_POSITION = itemgetter("article_id", "start", "end", "id")
_ARTICLES = TypeAdapter(list[Article])
_CLAIMS = TypeAdapter(list[Claim])
_DECISIONS = TypeAdapter(list[SuggestionDecision])
_DELETIONS = TypeAdapter(list[Deletion])


@dataclass(frozen=True)
class ExportRecords:
    """What an export holds, as JSON-ready records: articles with their text, claims that stand alone,
    the suggestion decisions of those articles and the deletion records."""

    articles: list[Record]
    claims: list[Record]
    decisions: list[Record] = field(default_factory=list)
    deletions: list[Record] = field(default_factory=list)
    factchecks: list[Record] = field(default_factory=list)


def export_records(repo: Repository, claims: Iterable[Claim] | None = None) -> ExportRecords:
    """Everything in the store (one consistent snapshot), or only the given claims with their articles,
    those articles' decisions and the deletions made in them."""
    if claims is None:
        snapshot = repo.documents()
    else:
        picked = list(claims)
        ids = sorted({claim.article_id for claim in picked})
        snapshot = StoreDocuments(
            articles=_ARTICLES.dump_python([repo.get_article(i) for i in ids], mode="json"),
            claims=_CLAIMS.dump_python(picked, mode="json"),
            decisions=_DECISIONS.dump_python([d for i in ids for d in repo.list_decisions(i)], mode="json"),
            deletions=[
                record
                for record in _DELETIONS.dump_python(repo.list_deletions(), mode="json")
                if record["article_id"] in ids
            ],
        )
    articles = snapshot.articles
    articles.sort(key=lambda a: (a["imported_at"], a["id"]))
    return ExportRecords(
        articles,
        standalone_claims(articles, snapshot.claims),
        snapshot.decisions,
        snapshot.deletions,
        snapshot.factchecks,  # the whole store's only: claims chosen carry their own links
    )


def export_bytes(
    repo: Repository,
    fmt: ExportFormat,
    claims: Iterable[Claim] | None = None,
    *,
    settings: DeskSettings | None = None,
) -> bytes:
    """The store (or the given claims) exported in one of EXPORT_FORMATS. ClaimReview takes its publisher
    from `settings`, else the desk's settings file beside the store, and raises ClaimReviewInvalid (naming
    what each claim lacks) rather than return an invalid file."""
    publisher = _publisher(repo, fmt, settings)
    with collector_paused():  # its passes find nothing to free in export records
        return render(export_records(repo, claims), fmt, publisher)


def export_chunks(
    repo: Repository,
    fmt: ExportFormat,
    claims: Iterable[Claim] | None = None,
    *,
    settings: DeskSettings | None = None,
) -> Iterator[bytes]:
    """The store (or the given claims) exported in one of EXPORT_FORMATS, as consecutive chunks of bytes to
    stream to a file or a pipe, so the whole export is never held as one string of bytes. The store is
    read (one consistent snapshot) before this returns; the chunks are made as they are taken, except a
    ClaimReview's, which is checked whole here: ClaimReviewInvalid is raised by this call, before the first
    chunk (see `export_bytes` for `settings`)."""
    publisher = _publisher(repo, fmt, settings)
    with collector_paused():  # only while records are built: the chunks are a few large bytes objects
        records = export_records(repo, claims)
    return render_chunks(records, fmt, publisher)


def _publisher(
    repo: Repository, fmt: ExportFormat, settings: DeskSettings | None
) -> PublisherSettings | None:
    """The publisher a ClaimReview export names; the settings file is read for that format alone, so that
    a damaged settings file never stands in the way of a backup or a JSON export."""
    if fmt != "claimreview":
        return None
    return (settings if settings is not None else load_settings(repo.location)).publisher


def export_document(repo: Repository, claims: Iterable[Claim] | None = None) -> ExportDocument:
    """The JSON export as a checked model, for code that wants objects rather than bytes."""
    records = export_records(repo, claims)
    return ExportDocument.model_validate(_document(records))


def standalone_claims(articles: Sequence[Record], claims: Iterable[Record]) -> list[Record]:
    """Give each claim record the sentences it overlaps and its article's title, URL and date (in place:
    the records are fresh copies), and return them sorted by position."""
    by_id = {article["id"]: article for article in articles}
    shaped = sorted(claims, key=_POSITION)
    article: Record = {}
    starts: list[int] = []
    for claim in shaped:  # sorted by article: each article's sentence starts are listed once
        if claim["article_id"] != article.get("id"):
            article = by_id[claim["article_id"]]
            starts = [sentence["start"] for sentence in article["sentences"]]
        claim["sentences"] = sentences_covering(article["sentences"], claim["start"], claim["end"], starts)
        claim["article_title"] = article["title"]
        claim["article_url"] = article["url"]
        claim["article_date"] = article["date"]
    return shaped


def sentences_covering(sentences: Sequence[Any], start: int, end: int, starts: Sequence[int]) -> list[Any]:
    """The sentences (models or records, with their `starts`) that a span [start, end) overlaps, in order."""
    first = max(bisect.bisect_right(starts, start) - 1, 0)
    covering = []
    for index in range(first, len(sentences)):
        if starts[index] >= end:
            break
        sentence = sentences[index]
        if (sentence["end"] if isinstance(sentence, dict) else sentence.end) > start:
            covering.append(sentence)
    return covering


def render(records: ExportRecords, fmt: ExportFormat, publisher: PublisherSettings | None = None) -> bytes:
    """Serialise export records in one of EXPORT_FORMATS (ClaimReview names `publisher`)."""
    if fmt == "json":  # in one piece: one call, no lines to indent again (see `_document_chunks`)
        return _json(_document(records), indent=True, newline=True)
    return b"".join(render_chunks(records, fmt, publisher))


def render_chunks(
    records: ExportRecords, fmt: ExportFormat, publisher: PublisherSettings | None = None
) -> Iterator[bytes]:
    """Serialise export records in one of EXPORT_FORMATS, as consecutive chunks of the bytes. A ClaimReview
    (naming `publisher`) is rendered and checked by this call: ClaimReviewInvalid comes before any chunk."""
    if fmt == "json":
        return _document_chunks(records)
    if fmt == "jsonl":  # each line stands alone, so each carries the schema version
        return _claim_lines(records.claims)
    if fmt == "csv":
        return iter((render_csv(records.claims),))
    if fmt == "claimreview":
        return iter((render_claimreview(records.claims, publisher or PublisherSettings()),))
    if fmt == "webannotation":
        return iter((render_webannotation(records.articles, records.claims),))
    raise ExportFormatError(f"unknown export format {fmt!r}: choose one of {', '.join(EXPORT_FORMATS)}")


# Records per chunk: each chunk of a 100,000-claim export is then about 1 to 2 MB.
_CHUNK_RECORDS = 1000


def _document_chunks(records: ExportRecords) -> Iterator[bytes]:
    """The JSON document as `pydantic_core.to_json(_document(records), indent=2) + b"\\n"` writes it,
    produced list by list and a thousand records at a time.

    Indented JSON indents a value by two spaces per level, and no JSON string holds a raw line break, so a
    value serialised on its own is put in place by indenting every line after its first.
    """
    fields = _document(records)
    last = len(fields) - 1
    yield b"{\n"
    for position, (key, value) in enumerate(fields.items()):
        yield b"  " + _json(key) + b": "
        if isinstance(value, list) and value:
            yield b"["
            for first in range(0, len(value), _CHUNK_RECORDS):
                batch = _json(value[first : first + _CHUNK_RECORDS], indent=True).replace(b"\n", b"\n  ")
                # "[\n    {...},\n    {...}\n  ]" without its brackets: the items, indented for depth 2.
                yield (b"," if first else b"") + batch[1:-4]
            yield b"\n  ]"
        else:
            yield _json(value, indent=True).replace(b"\n", b"\n  ")
        yield b",\n" if position < last else b"\n"
    yield b"}\n"


def _claim_lines(claims: Sequence[Record]) -> Iterator[bytes]:
    version = {"schema_version": SCHEMA_VERSION}
    for first in range(0, len(claims), _CHUNK_RECORDS):
        batch = claims[first : first + _CHUNK_RECORDS]
        yield b"".join(_json(version | claim, newline=True) for claim in batch)


_INDENT = orjson.OPT_INDENT_2
_NEWLINE = orjson.OPT_APPEND_NEWLINE  # in place: no copy of the whole document to add it


def _json(value: Any, *, indent: bool = False, newline: bool = False) -> bytes:
    """`value` as pydantic-core's serialiser writes it (compact, or indented by two spaces), with a line
    break after it if asked, by orjson, which is several times faster on plain records; pydantic-core for
    what orjson refuses (an integer beyond 64 bits, a string holding a lone surrogate), so that those fail,
    or pass, as they always did."""
    try:
        return orjson.dumps(value, option=(_INDENT if indent else 0) | (_NEWLINE if newline else 0))
    except orjson.JSONEncodeError:
        return pydantic_core.to_json(value, indent=2 if indent else None) + (b"\n" if newline else b"")


def _document(records: ExportRecords) -> Record:
    return {
        "schema_version": SCHEMA_VERSION,
        # As pydantic writes a datetime (e.g. "2026-12-02T11:21:51.052Z"), whichever serialiser writes it.
        "exported_at": pydantic_core.to_jsonable_python(utc_now()),
        "articles": records.articles,
        "claims": records.claims,
        "decisions": records.decisions,
        "deletions": records.deletions,
        "factchecks": records.factchecks,
    }


def render_csv(claims: Iterable[Record]) -> bytes:
    """One row a claim; evidence (url, title, publisher, accessed, stance, note) as JSON in one cell, the
    comment thread as its count; cells a spreadsheet would run are defused.

    Following OWASP's CSV injection guidance, every text cell is quoted (quotes inside doubled, so a
    comma, quote or line break cannot start a new cell) and a text cell that could start a formula gets
    a leading "'" (see `_spreadsheet_safe`); numbers (start, end, version) stay bare numbers.
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer,
        fieldnames=CSV_COLUMNS,
        lineterminator="\r\n",
        extrasaction="ignore",
        quoting=csv.QUOTE_NONNUMERIC,
    )
    writer.writeheader()
    for claim in claims:
        source = claim["source"] or {}
        row = claim | {
            "sentence": " ".join(sentence["text"] for sentence in claim["sentences"]),
            "source_name": source.get("name", ""),
            "source_url": source.get("url") or "",
            "evidence": json.dumps(claim["evidence"], ensure_ascii=False) if claim["evidence"] else "",
            "checked_before": (
                json.dumps(claim["checked_before"], ensure_ascii=False) if claim.get("checked_before") else ""
            ),
            "comment_count": len(claim.get("comments") or ()),
            "schema_version": SCHEMA_VERSION,
        }
        writer.writerow({column: _spreadsheet_safe(row.get(column)) for column in CSV_COLUMNS})
    return buffer.getvalue().encode("utf-8")


# What starts a formula in Excel, LibreOffice or Google Sheets (OWASP: = + - @, and tab, CR, LF; ASVS
# adds NUL; | starts a DDE command), and the full-width and small forms of them (＝ ＋ － ＠ ｜, ﹦ ...),
# which NFKC folds to these and some spreadsheets (Excel with an East Asian input) accept. "%" is not
# on OWASP's list and starts no formula, so "%" and digits (plain numbers, "-5" in a number column
# is written as the number -5) are left alone.
_FORMULA_STARTS = frozenset("=+-@|")
_CONTROL_STARTS = ("\t", "\r", "\n", "\x00")
# Characters a spreadsheet may skip or not show before the "=": white space (space, NBSP, ideographic
# space), control characters, and format characters (BOM, zero-width space and joiners, direction marks).
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


def _spreadsheet_safe(value: Any) -> Any:
    """A text cell that could start a formula gets a leading "'" (shown by no spreadsheet, run by none);
    None becomes an empty cell; numbers are left as they are."""
    if isinstance(value, str) and (value.startswith(_CONTROL_STARTS) or _starts_a_formula(value)):
        return "'" + value
    return "" if value is None else value


def _starts_a_formula(value: str) -> bool:
    for char in value:
        if char.isalnum():  # most cells: a letter or digit first, and no formula
            return False
        if char.isspace() or unicodedata.category(char) in _INVISIBLE_CATEGORIES:
            continue
        return unicodedata.normalize("NFKC", char) in _FORMULA_STARTS
    return False
