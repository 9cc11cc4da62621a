"""Overview: the desk's progress at a glance, in the app's words and the workflow's order, from the store's
counts and short queries (never every claim)."""

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from annotator.palette import STATUS_COLOURS, VERDICT_COLOURS
from annotator.resources import (
    article_page,
    article_summaries,
    claim_counts,
    claim_page,
    current_stats,
    decision_tallies,
)
from annotator.text import STATUS_ORDER, VERDICT_ORDER, printable, waited
from claims.article_listing import article_title
from claims.labels import label
from claims.models import (
    ArticleQuery,
    Claim,
    ClaimFilter,
    ClaimGroup,
    ClaimQuery,
    ClaimSort,
    ClaimStatus,
    utc_now,
)
from claims.suggest.review import DecisionCounts

RECENT_CHANGES = 15


def ordered_bars(
    counts: Mapping[str, int], order: Sequence[str], colours: Mapping[str, str]
) -> dict[str, Any]:
    """A Vega-Lite bar chart with one bar per value, top to bottom in `order`, labelled in words.

    The order is given to the chart explicitly: left to itself a chart sorts its categories
    alphabetically ("approved" before "new").
    """
    labels = [label(value) for value in order]
    count = {"field": "claims", "type": "quantitative"}
    return {
        "data": {"values": [{"label": label(value), "claims": counts[value]} for value in order]},
        "height": {"step": 26},  # one row a bar, so every label shows and the chart grows with the vocabulary
        "encoding": {
            "y": {
                "field": "label",
                "type": "nominal",
                "sort": labels,
                "title": None,
                "axis": {"labelLimit": 200},
            },
            "x": {
                **count,
                "title": "claims",
                "axis": {"tickMinStep": 1, "format": "d"},
                # From 0, and to at least 1, so an empty store draws an axis rather than a collapsed one.
                "scale": {"domain": [0, max(1, *counts.values())], "nice": True},
            },
        },
        "layer": [
            {
                "mark": {"type": "bar", "tooltip": True},
                "encoding": {
                    "color": {
                        "field": "label",
                        "type": "nominal",
                        "scale": {"domain": labels, "range": [colours[value] for value in order]},
                        "legend": None,
                    }
                },
            },
            {"mark": {"type": "text", "align": "left", "dx": 4}, "encoding": {"text": count}},
        ],
    }


def change_rows(claims: Sequence[Claim]) -> list[dict[str, Any]]:
    """One row a claim, in the order given: who changed it when, what it is now, a link into its article."""
    articles = article_summaries(claim.article_id for claim in claims)
    rows = []
    for claim in claims:
        article = articles.get(claim.article_id)
        rows.append(
            {
                "when": claim.updated_at,
                "who": claim.updated_by,
                "change": "created" if claim.version == 1 else f"edited (version {claim.version})",
                "quote": claim.quote,
                "status": label(claim.status),
                "verdict": label(claim.verdict),
                "claimant": claim.claimant or "",
                "article": printable(article_title(article)) if article else claim.article_id,
                "open": f"annotate?article={claim.article_id}&claim={claim.id}",
            }
        )
    return rows


def queue_rows(claims: Sequence[Claim], now: dt.datetime) -> list[dict[str, Any]]:
    """The review queue, longest waiting first: how long each claim has waited, who rated it, a link."""
    articles = article_summaries(claim.article_id for claim in claims)
    rows = []
    for claim in claims:
        article = articles.get(claim.article_id)
        rows.append(
            {
                "waiting": waited(claim.status_since, now),
                "quote": claim.quote,
                "verdict": label(claim.verdict),
                "rated by": claim.rated_by or "",
                "assigned to": claim.assignee or "",
                "article": printable(article_title(article)) if article else claim.article_id,
                "open": f"annotate?article={claim.article_id}&claim={claim.id}",
            }
        )
    return rows


def weekly_throughput(
    counts: Mapping[str, Mapping[str, int]], today: dt.date, weeks: int
) -> list[dict[str, Any]]:
    """One row per ISO week ("2026-W48"), the last `weeks` up to this one, oldest first: how many claims
    each column's count gives that week (0 for none)."""
    rows = []
    for back in range(weeks - 1, -1, -1):
        year, week, _ = (today - dt.timedelta(weeks=back)).isocalendar()
        name = f"{year}-W{week:02d}"
        rows.append({"week": name, **{column: counts[column].get(name, 0) for column in counts}})
    return rows


def throughput_chart(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Grouped bars: claims rated, approved and published each week."""
    values = [
        {"week": row["week"], "step": column, "claims": row[column]}
        for row in rows
        for column in THROUGHPUT_GROUPS
    ]
    return {
        "data": {"values": values},
        "height": 160,
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "x": {"field": "week", "type": "ordinal", "title": None},
            "xOffset": {"field": "step", "sort": list(THROUGHPUT_GROUPS)},
            "y": {"field": "claims", "type": "quantitative", "axis": {"tickMinStep": 1, "format": "d"}},
            "color": {"field": "step", "type": "nominal", "sort": list(THROUGHPUT_GROUPS), "title": None},
        },
    }


QUEUE_COLUMNS = {
    "waiting": st.column_config.TextColumn("waiting", width=90, help="How long it has waited for review"),
    "quote": st.column_config.TextColumn("quote", width=280),
    "rated by": st.column_config.TextColumn("rated by", width=110),
    "assigned to": st.column_config.TextColumn("assigned to", width=110),
    "article": st.column_config.TextColumn("article", width=200),
    "open": st.column_config.LinkColumn("open", display_text="open in article", width=110),
}

# Widths in pixels so that who, when and the link fit beside the quote in the main column at 1280 px.
CHANGE_COLUMNS = {
    "when": st.column_config.DatetimeColumn("when", format="distance", width=120),
    "who": st.column_config.TextColumn("who", width=110),
    "change": st.column_config.TextColumn("change", width=120),
    "quote": st.column_config.TextColumn("quote", width=260),
    "claimant": st.column_config.TextColumn("claimant", width=140),
    "article": st.column_config.TextColumn("article", width=200),
    "open": st.column_config.LinkColumn("open", display_text="open in article", width=110),
}

WEEKS = 8  # weeks of throughput shown, this one last
# The throughput table's columns and the store's groups that count them (ISO week of each stamp).
THROUGHPUT_GROUPS: dict[str, ClaimGroup] = {
    "rated": "rated_week",
    "approved": "approved_week",
    "published": "published_week",
}
LISTED = 50  # rows of each list below; its heading says how many there are in all
OPEN_STATUSES = {
    status for status in ClaimStatus if status not in (ClaimStatus.PUBLISHED, ClaimStatus.DROPPED)
}

stats = current_stats()

st.title("Overview")
counts = st.columns(4)
counts[0].metric("Articles", f"{stats.articles:,}")
counts[1].metric("Claims", f"{stats.claims:,}")
counts[2].metric("Waiting for review", f"{stats.by_status[ClaimStatus.NEEDS_REVIEW]:,}")
counts[3].metric("Published", f"{stats.by_status[ClaimStatus.PUBLISHED]:,}")

by_status, by_verdict = st.columns(2)
with by_status:
    st.markdown("**Claims by status**")
    st.vega_lite_chart(ordered_bars(stats.by_status, STATUS_ORDER, STATUS_COLOURS), width="stretch")
with by_verdict:
    st.markdown("**Claims by verdict**")
    st.vega_lite_chart(
        ordered_bars(stats.by_verdict, VERDICT_ORDER, VERDICT_COLOURS),
        width="stretch",
    )

st.subheader("Suggestions")
usefulness = DecisionCounts.of(decision_tallies())
rate = usefulness.acceptance_rate
accepted_col, rejected_col, rate_col, _ = st.columns(4)
accepted_col.metric("Suggestions accepted", usefulness.accepted)
rejected_col.metric("Suggestions rejected", usefulness.rejected)
rate_col.metric("Accepted of decided", "–" if rate is None else f"{rate:.0%}")
if usefulness.by_type:
    st.dataframe(
        [{"type": claim_type, **decided} for claim_type, decided in usefulness.by_type.items()],
        hide_index=True,
        key="suggestions_by_type",
    )
else:
    st.caption("No suggestion has been accepted or rejected yet.")

st.subheader("Open claims by editor")
assigned = {
    name: n for name, n in claim_counts("assignee", ClaimFilter(statuses=OPEN_STATUSES)).items() if name
}
if assigned:
    st.dataframe(
        [
            {"editor": name, "open claims": n}
            for name, n in sorted(assigned.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        hide_index=True,
        key="open_by_editor",
    )
else:
    st.caption("No open claim is assigned to anyone.")

untouched = article_page(ArticleQuery(claims="none", limit=LISTED))
st.subheader(f"Articles with no claims yet ({untouched.total:,})")
if untouched.rows:
    st.dataframe(
        [
            {
                "title": printable(article_title(row.article)),
                "sentences": row.article.sentence_count,
                "open": f"annotate?article={row.article.id}",
            }
            for row in untouched.rows
        ],
        hide_index=True,
        width="stretch",
        column_config={"open": st.column_config.LinkColumn("open", display_text="annotate")},
    )
    if untouched.total > len(untouched.rows):
        st.caption(f"The {len(untouched.rows)} imported last of {untouched.total:,}.")
else:
    st.caption("Every article has at least one claim.")

queue = claim_page(
    ClaimQuery(filter=ClaimFilter(statuses={ClaimStatus.NEEDS_REVIEW}), sort=ClaimSort.WAITING, limit=LISTED)
)
st.subheader(f"Review queue ({queue.total:,})")
if queue.claims:
    st.dataframe(
        queue_rows(queue.claims, utc_now()),
        hide_index=True,
        width="stretch",
        column_order=["waiting", "quote", "verdict", "rated by", "assigned to", "article", "open"],
        column_config=QUEUE_COLUMNS,
        key="review_queue",
    )
    if queue.total > len(queue.claims):
        st.caption(
            f"The {len(queue.claims)} waiting longest of {queue.total:,}; the Claims page lists them all."
        )
else:
    st.caption("Nothing is waiting for review.")

st.subheader(f"Throughput, last {WEEKS} weeks")
throughput = weekly_throughput(
    {column: claim_counts(group) for column, group in THROUGHPUT_GROUPS.items()}, utc_now().date(), WEEKS
)
st.dataframe(throughput, hide_index=True, key="throughput")
st.vega_lite_chart(throughput_chart(throughput), width="stretch")

st.subheader("Recent changes")
recent = claim_page(ClaimQuery(sort=ClaimSort.UPDATED_DESC, limit=RECENT_CHANGES))
if recent.claims:
    st.dataframe(
        change_rows(recent.claims),
        hide_index=True,
        width="stretch",
        column_order=["when", "who", "change", "quote", "article", "open", "status", "verdict"],
        column_config=CHANGE_COLUMNS,
    )
else:
    st.caption("No claims yet.")
