"""Reading other organisations' published fact-checks: schema.org ClaimReview JSON-LD (a file, or the
ld+json blocks of an HTML page), Google Fact Check Tools API responses, and CSV/TSV tables.

Each reader reads a whole file or refuses it with one `FactCheckFileError` naming the file, the line where
it is known, and what is wrong: a file that fails part-way gives nothing, so an import never holds half a
file.
"""

from __future__ import annotations

import csv
import datetime as dt
import email.utils
import io
import os
import re
import stat
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from claims.errors import FactCheckFileError
from claims.formats.dates import DateProblem, read_date
from claims.formats.json_input import UnreadableJson, parse_json
from claims.models import KnownFactCheck

# Fact-check collections are larger than articles (100,000 rows of CSV are about 20 MB), not unbounded.
MAX_FACTCHECK_FILE_BYTES = 200 * 1024 * 1024
TABLE_SUFFIXES = (".csv", ".tsv", ".txt")
HTML_SUFFIXES = (".html", ".htm")
# Header names of a table's columns (casefolded, spaces and underscores dropped) -> the field they fill.
COLUMN_ALIASES = {
    "id": "id", "identifier": "id", "claimid": "id", "vclaimid": "id",
    "claim": "claim", "vclaim": "claim", "claimreviewed": "claim", "text": "claim",
    "title": "title", "name": "title", "headline": "title",
    "rating": "rating", "textualrating": "rating", "verdict": "rating", "alternatename": "rating",
    "url": "url", "link": "url", "reviewurl": "url",
    "publisher": "publisher", "author": "publisher", "site": "publisher",
    "date": "date", "datepublished": "date", "reviewdate": "date",
}  # fmt: skip
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?=$|[T ])")
_BOM = "\ufeff"


def read_factcheck_file(path: Path, source: str | None = None) -> list[KnownFactCheck]:
    """Every known fact-check in one file (the format told by its name, else by its content); messages name
    it as `source` (e.g. its path inside an imported folder), else by its name."""
    source = source if source is not None else path.name
    try:
        if path.is_dir():
            raise FactCheckFileError(source, "this is a folder, not a file of fact-checks")
        # Not blocking on a named pipe, a regular file only, read no further than the limit.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(descriptor, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                raise FactCheckFileError(source, "this is not a regular file (a device, pipe or socket)")
            data = file.read(MAX_FACTCHECK_FILE_BYTES + 1)
    except (OSError, ValueError) as error:
        problem = getattr(error, "strerror", None) or error
        raise FactCheckFileError(source, f"cannot read the file ({problem})") from None
    return read_factchecks(data, source)


def read_factchecks(data: bytes, source: str) -> list[KnownFactCheck]:
    """Every known fact-check in a file's bytes; `source`, its name, picks the format and names it."""
    if len(data) > MAX_FACTCHECK_FILE_BYTES:
        raise FactCheckFileError(
            source, f"the file is over the limit of {MAX_FACTCHECK_FILE_BYTES // 2**20} MB; split it"
        )
    try:
        text = data.decode("utf-8").removeprefix(_BOM)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FactCheckFileError(source, "not UTF-8 text", line) from None
    if not text.strip():
        raise FactCheckFileError(source, "the file is empty")
    suffix = Path(source).suffix.lower()
    start = text.lstrip()[:1]
    if suffix in HTML_SUFFIXES or (suffix not in TABLE_SUFFIXES and start == "<"):
        return _checks(_html_reviews(text, source), source)
    if suffix == ".json" or (suffix not in TABLE_SUFFIXES and start in "[{"):
        try:
            value = parse_json(text)
        except UnreadableJson as error:
            raise FactCheckFileError(source, error.problem, error.line) from None
        if isinstance(value, dict) and isinstance(value.get("claims"), list):
            return _checks(_google_reviews(value["claims"], source), source)
        return _checks(_json_ld_reviews(value, source, None), source)
    return _checks(_table_rows(text, source), source)


def read_factcheck_date(text: str) -> dt.date:
    """The date a fact-check gives: ISO ("2020-01-14", "2020-01-14T10:00:00Z", the date as written),
    RFC 2822 ("Tue, 14 Jan 2020 10:00:00 GMT"), or as articles write dates ("14 January 2020",
    "January 14, 2020", "20200114"); else DateProblem."""
    value = text.strip()
    if _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError as error:
            raise DateProblem(f"{value!r} is not a calendar date ({error})") from None
    try:
        return read_date(value)
    except DateProblem as problem:
        try:
            return email.utils.parsedate_to_datetime(value).date()
        except (TypeError, ValueError, IndexError):
            raise problem from None  # what read_date found wrong says the most


# A fact-check as read, before it is checked as a model: its fields, and where it was (line, label).
_Found = tuple[dict[str, Any], int | None, str]


def _checks(found: Iterator[_Found], source: str) -> list[KnownFactCheck]:
    name = Path(source).name
    checks = []
    for fields, line, label in found:
        try:
            checks.append(KnownFactCheck.model_validate({**fields, "source_file": name}))
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "record"
            raise FactCheckFileError(source, f"{label}: {field}: {first['msg']}", line) from None
    if not checks:
        raise FactCheckFileError(source, "it holds no fact-checks")
    return checks


def _date(value: object, source: str, line: int | None, label: str) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise FactCheckFileError(source, f"{label}: its date is not text ({value!r})", line)
    try:
        return read_factcheck_date(value)
    except DateProblem as error:
        raise FactCheckFileError(source, f"{label}: {error}", line) from None


def _text(value: object) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


# -- schema.org ClaimReview


def _json_ld_reviews(value: object, source: str, line: int | None) -> Iterator[_Found]:
    """The ClaimReview objects of a JSON-LD value: itself, the items of a list, or of its @graph."""
    reviews = [item for item in _json_ld_items(value) if _is_claim_review(item)]
    if not reviews:
        raise FactCheckFileError(source, "no schema.org ClaimReview in it (an object with \"@type\": "
                                 "\"ClaimReview\", a list of them, or a @graph)", line)  # fmt: skip
    for number, review in enumerate(reviews, start=1):
        yield _claim_review(review, source, line, f"ClaimReview {number}"), line, f"ClaimReview {number}"


def _json_ld_items(value: object) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        for item in value:
            yield from _json_ld_items(item)
    elif isinstance(value, dict):
        yield value
        if isinstance(value.get("@graph"), list):
            yield from _json_ld_items(value["@graph"])


def _is_claim_review(item: dict[str, Any]) -> bool:
    kind = item.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(each, str) and each.rsplit("/", 1)[-1] == "ClaimReview" for each in kinds)


def _claim_review(review: dict[str, Any], source: str, line: int | None, label: str) -> dict[str, Any]:
    claim = _text(review.get("claimReviewed"))
    if not claim:
        raise FactCheckFileError(source, f"{label} has no claimReviewed (the claim it checks)", line)
    url = _text(review.get("url"))
    identifier = _text(review.get("identifier")) or _text(review.get("@id")) or url
    if not identifier:
        raise FactCheckFileError(source, f"{label} has no identifier, @id or url to know it by", line)
    return {
        "id": identifier,
        "claim": claim,
        "title": _text(review.get("name")) or _text(review.get("headline")),
        "rating": _rating(review.get("reviewRating")),
        "url": url or None,
        "publisher": _organisation(review.get("author")) or _organisation(review.get("publisher")),
        "date": _date(review.get("datePublished"), source, line, label),
    }


def _rating(rating: object) -> str:
    if isinstance(rating, list):
        rating = rating[0] if rating else None
    if not isinstance(rating, dict):
        return _text(rating)
    if named := _text(rating.get("alternateName")) or _text(rating.get("name")):
        return named
    value, best = _text(rating.get("ratingValue")), _text(rating.get("bestRating"))
    return f"{value}/{best}" if value and best else value


def _organisation(author: object) -> str:
    if isinstance(author, list):
        return next((name for name in map(_organisation, author) if name), "")
    if isinstance(author, dict):
        return _text(author.get("name"))
    return _text(author)


class _LdJsonBlocks(HTMLParser):
    """The text of each <script type="application/ld+json"> of a page, with the line it starts on."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[int, str]] = []
        self._open: list[str] | None = None
        self._line = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = (dict(attrs).get("type") or "").split(";")[0].strip().lower()
        if tag == "script" and kind == "application/ld+json":
            self._open, self._line = [], self.getpos()[0]

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._open is not None:
            self.blocks.append((self._line, "".join(self._open)))
            self._open = None


def _html_reviews(text: str, source: str) -> Iterator[_Found]:
    """The ClaimReviews of every ld+json block of a page. A block that is not JSON refuses the page (with
    its line): it may be the very block that holds a fact-check, and a page read in part would be silently
    incomplete. Blocks of other types (a breadcrumb, an organisation) are passed over."""
    parser = _LdJsonBlocks()
    parser.feed(text)
    parser.close()
    if not parser.blocks:
        raise FactCheckFileError(source, 'no <script type="application/ld+json"> block in this page')
    found = 0
    for line, block in parser.blocks:
        try:
            value = parse_json(block)
        except UnreadableJson as error:
            problem = f"its ld+json block is not JSON ({error.problem})"
            raise FactCheckFileError(source, problem, line) from None
        for number, review in enumerate(filter(_is_claim_review, _json_ld_items(value)), start=found + 1):
            found = number
            label = f"ClaimReview {number}"
            yield _claim_review(review, source, line, label), line, label
    if not found:
        raise FactCheckFileError(source, "no schema.org ClaimReview in its ld+json blocks")


# -- Google Fact Check Tools API


def _google_reviews(claims: list[Any], source: str) -> Iterator[_Found]:
    """One fact-check per claimReview entry of each claim of a claims:search response."""
    found = 0
    for index, claim in enumerate(claims):
        label = f"claims[{index}]"
        if not isinstance(claim, dict):
            raise FactCheckFileError(source, f"{label} is not an object")
        text = _text(claim.get("text"))
        if not text:
            raise FactCheckFileError(source, f"{label} has no text (the claim checked)")
        reviews = claim.get("claimReview")
        if not isinstance(reviews, list) or not reviews:
            raise FactCheckFileError(source, f"{label} has no claimReview list")
        for number, review in enumerate(reviews):
            where = f"{label}.claimReview[{number}]"
            if not isinstance(review, dict):
                raise FactCheckFileError(source, f"{where} is not an object")
            url = _text(review.get("url"))
            if not url:
                raise FactCheckFileError(source, f"{where} has no url (its id)")
            publisher = review.get("publisher")
            found += 1
            yield (
                {
                    "id": url,
                    "claim": text,
                    "title": _text(review.get("title")),
                    "rating": _text(review.get("textualRating")),
                    "url": url,
                    "publisher": _organisation(publisher)
                    or (_text(publisher.get("site")) if isinstance(publisher, dict) else ""),
                    "date": _date(review.get("reviewDate") or claim.get("claimDate"), source, None, where),
                },
                None,
                where,
            )
    if not found:
        raise FactCheckFileError(source, "its claims list is empty")


# -- CSV and TSV


def _table_rows(text: str, source: str) -> Iterator[_Found]:
    """Rows of a table whose header names its columns (see COLUMN_ALIASES; an unnamed first column is the
    id, as in the CheckThat! verified claims file), the delimiter sniffed from its start."""
    sample = text[:65536]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel_tab if "\t" in sample.split("\n", 1)[0] else csv.excel
    rows = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(rows)
    except (StopIteration, csv.Error):
        raise FactCheckFileError(source, "no header row naming its columns", 1) from None
    columns: dict[str, int] = {}
    for position, name in enumerate(header):
        key = re.sub(r"[\s_-]", "", name.removeprefix(_BOM)).casefold()
        field = COLUMN_ALIASES.get(key) or ("id" if not key and position == 0 else None)
        if field and field not in columns:
            columns[field] = position
    for needed in ("id", "claim"):
        if needed not in columns:
            named = ", ".join(repr(name) for name in header)
            raise FactCheckFileError(
                source,
                f"no {needed!r} column (its header names {named}); expected columns id, claim, title and "
                "optionally rating, url, publisher, date",
                1,
            )
    line = rows.line_num + 1
    try:
        for row in rows:
            if any(cell.strip() for cell in row):
                yield _table_row(row, columns, source, line), line, "this row"
            line = rows.line_num + 1
    except csv.Error as error:
        raise FactCheckFileError(source, f"not a readable table ({error})", line) from None


def _table_row(row: list[str], columns: dict[str, int], source: str, line: int) -> dict[str, Any]:
    cells = {field: row[at].strip() if at < len(row) else "" for field, at in columns.items()}
    for needed in ("id", "claim"):
        if not cells[needed]:
            raise FactCheckFileError(source, f"this row has no {needed}", line)
    return {
        **{field: value for field, value in cells.items() if field not in ("date", "url")},
        "url": cells.get("url") or None,
        "date": _date(cells.get("date"), source, line, "this row"),
    }
