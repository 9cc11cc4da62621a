"""Resources every Streamlit session shares; each must be safe to use from several threads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from annotator.tables import article_rows
from claims.models import Article, StoreStats, Suggestion
from claims.stats import store_stats
from claims.store import MEMORY, default_store_location, is_server_url, open_repository
from claims.store.contract import Repository
from claims.suggest.engine import suggest_claims


def repository() -> Repository:
    """The store named by CLAIMS_DB (else data/claims.json); its methods lock across threads and processes."""
    return _open(_location())


def _location() -> str:
    """CLAIMS_DB as a cache key: a file path made absolute (a relative one names the same store from any
    working folder), a server URL or ":memory:" exactly as given (a URL is not a path to resolve)."""
    location = default_store_location()
    if location == MEMORY or is_server_url(location):
        return location
    return str(Path(location).expanduser().resolve())


@st.cache_resource(show_spinner=False)
def _open(location: str) -> Repository:
    return open_repository(location)


def current_stats() -> StoreStats:
    """Counts over the whole store, recomputed only when the store's revision changes.

    Every page's sidebar shows them on every rerun, and counting reads every claim (about 2 s at
    100,000 claims), so they are cached by revision, which any writer, in any process, changes.
    """
    location = _location()
    return _stats(location, _open(location).revision())


@st.cache_data(show_spinner=False, max_entries=16)
def _stats(location: str, revision: str) -> StoreStats:  # `revision` is only the cache key
    return store_stats(_open(location))


def article_table_rows() -> list[dict[str, Any]]:
    """The Articles table (counts, status breakdown, last editor), rebuilt only when the store changes.

    Building it reads every claim; cached by revision like `current_stats`, so selecting a row in
    the table does not read them again. Each call returns a fresh copy, free to change.
    """
    location = _location()
    return _article_rows(location, _open(location).revision())


@st.cache_data(show_spinner=False, max_entries=16)
def _article_rows(location: str, revision: str) -> list[dict[str, Any]]:  # `revision` is only the cache key
    repo = _open(location)
    return article_rows(repo.list_articles(), repo.list_claims())


def article_by_id(article_id: str) -> Article:
    """Articles never change once stored (the id is a hash of the text), so one parsed copy serves all."""
    return _article(_location(), article_id)


@st.cache_resource(show_spinner=False, max_entries=64)
def _article(location: str, article_id: str) -> Article:
    return _open(location).get_article(article_id)


def suggestions_for(article: Article) -> list[Suggestion]:
    """Every suggestion for an article, low scores included; computed once (an article never changes)."""
    return _suggestions(article.id, article)


@st.cache_resource(show_spinner="Looking for check-worthy claims…", max_entries=64)
def _suggestions(article_id: str, _article: Article) -> list[Suggestion]:
    return suggest_claims(_article.text, _article.sentences)
