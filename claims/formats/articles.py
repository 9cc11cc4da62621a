"""Reading articles (header format, plain text, JSON, JSON Lines) and importing them, deduplicated by body."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from claims.errors import ArticleFormatError
from claims.formats.dates import DateProblem, looks_like_date, read_date
from claims.formats.json_input import UnreadableJson, parse_json
from claims.models import Article, WebUrl, utc_now
from claims.segmentation import split_sentences

# One limit for every door: the UI's upload limit must be the same number.
MAX_FILE_BYTES = 20 * 1024 * 1024
ARTICLE_SUFFIXES = (".txt", ".json", ".jsonl")

_WEB_URL: TypeAdapter[str] = TypeAdapter(WebUrl)
_BOM = b"\xef\xbb\xbf"
_SURROGATE = re.compile("[\ud800-\udfff]")
_EXPORT_KEYS = ({"schema_version", "claims"}, {"article_id", "quote", "version"})


def content_hash(body: str) -> str:
    """The SHA-256 of a (normalised) body: the same text always gets the same hash."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def normalise_body(body: str) -> str:
    """Newlines as "\\n", no blank lines before or white space after; every other byte kept."""
    body = body.replace("\r\n", "\n").replace("\r", "\n").rstrip()
    first_text = re.search(r"[^\s]", body)
    if first_text is None:
        return ""
    return body[body.rfind("\n", 0, first_text.start()) + 1 :]


def make_article(
    body: str,
    *,
    title: str | None = None,
    url: str | None = None,
    date: dt.date | None = None,
    date_text: str | None = None,
    source_file: str | None = None,
    imported_by: str | None = None,
) -> Article:
    """Build an article from its body and metadata: hash, id and sentences computed here.

    Every article is built here, so this is where text that is not characters (a lone surrogate, which
    only a JSON escape or a program can produce) is refused, before anything hashes or stores it.
    """
    source = source_file or "the article"
    for field, value in (("text", body), ("title", title), ("url", url), ("date", date_text)):
        _refuse_lone_surrogates(value, f"the {field}", source, None)
    text = normalise_body(body)
    if not text:
        raise ArticleFormatError(source, "the article has no text")
    digest = content_hash(text)
    sentences = split_sentences(text)
    return Article(
        id=digest[:16],
        title=(title or "").strip() or None,
        url=_check_url(url.strip(), source, None) if url and url.strip() else None,
        date=date,
        date_text=(date_text or "").strip() or None,
        content_hash=digest,
        sentence_count=len(sentences),
        # A file name that is not UTF-8 (Python holds its bytes as lone surrogates) is stored readable.
        source_file=_SURROGATE.sub("\ufffd", source_file) if source_file else None,
        imported_at=utc_now(),
        imported_by=imported_by,
        text=text,
        sentences=sentences,
    )


def read_article_file(path: Path) -> list[Article]:
    """Read every article in one file, refusing files over MAX_FILE_BYTES before reading them."""
    return read_file_as(path, path.name)


def read_articles(data: bytes, source: str, imported_by: str | None = None) -> list[Article]:
    """Read the articles in a file's bytes; `source` (its name) picks the format and names it in errors."""
    _check_size(len(data), source)
    text = _decode(data, source)
    suffix = Path(source).suffix.lower()
    # Content that parses as JSON is read as JSON whatever the file is called, lest a body of JSON be stored.
    if suffix not in (".json", ".jsonl") and not _is_json(text):
        return [_text_article(text, source, imported_by)]
    if suffix == ".jsonl" or _looks_like_json_lines(text):
        records = list(_json_lines(text, source))
    else:
        records = _json_document(_parse_json(text, source, None), source)
    return [_article_from(record, label, line, source, imported_by) for record, label, line in records]


def read_file_as(path: Path, source: str, imported_by: str | None = None) -> list[Article]:
    """Read a file whose messages name it as `source` (e.g. its path inside an imported folder)."""
    try:
        if path.is_dir():
            raise ArticleFormatError(source, "this is a folder, not an article file")
        # Opened without blocking (a named pipe would wait for a writer), then checked to be a regular
        # file, and read no further than the limit: /dev/zero or a growing file cannot fill the memory.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(descriptor, "rb") as file:
            status = os.fstat(file.fileno())
            if not stat.S_ISREG(status.st_mode):
                raise ArticleFormatError(source, "this is not a regular file (a device, pipe or socket)")
            _check_size(status.st_size, source)
            data = file.read(MAX_FILE_BYTES + 1)
    except (OSError, ValueError) as error:  # ValueError: a NUL in the path
        raise ArticleFormatError(
            source, f"cannot read the file ({getattr(error, 'strerror', None) or error})"
        ) from None
    return read_articles(data, source, imported_by)


def _check_size(size: int, source: str) -> None:
    if size > MAX_FILE_BYTES:
        raise ArticleFormatError(
            source,
            f"the file is {size / 2**20:.1f} MB ({size:,} bytes), over the limit of "
            f"{MAX_FILE_BYTES // 2**20} MB ({MAX_FILE_BYTES:,} bytes) per file; split it into smaller files",
        )


def _decode(data: bytes, source: str) -> str:
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    if b"\x00" in data:
        raise ArticleFormatError(
            source,
            "this is not a text file (it contains NUL bytes: a binary file, or text saved as UTF-16); "
            "save the article as UTF-8 text",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        raise ArticleFormatError(
            source,
            f"not valid UTF-8: byte 0x{data[error.start]:02X} (byte {error.start - line_start + 1} of the "
            "line; perhaps saved as Latin-1 or Windows-1252); save the file as UTF-8",
            line=data.count(b"\n", 0, error.start) + 1,
        ) from None
    if not text.strip():
        raise ArticleFormatError(
            source, "the file is empty" if not text else "the file holds only white space"
        )
    return text


# -- the header format and plain text


def _text_article(text: str, source: str, imported_by: str | None) -> Article:
    """The header format (headline, date, URL, body) when lines 2-3 hold a URL; a headline-and-date
    article when line 2 is a date we can read and line 3 is no URL; else the whole text as the body.

    A URL on line 2 or 3 means the writer meant the header format, so a bad date or URL there is
    refused with its line. Without one, line 2 may be the first line of a story that happens to look
    like a date ("2021"), so a date we cannot read makes the file plain text, never a refusal.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    headline, line2, line3 = (lines + ["", ""])[:3]
    if _is_url_attempt(line2) or _is_url_attempt(line3):
        return _header_article(lines, source, imported_by)
    if headline.strip() and looks_like_date(line2):
        try:
            date = read_date(line2)
        except DateProblem:
            date = None
        body = "\n".join(lines[2:])
        if date is not None and body.strip():
            return make_article(
                body, title=headline, date=date, date_text=line2, source_file=source, imported_by=imported_by
            )
    return make_article(text, source_file=source, imported_by=imported_by)


def _header_article(lines: list[str], source: str, imported_by: str | None) -> Article:
    headline, line2, line3 = (lines + ["", ""])[:3]
    if not headline.strip():
        raise ArticleFormatError(source, "expected the headline, got an empty line", line=1)
    if _is_url_attempt(line2):
        raise ArticleFormatError(
            source, "the date is missing: expected a date like 20211129 here and the URL on line 3", line=2
        )
    date = _parse_date(line2, source, 2)
    if not line3.strip():
        raise ArticleFormatError(
            source, "expected the article's URL (starting with https://), got nothing", line=3
        )
    url = _check_url(line3.strip(), source, 3)
    body = "\n".join(lines[3:])
    if not body.strip():
        raise ArticleFormatError(
            source,
            "the headline, date and URL are not followed by any article text (the body starts on line 4)",
        )
    return make_article(
        body,
        title=headline,
        url=url,
        date=date,
        date_text=line2,
        source_file=source,
        imported_by=imported_by,
    )


def _is_url_attempt(line: str) -> bool:
    return line.strip().lower().startswith(("http", "www."))


def _parse_date(value: str, source: str, line: int | None, field: str = "") -> dt.date:
    try:
        return read_date(value)
    except DateProblem as problem:
        raise ArticleFormatError(source, f"{field}: {problem}" if field else str(problem), line) from None


def _check_url(value: str, source: str, line: int | None, field: str = "the article's URL") -> str:
    try:
        return _WEB_URL.validate_python(value)
    except ValidationError:
        raise ArticleFormatError(
            source,
            f"expected {field} as a web address starting with http:// or https://, got {_shown(value)}",
            line,
        ) from None


def _shown(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + "...")


# -- JSON and JSON Lines


def _json_line_texts(text: str) -> list[str]:
    """The lines of a JSON Lines text: split at "\n" only (str.splitlines would also split at U+2028,
    U+0085 and other characters a JSON string may hold as they are)."""
    return text.split("\n")


def _looks_like_json_lines(text: str) -> bool:
    """A .json file holding one object per line (a common slip) is read as JSON Lines."""
    lines = [line for line in _json_line_texts(text) if line.strip()]
    return len(lines) > 1 and all(
        line.lstrip().startswith("{") and line.rstrip().endswith("}") for line in lines
    )


# (record, how messages name it, its line in the file if known)
_Record = tuple[Any, str, int | None]


def _json_lines(text: str, source: str) -> Iterator[_Record]:
    for number, line in enumerate(_json_line_texts(text), start=1):
        if line.strip():
            yield _parse_json(line, source, number), "this record", number


def _json_document(document: Any, source: str) -> list[_Record]:
    if isinstance(document, list):
        if not document:
            raise ArticleFormatError(source, "the JSON list holds no articles")
        return [(record, f"record {number} of the list", None) for number, record in enumerate(document, 1)]
    return [(document, "the article", None)]


def _is_json(text: str) -> bool:
    """Whether text starting with "{" is JSON. Whole JSON that cannot be used (nested too deeply, a
    5,000-digit number, a lone surrogate) still counts and is then refused as such, lest a hostile
    JSON file be stored as the body of an article; only a syntax error (with its line) makes it text."""
    if not text.lstrip().startswith("{"):
        return False
    try:
        for chunk in _json_line_texts(text) if _looks_like_json_lines(text) else [text]:
            if chunk.strip():
                parse_json(chunk)
    except UnreadableJson as error:
        return not error.syntax
    return True


def _parse_json(text: str, source: str, line: int | None) -> Any:
    try:
        return parse_json(text)
    except UnreadableJson as error:
        where = line if line is not None else error.line
        raise ArticleFormatError(source, error.problem, line=where) from None


def _article_from(record: Any, what: str, line: int | None, source: str, imported_by: str | None) -> Article:
    if not isinstance(record, dict):
        raise ArticleFormatError(
            source, f'expected {what} as a JSON object with a "text" field, got {_json_type(record)}', line
        )
    if any(keys <= record.keys() for keys in _EXPORT_KEYS):
        raise ArticleFormatError(
            source, f"this is an export of claims from this tool; load it with `claims load {source}` instead"
        )
    if "text" not in record:
        names = sorted(map(str, record))
        found = ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
        raise ArticleFormatError(
            source, f'{what} has no "text" field (the article body); fields found: {found or "none"}', line
        )
    for field in ("text", "title", "url", "date"):
        value = record.get(field)
        if not isinstance(value, str) and not (value is None and field != "text"):
            raise ArticleFormatError(
                source, f'"{field}" of {what} must be a string, got {_json_type(value)}', line
            )
    if not record["text"].strip():
        raise ArticleFormatError(source, f'the "text" of {what} is empty', line)
    date = record.get("date")
    url = record.get("url")
    return make_article(
        record["text"],
        title=record.get("title"),
        url=_check_url(url.strip(), source, line, '"url"') if url and url.strip() else None,
        date=_parse_date(date, source, line, f'"date" of {what}') if date and date.strip() else None,
        date_text=date,
        source_file=source,
        imported_by=imported_by,
    )


def _refuse_lone_surrogates(value: str | None, what: str, source: str, line: int | None) -> None:
    found = _SURROGATE.search(value) if value else None
    if found:
        raise ArticleFormatError(
            source,
            f"{what} holds \\u{ord(found.group()):04x}, half of a UTF-16 surrogate pair with no other half, "
            "which is not a character; remove it or complete the pair",
            line,
        )


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'' if len(value) == 1 else 's'}"
    if isinstance(value, dict):
        return "an object"
    names = {bool: "true or false", int: "a number", float: "a number"}
    shown = json.dumps(value, ensure_ascii=False)
    return f"{names.get(type(value), 'a string')} ({shown if len(shown) <= 60 else shown[:57] + '...'})"
