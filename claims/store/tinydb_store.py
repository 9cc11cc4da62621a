"""The TinyDB backend: a small index file plus one file per article, every write atomic and locked."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import filelock
from tinydb import TinyDB, where

from claims.errors import InvalidClaim, NotFound, StoreError
from claims.models import Article, ArticleSummary, Claim, MergeReport, SuggestionDecision
from claims.store.article_files import (
    ARTICLE_TABLE,
    CLAIMS_TABLE,
    DECISIONS_TABLE,
    ArticleFile,
    article_filename,
    checked_file,
    claims_in_file,
    decisions_in,
    stored_article,
    stored_documents,
    valid_summaries,
)
from claims.store.atomic_files import (
    leftover_temps,
    locked_db,
    read_raw,
    remove_durably,
    remove_leftover_temps,
    unreadable,
)
from claims.store.contract import (
    ClaimEdit,
    DuplicateClaim,
    count_merge,
    merge_action,
)

STORE_FORMAT = "claim-annotator/tinydb"
STORE_VERSION = 1
DEFAULT_LOCATION = Path("data") / "claims.json"
# Long enough for any single operation (a full export read included), short enough to surface a hung writer.
LOCK_TIMEOUT_SECONDS = 60.0

# Tables of the index file.
_META = "meta"
_ARTICLES = "articles"


class TinyDBRepository:
    """The embedded store: safe to share between threads and between processes.

    For `data/claims.json`: that file is the index of article summaries; each article and its claims
    live in `data/claims.json.d/<article id>.json`; `data/claims.json.lock` serialises every operation.
    A claim save reads and rewrites only its article's file. Article files are the truth: the index is
    a listing repaired from them (orphans adopted, dangling entries dropped) at open and whenever a
    listing finds it out of step, so a crash between the two writes of an add or delete loses nothing.
    """

    def __init__(self, index: Path) -> None:
        self.index = index.absolute()
        self.location = str(self.index)
        self.folder = self.index.with_name(self.index.name + ".d")
        self._revision_file = self.index.with_name(self.index.name + ".rev")
        if self.index.is_dir():
            example = self.index / "claims.json"
            raise StoreError(f"{self.index} is a folder; give a file name such as {example}")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create {self.folder} ({error.strerror or error})") from None
        self._thread_lock = threading.Lock()
        self._file_lock = self._new_file_lock()
        with self._locked():
            remove_leftover_temps(self.index.parent, self.index.name)
            remove_leftover_temps(self.folder)
            self._prepare_index()
            self._listing()

    # -- articles

    def add_article(self, article: Article) -> bool:
        with self._writing():
            path = self._article_path(article.id)
            if path.exists():
                return False
            # The article file first: it is the truth, and a crash before the index write is repaired on open.
            with locked_db(path) as db:
                db.table(ARTICLE_TABLE).insert(article.model_dump(mode="json"))
            with locked_db(self.index) as index:
                index.table(_ARTICLES).insert(article.summary().model_dump(mode="json"))
            return True

    def get_article(self, article_id: str) -> Article:
        with self._locked(), self._article_file(article_id) as file:
            return file.article

    def list_articles(self) -> list[ArticleSummary]:
        with self._locked():
            return self._listing()

    def delete_article(self, article_id: str) -> int:
        with self._writing():
            with self._article_file(article_id) as file:
                removed = len(file.claims)
            # Removing the file is the commit point; a crash before the index write leaves a dangling
            # entry, which the next listing drops.
            remove_durably(file.path)
            with locked_db(self.index) as index:
                index.table(_ARTICLES).remove(where("id") == article_id)
            return removed

    # -- claims

    def add_claim(self, claim: Claim) -> None:
        with self._writing(), self._article_file(claim.article_id) as file:
            if claim.id in file.claims:
                raise DuplicateClaim(claim.id)
            file.db.table(CLAIMS_TABLE).insert(claim.model_dump(mode="json"))

    def get_claim(self, article_id: str, claim_id: str) -> Claim:
        with self._locked(), self._article_file(article_id) as file:
            return _claim_in(file, claim_id)

    def update_claim(self, article_id: str, claim_id: str, edit: ClaimEdit) -> Claim:
        with self._writing(), self._article_file(article_id) as file:
            updated = edit(_claim_in(file, claim_id))
            replacement = _replace_with(updated.model_dump(mode="json"))
            file.db.table(CLAIMS_TABLE).update(replacement, where("id") == claim_id)
            return updated

    def delete_claim(self, article_id: str, claim_id: str) -> Claim:
        with self._writing(), self._article_file(article_id) as file:
            claim = _claim_in(file, claim_id)
            file.db.table(CLAIMS_TABLE).remove(where("id") == claim_id)
            return claim

    def list_claims(self, article_id: str | None = None) -> list[Claim]:
        with self._locked():
            if article_id is not None:
                with self._article_file(article_id) as file:
                    return list(file.claims.values())
            claims: list[Claim] = []
            for summary in self._listing():
                path = self._article_path(summary.id)
                claims += claims_in_file(path, read_raw(path) or b"")
            return claims

    def documents(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        with self._locked():
            articles: list[dict[str, Any]] = []
            claims: list[dict[str, Any]] = []
            for summary in self._listing():
                path = self._article_path(summary.id)
                article, own = stored_documents(path, read_raw(path) or b"")
                articles.append(article)
                claims += own
            return articles, claims

    def merge(self, articles: Iterable[Article], claims: Iterable[Claim]) -> MergeReport:
        report = MergeReport()
        with self._writing():
            new: dict[str, Article] = {}
            for article in articles:
                if article.id in new or self._article_path(article.id).exists():
                    report.articles.skipped += 1
                else:
                    new[article.id] = article
                    report.articles.added += 1
            by_article: dict[str, list[Claim]] = {}
            for claim in claims:
                # Checked before anything is written, so a claim without its article changes nothing.
                if claim.article_id not in new and not self._article_path(claim.article_id).exists():
                    raise NotFound("article", claim.article_id)
                by_article.setdefault(claim.article_id, []).append(claim)
            # One write per article file, then one index write: a crash part-way leaves article files
            # that the next open adopts, so whatever was written is consistent.
            for article_id, incoming in by_article.items():
                if article_id not in new:
                    with self._article_file(article_id) as file:
                        _merge_claims(file.db, file.claims, incoming, report)
            for article_id, article in new.items():
                with locked_db(self._article_path(article_id)) as db:
                    db.table(ARTICLE_TABLE).insert(article.model_dump(mode="json"))
                    _merge_claims(db, {}, by_article.get(article_id, []), report)
            if new:
                summaries = [article.summary().model_dump(mode="json") for article in new.values()]
                with locked_db(self.index) as index:
                    index.table(_ARTICLES).insert_multiple(summaries)
        return report

    # -- suggestion decisions

    def record_decisions(self, article_id: str, decisions: Iterable[SuggestionDecision]) -> None:
        documents = []
        for decision in decisions:
            if decision.article_id != article_id:
                raise InvalidClaim("article_id", decision.article_id, f"recorded under article {article_id}")
            documents.append(decision.model_dump(mode="json"))
        with self._writing(), self._article_file(article_id) as file:
            file.db.table(DECISIONS_TABLE).insert_multiple(documents)

    def list_decisions(self, article_id: str | None = None) -> list[SuggestionDecision]:
        with self._locked():
            ids = [article_id] if article_id is not None else [summary.id for summary in self._listing()]
            decisions: list[SuggestionDecision] = []
            for each in ids:
                with self._article_file(each) as file:
                    decisions += decisions_in(file.db, file.path, each)
            return decisions

    # -- changes

    def revision(self) -> str:
        with self._locked():
            try:
                return self._revision_file.read_text(encoding="utf-8")
            except OSError:
                return ""

    def storage_problems(self) -> list[str]:
        with self._locked():
            leftovers = leftover_temps(self.index.parent, self.index.name) + leftover_temps(self.folder)
        return [f"{path}: a temporary file left by an interrupted write" for path in leftovers]

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """The lock, and a new revision when the block has written. A refused write keeps the revision:
        checks come before writes, and each file is replaced whole. (A merge failing on disk between two
        article files is the one case that changes data without a new revision; the next write mends it.)"""
        with self._locked():
            yield
            self._touch()

    def _touch(self) -> None:
        # A fresh random token rather than a counter: nothing to read first, and a torn write still
        # reads as a value no earlier revision had. Not fsynced: it only tells caches to read again.
        try:
            self._revision_file.write_text(uuid.uuid4().hex, encoding="utf-8")
        except OSError as error:
            raise StoreError(f"{self._revision_file}: cannot write ({error.strerror or error})") from None

    # -- inside the lock

    def _prepare_index(self) -> None:
        with locked_db(self.index) as index:
            meta = index.table(_META).all()
            if not meta:
                if index.tables() - {_ARTICLES}:
                    raise unreadable(self.index, "not a claims store (it holds other TinyDB tables)")
                index.table(_META).insert({"format": STORE_FORMAT, "version": STORE_VERSION})
                return
            found_format, version = meta[0].get("format"), meta[0].get("version")
            if found_format != STORE_FORMAT:
                raise unreadable(self.index, f"not a claims store (its format is {found_format!r})")
            if not isinstance(version, int) or version > STORE_VERSION:
                raise StoreError(
                    f"{self.index}: written by a newer version of the claim annotator "
                    f"(store version {version!r}); upgrade it to open this store"
                )

    def _listing(self) -> list[ArticleSummary]:
        """The index's summaries in insertion order, first repaired to match the article files."""
        with locked_db(self.index) as index:
            table = index.table(_ARTICLES)
            summaries = valid_summaries(table.all(), self.index)
            listed = {article_filename(summary.id): summary for summary in summaries}
            try:
                files = {
                    entry.name
                    for entry in os.scandir(self.folder)
                    if entry.name.endswith(".json") and not entry.name.startswith(".")
                }
            except OSError as error:
                problem = error.strerror or error
                raise StoreError(f"{self.folder}: cannot list the article files ({problem})") from None
            dangling = [summary.id for name, summary in listed.items() if name not in files]
            orphans = [self._orphan_summary(self.folder / name) for name in files - listed.keys()]
            if dangling or orphans:
                self._touch()
            if dangling:
                table.remove(where("id").one_of(dangling))
            if orphans:
                orphans.sort(key=lambda summary: (summary.imported_at, summary.id))
                table.insert_multiple(summary.model_dump(mode="json") for summary in orphans)
            gone = set(dangling)
            return [summary for summary in summaries if summary.id not in gone] + orphans

    def _orphan_summary(self, path: Path) -> ArticleSummary:
        with locked_db(path) as db:
            return stored_article(db, path).summary()

    @contextmanager
    def _article_file(self, article_id: str) -> Iterator[ArticleFile]:
        path = self._article_path(article_id)
        if not path.exists():
            raise NotFound("article", article_id)
        with locked_db(path) as db:
            yield checked_file(db, path)

    def _article_path(self, article_id: str) -> Path:
        return self.folder / article_filename(article_id)

    def _new_file_lock(self) -> filelock.FileLock:
        # thread_local=True (the default) gives each thread its own lock descriptor, so threads sharing this
        # instance exclude each other; with thread_local=False the lock is re-entrant across threads and
        # lets them all in (measured). The threading lock in _locked() keeps that detail from mattering.
        self._lock_pid = os.getpid()
        lock_file = self.index.with_name(self.index.name + ".lock")
        return filelock.FileLock(lock_file, timeout=LOCK_TIMEOUT_SECONDS)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._thread_lock:
            if self._lock_pid != os.getpid():  # a forked child must not reuse its parent's lock descriptor
                self._file_lock = self._new_file_lock()
            try:
                self._file_lock.acquire()
            except filelock.Timeout:
                raise StoreError(
                    f"{self.location}: another program has held the store's lock for "
                    f"{LOCK_TIMEOUT_SECONDS:.0f} s; try again, or stop the program that is stuck"
                ) from None
            except OSError as error:
                problem = error.strerror or error
                raise StoreError(f"{self._file_lock.lock_file}: cannot take the lock ({problem})") from None
            try:
                yield
            finally:
                self._file_lock.release()


def _claim_in(file: ArticleFile, claim_id: str) -> Claim:
    try:
        return file.claims[claim_id]
    except KeyError:
        raise NotFound("claim", claim_id) from None


def _merge_claims(db: TinyDB, stored: dict[str, Claim], incoming: list[Claim], report: MergeReport) -> None:
    """Apply each claim's merge decision; a claim repeated in `incoming` meets the copy merged before it."""
    table = db.table(CLAIMS_TABLE)
    for claim in incoming:
        action = merge_action(stored.get(claim.id), claim)
        if action == "add":
            table.insert(claim.model_dump(mode="json"))
        elif action == "update":
            table.update(_replace_with(claim.model_dump(mode="json")), where("id") == claim.id)
        if action != "skip":
            stored[claim.id] = claim
        count_merge(report, action)


def _replace_with(document: dict[str, Any]) -> Callable[[MutableMapping[str, Any]], None]:
    # TinyDB's update() merges fields; replacing the whole document drops any field a model no longer has.
    def replace(stored: MutableMapping[str, Any]) -> None:
        stored.clear()
        stored.update(document)

    return replace
