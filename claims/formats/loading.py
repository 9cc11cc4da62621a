"""Loading exports back: parse and check a document, then merge it into a store, all or nothing."""

from __future__ import annotations

import reprlib
from typing import Any

from pydantic import TypeAdapter, ValidationError

from claims.errors import ExportFormatError
from claims.formats.export import SCHEMA_VERSION
from claims.formats.json_input import UnreadableJson, parse_json
from claims.models import ExportDocument, ExportedClaim, MergeReport, utc_now
from claims.store.contract import Repository

_DOCUMENT = TypeAdapter(ExportDocument)
_CLAIM = TypeAdapter(ExportedClaim)


def read_export(data: bytes, source: str) -> ExportDocument:
    """Parse an export (the JSON document, or JSON Lines of claims), refusing what this tool can't read.

    Whatever the bytes, the outcome is a document or an ExportFormatError naming `source`.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExportFormatError(f"{source}: not UTF-8 text (byte {error.start})") from None
    if not text.strip():
        raise ExportFormatError(f"{source}: the file is empty")
    if not text.lstrip().startswith("{"):
        raise ExportFormatError(
            f"{source}: not an export of this tool (expected a JSON object or JSON Lines)"
        )
    if "\n{" in text.strip():  # a line starting an object: JSON Lines (JSON documents are indented)
        return _read_claim_lines(text, source)
    raw = _parse(text, source, None)
    if isinstance(raw, dict) and _CLAIM_KEYS <= raw.keys() and "claims" not in raw:
        return _read_claim_lines(text, source)  # JSON Lines of one claim
    if not isinstance(raw, dict) or "schema_version" not in raw:
        raise ExportFormatError(
            f"{source}: not an export of this tool (no schema_version); to add articles use `claims import`"
        )
    _check_version(raw["schema_version"], source)
    try:
        return _DOCUMENT.validate_python(raw)
    except ValidationError as error:
        raise ExportFormatError(f"{source}: {_describe(error)}") from None


_CLAIM_KEYS = frozenset({"id", "article_id", "quote"})


def _lines(text: str) -> list[str]:
    """Lines end at "\n" only: a JSON string may hold U+2028 or U+0085, where str.splitlines would split."""
    return text.split("\n")


def _read_claim_lines(text: str, source: str) -> ExportDocument:
    """One claim a line; a line may carry the schema_version it was written with (JSON Lines exports do)."""
    claims: list[ExportedClaim] = []
    for number, line in enumerate(_lines(text), start=1):
        if not line.strip():
            continue
        raw = _parse(line, source, number)
        if isinstance(raw, dict) and "schema_version" in raw:
            _check_version(raw.pop("schema_version"), f"line {number} of {source}")
        try:
            claims.append(_CLAIM.validate_python(raw))
        except ValidationError as error:
            raise ExportFormatError(f"line {number} of {source}: {_describe(error)}") from None
    return ExportDocument(schema_version=SCHEMA_VERSION, exported_at=utc_now(), articles=[], claims=claims)


def _parse(text: str, source: str, line: int | None) -> Any:
    try:
        return parse_json(text)
    except UnreadableJson as error:
        where = line if line is not None else error.line
        raise ExportFormatError(
            f"line {where} of {source}: {error.problem}" if where else f"{source}: {error.problem}"
        ) from None


def _check_version(version: Any, where: str) -> None:
    if not isinstance(version, int) or isinstance(version, bool):
        raise ExportFormatError(f"{where}: schema_version must be a whole number, got {_brief(version)}")
    if version > SCHEMA_VERSION:
        raise ExportFormatError(
            f"{where}: written by a newer version of this tool (schema {version}); "
            f"this one reads schema {SCHEMA_VERSION} and older: upgrade claim-annotator to load it"
        )


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    if first["type"] == "json_invalid":
        return f"not valid JSON ({first['msg']})"
    shown = _brief(first.get("input"))
    return f"{where}: {first['msg']} (got {shown})" if where else first["msg"]


# A value shown in a message: a few levels and items deep at most (a hostile value may be nested
# hundreds of levels deep, where plain repr() would overflow the stack), and at most 80 characters.
_BRIEF = reprlib.Repr()
_BRIEF.maxlevel, _BRIEF.maxstring, _BRIEF.maxother, _BRIEF.maxlong = 3, 60, 60, 40


def _brief(value: Any) -> str:
    shown = _BRIEF.repr(value)
    return shown if len(shown) <= 80 else shown[:77] + "..."


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
