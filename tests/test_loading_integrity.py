"""`claims load` stores a document whole or not at all, and only claims that fit the text that is stored."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import claims.formats.loading
from claims.annotations import new_claim
from claims.errors import ExportFormatError, StoreError
from claims.formats.articles import make_article
from claims.formats.export import SCHEMA_VERSION, export_bytes, export_document
from claims.formats.loading import load_export, read_export, read_export_file
from claims.models import Article, ClaimDraft, Decision, ExportDocument, SuggestionDecision, utc_now
from claims.store import open_repository
from claims.store.contract import Repository
from claims.suggest.engine import suggest_claims
from claims.suggest.review import open_suggestions, reject_suggestions

HARBOUR = (
    "The council spent 4 million euros on the new harbour wall. "
    "Mayor Jan Peeters said the work was finished on time. "
    "The opposition denied that any tender was held."
)


def article_and_claims(body: str, quotes: list[str], title: str = "Harbour") -> tuple[Article, list[dict]]:
    article = make_article(body, title=title)
    claims = []
    for quote in quotes:
        start = article.text.index(quote)
        draft = ClaimDraft(article_id=article.id, start=start, end=start + len(quote))
        claim = new_claim(article, draft, by="ana").model_dump(mode="json")
        standalone = {"sentences": [], "article_title": title, "article_url": None, "article_date": None}
        claims.append({**claim, **standalone})
    return article, claims


def document(articles: list[Article], claims: list[dict], version: int = 2) -> bytes:
    return json.dumps(
        {
            "schema_version": version,
            "exported_at": "2026-01-01T00:00:00Z",
            "articles": [article.model_dump(mode="json") for article in articles],
            "claims": claims,
        }
    ).encode()


def store_files(repo: Repository) -> dict[str, bytes]:
    """Every file of a TinyDB store but its revision token (renewed before a write's commit point)."""
    root = Path(repo.location).parent
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.name.endswith((".rev", ".lock"))
    }


# -- every claim fits the text that ends up stored (issue 8, item 1)


def test_an_article_twice_in_a_document_with_different_texts_is_refused_and_nothing_is_stored(
    repo: Repository,
) -> None:
    first, claims = article_and_claims(HARBOUR, ["Mayor Jan Peeters"])
    other = HARBOUR.replace("Mayor Jan Peeters", "Alderman Ann Smits")
    # The second copy keeps the id, hash and sentences of the first, but carries another text.
    second = first.model_copy(update={"text": other})
    start = other.index("Alderman Ann Smits")
    span = {"start": start, "end": start + len("Alderman Ann Smits"), "quote": "Alderman Ann Smits"}
    claim_on_second = {**claims[0], "id": "on-second", **span}
    data = document([first, second], [claim_on_second])

    with pytest.raises(ExportFormatError, match=rf"x\.json: articles\[1\] \({first.id}\)"):
        load_export(repo, read_export(data, "x.json"), "x.json")

    assert repo.list_articles() == [] and repo.list_claims() == []


def test_an_article_stored_under_the_same_id_with_another_text_refuses_the_load(repo: Repository) -> None:
    stored, _ = article_and_claims(HARBOUR, [])
    repo.add_article(stored)
    other = HARBOUR.replace("Mayor Jan Peeters", "Alderman Ann Smits")
    forged, claims = article_and_claims(other, ["Alderman Ann Smits"])
    # The document's article claims the stored id; its claims fit only the document's text.
    forged = forged.model_copy(update={"id": stored.id})
    claims = [{**claim, "article_id": stored.id} for claim in claims]

    with pytest.raises(ExportFormatError, match=stored.id):
        load_export(repo, read_export(document([forged], claims), "x.json"), "x.json")

    assert repo.get_article(stored.id) == stored
    assert repo.list_claims() == []


def with_first_sentence(article: Article, **changes: object) -> Article:
    return article.model_copy(update={"sentences": [article.sentences[0].model_copy(update=changes)]})


@pytest.mark.parametrize(
    "damage, problem",
    [
        (lambda a: a.model_copy(update={"id": "0123456789abcdef"}), "id is not the first 16 hex digits"),
        (lambda a: a.model_copy(update={"content_hash": "0" * 64}), "content_hash is not the SHA-256"),
        (lambda a: with_first_sentence(a, end=10_000), "sentences"),
        (lambda a: with_first_sentence(a, text="Other."), "sentences"),
    ],
    ids=["id not the text's hash", "wrong content hash", "sentence past the end", "sentence not the text"],
)
def test_an_article_that_does_not_match_its_own_text_is_refused_naming_it(
    repo: Repository, damage: object, problem: str
) -> None:
    article, claims = article_and_claims(HARBOUR, ["Mayor Jan Peeters"])
    damaged = damage(article)  # type: ignore[operator]
    damaged = damaged.model_copy(update={"sentence_count": len(damaged.sentences)})
    claims = [{**claim, "article_id": damaged.id} for claim in claims]
    with pytest.raises(ExportFormatError, match=rf"x\.json: articles\[0\] \({damaged.id}\): .*{problem}"):
        load_export(repo, read_export(document([damaged], claims), "x.json"), "x.json")
    assert repo.list_articles() == []


# -- all or nothing (issue 8, item 2)


def test_a_record_that_cannot_be_stored_late_in_a_document_stores_nothing(tmp_path: Path) -> None:
    repo = open_repository(tmp_path / "store" / "claims.json")
    articles = [make_article(f"Article number {i} says 4 million euros.", title=f"A{i}") for i in range(20)]
    loaded = read_export(document(articles, []), "x.json")
    # A lone surrogate has no UTF-8 form: the readers refuse it, so it is put in after reading, and
    # the store refuses it only when it writes it, after twenty good articles were staged.
    last = make_article("The last one.").model_copy(update={"title": "lone \ud800 surrogate"})
    loaded.articles.append(last)
    before = store_files(repo)

    with pytest.raises(StoreError, match="not a character"):
        load_export(repo, loaded, "x.json")

    assert repo.list_articles() == []
    assert store_files(repo) == before
    assert open_repository(repo.location).list_articles() == []


def test_a_version_1_document_still_loads(repo: Repository) -> None:
    article, claims = article_and_claims(HARBOUR, ["Mayor Jan Peeters", "4 million euros"])
    report = load_export(repo, read_export(document([article], claims, version=1), "old.json"), "old.json")
    assert (report.articles.added, report.claims.added) == (1, 2)
    assert [claim.quote for claim in repo.list_claims(article.id)] == ["Mayor Jan Peeters", "4 million euros"]


def test_a_load_larger_than_the_limit_is_refused_naming_the_file_and_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(document([make_article(HARBOUR)], []))
    monkeypatch.setattr(claims.formats.loading, "MAX_EXPORT_BYTES", 2**20 // 4)
    assert read_export_file(path).articles  # under the limit
    path.write_bytes(path.read_bytes() + b" " * 2**20)
    with pytest.raises(ExportFormatError, match=r"big\.json: the file is 1\.\d MB .*over the limit of 0 MB"):
        read_export_file(path)


# -- decisions and deletions travel with the export (issue 7, schema 2)


def test_decisions_and_deletions_come_back_with_a_load_and_a_second_load_adds_nothing(
    repo: Repository, tmp_path: Path
) -> None:
    article = make_article(
        "The navy said as many as 12,000 sailors took part. Officials said costs rose by 40 percent.",
        title="Drill",
    )
    repo.add_article(article)
    suggestions = suggest_claims(article.text)
    assert suggestions
    reject_suggestions(repo, article, suggestions[:1], by="ana")
    claim = new_claim(article, ClaimDraft(article_id=article.id, start=0, end=8), by="ana")
    repo.add_claim(claim)
    repo.delete_claim(article.id, claim.id, by="ben")
    data = export_bytes(repo, "json")
    assert json.loads(data)["schema_version"] == SCHEMA_VERSION

    target = open_repository(tmp_path / "copy" / "claims.json")
    first = load_export(target, read_export(data, "x.json"))
    again = load_export(target, read_export(data, "x.json"))

    assert (first.decisions.added, first.deletions.added) == (1, 1)
    assert (again.decisions.added, again.decisions.skipped, again.deletions.skipped) == (0, 1, 1)
    assert target.list_decisions(article.id) == repo.list_decisions(article.id)
    [deletion] = target.list_deletions()
    assert (deletion.by, deletion.claim) == ("ben", claim)
    shown = open_suggestions(suggestions, target.list_claims(), target.list_decisions(), 0.0)
    assert suggestions[0] not in shown
    assert _without_time(export_document(target)) == _without_time(export_document(repo))


def _without_time(exported: ExportDocument) -> dict[str, object]:
    data = exported.model_dump(mode="json")
    data.pop("exported_at")
    return data


def test_a_decision_for_an_article_nowhere_refuses_the_load(repo: Repository) -> None:
    article, _ = article_and_claims(HARBOUR, [])
    raw = json.loads(document([], []))
    decision = SuggestionDecision(
        article_id=article.id, start=0, end=3, claim_type="statistic", quote="The",
        decision=Decision.REJECTED, by="ana", at=utc_now(),
    )  # fmt: skip
    raw["decisions"] = [decision.model_dump(mode="json")]
    with pytest.raises(ExportFormatError, match=r"decisions\[0\] belongs to article"):
        load_export(repo, read_export(json.dumps(raw).encode(), "x.json"), "x.json")


# -- a load killed at any moment


LOADER = r"""
import sys
from pathlib import Path

from claims.formats.loading import load_export, read_export_file
from claims.store import open_repository
from claims.store.tinydb_store import TinyDBRepository

switch_in = TinyDBRepository._merge_staged


def announced(*args, **kwargs):
    print("switching", flush=True)
    return switch_in(*args, **kwargs)


TinyDBRepository._merge_staged = announced
repo = open_repository(sys.argv[1])
document = read_export_file(Path(sys.argv[2]))
print("ready", flush=True)
load_export(repo, document, "big.json")
print("done", flush=True)
"""


def big_document(path: Path, articles: int, with_claims_every: int) -> tuple[set[str], int]:
    rng = random.Random(3)
    made = []
    claims = []
    for i in range(articles):
        words = " ".join(rng.choice(["harbour", "wall", "council", "euros", "mayor"]) for _ in range(12))
        article, own = article_and_claims(f"Story {i}: {words}. The council spent {i} euros.", ["council"])
        made.append(article)
        if i % with_claims_every == 0:
            claims += own
    path.write_bytes(document(made, claims))
    return {article.id for article in made}, len(claims)


def kill_a_load(db: Path, source: Path, delay: float, after: str) -> tuple[str, float]:
    """Start a load, kill it `delay` seconds after it prints `after`: what it printed before dying, and
    how long after printing "switching" it died (0 if it never did)."""
    open_repository(db)
    child = subprocess.Popen(
        [sys.executable, "-c", LOADER, str(db), str(source)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    seen = []
    switched = 0.0
    while line := child.stdout.readline().strip():
        seen.append(line)
        switched = switched or (time.perf_counter() if line == "switching" else 0.0)
        if line == after:
            break
    assert seen and seen[-1] == after, child.communicate()[1]
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    output, _ = child.communicate()
    return " ".join([*seen, *output.split()]), time.perf_counter() - switched if switched else 0.0


@pytest.mark.slow
def test_a_load_killed_at_any_moment_leaves_all_of_it_or_none_of_it(tmp_path: Path) -> None:
    source = tmp_path / "big.json"
    ids, claim_count = big_document(source, 2_000, with_claims_every=5)
    rng = random.Random(11)
    # How long a load and its switch-in (under the lock: checks, index, journal, renames) take here.
    started = time.perf_counter()
    _, switch_in = kill_a_load(tmp_path / "timing" / "claims.json", source, 0.0, "done")
    duration = time.perf_counter() - started
    runs = [(rng.uniform(0.0, duration), "ready") for _ in range(6)]
    runs += [(rng.uniform(0.0, switch_in * 1.2), "switching") for _ in range(12)]
    outcomes = {"none": 0, "all": 0, "killed_in_switch_in": 0}
    for run, (delay, after) in enumerate(runs):
        db = tmp_path / f"run{run}" / "claims.json"
        said, _ = kill_a_load(db, source, delay, after)

        reopened = open_repository(db)

        stored = {summary.id for summary in reopened.list_articles()}
        claims = reopened.list_claims()
        if stored:
            assert stored == ids and len(claims) == claim_count, said
            outcomes["all"] += 1
        else:
            assert claims == [] and "done" not in said
            outcomes["none"] += 1
        outcomes["killed_in_switch_in"] += "switching" in said and "done" not in said
        root = db.parent / "claims.json.d"
        assert not (root / ".journal.json").exists()
        left = [path for path in root.glob(".*/**/*") if path.is_file() and ".deletions" not in path.parts]
        assert not left
    print(json.dumps({"kills": len(runs), **outcomes}))
