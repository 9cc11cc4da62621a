"""The files of one article in the TinyDB store, and checking what they hold before it is used.

    <id>.article/article.json          the article, text and sentences
    <id>.article/decisions.json        what editors did with its suggestions (a list, in the order made)
    <id>.article/<id>.claim.json       one file per claim: {"order": n, "claim": {...}}

(`<id>` is `names.safe_name` of the id; claim files share the folder, one level less to create per
article, and their suffix keeps them apart from the article's own two files.) A claim save writes one
small file, so it costs the same whatever the number of claims beside it; `order` keeps the order claims
were added in.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final, NamedTuple

import pydantic_core
from pydantic import TypeAdapter, ValidationError
from typing_extensions import TypedDict

from claims.errors import NotFound, StoreError
from claims.models import Article, ArticleSummary, Claim, Deletion, SuggestionDecision
from claims.store.atomic_files import encode, unreadable
from claims.store.names import safe_name

ARTICLE_SUFFIX: Final = ".article"
ARTICLE_FILE: Final = "article.json"
DECISIONS_FILE: Final = "decisions.json"
CLAIM_SUFFIX: Final = ".claim.json"
_READ_SIZE: Final = 1 << 16


class _StoredClaim(TypedDict):
    order: int
    claim: Claim


class StoredClaim(NamedTuple):
    order: int
    claim: Claim


_CLAIM_KEYS = frozenset(Claim.model_fields)
_ARTICLE_KEYS = frozenset(Article.model_fields)
_STORED_CLAIM = TypeAdapter(_StoredClaim)
# Validating the raw bytes of many files at once in pydantic-core (joined into one JSON list) costs about
# what one big file did: no intermediate dicts, and one call instead of one per file.
_STORED_CLAIMS = TypeAdapter(list[_StoredClaim])
_DECISION_LIST = TypeAdapter(list[SuggestionDecision])
_DELETION = TypeAdapter(Deletion)
_SUMMARY_LIST = TypeAdapter(list[ArticleSummary])


def folder_name(article_id: str) -> str:
    return safe_name(article_id) + ARTICLE_SUFFIX


def claim_filename(claim_id: str) -> str:
    return safe_name(claim_id) + CLAIM_SUFFIX


def encode_article(article: Article, path: Path) -> bytes:
    return encode(article.model_dump(mode="json"), path)


def encode_claim(claim: Claim, order: int, path: Path) -> bytes:
    return encode({"order": order, "claim": claim.model_dump(mode="json")}, path)


def encode_decisions(decisions: Sequence[SuggestionDecision], path: Path) -> bytes:
    return encode(_DECISION_LIST.dump_python(list(decisions), mode="json"), path)


def encode_deletion(deletion: Deletion, path: Path) -> bytes:
    return encode(deletion.model_dump(mode="json"), path)


def read_bytes(path: str | Path) -> bytes | None:
    """A file's bytes, None if it does not exist; any other failure is a StoreError naming it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StoreError(f"{path}: cannot be read ({error.strerror or error})") from None
    try:
        # One read for the small files of a store (a short read of a regular file means its end): a
        # whole-store listing reads 100,000 of them.
        data = os.read(fd, _READ_SIZE)
        if len(data) < _READ_SIZE:
            return data
        chunks = [data]
        while chunk := os.read(fd, _READ_SIZE):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as error:
        raise StoreError(f"{path}: cannot be read ({error.strerror or error})") from None
    finally:
        os.close(fd)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while many plain (acyclic) records are built at once: its full
    passes find nothing to free there, yet took two thirds of listing 100,000 claims (measured)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_article(folder: Path, article_id: str) -> Article:
    """The article of a folder, checked; NotFound if there is none."""
    path = folder / ARTICLE_FILE
    raw = read_bytes(path)
    if raw is None:
        raise NotFound("article", article_id)
    try:
        article = Article.model_validate_json(raw)
    except ValidationError as error:
        raise unreadable(path, _invalid("the article", error)) from None
    if folder_name(article.id) != folder.name:
        raise unreadable(path, f"it holds article {article.id!r}, which belongs in another folder")
    return article


def article_record(folder: Path) -> dict[str, Any]:
    """The article document as stored, its shape checked (for whole-store exports)."""
    path = folder / ARTICLE_FILE
    record = _json_of(path, read_bytes(path))
    if (
        not isinstance(record, dict)
        or not _ARTICLE_KEYS <= record.keys()
        or not isinstance(record["id"], str)
    ):
        raise unreadable(path, "the article document lacks fields every article has")
    if folder_name(record["id"]) != folder.name:
        raise unreadable(path, f"it holds article {record['id']!r}, which belongs in another folder")
    return record


def read_claim(path: Path, article_id: str) -> StoredClaim | None:
    """One claim file, checked; None if it does not exist."""
    raw = read_bytes(path)
    if raw is None:
        return None
    return read_claim_bytes(path, raw, article_id)


def claim_files(folder: Path) -> list[tuple[str, str]]:
    """The (name, path) of each claim file of an article folder (temporary and hidden files left out)."""
    try:
        return [
            (entry.name, entry.path)
            for entry in os.scandir(folder)
            if entry.name.endswith(CLAIM_SUFFIX) and not entry.name.startswith(".")
        ]
    except OSError as error:
        raise StoreError(f"{folder}: cannot be listed ({error.strerror or error})") from None


def read_claims(folders: Iterable[tuple[str, Path]]) -> list[Claim]:
    """Every claim of the given (article id, folder) pairs: checked, each article's in the order added."""
    return [stored.claim for stored in read_stored_claims(folders)]


def read_stored_claims(folders: Iterable[tuple[str, Path]]) -> list[StoredClaim]:
    """As `read_claims`, each claim with its order number."""
    files: list[tuple[str, str, str]] = []  # (article id, file name, path)
    for article_id, folder in folders:
        files += ((article_id, name, path) for name, path in claim_files(folder))
    with collector_paused():
        found = _validated(files)
    rank: dict[str, int] = {}
    for article_id, _, _ in files:
        rank.setdefault(article_id, len(rank))
    found.sort(key=lambda each: (rank[files[each[0]][0]], each[1].order))
    return [stored for _, stored in found]


def read_claim_files(files: Sequence[tuple[str, str]]) -> list[StoredClaim | None]:
    """The claims of the given (article id, claim file path) pairs, checked, in the order given; None for a
    file that does not exist."""
    named = [(article_id, os.path.basename(path), path) for article_id, path in files]
    with collector_paused():
        found = dict(_validated(named))
    return [found.get(position) for position in range(len(named))]


def _validated(files: Sequence[tuple[str, str, str]]) -> list[tuple[int, StoredClaim]]:
    """The present files of (article id, file name, path), checked in one pydantic-core call, each as its
    position in `files` and its stored claim."""
    present: list[tuple[int, str, str, str]] = []
    raws: list[bytes] = []
    for position, (article_id, name, path) in enumerate(files):
        raw = read_bytes(path)
        if raw is not None:  # removed since the listing: cannot happen under the lock
            present.append((position, article_id, name, path))
            raws.append(raw)
    try:
        stored = _STORED_CLAIMS.validate_json(b"[" + b",".join(raws) + b"]")
    except ValidationError as error:
        first = error.errors()[0]
        index = first["loc"][0] if first["loc"] else None
        # Name the file: the one the error points at, else (a file that is not JSON at all) the first bad one.
        suspects = [index] if isinstance(index, int) else range(len(present))
        for suspect in suspects:
            read_claim_bytes(Path(present[suspect][3]), raws[suspect], present[suspect][1])
        raise StoreError(f"claim files cannot be read: {problem_of(error)}") from None
    found: list[tuple[int, StoredClaim]] = []
    for (position, article_id, name, path), each in zip(present, stored, strict=True):
        claim = each["claim"]
        if claim.article_id != article_id or claim_filename(claim.id) != name:
            _check_claim(claim, article_id, Path(path))
        found.append((position, StoredClaim(each["order"], claim)))
    return found


def read_claim_bytes(path: Path, raw: bytes, article_id: str) -> StoredClaim:
    try:
        stored = _STORED_CLAIM.validate_json(raw)
    except ValidationError as error:
        raise unreadable(path, _invalid("the claim", error)) from None
    _check_claim(stored["claim"], article_id, path)
    return StoredClaim(stored["order"], stored["claim"])


def claim_records(article_id: str, folder: Path) -> list[dict[str, Any]]:
    """An article's claims as the JSON documents stored, in the order added, their shape checked.

    The store writes these from checked models and checks each claim file whenever it edits it; building
    models again here would triple the cost of a whole-store export.
    """
    present = [
        (name, path, raw) for name, path in claim_files(folder) if (raw := read_bytes(path)) is not None
    ]
    try:
        documents = pydantic_core.from_json(b"[" + b",".join(raw for _, _, raw in present) + b"]")
    except ValueError:
        for _, path, raw in present:
            _json_of(Path(path), raw)
        raise
    records: list[tuple[int, dict[str, Any]]] = []
    for (name, path, _), document in zip(present, documents, strict=True):
        claim = document.get("claim") if isinstance(document, dict) else None
        order = document.get("order") if isinstance(document, dict) else None
        if not isinstance(claim, dict) or not isinstance(order, int) or not _CLAIM_KEYS <= claim.keys():
            raise unreadable(Path(path), "the claim document lacks fields every claim has")
        if claim["article_id"] != article_id:
            raise unreadable(Path(path), f"claim {claim['id']!r} belongs to article {claim['article_id']!r}")
        if not isinstance(claim["id"], str) or claim_filename(claim["id"]) != name:
            raise unreadable(Path(path), f"it holds claim {claim['id']!r}, which belongs in another file")
        records.append((order, claim))
    records.sort(key=lambda each: each[0])
    return [claim for _, claim in records]


def read_decisions(folder: Path, article_id: str) -> list[SuggestionDecision]:
    path = folder / DECISIONS_FILE
    raw = read_bytes(path)
    if raw is None:
        return []
    try:
        decisions = _DECISION_LIST.validate_json(raw)
    except ValidationError as error:
        raise unreadable(path, f"a suggestion decision is invalid: {problem_of(error, skip=1)}") from None
    for decision in decisions:
        if decision.article_id != article_id:
            raise unreadable(path, f"a suggestion decision belongs to article {decision.article_id!r}")
    return decisions


def read_deletion(path: Path) -> Deletion:
    raw = read_bytes(path)
    try:
        return _DELETION.validate_json(raw or b"")
    except ValidationError as error:
        raise unreadable(path, f"the deletion record is invalid: {problem_of(error)}") from None


def valid_summaries(docs: list[Any], path: Path) -> list[ArticleSummary]:
    try:
        return _SUMMARY_LIST.validate_python(docs)
    except ValidationError as error:
        raise unreadable(path, f"an article entry is invalid: {problem_of(error)}") from None


def problem_of(error: ValidationError, skip: int = 0) -> str:
    """The first complaint of a pydantic error, as "field: message"."""
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"][skip:])
    return f"{field}: {first['msg']}" if field else first["msg"]


def _invalid(what: str, error: ValidationError) -> str:
    first = error.errors()[0]
    if first["type"] == "json_invalid":
        return f"not valid JSON ({first['msg'].removeprefix('Invalid JSON: ')})"
    return f"{what} is invalid: {problem_of(error)}"


def _json_of(path: Path, raw: bytes | None) -> Any:
    if raw is None:
        raise unreadable(path, "the file is missing")
    try:
        return pydantic_core.from_json(raw)
    except ValueError as error:
        raise unreadable(path, f"not valid JSON ({error})") from None


def _check_claim(claim: Claim, article_id: str, path: Path) -> None:
    if claim.article_id != article_id:
        raise unreadable(path, f"claim {claim.id!r} belongs to article {claim.article_id!r}")
    if claim_filename(claim.id) != path.name:
        raise unreadable(path, f"it holds claim {claim.id!r}, which belongs in another file")
