"""Typed errors of the core; each message is written for the fact-checker who will read it."""

from __future__ import annotations


class ClaimsError(Exception):
    """Base of every error the core raises on purpose; str(error) is the user-facing message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ArticleFormatError(ClaimsError):
    """An article file or record could not be read; the message names the file and line."""

    def __init__(self, source: str, problem: str, line: int | None = None) -> None:
        where = f"line {line} of {source}" if line is not None else source
        super().__init__(f"{where}: {problem}")
        self.source = source
        self.line = line
        self.problem = problem


class InvalidClaim(ClaimsError):
    """A claim breaks the vocabulary or does not fit its article; names the field and value."""

    def __init__(self, field: str, value: object, problem: str) -> None:
        super().__init__(f"{field}={value!r}: {problem}")
        self.field = field
        self.value = value
        self.problem = problem


class NotFound(ClaimsError):
    """An article or claim id that the store does not hold."""

    def __init__(self, kind: str, identifier: str) -> None:
        super().__init__(f"no {kind} with id {identifier!r} in this store")
        self.kind = kind
        self.identifier = identifier


class VersionConflict(ClaimsError):
    """Another editor saved the claim after this editor opened it."""

    def __init__(
        self,
        claim_id: str,
        expected_version: int,
        current_version: int,
        changed_by: str | None,
        changed_fields: list[str],
    ) -> None:
        who = changed_by or "another editor"
        fields = f"; changed: {', '.join(changed_fields)}" if changed_fields else ""
        super().__init__(
            f"claim {claim_id} was changed by {who} since you opened it "
            f"(your version {expected_version}, now {current_version}{fields}). "
            "Reload it to see their change before saving yours."
        )
        self.claim_id = claim_id
        self.expected_version = expected_version
        self.current_version = current_version
        self.changed_by = changed_by
        self.changed_fields = changed_fields


class ExportFormatError(ClaimsError):
    """An export file that cannot be loaded (wrong shape, newer schema, bad record)."""


class StoreError(ClaimsError):
    """The store on disk cannot be opened, read or written."""


class BackupError(ClaimsError):
    """A backup that cannot be written, verified or restored; the message names the file."""


def invalid_claim_from(error: object) -> InvalidClaim:
    """Name the first field and value that a pydantic ValidationError complains about."""
    from pydantic import ValidationError

    if not isinstance(error, ValidationError) or not error.errors():
        return InvalidClaim("claim", None, str(error))
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "claim"
    problem = first["msg"]
    if first["type"] == "enum":
        problem += f" (one of: {first.get('ctx', {}).get('expected', '')})"
    return InvalidClaim(field, first.get("input"), problem)
