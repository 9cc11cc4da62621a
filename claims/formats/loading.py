"""Loading exports back: parse and check a document, then merge it into a store, all or nothing.

The file's format is detected: this tool's JSON document (any schema version), JSON Lines of claims, or
W3C Web Annotations (claims/formats/webannotation.py), which are anchored in the stored articles when they
are merged.

A file export as this tool writes it (the indented JSON document) is read in batches of records straight
from the file's pages into models, so a load holds the records it will store and little else; any other
file, and any file that fails, is read whole by `read_export`, whose messages say what is wrong.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mmap
import os
import reprlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Required

from pydantic import TypeAdapter, ValidationError
from typing_extensions import TypedDict

from claims.errors import ExportFormatError, InvalidClaim, NotFound
from claims.formats.export import SCHEMA_VERSION
from claims.formats.json_input import UnreadableJson, parse_json
from claims.formats.webannotation import anchor_annotations, annotations_in, is_web_annotation
from claims.models import (
    Article,
    Claim,
    Deletion,
    ExportDocument,
    ExportedClaim,
    KnownFactCheck,
    MergeReport,
    Sentence,
    SuggestionDecision,
    utc_now,
)
from claims.store.article_files import collector_paused
from claims.store.contract import ConflictingArticle, Repository

# A file read whole (see `read_export`) takes about 8 times its size in memory while it is parsed; 256 MB
# admits the export of a 100,000-claim store (186 MB). An export as this tool writes it is read in batches
# instead (see `read_loadable_file`): loading that 186 MB file peaks near what its records take as models.
MAX_EXPORT_BYTES = 256 * 2**20

_DOCUMENT = TypeAdapter(ExportDocument)
_CLAIM = TypeAdapter(ExportedClaim)


class _StandAlone(TypedDict, total=False):
    """What an ExportedClaim adds to a Claim, checked by the same models."""

    sentences: Required[list[Sentence]]
    article_title: str | None
    article_url: str | None
    article_date: dt.date | None


_ARTICLE_BATCH = TypeAdapter(list[Article])
# An ExportedClaim is valid exactly when it is a valid Claim (same fields and rules) and its added fields are
# valid: checked as two parts, the batch yields the stored claims without building exported ones first.
_CLAIM_BATCH = TypeAdapter(list[Claim])
_STAND_ALONE_BATCH = TypeAdapter(list[_StandAlone])
# Pydantic keeps, per model, the set of the names of the fields it was given: for a Sentence (5 fields) that
# set takes more memory than its values. A record read from an export has every field set, so one shared
# set of all the names stands for every record's own (pydantic only ever adds a field's name to it, which
# it already holds): a third less memory for 100,000 claims and their articles' sentences.
_CLAIM_FIELDS = set(Claim.model_fields)
_SENTENCE_FIELDS = set(Sentence.model_fields)


@dataclass
class LoadableExport:
    """An export's records as a store takes them: articles, claims (without what exports add to stand
    alone), suggestion decisions and deletion records, all checked as models."""

    articles: list[Article]
    claims: list[Claim]
    decisions: list[SuggestionDecision] = field(default_factory=list)
    deletions: list[Deletion] = field(default_factory=list)
    # Parsed W3C Web Annotations, anchored in the store's articles by `merge_export`.
    annotations: list[Any] = field(default_factory=list)
    factchecks: list[KnownFactCheck] = field(default_factory=list)

    @classmethod
    def of(cls, document: ExportDocument) -> LoadableExport:
        claims = [plain_claim(claim) for claim in document.claims]
        _share_field_names([], document.articles)
        return cls(
            list(document.articles),
            claims,
            list(document.decisions),
            list(document.deletions),
            factchecks=list(document.factchecks),
        )


def plain_claim(exported: ExportedClaim) -> Claim:
    """The stored claim of an exported one (what `ExportedClaim.to_claim` gives), without checking its
    fields a second time: an ExportedClaim is a Claim with more fields, checked by the same rules."""
    values = {name: getattr(exported, name) for name in _CLAIM_FIELDS}
    return Claim.model_construct(_CLAIM_FIELDS, **values)


def _share_field_names(claims: list[Claim], articles: list[Article]) -> None:
    """Give every claim and sentence the shared set of its model's field names (see _CLAIM_FIELDS)."""
    for claim in claims:
        object.__setattr__(claim, "__pydantic_fields_set__", _CLAIM_FIELDS)
    for article in articles:
        for sentence in article.sentences:
            object.__setattr__(sentence, "__pydantic_fields_set__", _SENTENCE_FIELDS)


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
            f"{source}: not an export of this tool "
            "(expected a JSON object, JSON Lines or W3C Web Annotations)"
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
    return read_export(_read_limited(path, source), source)


def _read_limited(path: Path, source: str) -> bytes:
    try:
        _check_size(path.stat().st_size, source)
        return path.read_bytes()
    except OSError as error:
        raise ExportFormatError(f"{source}: cannot read the file ({error.strerror or error})") from None


def _check_size(size: int, source: str) -> None:
    if size > MAX_EXPORT_BYTES:
        raise ExportFormatError(
            f"{source}: the file is {size / 2**20:.1f} MB ({size:,} bytes), over the limit of "
            f"{MAX_EXPORT_BYTES // 2**20} MB for `claims load`; load it in parts (e.g. one export per "
            "batch of articles)"
        )


def read_loadable_file(path: Path, source: str | None = None) -> LoadableExport:
    """Read an export file into the records a store takes: what `read_export_file` reads, in far less
    memory and time for an export as this tool writes it (read in batches, see `_read_in_batches`); the
    same records, or the same ExportFormatError, for any file."""
    source = source or path.name
    with collector_paused():  # a load builds many acyclic models at once: the collector's passes find nothing
        try:
            with path.open("rb") as handle:
                _check_size(size := os.fstat(handle.fileno()).st_size, source)
                if size:
                    with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
                        found = _read_in_batches(view)
                        if found is not None:
                            return found
        except OSError as error:
            raise ExportFormatError(f"{source}: cannot read the file ({error.strerror or error})") from None
        data = _read_limited(path, source)
        annotations = read_web_annotations(data, source)
        if annotations is not None:
            return LoadableExport([], [], annotations=annotations)
        return LoadableExport.of(read_export(data, source))


# What marks a file as Web Annotation early on: its context, or an annotation's type.
_ANNOTATION_MARKS = (b"anno.jsonld", b'"Annotation', b'"oa:Annotation')


def read_web_annotations(data: bytes, source: str) -> list[Any] | None:
    """The annotations of a W3C Web Annotation file (a collection, a page, a list or one annotation); None
    for any other file. Only a file that names an annotation near its start is parsed here."""
    head = data[:4096]
    if not any(mark in head for mark in _ANNOTATION_MARKS):
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    try:
        value = parse_json(text)
    except UnreadableJson as error:
        if error.line and error.syntax:
            raise ExportFormatError(f"line {error.line} of {source}: {error.problem}") from None
        raise ExportFormatError(f"{source}: {error.problem}") from None
    return annotations_in(value) if is_web_annotation(value) else None


# Records validated at a time: a batch of claims is about 1 MB of JSON.
_BATCH = 1000
_BOM = b"\xef\xbb\xbf"


def _read_in_batches(view: mmap.mmap) -> LoadableExport | None:
    """The records of an export laid out as this tool writes it (`_document_chunks`), or None for any
    other layout and for anything wrong, which `read_export` then reads and diagnoses.

    Such a file indents by two spaces per level, so its lists of articles and claims are the lines
    between `  "articles": [` and `  ]`, each record starting at `    {` and ending at `    }`. Those
    lines are only a guess at where records start and end; what makes the result exactly what reading
    the whole file gives is checked: every batch of records must parse as a JSON list on its own, the
    batches and the commas between them must make up the list's text exactly, and the rest of the file,
    with each list replaced by a random marker, must parse as an object whose "articles" and "claims" are
    those markers (so the lists found are the document's own, not lists nested deeper or overridden by a
    repeated key). Batches are parsed and checked by pydantic-core straight from the file's pages (no
    dicts in between), and each batch's pages are released once it is read.
    """
    start = len(_BOM) if view[: len(_BOM)] == _BOM else 0
    if view[start : start + 2] != b"{\n" or view.find(b"\n{") != -1:  # not indented, or JSON Lines
        return None
    lists: dict[str, tuple[int, int]] = {}  # a list written over several lines: where its items' text is
    for key in ("articles", "claims"):
        opening = b'\n  "' + key.encode() + b'": [\n'
        at = view.find(opening)
        if at != -1:
            first = at + len(opening) - 1  # the items' text starts at the line break after "["
            end = view.find(b"\n  ]", first)
            if end == -1 or view.find(opening, at + 1) != -1:
                return None
            lists[key] = (first, end)
    if not lists:  # nothing to read in batches (an empty export, or another format): read whole
        return None
    spans = sorted(lists.items(), key=lambda item: item[1])
    if any(previous[1][1] > following[1][0] for previous, following in zip(spans, spans[1:], strict=False)):
        return None
    markers = {key: f"claims-load-{key}-{secrets.token_hex(16)}" for key in lists}
    if any(view.find(marker.encode()) != -1 for marker in markers.values()):
        return None
    pieces, after = [], start
    for key, (first, end) in spans:
        # Everything up to the list's "[", the marker in place of the list, then on after its "\n  ]".
        pieces += [view[after : first - 1], b'"' + markers[key].encode() + b'"']
        after = end + len(b"\n  ]")
    pieces.append(view[after:])
    if hasattr(mmap, "MADV_DONTNEED"):  # the searches above touched every page: let them go till needed
        view.madvise(mmap.MADV_DONTNEED)
    try:
        raw = parse_json(b"".join(pieces).decode("utf-8"))
    except (UnicodeDecodeError, UnreadableJson):
        return None
    if not isinstance(raw, dict) or any(raw.get(key) != marker for key, marker in markers.items()):
        return None
    empty: dict[str, list[Any]] = {key: [] for key in markers}
    try:
        _check_version(raw.get("schema_version"), "")
        rest = _DOCUMENT.validate_python(raw | empty)
        articles = list(rest.articles)
        if "articles" in lists:
            for batch in _batches(view, *lists["articles"]):
                articles += (more := _ARTICLE_BATCH.validate_json(batch))
                _share_field_names([], more)
        claims = [plain_claim(claim) for claim in rest.claims]
        if "claims" in lists:
            for batch in _batches(view, *lists["claims"]):
                claims += (more_claims := _CLAIM_BATCH.validate_json(batch))
                _STAND_ALONE_BATCH.validate_json(batch)
                _share_field_names(more_claims, [])
    except (ExportFormatError, ValidationError):
        return None
    return LoadableExport(articles, claims, rest.decisions, rest.deletions, factchecks=rest.factchecks)


def _batches(view: mmap.mmap, first: int, end: int) -> Iterator[bytes]:
    """The list whose items are the text view[first:end], as JSON lists of up to _BATCH items each (split
    after a line `    }` followed by a comma); the pages of each batch are released once it is taken."""
    released = first - first % mmap.PAGESIZE
    cut = first
    while cut < end:
        at = cut
        for _ in range(_BATCH):
            at = view.find(b"\n    },", at + 1, end)
            if at == -1:
                break
        stop = end if at == -1 else at + len(b"\n    }")
        yield b"[" + view[cut:stop] + b"]"
        cut = stop + 1  # past the comma between two items
        if hasattr(mmap, "MADV_DONTNEED"):
            # Read-only pages of a file: dropped from this process, read again from the file if needed.
            done = min(cut, end) - min(cut, end) % mmap.PAGESIZE
            if done > released:
                view.madvise(mmap.MADV_DONTNEED, released, done - released)
                released = done


def load_export(repo: Repository, document: ExportDocument, source: str = "the export") -> MergeReport:
    """Merge a document into a store, all or nothing (see `merge_export`)."""
    return merge_export(repo, LoadableExport.of(document), source)


def merge_export(repo: Repository, export: LoadableExport, source: str = "the export") -> MergeReport:
    """Merge an export's records into a store, all or nothing: every article and claim is checked first (an
    article's id and content hash against its text, its sentences inside it, each claim against the text
    that ends up stored), then `Repository.merge` stores everything in one change or nothing.

    Web Annotations are anchored in the stored articles first: those anchored load with the rest, and the
    report's `unanchored` says, one message each, which were not and why."""
    unanchored: list[str] = []
    if export.annotations:
        anchored = anchor_annotations(repo, export.annotations)
        export = LoadableExport(
            export.articles,
            [*export.claims, *anchored.claims],
            export.decisions,
            export.deletions,
            factchecks=export.factchecks,
        )
        unanchored = anchored.unanchored
    known: dict[str, Article] = {}
    for index, article in enumerate(export.articles):
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
    for index, claim in enumerate(export.claims):
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
    for index, decision in enumerate(export.decisions):
        if decision.article_id not in known and decision.article_id not in stored:
            raise ExportFormatError(
                f"{source}: decisions[{index}] belongs to article {decision.article_id}, "
                "which is neither in the file nor in the store"
            )
    try:
        # The store checks again under its lock: another editor may have changed it since.
        with collector_paused():
            report = repo.merge(export.articles, export.claims, export.decisions, export.deletions)
    except (ConflictingArticle, NotFound, InvalidClaim) as error:
        raise ExportFormatError(f"{source}: {error}; nothing was loaded") from None
    if export.factchecks:
        # One write of their own, all or nothing, after the merge: the contract's merge takes no
        # fact-checks, and they depend on nothing the merge stores (loading again changes nothing).
        report.factchecks = repo.add_factchecks(export.factchecks)
    report.unanchored = unanchored
    return report


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
