"""Creating and editing claims: the rules every door (CLI, UI, loader) goes through."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from claims.errors import InvalidClaim, VersionConflict, invalid_claim_from
from claims.models import (
    Article,
    Claim,
    ClaimChanges,
    ClaimDraft,
    ClaimEvent,
    ClaimFields,
    Sentence,
    ValueChange,
    Verdict,
    utc_now,
)
from claims.store.contract import ClaimEdit
from claims.workflow import advance, check_first_status, new_comment

EDITABLE_FIELDS = tuple(ClaimChanges.model_fields)


def check_span(article: Article, start: int, end: int, quote: str | None) -> str:
    """Return the text of [start, end) in the article, refusing spans that do not fit it."""
    length = len(article.text)
    if start < 0 or start >= length:
        raise InvalidClaim("start", start, f"outside the article (its body has {length} characters)")
    if end <= start:
        raise InvalidClaim("end", end, f"must be greater than start ({start})")
    if end > length:
        raise InvalidClaim("end", end, f"outside the article (its body has {length} characters)")
    text = article.text[start:end]
    if not text.strip():
        raise InvalidClaim("start", start, "the span holds only white space")
    if quote is not None and quote != text:
        raise InvalidClaim("quote", quote, f"does not match the article text at [{start}, {end}): {text!r}")
    return text


def parse_draft(data: dict[str, Any]) -> ClaimDraft:
    """Build a draft from loose input (CLI options, a form), naming the field that is wrong."""
    try:
        return ClaimDraft.model_validate(data)
    except ValidationError as error:
        raise invalid_claim_from(error) from None


def parse_changes(data: dict[str, Any]) -> ClaimChanges:
    try:
        return ClaimChanges.model_validate(data)
    except ValidationError as error:
        raise invalid_claim_from(error) from None


def new_claim(article: Article, draft: ClaimDraft, by: str, now: dt.datetime | None = None) -> Claim:
    """Turn a draft into a version-1 claim, checked against its article and the workflow (it starts as new
    or in progress), with its first history event: what it was created with."""
    if draft.article_id != article.id:
        raise InvalidClaim(
            "article_id", draft.article_id, f"the span was checked against article {article.id}"
        )
    if not by.strip():
        raise InvalidClaim("created_by", by, "say who is making this claim")
    check_first_status(draft.status)
    quote = check_span(article, draft.start, draft.end, draft.quote)
    when = now or utc_now()
    fields = draft.model_dump(exclude={"quote"})
    set_fields = draft.model_dump(mode="json", include=set(EDITABLE_FIELDS))
    defaults = ClaimFields().model_dump(mode="json")
    rated = draft.verdict is not Verdict.UNRATED
    try:
        return Claim(
            **fields,
            id=uuid.uuid4().hex,
            quote=quote,
            created_by=by,
            created_at=when,
            updated_by=by,
            updated_at=when,
            version=1,
            rated_by=by if rated else None,
            rated_at=when if rated else None,
            status_since=when,
            history=[
                ClaimEvent(
                    version=1,
                    by=by,
                    at=when,
                    changes=[
                        ValueChange(field=name, old=defaults[name], new=value)
                        for name, value in set_fields.items()
                        if value != defaults[name]
                    ],
                )
            ],
        )
    except ValidationError as error:
        raise invalid_claim_from(error) from None


# Fields an edit may clear by giving None; the others keep their value when given None.
_CLEARABLE = frozenset({"claimant", "source", "assignee"})


def apply_changes(
    changes: ClaimChanges,
    expected_version: int | None,
    by: str,
    opened: Claim | None = None,
    *,
    comment: str | None = None,
    mentions: Iterable[str] = (),
    evidence_confirmed: bool = False,
) -> ClaimEdit:
    """An edit for Repository.update_claim(s): the changes checked against the workflow
    (claims/workflow.py), stamped with who and when, and kept as one event of the claim's history.

    A claim at another version than `expected_version` is refused with VersionConflict, unless the editor's
    `opened` copy shows that only its thread changed since (a comment does not make an open form stale);
    None expects no version (a comment, a review from the CLI). `opened` also lets a conflict say what the
    other editor changed. A non-blank `comment` joins the claim's thread, mentioning `mentions`; a step
    back needs one. An edit that changes nothing and adds no comment returns the claim as it is.
    """
    if not by.strip():
        raise InvalidClaim("updated_by", by, "say who is making this change")
    given = {
        name: getattr(changes, name)
        for name in changes.model_fields_set
        if getattr(changes, name) is not None or name in _CLEARABLE
    }
    note = new_comment(by, comment, mentions) if comment and comment.strip() else None

    def edit(current: Claim) -> Claim:
        if expected_version is not None and current.version != expected_version:
            if opened is None or differing_fields(opened, current):
                raise VersionConflict(
                    current.id,
                    expected_version,
                    current.version,
                    current.updated_by,
                    changed_fields=differing_fields(opened, current) if opened else [],
                )
        now = utc_now()
        after = current.model_copy(update={**given, "updated_by": by, "updated_at": now})
        changed = differing_fields(current, after)
        if not changed and note is None:
            return current
        after = after.model_copy(update={"version": current.version + 1})
        stamped_note = note.model_copy(update={"at": now}) if note else None
        return advance(
            current,
            after,
            by,
            now,
            changed=changed,
            comment=stamped_note,
            evidence_confirmed=evidence_confirmed,
        )

    return edit


def differing_fields(before: Claim, after: Claim) -> list[str]:
    """Which editable fields two versions of a claim disagree on."""
    return [name for name in EDITABLE_FIELDS if getattr(before, name) != getattr(after, name)]


Side = Literal["mine", "theirs"]


@dataclass(frozen=True, slots=True)
class FieldMerge:
    """Three versions of a claim's labels merged field by field (base: the version the editor opened).

    A field only one side changed takes that side's value; a field both changed to different values
    is a clash, listed in `clashes` for the editor to choose, mine or theirs, per field.
    """

    base: ClaimFields
    mine: ClaimFields
    theirs: ClaimFields

    @property
    def changed_by_me(self) -> list[str]:
        return _changed(self.base, self.mine)

    @property
    def changed_by_them(self) -> list[str]:
        return _changed(self.base, self.theirs)

    @property
    def clashes(self) -> list[str]:
        """Fields both sides changed, to different values."""
        theirs = set(self.changed_by_them)
        return [
            name
            for name in self.changed_by_me
            if name in theirs and getattr(self.mine, name) != getattr(self.theirs, name)
        ]

    def result(self, choices: Mapping[str, Side] | None = None) -> ClaimFields:
        """The merged labels; every clash takes the side named in `choices`, else theirs.

        Raises InvalidClaim for a choice that names no clash, so a stale choice is never applied.
        """
        chosen = dict(choices or {})
        clashes = self.clashes
        for name in chosen:
            if name not in clashes:
                raise InvalidClaim(name, chosen[name], "only fields both editors changed can be chosen")
        mine = set(self.changed_by_me)
        merged: dict[str, object] = {}
        for name in EDITABLE_FIELDS:
            if name in clashes:
                side = self.mine if chosen.get(name) == "mine" else self.theirs
            else:
                side = self.mine if name in mine else self.theirs
            merged[name] = getattr(side, name)
        return ClaimFields.model_validate(merged)


def merge_fields(base: ClaimFields, mine: ClaimFields, theirs: ClaimFields) -> FieldMerge:
    """Merge my edit of `base` with theirs, field by field (see FieldMerge)."""
    return FieldMerge(_labels(base), _labels(mine), _labels(theirs))


def changes_from(fields: ClaimFields) -> ClaimChanges:
    """An edit that sets every label to these values (clearing the claimant or source if they are None)."""
    return ClaimChanges.model_validate(fields.model_dump())


def _labels(fields: ClaimFields) -> ClaimFields:
    """Only the labels of a claim (or of any ClaimFields), so comparisons ignore ids and history."""
    return ClaimFields.model_validate(fields.model_dump(include=set(EDITABLE_FIELDS)))


def _changed(before: ClaimFields, after: ClaimFields) -> list[str]:
    return [name for name in EDITABLE_FIELDS if getattr(before, name) != getattr(after, name)]


def locate_quote(article: Article, sentence_index: int, quote: str) -> tuple[int, int]:
    """The span of `quote` inside one sentence (the whole sentence when blank), for keyboard marking.

    An exact match is preferred; otherwise case and runs of white space are ignored.
    """
    if not 0 <= sentence_index < len(article.sentences):
        count = len(article.sentences)
        has = f"the article has {count} sentence{'s' * (count != 1)}"
        raise InvalidClaim("sentence", sentence_index + 1, has)
    sentence = article.sentences[sentence_index]
    wanted = quote.strip()
    if not wanted:
        return sentence.start, sentence.end
    found = sentence.text.find(wanted)
    if found < 0:
        pattern = r"\s+".join(re.escape(word) for word in wanted.split())
        match = re.search(pattern, sentence.text, flags=re.IGNORECASE)
        if match is None:
            raise InvalidClaim("quote", wanted, f"not found in sentence {sentence_index + 1}")
        return sentence.start + match.start(), sentence.start + match.end()
    return sentence.start + found, sentence.start + found + len(wanted)


def next_unclaimed_sentence(sentences: Sequence[Sentence], claims: Iterable[Claim], after: int) -> int | None:
    """The index of the first sentence after `after` (wrapping round) that no claim touches."""
    spans = [(claim.start, claim.end) for claim in claims]
    count = len(sentences)
    for step in range(1, count + 1):
        sentence = sentences[(after + step) % count]
        if not any(start < sentence.end and end > sentence.start for start, end in spans):
            return sentence.index
    return None
