"""Shared fixtures: a repository of every backend, and small builders of articles and claims."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from app_support import SAMPLE_ARTICLE
from postgres_support import Databases, server_url

from claims.annotations import new_claim
from claims.formats.articles import read_article_file
from claims.models import Article, Claim, ClaimDraft, Sentence
from claims.store import open_repository
from claims.store.contract import Repository
from claims.store.memory import MemoryRepository
from claims.store.postgres import PostgresRepository

BACKENDS = ["memory", "tinydb", "postgres"]

HARBOUR = (
    "The council spent 4 million euros on the new harbour wall.",
    "Mayor Jan Peeters said the work was finished on time.",
    "The opposition denied that any tender was held.",
)

ArticleMaker = Callable[..., Article]
ClaimMaker = Callable[..., Claim]


@pytest.fixture(params=BACKENDS)
def repo(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Repository]:
    """Every backend, so one test states one contract for all of them."""
    if request.param == "memory":
        yield MemoryRepository()
    elif request.param == "postgres":
        databases: Databases = request.getfixturevalue("postgres_databases")
        url = databases.create()
        store = PostgresRepository(url)
        yield store
        store.close()
        databases.drop(url)
    else:
        yield open_repository(str(tmp_path / "store" / "claims.json"))


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[Databases]:
    """The test process's databases on the PostgreSQL test server (skips without one, except under CI)."""
    databases = Databases(server_url())
    yield databases
    databases.close()


@pytest.fixture
def postgres_url(postgres_databases: Databases) -> Iterator[str]:
    """A new database at the latest schema, dropped after the test."""
    url = postgres_databases.create()
    yield url
    postgres_databases.drop(url)


def build_article(
    article_id: str = "harbour",
    sentences: Sequence[str] = HARBOUR,
    title: str | None = "Harbour wall",
    imported_at: dt.datetime | None = None,
) -> Article:
    """An article whose sentences are its text joined by single spaces, offsets computed here.

    Built by hand rather than through claims.formats.articles, so these tests depend on the models alone.
    """
    parts: list[Sentence] = []
    start = 0
    for index, sentence in enumerate(sentences):
        parts.append(
            Sentence(index=index, paragraph=0, start=start, end=start + len(sentence), text=sentence)
        )
        start += len(sentence) + 1
    text = " ".join(sentences)
    return Article(
        id=article_id,
        title=title,
        url=f"https://news.example/{quote(article_id)}",
        date=dt.date(2024, 3, 1),
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        sentence_count=len(parts),
        source_file=f"{article_id}.txt",
        imported_at=imported_at or dt.datetime(2024, 3, 2, 9, 30, tzinfo=dt.UTC),
        imported_by="ana",
        text=text,
        sentences=parts,
    )


def build_claim(article: Article, quote: str, by: str = "ana", **fields: Any) -> Claim:
    """A version-1 claim on the first occurrence of `quote`, made the way every door makes one."""
    start = article.text.index(quote)
    draft = ClaimDraft(article_id=article.id, start=start, end=start + len(quote), **fields)
    return new_claim(article, draft, by=by)


@pytest.fixture
def make_article() -> ArticleMaker:
    return build_article


@pytest.fixture
def make_claim() -> ClaimMaker:
    return build_claim


@pytest.fixture
def article() -> Article:
    return build_article()


# --- the Streamlit app under AppTest -----------------------------------------------------------

APP_SCRIPT = str(Path(__file__).resolve().parents[1] / "annotator" / "streamlit_app.py")


@pytest.fixture
def app_script() -> str:
    return APP_SCRIPT


@pytest.fixture
def app_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repository:
    """A real TinyDB store on disk that the app under test opens through CLAIMS_DB."""
    location = tmp_path / "app-store" / "claims.json"
    monkeypatch.setenv("CLAIMS_DB", str(location))
    return open_repository(location)


@pytest.fixture
def stored_sample(app_store: Repository) -> Article:
    """The sample article the project ships, stored in the app's store."""
    article = read_article_file(SAMPLE_ARTICLE)[0]
    app_store.add_article(article)
    return article


@pytest.fixture
def app(app_store: Repository) -> Any:
    """The real app, signed in as "ana", on its first page."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP_SCRIPT, default_timeout=60)
    at.session_state["editor"] = "ana"
    at.run()
    assert not at.exception
    return at
