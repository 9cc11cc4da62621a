"""Overview: the desk's progress at a glance, in the app's words and the workflow's order."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import streamlit as st

from annotator.palette import STATUS_COLOURS, VERDICT_COLOURS
from annotator.resources import repository
from annotator.tables import article_title
from annotator.text import STATUS_ORDER, VERDICT_ORDER, printable
from claims.labels import label
from claims.models import ArticleSummary, Claim, ClaimStatus
from claims.stats import stats_of
from claims.suggest.review import decision_counts

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


def change_rows(claims: Iterable[Claim], articles: Mapping[str, ArticleSummary]) -> list[dict[str, Any]]:
    """One row a claim, newest change first: who changed it when, what it is now, a link into its article."""
    rows = []
    for claim in sorted(claims, key=lambda c: c.updated_at, reverse=True):
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

repo = repository()
summaries = repo.list_articles()
claims = repo.list_claims()
stats = stats_of(summaries, claims)
articles = {summary.id: summary for summary in summaries}

st.title("Overview")
counts = st.columns(4)
counts[0].metric("Articles", stats.articles)
counts[1].metric("Claims", stats.claims)
counts[2].metric("Waiting for review", stats.by_status[ClaimStatus.NEEDS_REVIEW])
counts[3].metric("Published", stats.by_status[ClaimStatus.PUBLISHED])

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
usefulness = decision_counts(repo.list_decisions())
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

claimed = {claim.article_id for claim in claims}
untouched = [summary for summary in summaries if summary.id not in claimed]
st.subheader(f"Articles with no claims yet ({len(untouched)})")
if untouched:
    st.dataframe(
        [
            {
                "title": printable(article_title(a)),
                "sentences": a.sentence_count,
                "open": f"annotate?article={a.id}",
            }
            for a in untouched
        ],
        hide_index=True,
        width="stretch",
        column_config={"open": st.column_config.LinkColumn("open", display_text="annotate")},
    )
else:
    st.caption("Every article has at least one claim.")

waiting = [claim for claim in claims if claim.status is ClaimStatus.NEEDS_REVIEW]
st.subheader(f"Waiting for review ({len(waiting)})")
if waiting:
    st.dataframe(
        change_rows(waiting, articles),
        hide_index=True,
        width="stretch",
        column_order=["quote", "claimant", "article", "who", "when", "open", "verdict"],
        column_config=CHANGE_COLUMNS,
    )
else:
    st.caption("Nothing is waiting for review.")


st.subheader("Recent changes")
recent = change_rows(claims, articles)[:RECENT_CHANGES]
if recent:
    st.dataframe(
        recent,
        hide_index=True,
        width="stretch",
        column_order=["when", "who", "change", "quote", "article", "open", "status", "verdict"],
        column_config=CHANGE_COLUMNS,
    )
else:
    st.caption("No claims yet.")
