"""W3C Web Annotation (JSON-LD): claims as annotations other tools (Hypothesis, INCEpTION) read, and back.

Out: one `AnnotationCollection` whose embedded first `AnnotationPage` holds every annotation. A collection
rather than a bare list: a JSON-LD document needs one object to carry the `@context`, and the W3C model pages
a collection's annotations exactly so (`first` -> `items`), as an annotation server (W3C Web Annotation
Protocol) serves a container; one file is one page. Each annotation targets its article (`source`: the
article's URL, else `urn:claims:article:<id>`) with a TextQuoteSelector (exact, 32 characters of prefix and
suffix) and a TextPositionSelector (offsets in Unicode code points, as the model asks and as Python counts a
str's characters); its bodies carry the claim's fields readably (tags "claim_type:statistic",
"status:approved", "verdict:false", ...; the claimant as an `identifying` body, claim_reviewed `describing`,
the conclusion `assessing`, notes `commenting`) and, in one body of media type RECORD_FORMAT, the whole claim
record (history, comments, evidence, review stamps), so that a round trip loses nothing. Its motivation is
`assessing` once the claim has a verdict (the annotation is the desk's assessment), `classifying` before
(it marks the span as a claim of a type).

In: a collection, a page, a list or one annotation. Each is anchored in the stored article its target names
(claims/formats/anchoring.py); the claim record, when there is one, is the claim (moved to where its quote
is now); an annotation from another tool becomes a new claim (type other unless tagged "claim_type:...",
status new, its text as notes, by its creator). What cannot be anchored is reported, one message each.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pydantic_core
from pydantic import ValidationError

from claims.annotations import new_claim
from claims.formats.anchoring import Anchor, QuoteSelector, anchor, selector_for
from claims.models import (
    Article,
    CheckFocus,
    Claim,
    ClaimDraft,
    ClaimStatus,
    ClaimType,
    Verdict,
    utc_now,
)
from claims.store.contract import Repository

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# The media type of the body holding the claim record as this tool's JSON export writes it (schema 3).
RECORD_FORMAT = "application/vnd.claim-annotator.claim+json"
ARTICLE_URN = "urn:claims:article:"
CLAIM_URN = "urn:claims:claim:"
# The project has no web address of its own to name it by; a urn stands for it.
GENERATOR = {"id": "urn:claims:claim-annotator", "type": "Software", "name": "claim-annotator"}
# Fields shown as machine tags ("field:value"), readable and searchable in any annotation tool.
TAGGED_FIELDS = ("claim_type", "status", "verdict", "check_focus", "assignee")
# Free-text fields and the W3C purpose that says what each body does.
PURPOSES = {
    "claimant": "identifying",
    "claim_reviewed": "describing",
    "conclusion": "assessing",
    "notes": "commenting",
}
FOREIGN_CREATOR = "web annotation"
_CLAIM_FIELDS = tuple(Claim.model_fields)

Record = dict[str, Any]


def render_webannotation(articles: Sequence[Record], claims: Sequence[Record]) -> bytes:
    """The claims (exported claim records, with their articles' records) as one AnnotationCollection."""
    texts = {article["id"]: article["text"] for article in articles}
    items = [annotation_of(claim, texts[claim["article_id"]]) for claim in claims]
    collection = {
        "@context": ANNO_CONTEXT,
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": "AnnotationCollection",
        "label": "Claims and their fact checks",
        "total": len(items),
        "generator": GENERATOR,
        "generated": pydantic_core.to_jsonable_python(utc_now()),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
    return pydantic_core.to_json(collection, indent=2) + b"\n"


def annotation_of(claim: Mapping[str, Any], text: str) -> Record:
    """One claim record as a Web Annotation on its article's text."""
    selector = selector_for(text, claim["start"], claim["end"])
    bodies: list[Record] = [
        {"type": "TextualBody", "purpose": "tagging", "value": f"{name}:{claim[name]}"}
        for name in TAGGED_FIELDS
        if claim.get(name)
    ]
    bodies += [
        {"type": "TextualBody", "purpose": purpose, "value": claim[name], "format": "text/plain"}
        for name, purpose in PURPOSES.items()
        if claim.get(name)
    ]
    record = {name: claim[name] for name in _CLAIM_FIELDS if name in claim}
    bodies.append({"type": "TextualBody", "format": RECORD_FORMAT, "value": _compact(record)})
    return {
        "id": annotation_id(claim["id"]),
        "type": "Annotation",
        "motivation": "classifying" if claim["verdict"] == Verdict.UNRATED else "assessing",
        "creator": {"type": "Person", "name": claim["created_by"]},
        "created": claim["created_at"],
        "modified": claim["updated_at"],
        "body": bodies,
        "target": {
            "type": "SpecificResource",
            "source": claim.get("article_url") or f"{ARTICLE_URN}{claim['article_id']}",
            "selector": [
                {"type": "TextQuoteSelector", "exact": selector.exact, "prefix": selector.prefix,
                 "suffix": selector.suffix},
                {"type": "TextPositionSelector", "start": selector.start, "end": selector.end},
            ],
        },
    }  # fmt: skip


def annotation_id(claim_id: str) -> str:
    """The annotation's IRI: urn:uuid for the uuid ids claims get, else a urn naming the id."""
    try:
        if len(claim_id) == 32:
            return uuid.UUID(hex=claim_id).urn
    except ValueError:
        pass
    return CLAIM_URN + quote(claim_id, safe="")


# --- reading annotations back


def is_web_annotation(value: Any) -> bool:
    """Whether parsed JSON is Web Annotation: one annotation, a page, a collection, or a list of them."""
    if isinstance(value, list):
        return bool(value) and all(
            isinstance(item, Mapping) and _types(item) & {"Annotation"} for item in value
        )
    return isinstance(value, Mapping) and bool(
        _types(value) & {"Annotation", "AnnotationPage", "AnnotationCollection"}
    )


def annotations_in(value: Any) -> list[Any]:
    """The annotations of a parsed document (see `is_web_annotation`), in order; a collection's pages are
    read from `first` and each page's `next` when they are embedded."""
    if isinstance(value, list):
        return list(value)
    kinds = _types(value)
    if "Annotation" in kinds:
        return [value]
    page = value.get("first") if "AnnotationCollection" in kinds else value
    found: list[Any] = []
    while isinstance(page, Mapping):
        found += list(page.get("items") or [])
        page = page.get("next")
    return found


@dataclass
class AnchoredClaims:
    """What a file of annotations gives a store: the claims anchored, and one message per annotation that
    was not."""

    claims: list[Claim]
    unanchored: list[str]


def anchor_annotations(repo: Repository, annotations: Iterable[Any]) -> AnchoredClaims:
    """Each annotation as a claim in the stored article its target names (see the module's docstring)."""
    finder = _Articles(repo)
    result = AnchoredClaims([], [])
    for number, annotation in enumerate(annotations, 1):
        name = annotation.get("id") if isinstance(annotation, Mapping) else None
        label = name if isinstance(name, str) and name else f"#{number}"
        try:
            result.claims.append(_claim_of(annotation, finder))
        except _Unanchored as why:
            result.unanchored.append(f"annotation {label}: {why}")
    return result


class _Unanchored(Exception):
    """Why one annotation gives no claim."""


class _Articles:
    """The stored articles an annotation's target can name, read once each."""

    def __init__(self, repo: Repository) -> None:
        self._repo = repo
        summaries = sorted(repo.list_articles(), key=lambda a: (a.imported_at, a.id), reverse=True)
        self._ids = {summary.id for summary in summaries}
        self._by_url: dict[str, list[str]] = {}
        for summary in summaries:  # newest import first: a re-imported article's current text
            if summary.url:
                self._by_url.setdefault(summary.url, []).append(summary.id)
        self._loaded: dict[str, Article] = {}

    def candidates(self, source: str, recorded: str | None) -> list[Article]:
        ids = [recorded] if recorded in self._ids else []
        if source.startswith(ARTICLE_URN):
            named = source[len(ARTICLE_URN) :]
            ids += [named] if named in self._ids else []
        else:
            ids += self._by_url.get(source, [])
        return [self._get(article_id) for article_id in dict.fromkeys(ids)]

    def _get(self, article_id: str) -> Article:
        if article_id not in self._loaded:
            self._loaded[article_id] = self._repo.get_article(article_id)
        return self._loaded[article_id]


def _claim_of(annotation: Any, articles: _Articles) -> Claim:
    if not isinstance(annotation, Mapping):
        raise _Unanchored("not an annotation (expected a JSON object)")
    source, selector = _target(annotation.get("target"))
    bodies = _bodies(annotation.get("body"))
    record = _record(bodies)
    candidates = articles.candidates(source, record.article_id if record else None)
    if not candidates:
        raise _Unanchored(f"its article {source} is not stored: import the article, then load again")
    for article in candidates:
        found = anchor(article.text, selector)
        if found is not None:
            break
    else:
        raise _Unanchored(f"its quote {_shown(selector.exact)} is not in the stored text of {source}")
    if record is not None:
        return _moved(record, article, found)
    return _foreign(annotation, bodies, article, found)


def _target(target: Any) -> tuple[str, QuoteSelector]:
    """The source and the quote selectors of the first target that has a TextQuoteSelector."""
    targets = target if isinstance(target, list) else [target]
    for candidate in targets:
        if not isinstance(candidate, Mapping) or not isinstance(candidate.get("source"), str):
            continue
        selectors = candidate.get("selector")
        selectors = selectors if isinstance(selectors, list) else [selectors]
        quote = next(
            (s for s in selectors if isinstance(s, Mapping) and s.get("type") == "TextQuoteSelector"), None
        )
        if quote is None or not isinstance(quote.get("exact"), str) or not quote["exact"]:
            continue
        position = next(
            (s for s in selectors if isinstance(s, Mapping) and s.get("type") == "TextPositionSelector"), {}
        )
        start, end = position.get("start"), position.get("end")
        numbers = all(isinstance(n, int) and not isinstance(n, bool) for n in (start, end))
        return candidate["source"], QuoteSelector(
            exact=quote["exact"],
            prefix=_string(quote.get("prefix")),
            suffix=_string(quote.get("suffix")),
            start=start if numbers else None,
            end=end if numbers else None,
        )
    raise _Unanchored("its target has no source with a TextQuoteSelector (exact text) to anchor it by")


def _bodies(body: Any) -> list[Mapping[str, Any]]:
    bodies = body if isinstance(body, list) else [body] if body is not None else []
    return [item for item in bodies if isinstance(item, Mapping)]


def _record(bodies: Sequence[Mapping[str, Any]]) -> Claim | None:
    for body in bodies:
        if body.get("format") == RECORD_FORMAT:
            try:
                return Claim.model_validate_json(_string(body.get("value")))
            except ValidationError as error:
                first = str(error).splitlines()
                raise _Unanchored(f"its claim record is not valid ({first[0] if first else error})") from None
    return None


def _moved(record: Claim, article: Article, found: Anchor) -> Claim:
    """The recorded claim at its anchor: in the article found, at the span found, with the text there."""
    span = {
        "article_id": article.id,
        "start": found.start,
        "end": found.end,
        "quote": article.text[found.start : found.end],
    }
    if all(getattr(record, key) == value for key, value in span.items()):
        return record
    return record.model_copy(update=span)


def _foreign(
    annotation: Mapping[str, Any], bodies: Sequence[Mapping[str, Any]], article: Article, found: Anchor
) -> Claim:
    """A new claim from another tool's annotation: its tags and texts as fields and notes, status new."""
    fields: dict[str, Any] = {}
    notes: list[str] = []
    tags: list[str] = []
    for body in bodies:
        # Hypothesis's JSON-LD writes a body's text as "text" (the model's draft), the model as "value".
        value = _string(body.get("value", body.get("text"))).strip()
        if not value:
            continue
        purposes = body.get("purpose")
        purposes = set(purposes) if isinstance(purposes, list) else {purposes}
        if "tagging" in purposes:
            name, _, tagged = value.partition(":")
            if name == "claim_type" and tagged in set(ClaimType):
                fields["claim_type"] = ClaimType(tagged)
            elif name == "check_focus" and tagged in set(CheckFocus):
                fields["check_focus"] = CheckFocus(tagged)
            elif name not in TAGGED_FIELDS:
                tags.append(value)
        elif "identifying" in purposes and len(value) <= 300 and "claimant" not in fields:
            fields["claimant"] = value
        elif "describing" in purposes and len(value) <= 1000 and "claim_reviewed" not in fields:
            fields["claim_reviewed"] = value
        else:
            notes.append(value)
    if tags:
        notes.append("Tags: " + ", ".join(tags))
    draft = ClaimDraft(
        article_id=article.id,
        start=found.start,
        end=found.end,
        status=ClaimStatus.NEW,
        notes="\n\n".join(notes)[:20000],
        **fields,
    )
    identity = annotation.get("id")
    key = identity if isinstance(identity, str) and identity else _compact(dict(annotation))
    claim = new_claim(
        article, draft, by=_creator(annotation.get("creator")), now=_time(annotation.get("created"))
    )
    return claim.model_copy(update={"id": uuid.uuid5(uuid.NAMESPACE_URL, key).hex})


def _creator(creator: Any) -> str:
    """The creator's name: a Person's `name` or `nickname`, the user of an "acct:user@host" IRI, the IRI."""
    if isinstance(creator, list):
        creator = creator[0] if creator else None
    if isinstance(creator, Mapping):
        creator = creator.get("name") or creator.get("nickname") or creator.get("id")
    if isinstance(creator, str) and creator.strip():
        name = creator.strip()
        if name.startswith("acct:"):
            name = name[len("acct:") :].split("@", 1)[0] or name
        return name[:300]
    return FOREIGN_CREATOR


def _time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _types(value: Mapping[str, Any]) -> set[str]:
    kinds = value.get("type", value.get("@type"))
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return {kind.removeprefix("oa:") for kind in kinds if isinstance(kind, str)}


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _shown(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _compact(value: Any) -> str:
    return pydantic_core.to_json(value).decode("utf-8")
