"""Exports: repository -> standalone document -> JSON, JSON Lines or CSV; and loading them back."""

from __future__ import annotations

import bisect
import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError

from claims.errors import ExportFormatError
from claims.models import (
    Article,
    Claim,
    ExportDocument,
    ExportedClaim,
    MergeReport,
    Sentence,
    Verdict,
    utc_now,
)
from claims.repository import Repository

SCHEMA_VERSION = 1
ExportFormat = Literal["json", "jsonl", "csv", "claimreview"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("json", "jsonl", "csv", "claimreview")
MEDIA_TYPES: dict[ExportFormat, str] = {
    "json": "application/json",
    "jsonl": "application/x-ndjson",
    "csv": "text/csv",
    "claimreview": "application/ld+json",
}
FILE_SUFFIXES: dict[ExportFormat, str] = {
    "json": "json",
    "jsonl": "jsonl",
    "csv": "csv",
    "claimreview": "claimreview.jsonld",
}
CSV_COLUMNS = (
    "id",
    "article_id",
    "article_title",
    "article_url",
    "article_date",
    "start",
    "end",
    "quote",
    "sentence",
    "claim_type",
    "claimant",
    "source_name",
    "source_url",
    "status",
    "verdict",
    "evidence",
    "notes",
    "origin",
    "created_by",
    "created_at",
    "updated_by",
    "updated_at",
    "version",
)

_DOCUMENT = TypeAdapter(ExportDocument)
_CLAIM = TypeAdapter(ExportedClaim)
_CLAIMS = TypeAdapter(list[ExportedClaim])


def sentences_covering(sentences: Sequence[Sentence], start: int, end: int) -> list[Sentence]:
    """The sentences a span [start, end) overlaps, in order (usually one)."""
    starts = [sentence.start for sentence in sentences]
    first = max(bisect.bisect_right(starts, start) - 1, 0)
    covering = []
    for sentence in sentences[first:]:
        if sentence.start >= end:
            break
        if sentence.end > start:
            covering.append(sentence)
    return covering


def export_document(repo: Repository, claims: Iterable[Claim] | None = None) -> ExportDocument:
    """Everything in the store, or only the given claims with their articles, as one document."""
    chosen = repo.list_claims() if claims is None else list(claims)
    if claims is None:
        article_ids = [summary.id for summary in repo.list_articles()]
    else:
        article_ids = sorted({claim.article_id for claim in chosen})
    articles = sorted((repo.get_article(i) for i in article_ids), key=lambda a: (a.imported_at, a.id))
    return ExportDocument(
        schema_version=SCHEMA_VERSION,
        exported_at=utc_now(),
        articles=articles,
        claims=exported_claims(articles, chosen),
    )


def exported_claims(articles: Iterable[Article], claims: Iterable[Claim]) -> list[ExportedClaim]:
    """Give each claim its sentences and its article's title, URL and date, sorted by position."""
    by_id = {article.id: article for article in articles}
    exported = []
    for claim in sorted(claims, key=lambda c: (c.article_id, c.start, c.end, c.id)):
        article = by_id[claim.article_id]
        exported.append(
            ExportedClaim.model_construct(
                **dict(claim),
                sentences=sentences_covering(article.sentences, claim.start, claim.end),
                article_title=article.title,
                article_url=article.url,
                article_date=article.date,
            )
        )
    return exported


def render(document: ExportDocument, fmt: ExportFormat) -> bytes:
    """Serialise a document in one of EXPORT_FORMATS."""
    if fmt == "json":
        return _DOCUMENT.dump_json(document, indent=2) + b"\n"
    if fmt == "jsonl":
        return b"".join(_CLAIM.dump_json(claim) + b"\n" for claim in document.claims)
    if fmt == "csv":
        return render_csv(document.claims)
    if fmt == "claimreview":
        return (
            json.dumps(claim_reviews(document.claims), ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
        )
    raise ExportFormatError(f"unknown export format {fmt!r}: choose one of {', '.join(EXPORT_FORMATS)}")


def render_csv(claims: Iterable[ExportedClaim]) -> bytes:
    """One row a claim; evidence as JSON in one cell; cells a spreadsheet would run are defused."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for claim in claims:
        row = _CLAIM.dump_python(claim, mode="json")
        source = row.pop("source") or {}
        row["sentence"] = " ".join(sentence["text"] for sentence in row.pop("sentences"))
        row["source_name"] = source.get("name", "")
        row["source_url"] = source.get("url") or ""
        row["evidence"] = json.dumps(row["evidence"], ensure_ascii=False) if row["evidence"] else ""
        writer.writerow({column: _spreadsheet_safe(row.get(column)) for column in CSV_COLUMNS})
    return buffer.getvalue().encode("utf-8")


def _spreadsheet_safe(value: Any) -> Any:
    # A cell starting with = + - @ is run as a formula by spreadsheet programs (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


# schema.org ClaimReview ratings: 1 (false) to 5 (true); verdicts off that scale carry only their name.
_RATING_VALUES = {
    Verdict.FALSE: 1,
    Verdict.MOSTLY_FALSE: 2,
    Verdict.HALF_TRUE: 3,
    Verdict.MOSTLY_TRUE: 4,
    Verdict.TRUE: 5,
}


def claim_reviews(claims: Iterable[ExportedClaim], publisher: str | None = None) -> list[dict[str, Any]]:
    """schema.org ClaimReview (JSON-LD) for every rated claim; unrated claims have no review yet."""
    reviews = []
    for claim in claims:
        if claim.verdict is Verdict.UNRATED:
            continue
        rating: dict[str, Any] = {
            "@type": "Rating",
            "alternateName": claim.verdict.value.replace("_", " ").capitalize(),
        }
        if claim.verdict in _RATING_VALUES:
            rating |= {"ratingValue": _RATING_VALUES[claim.verdict], "bestRating": 5, "worstRating": 1}
        appearance: dict[str, Any] = {"@type": "NewsArticle"}
        appearance |= {
            key: value
            for key, value in (
                ("url", claim.article_url),
                ("headline", claim.article_title),
                ("datePublished", claim.article_date.isoformat() if claim.article_date else None),
            )
            if value
        }
        item: dict[str, Any] = {"@type": "Claim", "appearance": appearance}
        if claim.claimant:
            item["author"] = {"@type": "Person", "name": claim.claimant}
        if claim.article_date:
            item["datePublished"] = claim.article_date.isoformat()
        review: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "identifier": claim.id,
            "claimReviewed": claim.quote,
            "itemReviewed": item,
            "reviewRating": rating,
            "datePublished": claim.updated_at.date().isoformat(),
        }
        if publisher:
            review["author"] = {"@type": "Organization", "name": publisher}
        reviews.append(review)
    return reviews


def read_export(data: bytes, source: str) -> ExportDocument:
    """Parse an export (the JSON document, or JSON Lines of claims), refusing what this tool can't read."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExportFormatError(f"{source}: not UTF-8 text (byte {error.start})") from None
    if not text.strip():
        raise ExportFormatError(f"{source}: the file is empty")
    stripped = text.lstrip()
    if stripped.startswith("{") and "\n{" not in stripped.rstrip():
        return _read_document(text, source)
    if stripped.startswith("{"):
        return _read_claim_lines(text, source)
    raise ExportFormatError(f"{source}: not an export of this tool (expected a JSON object or JSON Lines)")


def _read_document(text: str, source: str) -> ExportDocument:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise ExportFormatError(
            f"line {error.lineno} of {source}: not valid JSON ({error.msg}, column {error.colno})"
        ) from None
    if not isinstance(raw, dict) or "schema_version" not in raw:
        raise ExportFormatError(
            f"{source}: not an export of this tool (no schema_version); to add articles use `claims import`"
        )
    version = raw["schema_version"]
    if not isinstance(version, int) or isinstance(version, bool):
        raise ExportFormatError(f"{source}: schema_version must be a whole number, got {version!r}")
    if version > SCHEMA_VERSION:
        raise ExportFormatError(
            f"{source}: written by a newer version of this tool (schema {version}); "
            f"this one reads schema {SCHEMA_VERSION} and older: upgrade claim-annotator to load it"
        )
    try:
        return _DOCUMENT.validate_python(raw)
    except ValidationError as error:
        raise ExportFormatError(f"{source}: {_describe(error)}") from None


def _read_claim_lines(text: str, source: str) -> ExportDocument:
    claims: list[ExportedClaim] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            claims.append(_CLAIM.validate_json(line))
        except ValidationError as error:
            raise ExportFormatError(f"line {number} of {source}: {_describe(error)}") from None
    return ExportDocument(schema_version=SCHEMA_VERSION, exported_at=utc_now(), articles=[], claims=claims)


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    if first["type"] == "json_invalid":
        return f"not valid JSON ({first['msg']})"
    shown = repr(first.get("input"))
    if len(shown) > 80:
        shown = shown[:77] + "..."
    return f"{where}: {first['msg']} (got {shown})" if where else first["msg"]


def load_export(repo: Repository, document: ExportDocument, source: str = "the export") -> MergeReport:
    """Merge a document into a store after checking every claim against its article; all or nothing."""
    known = {article.id: article for article in document.articles}
    stored = {summary.id for summary in repo.list_articles()}
    for index, claim in enumerate(document.claims):
        article = known.get(claim.article_id)
        if article is None and claim.article_id in stored:
            article = known[claim.article_id] = repo.get_article(claim.article_id)
        if article is None:
            raise ExportFormatError(
                f"{source}: claims[{index}] ({claim.id}) belongs to article {claim.article_id}, "
                "which is neither in the file nor in the store"
            )
        if article.text[claim.start : claim.end] != claim.quote:
            raise ExportFormatError(
                f"{source}: claims[{index}] ({claim.id}) quote {claim.quote!r} does not match "
                f"article {claim.article_id} at [{claim.start}, {claim.end})"
            )
    return repo.merge(document.articles, (claim.to_claim() for claim in document.claims))
