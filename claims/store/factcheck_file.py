"""The TinyDB store's known fact-checks: one JSON Lines file beside the article folders, replaced whole and
atomically under the store's lock, its first line a header carrying the fact-checks' own revision.

One file rather than a file per fact-check: they are imported by the thousand and read all at once (a
matching index is built over every one of them), never edited one by one; writing 100,000 lines is one
sequential write, and the header's revision tells another process's import apart in one small read.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from claims.errors import StoreError
from claims.models import KnownFactCheck
from claims.store.atomic_files import read_raw, unreadable, write_atomically

FACTCHECK_FORMAT = "claim-annotator/factchecks"
FACTCHECK_VERSION = 1

_CHECKS = TypeAdapter(list[KnownFactCheck])
_CHECK = TypeAdapter(KnownFactCheck)


class FactCheckFile:
    """The fact-checks of one store, read again only when the header's revision changed (another process's
    import included). Callers hold the store's lock around every call."""

    def __init__(self, path: Path, work: Path) -> None:
        self.path = path
        self._work = work
        self._revision = ""
        self._checks: dict[str, KnownFactCheck] = {}

    def revision(self) -> str:
        """The revision in the header: "" while no fact-check was ever stored."""
        try:
            with self.path.open("rb") as file:
                first = file.readline()
        except FileNotFoundError:
            return ""
        except OSError as error:
            raise StoreError(f"{self.path}: cannot be read ({error.strerror or error})") from None
        return str(self._header(first)["revision"]) if first.strip() else ""

    def load(self) -> dict[str, KnownFactCheck]:
        """Every stored fact-check by id, in the order of their ids as the file keeps them (the caller must
        not change the dictionary)."""
        revision = self.revision()
        if revision == self._revision:
            return self._checks
        raw = read_raw(self.path)
        lines = raw.splitlines() if raw else []
        if not lines:
            self._revision, self._checks = "", {}
            return self._checks
        header = self._header(lines[0])
        records = [line for line in lines[1:] if line.strip()]
        try:
            checks = _CHECKS.validate_json(b"[" + b",".join(records) + b"]")
        except ValidationError:
            raise self._bad_line(lines) from None
        if len(checks) != header["count"]:
            raise unreadable(
                self.path, f"its header counts {header['count']} fact-checks but it holds {len(checks)}"
            )
        checks.sort(key=lambda check: check.id)  # as written; a file edited by hand is put back in order
        self._revision, self._checks = str(header["revision"]), {check.id: check for check in checks}
        return self._checks

    def write(self, checks: dict[str, KnownFactCheck]) -> str:
        """Replace the file by `checks` (by id) with a new revision, atomically; returns the revision."""
        revision = uuid.uuid4().hex
        header = {
            "format": FACTCHECK_FORMAT,
            "version": FACTCHECK_VERSION,
            "revision": revision,
            "count": len(checks),
        }
        ordered = sorted(checks.values(), key=lambda check: check.id)
        lines = [json.dumps(header).encode(), *(_CHECK.dump_json(check) for check in ordered)]
        payload = b"\n".join([*lines, b""])
        write_atomically(self.path, payload, self._work)
        self._revision, self._checks = revision, {check.id: check for check in ordered}
        return revision

    def _header(self, line: bytes) -> dict[str, str | int]:
        try:
            header = json.loads(line)
        except (UnicodeDecodeError, json.JSONDecodeError):
            header = None
        if not isinstance(header, dict) or header.get("format") != FACTCHECK_FORMAT:
            raise unreadable(self.path, "line 1 is not the header of a file of known fact-checks")
        version = header.get("version")
        if not isinstance(version, int) or version > FACTCHECK_VERSION:
            raise StoreError(
                f"{self.path}: written by a newer version of the claim annotator (fact-check file version "
                f"{version!r}); upgrade it to open this store"
            )
        if not isinstance(header.get("revision"), str) or not isinstance(header.get("count"), int):
            raise unreadable(self.path, "line 1, its header, lacks the revision or the count")
        return header

    def _bad_line(self, lines: list[bytes]) -> StoreError:
        for number, line in enumerate(lines[1:], start=2):
            if not line.strip():
                continue
            try:
                _CHECK.validate_json(line)
            except ValidationError as error:
                problem = error.errors()[0]
                where = ".".join(str(part) for part in problem["loc"]) or "the record"
                why = f"{where}: {problem['msg']}"
                return unreadable(self.path, f"line {number} is not a known fact-check ({why})")
        return unreadable(self.path, "not a file of known fact-checks")
