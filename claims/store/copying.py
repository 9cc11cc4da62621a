"""Copying a whole store into an empty one of any backend, and proving the copy equal: the same number of
records of each kind and the same checksum over every record, read back from the copy.

Only the repository contract is used (`documents()` of the source, one `merge` into the destination), so a
copy works between any two backends: TinyDB files, PostgreSQL, memory.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter

from claims.errors import ClaimsError
from claims.models import Article, Claim, Deletion, KnownFactCheck, MergeReport, SuggestionDecision
from claims.store import MEMORY
from claims.store.article_files import collector_paused
from claims.store.contract import Repository, StoreDocuments

KINDS = ("articles", "claims", "decisions", "deletions", "factchecks")
# Records turned into models at a time: the store's records are let go as their models are made, so a
# copy holds about one form of the store at once, not both.
_BATCH = 2000

ModelT = TypeVar("ModelT", bound=BaseModel)


class StoreNotEmpty(ClaimsError):
    """The destination of a copy already holds records: a copy never mixes two stores."""


class CopyNotEqual(ClaimsError):
    """The records read back from a copy are not those of the source."""

    def __init__(self, report: CopyReport) -> None:
        super().__init__(
            f"the copy in {report.destination} is not equal to {report.source} "
            f"({'; '.join(report.differences)}); do not use it: remove it and copy again"
        )
        self.report = report


class KindFingerprint(BaseModel):
    """How many records of one kind a store holds, and the SHA-256 of all of them in canonical form."""

    count: int
    sha256: str


class StoreFingerprint(BaseModel):
    """A whole store's records, kind by kind, as counts and checksums (see `fingerprint`)."""

    articles: KindFingerprint
    claims: KindFingerprint
    decisions: KindFingerprint
    deletions: KindFingerprint
    # Known fact-checks came later: a fingerprint recorded before them has none.
    factchecks: KindFingerprint = KindFingerprint(count=0, sha256=hashlib.sha256().hexdigest())

    def differences(self, other: StoreFingerprint) -> list[str]:
        """One phrase for each kind whose count or checksum differs, e.g. "claims: 100000 against 99999"."""
        found = []
        for kind in KINDS:
            mine, theirs = getattr(self, kind), getattr(other, kind)
            if mine.count != theirs.count:
                found.append(f"{kind}: {mine.count} in the source, {theirs.count} in the copy")
            elif mine.sha256 != theirs.sha256:
                found.append(f"{kind}: the same number ({mine.count}) but different contents")
        return found


class CopyReport(BaseModel):
    """A copy made and read back: both stores, their fingerprints, whether they are equal, and how long
    reading the source, writing the copy and reading it back took."""

    source: str
    destination: str
    source_fingerprint: StoreFingerprint
    copy_fingerprint: StoreFingerprint
    equal: bool
    differences: list[str]
    merge: MergeReport
    seconds: dict[str, float]


_ARTICLES = TypeAdapter(list[Article])
_CLAIMS = TypeAdapter(list[Claim])
_DECISIONS = TypeAdapter(list[SuggestionDecision])
_DELETIONS = TypeAdapter(list[Deletion])
_FACTCHECKS = TypeAdapter(list[KnownFactCheck])


class _StoreModels:
    """A store's records as checked models, in the order the store listed them."""

    def __init__(self, snapshot: StoreDocuments) -> None:
        with collector_paused():  # many acyclic models at once: the collector's passes would find nothing
            self.articles = _models(snapshot.articles, _ARTICLES.validate_python)
            self.claims = _models(snapshot.claims, _CLAIMS.validate_python)
            self.decisions = _models(snapshot.decisions, _DECISIONS.validate_python)
            self.deletions = _models(snapshot.deletions, _DELETIONS.validate_python)
            self.factchecks = _models(snapshot.factchecks, _FACTCHECKS.validate_python)

    def fingerprint(self) -> StoreFingerprint:
        """Counts and checksums of every record (see `fingerprint`)."""
        with collector_paused():
            return StoreFingerprint(
                articles=_kind([(_ID[0](a), _digest(a)) for a in self.articles]),
                claims=_kind([(_ID[1](c), _digest(c)) for c in self.claims]),
                decisions=_kind([(_ID[2](d), _digest(d)) for d in self.decisions]),
                deletions=_kind([(_ID[3](d), _digest(d)) for d in self.deletions]),
                factchecks=_kind([(_ID[4](f), _digest(f)) for f in self.factchecks]),
            )


def _models(
    records: list[dict[str, Any]], validate: Callable[[list[dict[str, Any]]], list[ModelT]]
) -> list[ModelT]:
    """The records as models, each batch of records let go once its models exist (the list is emptied)."""
    made: list[ModelT] = []
    while records:
        batch = records[-_BATCH:]
        del records[-_BATCH:]
        made += reversed(validate(batch))
    made.reverse()
    return made


def _each_model(
    records: list[dict[str, Any]], validate: Callable[[list[dict[str, Any]]], list[ModelT]]
) -> Iterator[ModelT]:
    """The records as models, in no particular order, a batch at a time, each batch of records (and of
    models) let go before the next (the list is emptied)."""
    while records:
        batch = records[-_BATCH:]
        del records[-_BATCH:]
        yield from validate(batch)


# How records of each kind are ordered for their checksum: articles by id, claims by id (and article);
# decisions and deletions, which share ids, by their own checksum.
_ID: tuple[Callable[[Any], Any], ...] = (
    lambda article: article.id,
    lambda claim: (claim.id, claim.article_id),
    lambda decision: "",
    lambda deletion: "",
    lambda factcheck: factcheck.id,
)


def _digest(model: BaseModel) -> bytes:
    """The SHA-256 of a record in its model's JSON: fields in the model's order, defaults filled in, times
    in UTC as pydantic writes them. The same for two backends that store a record differently (key order, a
    field an older version did not write) yet give the app the same record."""
    return hashlib.sha256(model.__pydantic_serializer__.to_json(model)).digest()


def _kind(entries: list[tuple[Any, bytes]]) -> KindFingerprint:
    """The count, and the SHA-256 of the records' own SHA-256s in their order (see _ID)."""
    entries.sort()
    digest = hashlib.sha256()
    for _, each in entries:
        digest.update(each)
    return KindFingerprint(count=len(entries), sha256=digest.hexdigest())


def fingerprint(repo: Repository) -> StoreFingerprint:
    """Counts and checksums of every record of a store (one consistent read of it), each kind's checksum
    the SHA-256 over the SHA-256 of each record's JSON (see `_digest`), in id order.

    Each batch of records is checked as models, digested and let go: only the digests are kept."""
    adapters: tuple[TypeAdapter[Any], ...] = (_ARTICLES, _CLAIMS, _DECISIONS, _DELETIONS, _FACTCHECKS)
    with collector_paused():
        snapshot = repo.documents()
        kinds = (
            snapshot.articles,
            snapshot.claims,
            snapshot.decisions,
            snapshot.deletions,
            snapshot.factchecks,
        )
        found = [
            _kind([(order(model), _digest(model)) for model in _each_model(records, adapter.validate_python)])
            for records, adapter, order in zip(kinds, adapters, _ID, strict=True)
        ]
    return StoreFingerprint(**dict(zip(KINDS, found, strict=True)))


def copy_store(source: Repository, destination: Repository) -> CopyReport:
    """Copy every article, claim, suggestion decision, deletion record and known fact-check of `source`
    into `destination`,
    which must hold none (StoreNotEmpty otherwise, and nothing is written), in one merge (all or nothing),
    then read the copy back and compare it with what was read from the source.

    The report says whether they are equal and how they differ; the caller decides what a difference means
    (`claims migrate` exits non-zero).
    """
    if source is destination or (source.location == destination.location != MEMORY):
        raise ClaimsError(
            f"{source.location} is both the source and the destination; give another destination"
        )
    _refuse_unless_empty(destination)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    with collector_paused():  # the whole-store read builds many acyclic records too
        records = _StoreModels(source.documents())
    original = records.fingerprint()
    seconds["read_source"] = time.perf_counter() - started

    started = time.perf_counter()
    _refuse_unless_empty(destination)  # again: another program may have written to it meanwhile
    with collector_paused():
        merged = destination.merge(records.articles, records.claims, records.decisions, records.deletions)
        # Their own write after the merge (the contract's merge takes none), checked by the read-back.
        merged.factchecks = destination.add_factchecks(records.factchecks)
    del records
    seconds["write_copy"] = time.perf_counter() - started

    started = time.perf_counter()
    copied = fingerprint(destination)
    seconds["read_copy_back"] = time.perf_counter() - started
    differences = original.differences(copied)
    return CopyReport(
        source=source.location,
        destination=destination.location,
        source_fingerprint=original,
        copy_fingerprint=copied,
        equal=not differences,
        differences=differences,
        merge=merged,
        seconds={step: round(value, 3) for step, value in seconds.items()},
    )


def _refuse_unless_empty(destination: Repository) -> None:
    articles, deletions = len(destination.list_articles()), len(destination.list_deletions())
    factchecks = len(destination.list_factchecks())
    if articles or deletions or factchecks:
        raise StoreNotEmpty(
            f"{destination.location} is not empty ({articles} articles, {deletions} deletion records, "
            f"{factchecks} known fact-checks); "
            "a copy goes only into an empty store: give a new destination"
        )
