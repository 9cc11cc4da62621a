"""The query part of the repository contract (paged, filtered, sorted claims; grouped counts; paged
articles; one-write bulk edits), stated once and run against every backend."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any, get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from records_support import HARBOUR, build_article

from claims.annotations import apply_changes
from claims.errors import InvalidClaim
from claims.models import (
    Article,
    ArticleQuery,
    ArticleSort,
    Claim,
    ClaimChanges,
    ClaimFilter,
    ClaimGroup,
    ClaimQuery,
    ClaimSort,
    ClaimStatus,
    ClaimType,
    Comment,
    Decision,
    Source,
    SuggestionDecision,
    Verdict,
)
from claims.store.contract import Repository
from claims.store.queries import claim_page, count_by, group_value, matching_claims

T0 = dt.datetime(2025, 1, 6, 8, 0, tzinfo=dt.UTC)
QUOTES = ("4 million euros", "the new harbour wall", "Mayor Jan Peeters", "finished on time", "any tender")
CLAIMANTS = (None, "The council", "jan peeters", "Opposition")
EDITORS = ("ana", "ben", "chloé")
ASSIGNEES = (None, "ana", "ben")
NOTES = ("", "Checked against the BUDGET report", "ask the port authority")


# The workflow's stamps: a week boundary that is also a year boundary in ISO weeks (Monday 2024-12-30 is
# in 2025-W01), and status_since values that tie (the waiting sort then goes by id) or are missing.
STAMPS = (
    None,
    dt.datetime(2024, 12, 29, 23, 30, tzinfo=dt.UTC),
    dt.datetime(2024, 12, 30, 0, 30, tzinfo=dt.UTC),
    T0,
    T0 + dt.timedelta(days=9, hours=3),
)
MENTIONED = ((), ("ben",), ("ana", "chloé"), ("dana",))


def _comments(number: int) -> list[Comment]:
    """The thread of claim `number`: none, or one or two comments mentioning a few editors."""
    mentions = MENTIONED[number % len(MENTIONED)]
    return [
        Comment(id=f"k{number}-{n}", by=EDITORS[n % 3], at=T0 + dt.timedelta(hours=n), text=f"@{name} look",
                mentions=[name])
        for n, name in enumerate(mentions)
    ]  # fmt: skip


def _claim(article: Article, number: int) -> Claim:
    """Claim `number` of a varied store: every field takes several values, every timestamp is distinct
    (but for the workflow's stamps, which repeat on purpose)."""
    quote = QUOTES[number % len(QUOTES)]
    start = article.text.index(quote)
    created = T0 + dt.timedelta(minutes=7 * number)
    return Claim(
        rated_by=(None, *EDITORS, "dana")[(number * 3) % 5],
        rated_at=STAMPS[number % len(STAMPS)],
        approved_at=STAMPS[(number * 2) % len(STAMPS)],
        published_at=STAMPS[(number * 3 + 1) % len(STAMPS)],
        status_since=STAMPS[(number * 4 + 2) % len(STAMPS)],
        comments=_comments(number),
        id=f"c{number:03d}",
        article_id=article.id,
        start=start,
        end=start + len(quote),
        quote=quote,
        claim_type=list(ClaimType)[number % len(ClaimType)],
        claimant=CLAIMANTS[number % len(CLAIMANTS)],
        source=Source(name="Reuters") if number % 5 == 0 else None,
        status=list(ClaimStatus)[(number * 7) % len(ClaimStatus)],
        verdict=list(Verdict)[(number * 5) % len(Verdict)],
        assignee=ASSIGNEES[number % len(ASSIGNEES)],
        notes=NOTES[number % len(NOTES)],
        created_by=EDITORS[number % len(EDITORS)],
        created_at=created,
        updated_by=EDITORS[(number * 2) % len(EDITORS)],
        # Updates in another order than creation, so the sorts really differ.
        updated_at=created + dt.timedelta(hours=(number * 37) % 23),
        version=1 + number % 3,
    )


ARTICLES = [
    build_article("harbour", HARBOUR, title="Harbour wall", imported_at=T0),
    build_article("budget", HARBOUR, title="The BUDGET vote", imported_at=T0 + dt.timedelta(days=1)),
    build_article("untitled", HARBOUR, title=None, imported_at=T0 + dt.timedelta(days=2)),
    build_article("quiet", HARBOUR[:1], title="A quiet article", imported_at=T0 + dt.timedelta(days=3)),
]


@pytest.fixture
def varied(repo: Repository) -> Repository:
    """Four articles (the last without claims) and 30 claims that differ in every field."""
    claims = [_claim(ARTICLES[number % 3], number) for number in range(30)]
    repo.merge(ARTICLES, claims)
    return repo


# -- claims, a page at a time


def test_pages_of_claims_put_together_are_every_matching_claim_once(varied: Repository) -> None:
    every = varied.query_claims(ClaimQuery(limit=1000))
    assert every.total == 30
    pages = [varied.query_claims(ClaimQuery(offset=offset, limit=7)) for offset in range(0, 35, 7)]
    assert [page.total for page in pages] == [30] * 5
    assert [c.id for page in pages for c in page.claims] == [c.id for c in every.claims]
    assert sorted(c.id for c in every.claims) == sorted(c.id for c in varied.list_claims())


def test_a_page_past_the_end_is_empty_but_still_counts(varied: Repository) -> None:
    page = varied.query_claims(ClaimQuery(offset=500, limit=10))
    assert page.claims == [] and page.total == 30


def test_the_default_order_is_newest_change_first(varied: Repository) -> None:
    claims = varied.query_claims(ClaimQuery(limit=1000)).claims
    assert [c.updated_at for c in claims] == sorted((c.updated_at for c in claims), reverse=True)


def test_the_status_order_follows_the_workflow(varied: Repository) -> None:
    claims = varied.query_claims(ClaimQuery(sort=ClaimSort.STATUS, limit=1000)).claims
    positions = [list(ClaimStatus).index(c.status) for c in claims]
    assert positions == sorted(positions)
    assert claims[0].status is ClaimStatus.NEW and claims[-1].status is ClaimStatus.DROPPED


def test_the_article_order_follows_the_listing_then_the_text(varied: Repository) -> None:
    claims = varied.query_claims(ClaimQuery(sort=ClaimSort.ARTICLE, limit=1000)).claims
    order = [summary.id for summary in varied.list_articles()]
    keys = [(order.index(c.article_id), c.start, c.id) for c in claims]
    assert keys == sorted(keys)


def test_claims_without_a_claimant_sort_last_by_claimant(varied: Repository) -> None:
    claims = varied.query_claims(ClaimQuery(sort=ClaimSort.CLAIMANT, limit=1000)).claims
    named = [c.claimant for c in claims if c.claimant is not None]
    assert [c.claimant for c in claims] == named + [None] * (30 - len(named))
    assert named == sorted(named, key=str.casefold)


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        (ClaimFilter(statuses={ClaimStatus.NEW}), lambda c: c.status is ClaimStatus.NEW),
        (
            ClaimFilter(verdicts={Verdict.FALSE, Verdict.TRUE}),
            lambda c: c.verdict in {Verdict.FALSE, Verdict.TRUE},
        ),
        (ClaimFilter(types={ClaimType.QUOTE}), lambda c: c.claim_type is ClaimType.QUOTE),
        (ClaimFilter(claimants={""}), lambda c: c.claimant is None),
        (ClaimFilter(claimants={"The council"}), lambda c: c.claimant == "The council"),
        (ClaimFilter(assignees={"ben", ""}), lambda c: c.assignee in {"ben", None}),
        (ClaimFilter(editors={"chloé"}), lambda c: c.updated_by == "chloé"),
        (ClaimFilter(article_ids={"budget"}), lambda c: c.article_id == "budget"),
        (ClaimFilter(claim_ids={"c001", "c017", "nope"}), lambda c: c.id in {"c001", "c017"}),
        (ClaimFilter(text="budget"), lambda c: "budget" in c.notes.casefold()),
        (ClaimFilter(text="REUTERS"), lambda c: c.source is not None),
        (ClaimFilter(text="  JAN peeters "), lambda c: "jan peeters" in (c.quote + str(c.claimant)).lower()),
        (ClaimFilter(title="budget"), lambda c: c.article_id == "budget"),
        (
            ClaimFilter(statuses={ClaimStatus.NEW, ClaimStatus.DROPPED}, text="euros", editors={"ana"}),
            lambda c: (
                c.status in {ClaimStatus.NEW, ClaimStatus.DROPPED}
                and c.quote == "4 million euros"
                and c.updated_by == "ana"
            ),
        ),
    ],
)
def test_each_filter_keeps_exactly_the_claims_it_names(
    varied: Repository, chosen: ClaimFilter, expected: object
) -> None:
    wanted = {c.id for c in varied.list_claims() if expected(c)}  # type: ignore[operator]
    assert wanted, "the store should hold claims for every filter"
    page = varied.query_claims(ClaimQuery(filter=chosen, limit=1000))
    assert {c.id for c in page.claims} == wanted
    assert page.total == len(wanted)


def test_text_filters_treat_wildcard_characters_literally(varied: Repository) -> None:
    assert varied.query_claims(ClaimQuery(filter=ClaimFilter(text="%"))).total == 0
    assert varied.query_claims(ClaimQuery(filter=ClaimFilter(text="_"))).total == 0
    assert varied.query_claims(ClaimQuery(filter=ClaimFilter(title="%"))).total == 0


def test_pages_hold_whole_claims_as_stored(varied: Repository) -> None:
    page = varied.query_claims(ClaimQuery(filter=ClaimFilter(claim_ids={"c010"})))
    assert page.claims == [varied.get_claim("budget", "c010")]


QUERIES = st.builds(
    ClaimQuery,
    filter=st.builds(
        ClaimFilter,
        statuses=st.sets(st.sampled_from(ClaimStatus), max_size=2),
        verdicts=st.sets(st.sampled_from(Verdict), max_size=2),
        types=st.sets(st.sampled_from(ClaimType), max_size=2),
        claimants=st.sets(st.sampled_from(["", "The council", "jan peeters"]), max_size=1),
        assignees=st.sets(st.sampled_from(["", "ana", "ben"]), max_size=1),
        editors=st.sets(st.sampled_from(EDITORS), max_size=1),
        article_ids=st.sets(st.sampled_from(["harbour", "budget", "quiet"]), max_size=1),
        text=st.sampled_from(["", "euros", "PEETERS", "report", "reuters", "zzz"]),
        title=st.sampled_from(["", "harbour", "THE", "quiet"]),
        mine=st.sampled_from(["", "", *EDITORS, "dana", "nobody"]),
    ),
    sort=st.sampled_from(ClaimSort),
    offset=st.integers(0, 32),
    limit=st.integers(1, 12),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=QUERIES)
def test_every_query_answers_as_the_reference_does(varied: Repository, query: ClaimQuery) -> None:
    expected = claim_page(varied.list_claims(), varied.list_articles(), query)
    assert varied.query_claims(query) == expected


GROUPS: tuple[ClaimGroup, ...] = get_args(ClaimGroup)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(group=st.sampled_from(GROUPS), query=QUERIES)
def test_every_count_answers_as_the_reference_does(
    varied: Repository, group: ClaimGroup, query: ClaimQuery
) -> None:
    matching = matching_claims(varied.list_claims(), varied.list_articles(), query.filter, query.sort)
    assert varied.count_claims_by(group, query.filter) == count_by(matching, group)


WORKFLOW_FIELDS = st.fixed_dictionaries(
    {
        "status": st.sampled_from(ClaimStatus),
        "assignee": st.sampled_from(ASSIGNEES),
        "rated_by": st.sampled_from((None, *EDITORS, "dana")),
        "rated_at": st.sampled_from(STAMPS),
        "approved_at": st.sampled_from(STAMPS),
        "published_at": st.sampled_from(STAMPS),
        "status_since": st.sampled_from(STAMPS),
        "mentions": st.sets(st.sampled_from((*EDITORS, "dana")), max_size=2),
    }
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.lists(WORKFLOW_FIELDS, min_size=1, max_size=12),
    query=QUERIES,
    group=st.sampled_from(get_args(ClaimGroup)),
)
def test_random_workflow_records_are_queried_and_counted_as_the_reference_does(
    repo: Repository, fields: list[dict[str, Any]], query: ClaimQuery, group: ClaimGroup
) -> None:
    article = ARTICLES[0]
    claims = []
    for number, chosen in enumerate(fields):
        mentions = chosen.pop("mentions")
        comments = [
            Comment(id=f"k{number}-{name}", by="ana", at=T0, text=f"@{name}", mentions=[name])
            for name in mentions
        ]
        claims.append(_claim(article, number).model_copy(update={**chosen, "comments": comments}))
    repo.merge([article], claims)
    try:
        stored, articles = repo.list_claims(), repo.list_articles()
        assert repo.query_claims(query) == claim_page(stored, articles, query)
        matching = matching_claims(stored, articles, query.filter, query.sort)
        assert repo.count_claims_by(group, query.filter) == count_by(matching, group)
    finally:
        repo.delete_article(article.id, by="test")  # the next example starts from an empty store


# -- counts


def test_counts_by_every_group_add_up_to_the_matching_claims(varied: Repository) -> None:
    claims = varied.list_claims()
    for group in GROUPS:
        counts = varied.count_claims_by(group)
        expected: dict[str, int] = {}
        for claim in claims:
            key = group_value(claim, group)
            expected[key] = expected.get(key, 0) + 1
        assert counts == expected, group
    assert varied.count_claims_by("rated_week").keys() == {"", "2024-W52", "2025-W01", "2025-W02", "2025-W03"}
    statuses = varied.count_claims_by("status", ClaimFilter(article_ids={"budget"}))
    assert sum(statuses.values()) == 10 and all(statuses.values())


def test_an_empty_store_counts_nothing(repo: Repository) -> None:
    assert repo.count_claims_by("status") == {}
    assert repo.query_claims(ClaimQuery()).total == 0
    assert repo.query_articles(ArticleQuery()).total == 0
    assert repo.count_decisions() == {}


def test_decisions_are_counted_per_claim_type(repo: Repository) -> None:
    article = ARTICLES[0]
    repo.add_article(article)

    def decided(start: int, claim_type: ClaimType, decision: Decision) -> SuggestionDecision:
        return SuggestionDecision(
            article_id=article.id, start=start, end=start + 3, claim_type=claim_type,
            quote=article.text[start : start + 3], decision=decision, by="ana", at=T0,
        )  # fmt: skip

    repo.record_decisions(
        article.id,
        [
            decided(0, ClaimType.STATISTIC, Decision.ACCEPTED),
            decided(4, ClaimType.STATISTIC, Decision.REJECTED),
            decided(8, ClaimType.STATISTIC, Decision.ACCEPTED),
            decided(12, ClaimType.DENIAL, Decision.REJECTED),
        ],
    )
    assert repo.count_decisions() == {
        "statistic": {"accepted": 2, "rejected": 1},
        "denial": {"accepted": 0, "rejected": 1},
    }


# -- articles, a page at a time


def test_article_rows_count_their_claims_and_statuses(varied: Repository) -> None:
    page = varied.query_articles(ArticleQuery())
    assert [row.article.id for row in page.rows] == ["quiet", "untitled", "budget", "harbour"]
    assert (page.total, page.claims) == (4, 30)
    assert page.sentences == sum(a.sentence_count for a in ARTICLES)
    claims = varied.list_claims()
    for row in page.rows:
        own = [c for c in claims if c.article_id == row.article.id]
        assert row.claims == len(own)
        assert sum(row.by_status.values()) == len(own) and all(row.by_status.values())
        latest = max(own, key=lambda c: c.updated_at, default=None)
        assert row.last_updated_at == (latest.updated_at if latest else None)
        assert row.last_updated_by == (latest.updated_by if latest else None)
        assert row.article == next(s for s in varied.list_articles() if s.id == row.article.id)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (ArticleQuery(text="BUDGET"), ["budget"]),
        (ArticleQuery(text="untitled.txt"), ["untitled"]),
        (ArticleQuery(text="news.example/harbour"), ["harbour"]),
        (ArticleQuery(text="%"), []),
        (ArticleQuery(claims="none"), ["quiet"]),
        (ArticleQuery(claims="some", limit=2), ["untitled", "budget"]),
        (ArticleQuery(claims="some", offset=2), ["harbour"]),
        (ArticleQuery(sort=ArticleSort.TITLE), ["untitled", "quiet", "harbour", "budget"]),
        (ArticleQuery(sort=ArticleSort.CLAIMS_DESC), ["untitled", "budget", "harbour", "quiet"]),
    ],
)
def test_articles_are_found_filtered_and_sorted(
    varied: Repository, query: ArticleQuery, expected: list[str]
) -> None:
    assert [row.article.id for row in varied.query_articles(query).rows] == expected


def test_articles_by_latest_change_put_those_without_claims_last(varied: Repository) -> None:
    rows = varied.query_articles(ArticleQuery(sort=ArticleSort.UPDATED_DESC)).rows
    changed = [row.last_updated_at for row in rows[:3]]
    assert changed == sorted(changed, reverse=True)  # type: ignore[type-var]
    assert rows[-1].article.id == "quiet"


# -- many claims in one write


def _set_status(status: ClaimStatus, by: str = "dana") -> object:
    def edit(current: Claim) -> Claim:
        if current.status is status:
            return current
        if current.id == "c006":
            raise InvalidClaim("status", status, "this one is refused")
        return apply_changes(ClaimChanges(status=status), current.version, by)(current)

    return edit


def test_a_bulk_edit_writes_every_matching_claim_at_once(varied: Repository) -> None:
    chosen = ClaimFilter(article_ids={"harbour"})
    before = {c.id: c for c in varied.list_claims()}
    revision = varied.revision()
    outcome = varied.update_claims(chosen, _set_status(ClaimStatus.DROPPED))  # type: ignore[arg-type]
    assert varied.revision() != revision
    harbour = [c for c in before.values() if c.article_id == "harbour"]
    already = {c.id for c in harbour if c.status is ClaimStatus.DROPPED}
    assert [r.claim_id for r in outcome.refused] == ["c006"]
    assert "this one is refused" in outcome.refused[0].reason
    assert {a.after.id for a in outcome.applied} == {c.id for c in harbour} - already - {"c006"}
    for applied in outcome.applied:
        assert applied.before == before[applied.after.id]
        assert applied.after.version == applied.before.version + 1
        assert varied.get_claim("harbour", applied.after.id) == applied.after
    order = [(a.after.start, a.after.id) for a in outcome.applied]
    assert order == sorted(order)
    untouched = [c for c in varied.list_claims() if c.article_id != "harbour" or c.id == "c006"]
    assert all(c == before[c.id] for c in untouched)


def test_a_bulk_edit_that_changes_nothing_keeps_the_revision(varied: Repository) -> None:
    revision = varied.revision()
    outcome = varied.update_claims(ClaimFilter(claim_ids={"c006"}), _set_status(ClaimStatus.DROPPED))  # type: ignore[arg-type]
    assert outcome.applied == [] and len(outcome.refused) == 1
    assert varied.revision() == revision
    outcome = varied.update_claims(ClaimFilter(claim_ids={"nope"}), _set_status(ClaimStatus.DROPPED))  # type: ignore[arg-type]
    assert outcome.applied == outcome.refused == []


def test_queries_see_every_kind_of_write_at_once(repo: Repository) -> None:
    article = ARTICLES[0]
    repo.add_article(article)
    claims = [_claim(article, n).model_copy(update={"status": ClaimStatus.NEW}) for n in range(0, 9, 3)]
    for claim in claims:
        repo.add_claim(claim)
    first = ClaimQuery(filter=ClaimFilter(statuses={ClaimStatus.DROPPED}))
    assert repo.query_claims(first).total == 0
    for step, claim in zip(itertools.count(), claims, strict=False):
        repo.update_claim(
            article.id, claim.id,
            apply_changes(ClaimChanges(status=ClaimStatus.DROPPED), claim.version, "ben"),
        )  # fmt: skip
        assert repo.query_claims(first).total == step + 1
        assert repo.count_claims_by("status").get("dropped") == step + 1
    repo.delete_claim(article.id, claims[0].id, by="ben")
    assert repo.query_claims(first).total == 2
    assert repo.query_articles(ArticleQuery()).rows[0].claims == 2
    repo.delete_article(article.id, by="ben")
    assert repo.query_claims(first).total == 0
    assert repo.query_articles(ArticleQuery()).total == 0
