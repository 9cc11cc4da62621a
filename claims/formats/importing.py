"""Importing articles into a store: files, folders and uploads, one result per article.

Results name their file with control characters escaped (`printable`), ready to print or show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path

from claims.errors import ArticleFormatError, ClaimsError, printable
from claims.formats.articles import ARTICLE_SUFFIXES, make_article, read_articles, read_file_as
from claims.models import Article, ImportResult
from claims.store.contract import Repository


def import_paths(repo: Repository, paths: Iterable[Path], by: str | None = None) -> list[ImportResult]:
    """Import files and folders (every .txt/.json/.jsonl inside, recursively); one result per article.

    A file that cannot be read gives one "failed" result naming it and why, and stores nothing; the other
    files go on.
    """
    results: list[ImportResult] = []
    for path in paths:
        if not path.is_dir():
            results.extend(_import_file(repo, path, path.name, by))
            continue
        files = list(files_in(path, ARTICLE_SUFFIXES))
        if not files:
            problem = f"no {', '.join(ARTICLE_SUFFIXES)} files in this folder"
            results.append(_failed(str(path), ArticleFormatError(str(path), problem)))
        for file in files:
            results.extend(_import_file(repo, file, Path(path.name, file.relative_to(path)).as_posix(), by))
    return results


def import_bytes(repo: Repository, data: bytes, source: str, by: str | None = None) -> list[ImportResult]:
    """Import an uploaded file's bytes; one result per article, or one "failed" result."""
    return _import(repo, source, lambda: read_articles(data, source, imported_by=by))


def _import_file(repo: Repository, path: Path, source: str, by: str | None) -> list[ImportResult]:
    return _import(repo, source, lambda: read_file_as(path, source, by))


def _import(repo: Repository, source: str, read: Callable[[], list[Article]]) -> list[ImportResult]:
    """Read the whole file first, so a file that fails part-way stores nothing; then store each article,
    one result each (an article the store refuses is one "failed" result naming the file; the rest go on).
    """
    try:
        articles = read()
    except ClaimsError as error:
        return [_failed(source, error)]
    return [_store(repo, source, article) for article in articles]


def _store(repo: Repository, source: str, article: Article) -> ImportResult:
    try:
        added = repo.add_article(article)
    except ClaimsError as error:
        title = f" {article.title!r}" if article.title else ""
        return _failed(source, ClaimsError(f"{source}: article {article.id}{title} was not stored: {error}"))
    return ImportResult(
        source=printable(source),
        status="imported" if added else "already_present",
        article_id=article.id,
        title=article.title,
    )


def _failed(source: str, error: ClaimsError) -> ImportResult:
    return ImportResult(source=printable(source), status="failed", message=error.message)


def files_in(folder: Path, suffixes: Collection[str]) -> Iterator[Path]:
    """Every file below `folder` (recursively) with one of `suffixes`, hidden ones and those in hidden
    folders left out, in path order."""
    found = (
        path
        for path in folder.rglob("*")
        if path.suffix.lower() in suffixes
        and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )
    yield from sorted(found, key=lambda path: path.relative_to(folder).parts)


def import_pasted(
    repo: Repository,
    body: str,
    *,
    title: str | None = None,
    url: str | None = None,
    date: dt.date | None = None,
    by: str | None = None,
) -> ImportResult:
    """Import an article typed or pasted by an editor; a bad URL or empty body gives a "failed" result."""
    source = f"the pasted article{f' {title!r}' if title else ''}"

    def read() -> list[Article]:
        return [make_article(body, title=title, url=url, date=date, source_file=None, imported_by=by)]

    [result] = _import(repo, source, read)
    return result
