"""Checked before? The fact-checks that already cover a claim or a suggestion, under the claim panel and
the suggestion panel, with a one-click link that stores the earlier check on the claim."""

from __future__ import annotations

import streamlit as st

from annotator import state
from annotator.feedback import errors_shown
from annotator.identity import current_editor
from annotator.text import literal
from claims import actions
from claims.labels import label
from claims.match.desk import checked_before
from claims.models import Claim, FactCheckLink, FactCheckMatch, FactCheckSource
from claims.store.contract import Repository

SHOWN = 3  # the best matches above LIKELY_SAME shown under a claim or a suggestion
LIKELY_SAME = 0.5  # the calibrated score from which a match is probably the same claim


def match_words(score: float) -> str:
    """A calibrated match score in words."""
    if score >= 0.8:
        return "very likely the same claim"
    if score >= LIKELY_SAME:
        return "probably the same claim"
    return "possibly related"


Done = tuple[Claim, str]  # the claim as a link or unlink wrote it, and what to tell the editor


def show_checked_before(repo: Repository, text: str, claim: Claim | None = None) -> Done | None:
    """The earlier fact-checks of `text` scoring LIKELY_SAME or more, best first; for a stored `claim`,
    its links first (with their rating beside the claim's verdict) and a *Link to this fact-check* button
    on each match not linked yet. Returns what a click wrote, for the caller to show."""
    st.markdown("##### Checked before?")
    done: Done | None = None
    if claim is not None:
        for link in claim.checked_before:
            done = _linked(repo, claim, link) or done
    with errors_shown():
        found = checked_before(
            repo, text, top=SHOWN, min_score=LIKELY_SAME, exclude_claim_id=claim.id if claim else None
        )
        linked = {(link.factcheck_id, link.source) for link in claim.checked_before} if claim else set()
        fresh = [match for match in found if (match.factcheck_id, match.source) not in linked]
        if not found:
            st.caption("No earlier fact-check matches this closely enough.")
        for position, match in enumerate(fresh):
            done = _match(repo, claim, match, position) or done
    return done


def _match(repo: Repository, claim: Claim | None, match: FactCheckMatch, position: int) -> Done | None:
    with st.container(border=True):
        st.markdown(_headline(match.title or match.claim, match.url))
        st.caption(literal(_details(match.rating, match.publisher, match.date, match.source)))
        if match.title and match.claim != match.title:
            st.text(match.claim)
        st.caption(f"{match_words(match.score)} (score {match.score:.2f})")
        if claim is not None and st.button(
            "Link to this fact-check",
            key=f"{state.LINK_FACTCHECK}-{claim.id}-{position}",
            icon=":material/link:",
            help="Store it on the claim: exported, cited by its ClaimReview, its rating shown beside this",
        ):
            with errors_shown():
                linked = actions.link_factcheck(repo, claim, match, current_editor())
                return linked, "Linked to the fact-check"
    return None


def _linked(repo: Repository, claim: Claim, link: FactCheckLink) -> Done | None:
    with st.container(border=True):
        st.markdown("Linked: " + _headline(link.title or link.claim, link.url))
        rating = f"rated “{link.rating}”" if link.rating else "no rating"
        st.caption(
            literal(
                f"{rating} · this claim: {label(claim.verdict)} · "
                + _details("", link.publisher, link.date, link.source)
                + f" · linked by {link.linked_by}"
            )
        )
        if st.button(
            "Unlink",
            key=f"{state.UNLINK_FACTCHECK}-{claim.id}-{link.source.value}-{link.factcheck_id}",
            icon=":material/link_off:",
        ):
            with errors_shown():
                editor = current_editor()
                unlinked = actions.unlink_factcheck(repo, claim, link.factcheck_id, link.source, editor)
                return unlinked, "Unlinked"
    return None


def _headline(text: str, url: str | None) -> str:
    shown = literal(text)
    if url and url.startswith(("http://", "https://")):
        return f"**[{shown}]({url.replace(')', '%29').replace(' ', '%20')})**"
    return f"**{shown}**"


def _details(rating: str, publisher: str, date: object, source: FactCheckSource) -> str:
    parts = [f"rated “{rating}”"] if rating else []
    parts.append(publisher or ("this desk" if source is FactCheckSource.STORE else "publisher unknown"))
    if date:
        parts.append(str(date))
    if source is FactCheckSource.STORE:
        parts.append("the desk's own check")
    return " · ".join(parts)
