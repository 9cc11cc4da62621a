"""Resources every Streamlit session shares; each must be safe to use from several threads."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import streamlit as st

from claims.actions import known_editors
from claims.article_listing import article_rows
from claims.errors import ClaimsError
from claims.match.desk import checked_before
from claims.models import (
    Article,
    ArticlePage,
    ArticleQuery,
    ArticleSummary,
    ClaimFilter,
    ClaimGroup,
    ClaimPage,
    ClaimQuery,
    StoreStats,
    Suggestion,
)
from claims.stats import store_stats
from claims.store import MEMORY, default_store_location, is_server_url, open_repository
from claims.store.contract import Repository
from claims.suggest.engine import suggest_claims


def repository() -> Repository:
    """The store named by CLAIMS_DB (else data/claims.json); its methods lock across threads and processes."""
    return _open(_location())


def store_location() -> str:
    """Where the store is, as CLAIMS_DB names it (a file path made absolute)."""
    return _location()


def _location() -> str:
    """CLAIMS_DB as a cache key: a file path made absolute (a relative one names the same store from any
    working folder), a server URL or ":memory:" exactly as given (a URL is not a path to resolve)."""
    location = default_store_location()
    if location == MEMORY or is_server_url(location):
        return location
    return str(Path(location).expanduser().resolve())


@st.cache_resource(show_spinner=False)
def _open(location: str) -> Repository:
    repo = open_repository(location)
    # The first query is the slow one: a file store builds its index then (about 3 s at 100,000 claims), a
    # database server reads its tables into its cache; the first "Checked before?" loads the embeddings and
    # builds the desk's matching index (about 24 s at 100,000 fact-checks). Asked here, in the background,
    # they are done while the first editor signs in, not in the rerun of the first panel opened.
    threading.Thread(target=_warm_up, args=(repo,), name="claims-warm-up", daemon=True).start()
    return repo


def _warm_up(repo: Repository) -> None:
    try:
        repo.count_claims_by("status")
        checked_before(repo, "warm up", top=1)
    except ClaimsError:
        pass  # the page that asks next shows what is wrong


def current_stats() -> StoreStats:
    """Counts over the whole store (from its aggregate queries), recomputed only when its revision changes.

    Every page's sidebar shows them on every rerun; any writer, in any process, changes the revision.
    """
    location = _location()
    return _stats(location, _open(location).revision())


@st.cache_data(show_spinner=False, max_entries=16)
def _stats(location: str, revision: str) -> StoreStats:  # `revision` is only the cache key
    return store_stats(_open(location))


# The page queries below are cached by the store's revision (and the query, as JSON): reruns that do not
# change what is asked (a row selected, a widget opened) and sessions looking at the same store ask once.


def claim_page(query: ClaimQuery) -> ClaimPage:
    """One page of claims and how many match (Repository.query_claims), as of the store's revision."""
    location = _location()
    return _claim_page(location, _open(location).revision(), query.model_dump_json())


@st.cache_data(show_spinner=False, max_entries=64)
def _claim_page(location: str, revision: str, query: str) -> ClaimPage:
    return _open(location).query_claims(ClaimQuery.model_validate_json(query))


def claim_counts(group: ClaimGroup, chosen: ClaimFilter | None = None) -> dict[str, int]:
    """How many claims (matching `chosen`) have each value of `group` (Repository.count_claims_by)."""
    location = _location()
    filter_json = chosen.model_dump_json() if chosen is not None else ""
    return _claim_counts(location, _open(location).revision(), group, filter_json)


@st.cache_data(show_spinner=False, max_entries=64)
def _claim_counts(location: str, revision: str, group: ClaimGroup, chosen: str) -> dict[str, int]:
    return _open(location).count_claims_by(group, ClaimFilter.model_validate_json(chosen) if chosen else None)


def article_page(query: ArticleQuery) -> ArticlePage:
    """One page of articles with their claim counts, and totals (Repository.query_articles)."""
    location = _location()
    return _article_page(location, _open(location).revision(), query.model_dump_json())


@st.cache_data(show_spinner=False, max_entries=64)
def _article_page(location: str, revision: str, query: str) -> ArticlePage:
    return _open(location).query_articles(ArticleQuery.model_validate_json(query))


def decision_tallies() -> dict[str, dict[str, int]]:
    """Accepted and rejected suggestions per claim type (Repository.count_decisions)."""
    location = _location()
    return _decision_tallies(location, _open(location).revision())


@st.cache_data(show_spinner=False, max_entries=16)
def _decision_tallies(location: str, revision: str) -> dict[str, dict[str, int]]:
    return _open(location).count_decisions()


def article_table_rows(query: ArticleQuery) -> tuple[list[dict[str, Any]], ArticlePage]:
    """One page of the Articles table (counts, status breakdown, last editor) and the page it shows.

    Each call returns fresh rows, free to change.
    """
    page = article_page(query)
    return article_rows(page.rows), page


def article_summaries(article_ids: Iterable[str]) -> dict[str, ArticleSummary]:
    """The summaries of these articles (those still stored), for the titles beside a page of claims.

    An article never changes once stored, so one shared map serves every session; the store's listing is
    read again only when an id is missing from it (an article imported since).
    """
    shared = _summaries(_location())
    known = shared["by_id"]
    wanted = set(article_ids)
    if not wanted <= known.keys():
        known = {summary.id: summary for summary in _open(_location()).list_articles()}
        shared["by_id"] = known  # every session shares it: replaced whole, never changed in place
    return {article_id: known[article_id] for article_id in wanted if article_id in known}


@st.cache_resource(show_spinner=False)
def _summaries(location: str) -> dict[str, dict[str, ArticleSummary]]:
    return {"by_id": {}}


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


def editors_known() -> list[str]:
    """Every editor the store knows (claims.actions.known_editors), sorted, as of the store's revision."""
    location = _location()
    return _editors_known(location, _open(location).revision())


@st.cache_data(show_spinner=False, max_entries=16)
def _editors_known(location: str, revision: str) -> list[str]:
    return sorted(known_editors(_open(location)), key=str.casefold)
