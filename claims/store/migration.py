"""Moving a store of version 1 (one TinyDB file per article) to version 2 (a folder per article, a file
per claim), article by article, safe to interrupt and to run again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from claims.errors import StoreError
from claims.models import Article, Claim, SuggestionDecision
from claims.store.article_files import (
    ARTICLE_FILE,
    DECISIONS_FILE,
    claim_filename,
    encode_article,
    encode_claim,
    encode_decisions,
    folder_name,
    problem_of,
)
from claims.store.atomic_files import fsync_folder, read_tables, remove_durably, unreadable

_CLAIM_LIST = TypeAdapter(list[Claim])
_DECISION_LIST = TypeAdapter(list[SuggestionDecision])


def version_1_files(root: Path) -> list[Path]:
    """The article files of the version-1 layout still in `root` (`<name>.json`, not hidden)."""
    try:
        return sorted(
            Path(entry.path)
            for entry in os.scandir(root)
            if entry.name.endswith(".json") and not entry.name.startswith(".") and entry.is_file()
        )
    except OSError as error:
        raise StoreError(f"{root}: cannot be listed ({error.strerror or error})") from None


def migrate_article_file(path: Path, work: Path) -> None:
    """Rewrite one version-1 article file as a version-2 folder beside it, then remove the file.

    The folder is built under `work` (a temporary folder on the same file system, cleaned at open) and
    renamed into place in one step; a crash before the rename leaves the old file, after it the new folder
    (and the old file, which the next run removes). Call it holding the store's lock.
    """
    article, claims, decisions = _read_version_1(path)
    target = path.parent / folder_name(article.id)
    if not target.exists():
        building = work / folder_name(article.id)
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        _write_durably(building / ARTICLE_FILE, encode_article(article, path))
        for order, claim in enumerate(claims, start=1):
            file = building / claim_filename(claim.id)
            _write_durably(file, encode_claim(claim, order, path))
        if decisions:
            _write_durably(building / DECISIONS_FILE, encode_decisions(decisions, path))
        try:
            fsync_folder(building)
            os.replace(building, target)
            fsync_folder(path.parent)
        except OSError as error:
            raise StoreError(
                f"{path}: cannot be moved to the new layout ({error.strerror or error})"
            ) from None
    remove_durably(path)


def _read_version_1(path: Path) -> tuple[Article, list[Claim], list[SuggestionDecision]]:
    tables = read_tables(path) or {}
    articles = list(tables.get("article", {}).values())
    if len(articles) != 1:
        raise unreadable(path, f"expected one article in it, found {len(articles)}")
    try:
        article = Article.model_validate(articles[0])
        claims = _CLAIM_LIST.validate_python(list(tables.get("claims", {}).values()))
        decisions = _DECISION_LIST.validate_python(list(tables.get("decisions", {}).values()))
    except ValidationError as error:
        raise unreadable(path, f"it cannot be moved to the new layout: {problem_of(error)}") from None
    for claim in claims:
        if claim.article_id != article.id:
            raise unreadable(path, f"claim {claim.id!r} belongs to article {claim.article_id!r}")
    for decision in decisions:
        if decision.article_id != article.id:
            raise unreadable(path, f"a suggestion decision belongs to article {decision.article_id!r}")
    return article, claims, decisions


def _write_durably(path: Path, payload: bytes) -> None:
    try:
        with open(path, "xb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        raise StoreError(f"{path}: cannot be written ({error.strerror or error})") from None
