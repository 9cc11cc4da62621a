"""Shared fixtures: a repository of every backend, and small builders of articles and claims."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from app_support import SAMPLE_ARTICLE
from postgres_support import Databases, server_url
from records_support import build_article, build_claim

from claims.formats.articles import read_article_file
from claims.models import Article, Claim
from claims.store import open_repository
from claims.store.contract import Repository
from claims.store.memory import MemoryRepository
from claims.store.postgres import PostgresRepository

BACKENDS = ["memory", "tinydb", "postgres"]

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
