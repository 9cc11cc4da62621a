"""Importing files of known fact-checks into a store: files and folders, one result per file, each file
read whole and stored in one write (all of it, or, if it cannot be read, none of it)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from claims.errors import ClaimsError, FactCheckFileError, printable
from claims.formats.factchecks import HTML_SUFFIXES, TABLE_SUFFIXES, read_factcheck_file, read_factchecks
from claims.formats.importing import files_in
from claims.models import FactCheckImport, KnownFactCheck
from claims.store.contract import Repository

FACTCHECK_SUFFIXES = (".json", ".jsonld", *HTML_SUFFIXES, ".csv", ".tsv")


def import_factcheck_paths(repo: Repository, paths: Iterable[Path]) -> list[FactCheckImport]:
    """Import files and folders (every file with one of FACTCHECK_SUFFIXES inside, recursively, hidden
    ones left out); one result per file. A file that fails is one failed result and the others go on."""
    results: list[FactCheckImport] = []
    for path in paths:
        if not path.is_dir():
            results.append(import_factcheck_file(repo, path, path.name))
            continue
        files = list(files_in(path, FACTCHECK_SUFFIXES))
        if not files:
            problem = f"no {', '.join(FACTCHECK_SUFFIXES)} files in this folder"
            results.append(_failed(str(path), FactCheckFileError(str(path), problem)))
        for file in files:
            source = Path(path.name, file.relative_to(path)).as_posix()
            results.append(import_factcheck_file(repo, file, source))
    return results


def import_factcheck_file(repo: Repository, path: Path, source: str) -> FactCheckImport:
    """Read one file whole, then store its fact-checks in one write."""
    return _stored(repo, lambda: read_factcheck_file(path, source), source)


def import_factcheck_bytes(repo: Repository, data: bytes, source: str) -> FactCheckImport:
    """An uploaded file (its bytes and its name), read whole and stored in one write."""
    return _stored(repo, lambda: read_factchecks(data, source), source)


def _stored(repo: Repository, read: Callable[[], list[KnownFactCheck]], source: str) -> FactCheckImport:
    try:
        counts = repo.add_factchecks(read())
    except ClaimsError as error:
        return _failed(source, error)
    return FactCheckImport(source=printable(source), counts=counts)


def _failed(source: str, error: ClaimsError) -> FactCheckImport:
    return FactCheckImport(source=printable(source), message=error.message)


__all__ = [
    "FACTCHECK_SUFFIXES",
    "TABLE_SUFFIXES",
    "import_factcheck_bytes",
    "import_factcheck_file",
    "import_factcheck_paths",
]
