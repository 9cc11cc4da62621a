"""The TinyDB backend: a small index of articles, a folder per article and a file per claim; every write
atomic and locked, every change of several files switched in by a journal."""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import filelock
from tinydb import where

from claims.errors import DuplicateClaim, InvalidClaim, NotFound, StoreError
from claims.models import (
    Article,
    ArticlePage,
    ArticleQuery,
    ArticleSummary,
    ChangeOutcome,
    Claim,
    ClaimFilter,
    ClaimGroup,
    ClaimPage,
    ClaimQuery,
    ClaimSort,
    Deletion,
    DeletionKind,
    FactCheckCounts,
    FactCheckGroup,
    FactCheckPage,
    FactCheckQuery,
    KnownFactCheck,
    MergeReport,
    SuggestionDecision,
    utc_now,
)
from claims.store.article_files import (
    ARTICLE_FILE,
    ARTICLE_SUFFIX,
    DECISIONS_FILE,
    StoredClaim,
    article_record,
    claim_filename,
    claim_files,
    claim_records,
    encode_article,
    encode_claim,
    encode_decisions,
    encode_deletion,
    folder_name,
    read_article,
    read_claim,
    read_claim_files,
    read_claims,
    read_decisions,
    read_deletion,
    valid_summaries,
)
from claims.store.atomic_files import (
    atomic_db,
    fsync_folder,
    leftover_temps,
    remove_leftover_temps,
    unreadable,
    write_atomically,
)
from claims.store.claim_index import ClaimIndex, ClaimSummary
from claims.store.contract import (
    ClaimEdit,
    StoreDocuments,
    check_merge,
    claim_winners,
    combined,
    count_claims,
    edit_each,
    factcheck_changes,
    new_records,
)
from claims.store.factcheck_file import FactCheckFile
from claims.store.journal import STAGING, Staging, commit, remove_abandoned, roll_forward, trash_path
from claims.store.migration import migrate_article_file, version_1_files
from claims.store.queries import count_factchecks, factcheck_page

STORE_FORMAT = "claim-annotator/tinydb"
# 1: one TinyDB file per article (<id>.json); 2: a folder per article and a file per claim.
STORE_VERSION = 2
DEFAULT_LOCATION = Path("data") / "claims.json"
# Long enough for any single operation (a full export read included), short enough to surface a hung writer.
LOCK_TIMEOUT_SECONDS = 60.0
# Tries at a query whose claim files were changed outside the store (each try reads them again).
_ATTEMPTS = 3

# Tables of the index file.
_META = "meta"
_ARTICLES = "articles"
# Folders of the store's own under claims.json.d (article folders never start with a dot).
_DELETIONS = ".deletions"
_WORK = ".work"
# The known fact-checks, one JSON Lines file (factcheck_file.py).
_FACTCHECKS = ".factchecks.jsonl"


class TinyDBRepository:
    """The embedded store: safe to share between threads and between processes.

    For `data/claims.json`: that file is a TinyDB index of article summaries (the listing order); each
    article lives in its folder `data/claims.json.d/<id>.article/` (see article_files.py) and each deletion
    record in `data/claims.json.d/.deletions/`; `data/claims.json.lock` serialises every operation.
    Article folders are the truth: the index is a listing repaired from them (orphans adopted, dangling
    entries dropped) at open and whenever a listing finds it out of step.
    """

    def __init__(self, index: Path) -> None:
        self.index = index.absolute()
        self.location = str(self.index)
        self.folder = self.index.with_name(self.index.name + ".d")
        self._revision_file = self.index.with_name(self.index.name + ".rev")
        self._deletions = self.folder / _DELETIONS
        self._work = self.folder / _WORK
        if self.index.is_dir():
            example = self.index / "claims.json"
            raise StoreError(f"{self.index} is a folder; give a file name such as {example}")
        try:
            for folder in (self.folder, self._deletions, self._work):
                folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create {self.folder} ({error.strerror or error})") from None
        self._thread_lock = threading.Lock()
        self._file_lock = self._new_file_lock()
        self._last_order = 0
        self._order_lock = threading.Lock()
        self._index = ClaimIndex(self.folder, self.index)  # built by the first query
        self._factchecks = FactCheckFile(self.folder / _FACTCHECKS, self._work)
        with self._locked():
            remove_leftover_temps(self.index.parent, self.index.name)
            remove_leftover_temps(self.folder)
            remove_abandoned(self.folder)
            shutil.rmtree(self._work, ignore_errors=True)
            self._work.mkdir(exist_ok=True)
            self._prepare_index()
            self._listing()

    # -- articles

    def add_article(self, article: Article) -> bool:
        with self._locked():
            target = self._article_folder(article.id)
            if target.exists():
                return False
            building = self._work / folder_name(article.id)
            try:
                shutil.rmtree(building, ignore_errors=True)  # left by a writer killed here
                building.mkdir(parents=True)
                write_atomically(building / ARTICLE_FILE, encode_article(article, target / ARTICLE_FILE))
                fsync_folder(building)
                self._touch()
                with atomic_db(self.index, self._file_lock) as index:
                    index.table(_ARTICLES).insert(article.summary().model_dump(mode="json"))
            except OSError as error:
                shutil.rmtree(building, ignore_errors=True)
                raise StoreError(f"{target}: cannot be written ({error.strerror or error})") from None
            except BaseException:
                shutil.rmtree(building, ignore_errors=True)
                raise
            # The rename is the commit point, last: if anything before it failed, nothing is stored (a crash
            # after the index write leaves an entry with no folder, which the next listing drops).
            try:
                os.replace(building, target)
                fsync_folder(self.folder)
            except OSError as error:
                shutil.rmtree(building, ignore_errors=True)
                raise StoreError(f"{target}: cannot be written ({error.strerror or error})") from None
            return True

    def get_article(self, article_id: str) -> Article:
        with self._locked():
            return read_article(self._article_folder(article_id), article_id)

    def list_articles(self) -> list[ArticleSummary]:
        with self._locked():
            return self._listing()

    def delete_article(self, article_id: str, *, by: str) -> int:
        with self._locked():
            folder = self._article_folder(article_id)
            read_article(folder, article_id)
            removed = len(claim_files(folder))
            deletion = Deletion(
                kind=DeletionKind.ARTICLE, id=article_id, article_id=article_id, by=by, at=utc_now()
            )
            record = self._work_file(encode_deletion(deletion, folder))
            trash = trash_path(self.folder)
            self._touch()
            commit(self.folder, [(record, self._deletion_path(deletion)), (folder, trash)])
            shutil.rmtree(trash, ignore_errors=True)
            # After the commit: an entry left by a failure here has no folder and the next listing drops it.
            with atomic_db(self.index, self._file_lock) as index:
                index.table(_ARTICLES).remove(where("id") == article_id)
            return removed

    # -- claims

    def add_claim(self, claim: Claim) -> None:
        with self._locked():
            folder = self._article_folder(claim.article_id)
            if not (folder / ARTICLE_FILE).exists():
                raise NotFound("article", claim.article_id)
            path = folder / claim_filename(claim.id)
            if path.exists():
                raise DuplicateClaim(claim.id)
            order = self._next_order()
            payload = encode_claim(claim, order, path)
            revision = self._touch_seen()
            write_atomically(path, payload, self._work)
            if revision:
                self._index.wrote(revision, claim.article_id, saved=[StoredClaim(order, claim)])

    def get_claim(self, article_id: str, claim_id: str) -> Claim:
        with self._locked():
            return self._stored_claim(article_id, claim_id)[0].claim

    def update_claim(self, article_id: str, claim_id: str, edit: ClaimEdit) -> Claim:
        with self._locked():
            stored, path = self._stored_claim(article_id, claim_id)
            updated = edit(stored.claim)
            payload = encode_claim(updated, stored.order, path)
            revision = self._touch_seen()
            write_atomically(path, payload, self._work)
            if revision:
                self._index.wrote(revision, article_id, saved=[StoredClaim(stored.order, updated)])
            return updated

    def delete_claim(self, article_id: str, claim_id: str, *, by: str) -> Claim:
        with self._locked():
            stored, path = self._stored_claim(article_id, claim_id)
            deletion = Deletion(
                kind=DeletionKind.CLAIM,
                id=claim_id,
                article_id=article_id,
                by=by,
                at=utc_now(),
                claim=stored.claim,
            )
            record = self._work_file(encode_deletion(deletion, path))
            trash = trash_path(self.folder)
            revision = self._touch_seen()
            commit(self.folder, [(record, self._deletion_path(deletion)), (path, trash)])
            trash.unlink(missing_ok=True)
            if revision:
                self._index.wrote(revision, article_id, removed=[claim_id])
            return stored.claim

    def list_claims(self, article_id: str | None = None) -> list[Claim]:
        with self._locked():
            if article_id is not None:
                folder = self._article_folder(article_id)
                if not (folder / ARTICLE_FILE).exists():
                    raise NotFound("article", article_id)
                return read_claims([(article_id, folder)])
            return read_claims((summary.id, self._article_folder(summary.id)) for summary in self._listing())

    # -- queries: answered from the in-process index (claim_index.py), which reads only what changed, and
    # the claim files of the page (see claims/store/queries.py for what each answer means)

    def query_claims(self, query: ClaimQuery) -> ClaimPage:
        with self._locked():
            for _ in range(_ATTEMPTS):
                page, total = self._fresh_index().claim_page(query)
                if (claims := self._claims_of(page)) is not None:
                    return ClaimPage(claims=claims, total=total)
            raise self._changing_outside()

    def count_claims_by(self, group: ClaimGroup, chosen: ClaimFilter | None = None) -> dict[str, int]:
        with self._locked():
            return self._fresh_index().count_by(group, chosen)

    def query_articles(self, query: ArticleQuery) -> ArticlePage:
        with self._locked():
            return self._fresh_index().article_page(query)

    def count_decisions(self) -> dict[str, dict[str, int]]:
        with self._locked():
            return self._fresh_index().decision_counts(
                lambda article_id: read_decisions(self._article_folder(article_id), article_id)
            )

    def update_claims(self, chosen: ClaimFilter, edit: ClaimEdit) -> ChangeOutcome:
        with self._locked():
            for _ in range(_ATTEMPTS):
                matching = self._fresh_index().matching(chosen, ClaimSort.ARTICLE)
                if (claims := self._claims_of(matching)) is not None:
                    break
            else:
                raise self._changing_outside()
            outcome = edit_each(claims, edit)
            orders = {(summary.article_id, summary.id): summary.order for summary in matching}
            moves = []
            saved: dict[str, list[StoredClaim]] = {}
            for applied in outcome.applied:
                after = applied.after
                order = orders.get((after.article_id, after.id))
                if order is None:  # an edit that moved the claim elsewhere: refused as before the index
                    order = self._stored_claim(after.article_id, after.id)[0].order
                path = self._article_folder(after.article_id) / claim_filename(after.id)
                moves.append((self._work_file(encode_claim(after, order, path)), path))
                saved.setdefault(after.article_id, []).append(StoredClaim(order, after))
            if moves:
                revision = self._touch_seen()
                commit(self.folder, moves)  # one journal: every claim written, or (after a crash) none
                if revision:
                    for article_id, written in saved.items():
                        self._index.wrote(revision, article_id, saved=written)
        return outcome

    def _fresh_index(self) -> ClaimIndex:
        self._index.refresh(self._read_revision, self._listing)
        return self._index

    def _claims_of(self, summaries: list[ClaimSummary]) -> list[Claim] | None:
        """The stored claims the summaries stand for, in their order; None if a file is missing (changed
        outside the store, without a new revision), its article then read again at the next refresh."""
        root = os.fspath(self.folder)
        files = [
            (
                summary.article_id,
                os.path.join(root, folder_name(summary.article_id), claim_filename(summary.id)),
            )
            for summary in summaries
        ]
        found = read_claim_files(files)
        claims = []
        for summary, stored in zip(summaries, found, strict=True):
            if stored is None:
                self._index.forget(summary.article_id)
            else:
                claims.append(stored.claim)
        return claims if len(claims) == len(summaries) else None

    def _changing_outside(self) -> StoreError:
        return StoreError(
            f"{self.folder}: claim files keep changing while the store reads them, without the store's "
            "lock; stop the program that edits them directly"
        )

    def list_deletions(self) -> list[Deletion]:
        with self._locked():
            return self._all_deletions()

    def documents(self) -> StoreDocuments:
        with self._locked():
            snapshot = StoreDocuments(articles=[], claims=[])
            for summary in self._listing():
                folder = self._article_folder(summary.id)
                snapshot.articles.append(article_record(folder))
                snapshot.claims += claim_records(summary.id, folder)
                snapshot.decisions += (
                    decision.model_dump(mode="json") for decision in read_decisions(folder, summary.id)
                )
            snapshot.deletions = [deletion.model_dump(mode="json") for deletion in self._all_deletions()]
            snapshot.factchecks = [
                check.model_dump(mode="json") for check in self._factchecks.load().values()
            ]
            return snapshot

    def merge(
        self,
        articles: Iterable[Article],
        claims: Iterable[Claim],
        decisions: Iterable[SuggestionDecision] = (),
        deletions: Iterable[Deletion] = (),
    ) -> MergeReport:
        articles, claims, decisions, deletions = (
            list(articles),
            list(claims),
            list(decisions),
            list(deletions),
        )
        winners = claim_winners(claims)
        # The slow part, outside the lock: every incoming article and winning claim written to a private
        # folder and flushed to disk. Under the lock only decisions, a few small files and renames remain.
        with Staging(self.folder) as staging:
            staged = staging.folder
            for article in {article.id: article for article in reversed(articles)}.values():
                path = staged / folder_name(article.id) / ARTICLE_FILE
                staging.write(path, encode_article(article, path))
            orders = itertools.count(self._next_order(len(winners)))
            for claim in winners.values():
                path = staged / folder_name(claim.article_id) / claim_filename(claim.id)
                staging.write(path, encode_claim(claim, next(orders), path))
            staging.make_durable()
            with self._locked():
                return self._merge_staged(staged, articles, claims, winners, decisions, deletions)

    def _merge_staged(
        self,
        staged: Path,
        articles: list[Article],
        claims: list[Claim],
        winners: dict[str, Claim],
        decisions: list[SuggestionDecision],
        deletions: list[Deletion],
    ) -> MergeReport:
        report = MergeReport()
        # Every check, and every decision, against the store as it is now, before anything is written.
        new = check_merge(articles, self._stored_text, claims, decisions)
        report.articles.added = len(new)
        report.articles.skipped = len(articles) - len(new)
        stored: dict[str, Claim | None] = {}
        kept_order: dict[str, int] = {}
        for claim_id, claim in winners.items():
            found = None
            if claim.article_id not in new:
                path = self._article_folder(claim.article_id) / claim_filename(claim_id)
                found = read_claim(path, claim.article_id)
            stored[claim_id] = found.claim if found else None
            if found:
                kept_order[claim_id] = found.order
        written = count_claims(report, claims, stored)

        moves: list[tuple[Path, Path]] = [
            (staged / folder_name(article_id), self._article_folder(article_id)) for article_id in new
        ]
        for claim_id in written:
            claim = winners[claim_id]
            if claim.article_id in new:
                continue  # inside its article's folder
            name = folder_name(claim.article_id)
            source = staged / name / claim_filename(claim_id)
            if claim_id in kept_order:
                # An update keeps the claim's place in the article, and the stored copy's history and
                # comments the winner lacks.
                kept = combined(claim, stored[claim_id])
                write_atomically(source, encode_claim(kept, kept_order[claim_id], source))
            moves.append((source, self.folder / name / claim_filename(claim_id)))
        by_article: dict[str, list[SuggestionDecision]] = {}
        for decision in decisions:
            by_article.setdefault(decision.article_id, []).append(decision)
        for article_id, incoming in by_article.items():
            live = self._article_folder(article_id)
            existing = [] if article_id in new else read_decisions(live, article_id)
            if added := new_records(incoming, existing, report.decisions):
                source = staged / folder_name(article_id) / DECISIONS_FILE
                source.parent.mkdir(parents=True, exist_ok=True)
                write_atomically(source, encode_decisions([*existing, *added], source))
                if article_id not in new:
                    moves.append((source, live / DECISIONS_FILE))
        for deletion in new_records(deletions, self._all_deletions(), report.deletions):
            source = staged / _DELETIONS / self._deletion_path(deletion).name
            source.parent.mkdir(exist_ok=True)
            write_atomically(source, encode_deletion(deletion, source))
            moves.append((source, self._deletion_path(deletion)))
        if not moves:
            return report
        self._touch()
        if new:
            # Before the commit: a crash between the two leaves entries without folders, which listing drops.
            summaries = [article.summary().model_dump(mode="json") for article in new.values()]
            with atomic_db(self.index, self._file_lock) as index:
                index.table(_ARTICLES).insert_multiple(summaries)
        commit(self.folder, moves)
        return report

    # -- suggestion decisions

    def record_decisions(self, article_id: str, decisions: Iterable[SuggestionDecision]) -> None:
        decisions = list(decisions)
        for decision in decisions:
            if decision.article_id != article_id:
                raise InvalidClaim("article_id", decision.article_id, f"recorded under article {article_id}")
        with self._locked():
            folder = self._article_folder(article_id)
            if not (folder / ARTICLE_FILE).exists():
                raise NotFound("article", article_id)
            path = folder / DECISIONS_FILE
            payload = encode_decisions([*read_decisions(folder, article_id), *decisions], path)
            revision = self._touch_seen()
            write_atomically(path, payload, self._work)
            if revision:
                self._index.wrote(revision, article_id, decisions=True)

    def list_decisions(self, article_id: str | None = None) -> list[SuggestionDecision]:
        with self._locked():
            ids = [article_id] if article_id is not None else [summary.id for summary in self._listing()]
            found: list[SuggestionDecision] = []
            for each in ids:
                folder = self._article_folder(each)
                if not (folder / ARTICLE_FILE).exists():
                    raise NotFound("article", each)
                found += read_decisions(folder, each)
            return found

    # -- known fact-checks (factcheck_file.py)

    def add_factchecks(self, checks: Iterable[KnownFactCheck]) -> FactCheckCounts:
        checks = list(checks)
        with self._locked():
            stored = self._factchecks.load()
            written, counts = factcheck_changes(checks, stored.get)
            if written:
                self._touch()  # the store's revision too: anything stored changed
                self._factchecks.write({**stored, **written})
            return counts

    def list_factchecks(self) -> list[KnownFactCheck]:
        with self._locked():
            return list(self._factchecks.load().values())  # the file keeps them by id

    def query_factchecks(self, query: FactCheckQuery) -> FactCheckPage:
        with self._locked():
            return factcheck_page(self._factchecks.load().values(), query)

    def count_factchecks_by(self, group: FactCheckGroup) -> dict[str, int]:
        with self._locked():
            return count_factchecks(self._factchecks.load().values(), group)

    def factcheck_revision(self) -> str:
        with self._locked():
            return self._factchecks.revision()

    # -- changes

    def revision(self) -> str:
        with self._locked():
            return self._read_revision()

    def _read_revision(self) -> str:
        try:
            return self._revision_file.read_text(encoding="utf-8")
        except OSError:
            return ""

    def storage_problems(self) -> list[str]:
        with self._locked():
            # Staging folders are written outside the lock by live loads; abandoned ones go at the next open.
            in_store = leftover_temps(self.folder, skip=frozenset({STAGING}))
            leftovers = leftover_temps(self.index.parent, self.index.name) + in_store
        return [f"{path}: a temporary file left by an interrupted write" for path in leftovers]

    def _touch(self) -> str:
        """A new revision; every write calls it before its commit point, so a failure here stores nothing
        and a change is never stored without a new revision (one that then fails is a harmless extra)."""
        # A fresh random token rather than a counter: nothing to read first, and a torn write still
        # reads as a value no earlier revision had. Not fsynced: it only tells caches to read again.
        revision = uuid.uuid4().hex
        try:
            self._revision_file.write_text(revision, encoding="utf-8")
        except OSError as error:
            raise StoreError(f"{self._revision_file}: cannot write ({error.strerror or error})") from None
        return revision

    def _touch_seen(self) -> str | None:
        """A new revision (as `_touch`), returned if the index was up to date before it: the writer then
        patches the index with what it wrote (`ClaimIndex.wrote`) instead of leaving it to a scan."""
        seen = self._index.saw(self._read_revision)
        revision = self._touch()
        return revision if seen else None

    # -- inside the lock

    def _prepare_index(self) -> None:
        with atomic_db(self.index, self._file_lock) as index:
            meta = index.table(_META)
            found = meta.all()
            if not found:
                if index.tables() - {_ARTICLES}:
                    raise unreadable(self.index, "not a claims store (it holds other TinyDB tables)")
                meta.insert({"format": STORE_FORMAT, "version": STORE_VERSION})
                return
            found_format, version = found[0].get("format"), found[0].get("version")
            if found_format != STORE_FORMAT:
                raise unreadable(self.index, f"not a claims store (its format is {found_format!r})")
            if not isinstance(version, int) or version > STORE_VERSION:
                raise StoreError(
                    f"{self.index}: written by a newer version of the claim annotator "
                    f"(store version {version!r}); upgrade it to open this store"
                )
            if version < STORE_VERSION:
                valid_summaries(index.table(_ARTICLES).all(), self.index)  # a damaged index is left as it is
                # First, so that an older program refuses the store while it is half moved.
                meta.update({"version": STORE_VERSION})
        # Also after an interrupted migration: the version is already 2, some version-1 files remain.
        for path in version_1_files(self.folder):
            migrate_article_file(path, self._work)

    def _listing(self) -> list[ArticleSummary]:
        """The index's summaries in insertion order, first repaired to match the article folders."""
        with atomic_db(self.index, self._file_lock) as index:
            table = index.table(_ARTICLES)
            summaries = valid_summaries(table.all(), self.index)
            listed = {folder_name(summary.id): summary for summary in summaries}
            try:
                folders = {
                    entry.name
                    for entry in os.scandir(self.folder)
                    if entry.name.endswith(ARTICLE_SUFFIX) and not entry.name.startswith(".")
                }
            except OSError as error:
                problem = error.strerror or error
                raise StoreError(f"{self.folder}: cannot list the article folders ({problem})") from None
            dangling = [summary.id for name, summary in listed.items() if name not in folders]
            orphans = [self._orphan_summary(self.folder / name) for name in folders - listed.keys()]
            if dangling or orphans:
                self._touch()
            if dangling:
                table.remove(where("id").one_of(dangling))
            if orphans:
                orphans.sort(key=lambda summary: (summary.imported_at, summary.id))
                table.insert_multiple(summary.model_dump(mode="json") for summary in orphans)
            gone = set(dangling)
            return [summary for summary in summaries if summary.id not in gone] + orphans

    def _orphan_summary(self, folder: Path) -> ArticleSummary:
        record = article_record(folder)
        return read_article(folder, record["id"]).summary()

    def _stored_claim(self, article_id: str, claim_id: str) -> tuple[StoredClaim, Path]:
        folder = self._article_folder(article_id)
        path = folder / claim_filename(claim_id)
        stored = read_claim(path, article_id)
        if stored is None:
            if not (folder / ARTICLE_FILE).exists():
                raise NotFound("article", article_id)
            raise NotFound("claim", claim_id)
        return stored, path

    def _stored_text(self, article_id: str) -> str | None:
        folder = self._article_folder(article_id)
        if not (folder / ARTICLE_FILE).exists():
            return None
        return read_article(folder, article_id).text

    def _all_deletions(self) -> list[Deletion]:
        try:
            names = [entry.name for entry in os.scandir(self._deletions) if not entry.name.startswith(".")]
        except FileNotFoundError:
            return []
        except OSError as error:
            raise StoreError(f"{self._deletions}: cannot be listed ({error.strerror or error})") from None
        found = [read_deletion(self._deletions / name) for name in names]
        return sorted(found, key=lambda deletion: (deletion.at, deletion.kind, deletion.id))

    def _deletion_path(self, deletion: Deletion) -> Path:
        # Named by its content: the same record loaded twice is one file.
        digest = hashlib.sha256(deletion.model_dump_json().encode("utf-8")).hexdigest()[:32]
        return self._deletions / f"{digest}.json"

    def _work_file(self, payload: bytes) -> Path:
        """A new durable file in the store's work folder, to be renamed into place by a commit."""
        path = self._work / f"{uuid.uuid4().hex}.json"
        write_atomically(path, payload)
        return path

    def _next_order(self, count: int = 1) -> int:
        """The first of `count` order numbers for new claims: later than any this process gave, and than
        the clock (nanoseconds), so claims list in the order added across processes sharing a clock."""
        with self._order_lock:
            first = max(time.time_ns(), self._last_order + 1)
            self._last_order = first + count - 1
            return first

    def _article_folder(self, article_id: str) -> Path:
        return self.folder / folder_name(article_id)

    def _new_file_lock(self) -> filelock.FileLock:
        # thread_local=True (the default) gives each thread its own lock descriptor, so threads sharing this
        # instance exclude each other; with thread_local=False the lock is re-entrant across threads and
        # lets them all in (measured). The threading lock in _locked() keeps that detail from mattering.
        self._lock_pid = os.getpid()
        lock_file = self.index.with_name(self.index.name + ".lock")
        return filelock.FileLock(lock_file, timeout=LOCK_TIMEOUT_SECONDS)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """The store's lock (threads and processes), with any change a killed writer left half done
        finished first."""
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
                if roll_forward(self.folder):
                    self._touch()
                yield
            finally:
                self._file_lock.release()
