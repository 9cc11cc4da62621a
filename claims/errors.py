"""Typed errors of the core; each message is written for the fact-checker who will read it."""

from __future__ import annotations

import unicodedata

# Characters that would break a printed line or change how it reads: control characters (newline, carriage
# return, escape, ...), lone surrogates, invisible format characters (bidi controls as in "Trojan Source",
# zero-width spaces, BOM) and the Unicode line and paragraph separators. The joiners that scripts need to
# spell words (ZWNJ, ZWJ) stay.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_KEPT = frozenset("\u200c\u200d")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """`text` as one line that reads as what it is: every hidden character written as an escape (\\n, \\x1b,
    \\u202e), so a file name or title cannot forge or hide a printed line. Applying it twice changes nothing
    more (backslashes are kept as they are)."""
    if text.isprintable():  # the common case: nothing to look at one character at a time
        return text
    return "".join(_escape(char) if _hidden(char) else char for char in text)


def _hidden(char: str) -> bool:
    return unicodedata.category(char) in _HIDDEN_CATEGORIES and char not in _KEPT


def _escape(char: str) -> str:
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


class ClaimsError(Exception):
    """Base of every error the core raises on purpose; str(error) is the user-facing message, always one
    printable line (see `printable`), whatever file names or values it quotes."""

    def __init__(self, message: str) -> None:
        message = printable(message)
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


class FactCheckFileError(ClaimsError):
    """A file of known fact-checks could not be read; the message names the file, the line where known,
    and what is wrong."""

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


class OutputWriteError(ClaimsError):
    """An export could not be written to its file; the message says the previous file is kept."""


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


class DuplicateClaim(ClaimsError):
    """A claim added under an id the store already holds."""

    def __init__(self, claim_id: str) -> None:
        super().__init__(f"a claim with id {claim_id!r} is already stored")


class WorkflowError(ClaimsError):
    """A change the desk's workflow does not allow (claims/workflow.py); the message says what would."""


class NotAStep(WorkflowError):
    """A status change that is not in the workflow's table."""


class CommentRequired(WorkflowError):
    """A step back (sending a claim back, reopening it) given without a comment saying why."""


class SelfApproval(WorkflowError):
    """An editor approving a verdict they set themselves."""


class UnconfirmedEvidence(WorkflowError):
    """An approval of a verdict resting on fewer than two independent sources, not confirmed as such."""


class ClaimReviewInvalid(ClaimsError):
    """Claims whose ClaimReview would miss what Google's fact-check markup requires; lists each one's gaps."""

    def __init__(self, problems: dict[str, list[str]]) -> None:
        shown = "; ".join(f"claim {claim_id}: {', '.join(missing)}" for claim_id, missing in problems.items())
        count = len(problems)
        super().__init__(
            f"no ClaimReview file was written: {count} claim{'s' * (count != 1)} would not be valid "
            f"fact-check markup ({shown})"
        )
        self.problems = problems


class SettingsError(ClaimsError):
    """The desk's settings file cannot be read or holds a value that is not usable; names file and key."""
