"""Loading exports back: parse and check a document, then merge it into a store, all or nothing."""

from __future__ import annotations

import hashlib
import reprlib
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from claims.errors import ExportFormatError, InvalidClaim, NotFound
from claims.formats.export import SCHEMA_VERSION
from claims.formats.json_input import UnreadableJson, parse_json
from claims.models import Article, ExportDocument, ExportedClaim, MergeReport, utc_now
from claims.store.contract import ConflictingArticle, Repository

# `claims load` parses the whole document in memory, about 8 times its size (measured: a 65 MB export of
# 35,000 claims peaked at 517 MB). 256 MB admits the export of a 100,000-claim store (186 MB) and bounds
# the memory a load takes near 2 GB.
MAX_EXPORT_BYTES = 256 * 2**20

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


def read_export_file(path: Path, source: str | None = None) -> ExportDocument:
    """Read an export file, refusing one over MAX_EXPORT_BYTES before reading it."""
    source = source or path.name
    try:
        size = path.stat().st_size
        if size > MAX_EXPORT_BYTES:
            raise ExportFormatError(
                f"{source}: the file is {size / 2**20:.1f} MB ({size:,} bytes), over the limit of "
                f"{MAX_EXPORT_BYTES // 2**20} MB for `claims load`; load it in parts (e.g. one export per "
                "batch of articles)"
            )
        data = path.read_bytes()
    except OSError as error:
        raise ExportFormatError(f"{source}: cannot read the file ({error.strerror or error})") from None
    return read_export(data, source)


def load_export(repo: Repository, document: ExportDocument, source: str = "the export") -> MergeReport:
    """Merge a document into a store, all or nothing: every article and claim is checked first (an
    article's id and content hash against its text, its sentences inside it, each claim against the text
    that ends up stored), then `Repository.merge` stores everything in one change or nothing."""
    known: dict[str, Article] = {}
    for index, article in enumerate(document.articles):
        _check_article(article, f"{source}: articles[{index}] ({article.id})")
        first = known.setdefault(article.id, article)
        if first.text != article.text:
            raise ExportFormatError(
                f"{source}: articles[{index}] ({article.id}) appears twice with different texts"
            )
    stored = {summary.id for summary in repo.list_articles()}
    for article_id, article in known.items():
        if article_id in stored and repo.get_article(article_id).text != article.text:
            raise ExportFormatError(
                f"{source}: article {article_id} is already stored with a different text; nothing was loaded"
            )
    for index, claim in enumerate(document.claims):
        owner = known.get(claim.article_id)
        if owner is None and claim.article_id in stored:
            owner = known[claim.article_id] = repo.get_article(claim.article_id)
        if owner is None:
            raise ExportFormatError(
                f"{source}: claims[{index}] ({claim.id}) belongs to article {claim.article_id}, "
                "which is neither in the file nor in the store"
            )
        if owner.text[claim.start : claim.end] != claim.quote:
            raise ExportFormatError(
                f"{source}: claims[{index}] ({claim.id}) quote {claim.quote!r} does not match "
                f"article {claim.article_id} at [{claim.start}, {claim.end})"
            )
    for index, decision in enumerate(document.decisions):
        if decision.article_id not in known and decision.article_id not in stored:
            raise ExportFormatError(
                f"{source}: decisions[{index}] belongs to article {decision.article_id}, "
                "which is neither in the file nor in the store"
            )
    try:
        # The store checks again under its lock: another editor may have changed it since.
        return repo.merge(
            document.articles,
            [claim.to_claim() for claim in document.claims],
            document.decisions,
            document.deletions,
        )
    except (ConflictingArticle, NotFound, InvalidClaim) as error:
        raise ExportFormatError(f"{source}: {error}; nothing was loaded") from None


def _check_article(article: Article, where: str) -> None:
    digest = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    if article.content_hash != digest:
        raise ExportFormatError(f"{where}: content_hash is not the SHA-256 of its text")
    if article.id != digest[:16]:
        raise ExportFormatError(
            f"{where}: the id is not the first 16 hex digits of the SHA-256 of its text ({digest[:16]})"
        )
    if article.sentence_count != len(article.sentences):
        raise ExportFormatError(
            f"{where}: sentence_count is {article.sentence_count} "
            f"but it has {len(article.sentences)} sentences"
        )
    for number, sentence in enumerate(article.sentences):
        if not sentence.start <= sentence.end <= len(article.text) or (
            article.text[sentence.start : sentence.end] != sentence.text
        ):
            raise ExportFormatError(
                f"{where}: sentences[{number}] [{sentence.start}, {sentence.end}) does not match its text"
            )
