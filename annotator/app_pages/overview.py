"""Overview: the session's progress at a glance."""

import streamlit as st

from annotator.resources import repository
from annotator.tables import article_title, claim_rows
from claims.models import ClaimStatus
from claims.stats import stats_of
from claims.suggest.review import decision_counts

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
    st.bar_chart({"claims": stats.by_status}, horizontal=True, height=260, x_label="claims")
with by_verdict:
    st.markdown("**Claims by verdict**")
    st.bar_chart({"claims": stats.by_verdict}, horizontal=True, height=260, x_label="claims")

st.subheader("Suggestions")
usefulness = decision_counts(repo.list_decisions())
rate = usefulness.acceptance_rate
accepted_col, rejected_col, rate_col, _ = st.columns(4)
accepted_col.metric("Suggestions accepted", usefulness.accepted)
rejected_col.metric("Suggestions rejected", usefulness.rejected)
rate_col.metric("Accepted of decided", "–" if rate is None else f"{rate:.0%}")
if usefulness.by_type:
    st.dataframe(
        [{"type": claim_type, **counts} for claim_type, counts in usefulness.by_type.items()],
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
            {"title": article_title(a), "sentences": a.sentence_count, "open": f"annotate?article={a.id}"}
            for a in untouched
        ],
        hide_index=True,
        width="stretch",
        column_config={"open": st.column_config.LinkColumn("open", display_text="annotate")},
    )
else:
    st.caption("Every article has at least one claim.")

columns = ["quote", "type", "claimant", "verdict", "article", "editor", "updated", "link"]
link = st.column_config.LinkColumn("open", display_text="open in article")
waiting = [claim for claim in claims if claim.status is ClaimStatus.NEEDS_REVIEW]
st.subheader(f"Waiting for review ({len(waiting)})")
if waiting:
    st.dataframe(
        claim_rows(waiting, articles),
        hide_index=True,
        width="stretch",
        column_order=columns,
        column_config={"link": link},
    )
else:
    st.caption("Nothing is waiting for review.")

st.subheader("Recent changes")
recent = claim_rows(claims, articles)[:15]
if recent:
    st.dataframe(
        recent,
        hide_index=True,
        width="stretch",
        column_order=[*columns[:-1], "status", "link"],
        column_config={"link": link},
    )
else:
    st.caption("No claims yet.")
