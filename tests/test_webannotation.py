"""W3C Web Annotation: claims go out as JSON-LD annotations and come back, re-anchored where their quote is
now, from this tool or from others (Hypothesis)."""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from claims.annotations import apply_changes, new_claim
from claims.cli import cli
from claims.errors import ExportFormatError
from claims.formats.anchoring import CONTEXT, anchor, selector_for
from claims.formats.articles import make_article
from claims.formats.export import FILE_SUFFIXES, MEDIA_TYPES, export_bytes
from claims.formats.loading import merge_export, read_loadable_file
from claims.formats.webannotation import ANNO_CONTEXT, RECORD_FORMAT
from claims.models import (
    Article,
    Claim,
    ClaimChanges,
    ClaimDraft,
    ClaimStatus,
    ClaimType,
    MergeReport,
    Verdict,
)
from claims.store import open_repository
from claims.store.contract import Repository
from claims.store.memory import MemoryRepository

FIRST = "The council spent 4 million euros on the new harbour wall."
SECOND = "Mayor Jan Peeters said the work was finished on time, and the council agreed."
THIRD = "The opposition denied that any tender was held."
BODY = f"{FIRST} {SECOND}\n\n{THIRD}"
URL = "https://news.example/harbour"


def harbour(body: str = BODY, url: str | None = URL) -> Article:
    return make_article(body, title="Harbour wall", url=url)


def add(repo: Repository, article: Article, quote: str, occurrence: int = 0, **fields: Any) -> Claim:
    start = -1
    for _ in range(occurrence + 1):
        start = article.text.index(quote, start + 1)
    draft = ClaimDraft(article_id=article.id, start=start, end=start + len(quote), **fields)
    claim = new_claim(article, draft, by="ana")
    repo.add_claim(claim)
    return claim


def document(repo: Repository) -> dict[str, Any]:
    exported: dict[str, Any] = json.loads(export_bytes(repo, "webannotation"))
    return exported


def items(exported: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = exported["first"]["items"]
    return found


def load(repo: Repository, value: Any, tmp_path: Path) -> MergeReport:
    """Load a Web Annotation document the way `claims load FILE` does."""
    path = tmp_path / "annotations.jsonld"
    path.write_text(json.dumps(value))
    return merge_export(repo, read_loadable_file(path), path.name)


def position(annotation: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = annotation["target"]["selector"][1]
    return found


def quote_selector(annotation: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = annotation["target"]["selector"][0]
    return found


def test_each_claim_is_one_annotation_in_a_collection_shaped_as_the_w3c_model(tmp_path: Path) -> None:
    repo = MemoryRepository()
    article = harbour()
    repo.add_article(article)
    claim = add(repo, article, "4 million euros", claim_type=ClaimType.STATISTIC, claimant="The council")
    rated = repo.update_claim(
        article.id,
        claim.id,
        apply_changes(ClaimChanges(verdict=Verdict.FALSE, notes="See the budget."), 1, "ben"),
    )
    exported = document(repo)

    assert (MEDIA_TYPES["webannotation"], FILE_SUFFIXES["webannotation"]) == (
        "application/ld+json",
        "webannotation.jsonld",
    )
    assert exported["@context"] == ANNO_CONTEXT and exported["type"] == "AnnotationCollection"
    assert exported["total"] == 1 and exported["first"]["type"] == "AnnotationPage"
    [annotation] = items(exported)
    assert annotation["id"] == f"urn:uuid:{claim.id[:8]}-{claim.id[8:12]}-{claim.id[12:16]}-" + (
        f"{claim.id[16:20]}-{claim.id[20:]}"
    )
    assert annotation["type"] == "Annotation" and annotation["motivation"] == "assessing"
    assert annotation["creator"] == {"type": "Person", "name": "ana"}
    assert annotation["created"].startswith(claim.created_at.date().isoformat())
    assert annotation["modified"] != annotation["created"]
    start = article.text.index("4 million euros")
    assert annotation["target"]["source"] == URL
    assert annotation["target"]["selector"] == [
        {"type": "TextQuoteSelector", "exact": "4 million euros",
         "prefix": article.text[max(0, start - CONTEXT) : start],
         "suffix": article.text[start + 15 : start + 15 + CONTEXT]},
        {"type": "TextPositionSelector", "start": start, "end": start + 15},
    ]  # fmt: skip
    assert len(quote_selector(annotation)["suffix"]) == CONTEXT == 32
    bodies = {(body.get("purpose"), body["value"]) for body in annotation["body"] if "purpose" in body}
    assert bodies >= {
        ("tagging", "claim_type:statistic"),
        ("tagging", "status:new"),
        ("tagging", "verdict:false"),
        ("identifying", "The council"),
        ("commenting", "See the budget."),
    }
    [record] = [body for body in annotation["body"] if body.get("format") == RECORD_FORMAT]
    assert Claim.model_validate_json(record["value"]) == rated


def test_an_article_without_a_url_is_named_by_a_urn() -> None:
    repo = MemoryRepository()
    article = harbour(url=None)
    repo.add_article(article)
    add(repo, article, "4 million euros")
    [annotation] = items(document(repo))
    assert annotation["target"]["source"] == f"urn:claims:article:{article.id}"
    assert annotation["motivation"] == "classifying"


def walked(repo: Repository, article: Article) -> Claim:
    claim = add(repo, article, "Mayor Jan Peeters said the work was finished on time", claimant="Jan Peeters")
    for by, changes, comment in [
        ("ana", ClaimChanges(status=ClaimStatus.IN_PROGRESS, verdict=Verdict.MOSTLY_TRUE), None),
        ("ana", ClaimChanges(status=ClaimStatus.NEEDS_REVIEW), "Ready."),
        ("ben", ClaimChanges(status=ClaimStatus.IN_PROGRESS), "Which contract?"),
    ]:
        claim = repo.update_claim(article.id, claim.id, apply_changes(changes, None, by, comment=comment))
    return claim


def test_a_round_trip_into_a_fresh_store_gives_the_same_claims(repo: Repository, tmp_path: Path) -> None:
    source = MemoryRepository()
    article, other = harbour(), harbour("Nobody denied it. The navy said 12,000 sailors took part.", url=None)
    for each in (article, other):
        source.add_article(each)
    walked(source, article)
    add(source, article, "4 million euros", claim_type=ClaimType.STATISTIC)
    add(source, other, "12,000 sailors", claimant="The navy")
    exported = document(source)
    for each in (article, other):
        repo.add_article(each)

    report = load(repo, exported, tmp_path)
    again = load(repo, exported, tmp_path)

    assert (report.claims.added, report.unanchored) == (3, [])
    assert (again.claims.added, again.claims.skipped) == (0, 3)
    key = sorted_by_id
    assert key(repo.list_claims()) == key(source.list_claims())


def sorted_by_id(claims: list[Claim]) -> list[Claim]:
    return sorted(claims, key=lambda claim: claim.id)


def test_shifted_positions_are_re_anchored_by_the_quote(tmp_path: Path) -> None:
    repo = MemoryRepository()
    article = harbour()
    repo.add_article(article)
    claim = add(repo, article, "4 million euros")
    exported = document(repo)
    repo.delete_claim(article.id, claim.id, by="ana")
    position(items(exported)[0]).update(start=3, end=18)

    report = load(repo, exported, tmp_path)

    [loaded] = repo.list_claims()
    assert report.unanchored == [] and (loaded.start, loaded.end) == (claim.start, claim.end)
    assert loaded.id == claim.id


def test_a_re_imported_article_with_a_paragraph_added_before_the_claim_takes_the_claim(
    tmp_path: Path,
) -> None:
    source = MemoryRepository()
    article = harbour()
    source.add_article(article)
    claim = walked(source, article)
    exported = document(source)
    revised = harbour("Update: the council answered our questions.\n\n" + BODY)
    assert revised.id != article.id and revised.url == article.url
    repo = MemoryRepository()
    repo.add_article(revised)

    report = load(repo, exported, tmp_path)

    [loaded] = repo.list_claims()
    assert report.unanchored == []
    assert loaded.article_id == revised.id and loaded.quote == claim.quote
    assert revised.text[loaded.start : loaded.end] == claim.quote and loaded.start > claim.start
    assert loaded.history == claim.history and loaded.comments == claim.comments


def test_a_repeated_quote_picks_the_occurrence_whose_prefix_and_suffix_match(tmp_path: Path) -> None:
    repo = MemoryRepository()
    article = harbour()
    repo.add_article(article)
    claim = add(repo, article, "council", occurrence=1)  # "... on time, and the council agreed."
    exported = document(repo)
    repo.delete_claim(article.id, claim.id, by="ana")
    annotation = items(exported)[0]
    annotation["target"]["selector"] = [quote_selector(annotation)]  # no positions: the quote alone
    assert article.text.count("council") == 2 and article.text.index("council") < claim.start

    load(repo, exported, tmp_path)

    [loaded] = repo.list_claims()
    assert (loaded.start, loaded.end) == (claim.start, claim.end)


def test_a_quote_altered_by_one_word_is_found_by_the_fuzzy_step(tmp_path: Path) -> None:
    source = MemoryRepository()
    article = harbour()
    source.add_article(article)
    add(source, article, "Mayor Jan Peeters said the work was finished on time")
    exported = document(source)
    edited = harbour(BODY.replace("work was finished", "work was completed"))
    repo = MemoryRepository()
    repo.add_article(edited)

    report = load(repo, exported, tmp_path)

    [loaded] = repo.list_claims()
    assert report.unanchored == []
    assert loaded.quote == "Mayor Jan Peeters said the work was completed on time"
    assert edited.text[loaded.start : loaded.end] == loaded.quote


def test_a_quote_found_nowhere_is_reported_and_the_others_load(tmp_path: Path) -> None:
    source = MemoryRepository()
    article = harbour()
    source.add_article(article)
    add(source, article, "4 million euros")
    gone = add(source, article, "The opposition denied that any tender was held.")
    exported = document(source)
    rewritten = harbour(f"{FIRST} {SECOND}\n\nA new closing paragraph about something else entirely.")
    repo = MemoryRepository()
    repo.add_article(rewritten)

    report = load(repo, exported, tmp_path)

    assert [claim.quote for claim in repo.list_claims()] == ["4 million euros"]
    [message] = report.unanchored
    assert message.startswith(f"annotation urn:uuid:{gone.id[:8]}")
    assert "'The opposition denied that any tender was held.' is not in the stored text of" in message


def test_an_annotation_whose_article_is_not_stored_is_reported(tmp_path: Path) -> None:
    source = MemoryRepository()
    article = harbour()
    source.add_article(article)
    add(source, article, "4 million euros")
    report = load(MemoryRepository(), document(source), tmp_path)
    assert report.claims.added == 0
    assert report.unanchored[0].endswith(
        f"its article {URL} is not stored: import the article, then load again"
    )


# As Hypothesis's AnnotationJSONLDPresenter writes one (h/presenters): the creator is the account, a body's
# text is under "text", tags are tagging bodies, the target a list with Hypothesis's selectors.
HYPOTHESIS_ANNOTATION = {
    "@context": "http://www.w3.org/ns/anno.jsonld",
    "type": "Annotation",
    "id": "https://hypothes.is/a/kZa7nB9zEe6xZ1t3",
    "created": "2024-03-02T10:11:12.000000+00:00",
    "modified": "2024-03-02T10:15:00.000000+00:00",
    "creator": "acct:alice@hypothes.is",
    "body": [
        {"type": "TextualBody", "text": "Check this figure against the budget.", "format": "text/markdown"},
        {"type": "TextualBody", "text": "budget", "purpose": "tagging"},
        {"type": "TextualBody", "text": "claim_type:statistic", "purpose": "tagging"},
    ],
    "target": [
        {
            "source": URL,
            "selector": [
                {"type": "RangeSelector", "startContainer": "/main[1]/p[1]", "startOffset": 18,
                 "endContainer": "/main[1]/p[1]", "endOffset": 33},
                {"type": "TextPositionSelector", "start": 18, "end": 33},
                {"type": "TextQuoteSelector", "exact": "4 million euros", "prefix": "The council spent ",
                 "suffix": " on the new harbour wall. Mayor"},
            ],
        }
    ],
}  # fmt: skip


def test_a_hypothesis_annotation_becomes_a_new_claim_by_its_creator(tmp_path: Path) -> None:
    repo = MemoryRepository()
    article = harbour()
    repo.add_article(article)

    report = load(repo, HYPOTHESIS_ANNOTATION, tmp_path)
    again = load(repo, [HYPOTHESIS_ANNOTATION], tmp_path)

    [claim] = repo.list_claims()
    assert report.claims.added == 1 and (again.claims.added, again.claims.skipped) == (0, 1)
    assert (claim.quote, claim.claim_type, claim.status, claim.verdict) == (
        "4 million euros", ClaimType.STATISTIC, ClaimStatus.NEW, Verdict.UNRATED,
    )  # fmt: skip
    assert claim.created_by == "alice" and claim.created_at.isoformat().startswith("2024-03-02T10:11:12")
    assert claim.notes == "Check this figure against the budget.\n\nTags: budget"
    assert len(claim.history) == 1


def test_an_annotation_page_and_an_untagged_annotation_without_creator_load(tmp_path: Path) -> None:
    repo = MemoryRepository()
    repo.add_article(harbour())
    bare = {k: v for k, v in HYPOTHESIS_ANNOTATION.items() if k not in ("creator", "body", "id")}
    page = {"@context": ANNO_CONTEXT, "type": "AnnotationPage", "items": [bare]}
    report = load(repo, page, tmp_path)
    [claim] = repo.list_claims()
    assert report.claims.added == 1
    assert (claim.created_by, claim.claim_type, claim.notes) == ("web annotation", ClaimType.OTHER, "")


def test_an_annotation_without_a_quote_selector_is_reported(tmp_path: Path) -> None:
    repo = MemoryRepository()
    repo.add_article(harbour())
    pointless = HYPOTHESIS_ANNOTATION | {"id": "x1", "target": URL}
    report = load(repo, [HYPOTHESIS_ANNOTATION, pointless], tmp_path)
    assert report.claims.added == 1
    assert report.unanchored == [
        "annotation x1: its target has no source with a TextQuoteSelector (exact text) to anchor it by"
    ]


words = st.text(alphabet="abcde fgh.,\n", min_size=1, max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.lists(words, min_size=1, max_size=30).map("".join), data=st.data())
def test_for_any_text_and_span_export_then_load_anchors_exactly(body: str, data: st.DataObject) -> None:
    assume(body.strip())
    article = make_article(body, url=data.draw(st.sampled_from([None, URL])))
    text = article.text
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    assume(text[start:end].strip())
    source = MemoryRepository()
    source.add_article(article)
    claim = new_claim(article, ClaimDraft(article_id=article.id, start=start, end=end), by="ana")
    source.add_claim(claim)
    exported = json.loads(export_bytes(source, "webannotation"))
    without_positions = json.loads(json.dumps(exported))
    selectors = items(without_positions)[0]["target"]["selector"]
    del selectors[1]

    quote = items(exported)[0]["target"]["selector"][0]
    context = quote["prefix"] + quote["exact"] + quote["suffix"]
    unique = sum(text.startswith(context, at) for at in range(len(text))) == 1
    # Without positions, the quote is found again wherever its context tells it apart from its repeats.
    for value in (exported, without_positions) if unique else (exported,):
        target = MemoryRepository()
        target.add_article(article)
        report = merge_export(target, read_loadable_file(write(value)), "annotations.jsonld")
        assert report.unanchored == []
        assert target.list_claims() == [claim]


def write(value: Any) -> Path:
    handle = tempfile.NamedTemporaryFile("w", suffix=".jsonld", delete=False)
    with handle:
        json.dump(value, handle)
    return Path(handle.name)


def test_claims_load_reads_web_annotations_and_prints_what_it_could_not_anchor(tmp_path: Path) -> None:
    db = tmp_path / "store" / "claims.json"
    repo = open_repository(db)
    repo.add_article(harbour())
    nowhere = HYPOTHESIS_ANNOTATION | {"id": "h2"}
    nowhere["target"] = [
        {"source": URL, "selector": [{"type": "TextQuoteSelector", "exact": "No such words"}]}
    ]
    path = tmp_path / "from-hypothesis.jsonld"
    path.write_text(json.dumps([HYPOTHESIS_ANNOTATION, nowhere]))

    result = CliRunner().invoke(cli, ["load", str(path), "--db", str(db)])

    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["claims"]["added"] == 1
    assert report["unanchored"] == [
        f"annotation h2: its quote 'No such words' is not in the stored text of {URL}"
    ]
    assert [claim.quote for claim in open_repository(db).list_claims()] == ["4 million euros"]


def test_a_long_quote_changed_near_its_end_is_found_with_its_new_end() -> None:
    vocabulary = "harbour council mayor wall euros budget tender audit works minister said spent".split()
    rng = random.Random(7)
    text = " ".join(rng.choice(vocabulary) for _ in range(600)) + "."
    start, end = 400, 2200
    end = text.index(" ", end)  # the quote ends at a word's end
    selector = selector_for(text, start, end)
    changed = text[: end - 12] + " and much more, said the mayor." + text[end:]

    found = anchor(changed, selector)

    assert found is not None and found.how == "fuzzy"
    assert (found.start, changed[found.end - 10 : found.end]) == (start, "the mayor.")


def test_a_broken_annotation_file_is_refused_naming_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonld"
    path.write_text('{"@context": "http://www.w3.org/ns/anno.jsonld",\n "type": "Annotation",\n "target": [}')
    with pytest.raises(ExportFormatError, match=r"^line 3 of broken\.jsonld: not valid JSON"):
        read_loadable_file(path)


def test_an_annotation_with_a_damaged_claim_record_is_reported_and_the_others_load(tmp_path: Path) -> None:
    source = MemoryRepository()
    article = harbour()
    source.add_article(article)
    add(source, article, "4 million euros")
    damaged = add(source, article, "The opposition denied")
    exported = document(source)
    for annotation in items(exported):
        if annotation["id"].endswith(damaged.id[20:]):
            [record] = [body for body in annotation["body"] if body.get("format") == RECORD_FORMAT]
            record["value"] = record["value"].replace('"version":1', '"version":0')
    repo = MemoryRepository()
    repo.add_article(article)

    report = load(repo, exported, tmp_path)

    assert [claim.quote for claim in repo.list_claims()] == ["4 million euros"]
    [message] = report.unanchored
    assert "its claim record is not valid" in message
