"""The claim panel beside the article: label a new span, edit or delete a claim, undo a delete."""

from __future__ import annotations

import streamlit as st

from annotator import state
from annotator.feedback import errors_shown
from annotator.forms import claim_fields, format_evidence
from annotator.text import literal
from claims.annotations import apply_changes, new_claim, parse_changes, parse_draft
from claims.errors import NotFound, VersionConflict
from claims.models import Article, Claim, ClaimFields, ClaimStatus, ClaimType, Verdict
from claims.store.contract import Repository

TYPES = [t.value for t in ClaimType]
STATUSES = [s.value for s in ClaimStatus]
VERDICTS = [v.value for v in Verdict]


def show_claim_panel(repo: Repository, article: Article) -> None:
    _undo_bar(repo)
    opened = state.get(state.OPEN_CLAIM, None)
    pending = state.get(state.PENDING_SPAN, None)
    if opened and opened["article_id"] == article.id:
        _edit_claim(repo, opened)
    elif pending:
        _label_new_span(repo, article, *pending)
    else:
        st.info(
            "Select words in the article with the mouse to label a claim, or click a highlight to edit it. "
            "Without a mouse: *Mark a claim without the mouse* under the article."
        )


def _label_new_span(repo: Repository, article: Article, start: int, end: int) -> None:
    st.markdown("#### New claim")
    with st.container(border=True):
        st.text(article.text[start:end])
    fields = claim_form(f"new_{start}_{end}", ClaimFields(), "Save claim")
    if st.button("Cancel", key="cancel_new"):
        state.drop(state.PENDING_SPAN)
        st.rerun()
    if fields is None:
        return
    with errors_shown():
        draft = parse_draft({**fields, "article_id": article.id, "start": start, "end": end})
        claim = new_claim(article, draft, by=_editor())
        repo.add_claim(claim)
        state.drop(state.PENDING_SPAN)
        state.put(state.OPEN_CLAIM, _opened(claim))
        st.toast("Claim saved", icon=":material/check:")
        st.rerun()


def _edit_claim(repo: Repository, opened: dict[str, object]) -> None:
    article_id, claim_id = str(opened["article_id"]), str(opened["id"])
    try:
        current = repo.get_claim(article_id, claim_id)
    except NotFound:
        st.warning("This claim no longer exists: another editor may have deleted it.")
        state.drop(state.OPEN_CLAIM)
        return
    seen = Claim.model_validate(opened["snapshot"]) if opened.get("snapshot") else current
    if "snapshot" not in opened:
        state.put(state.OPEN_CLAIM, _opened(current))

    st.markdown("#### Claim")
    with st.container(border=True):
        st.text(seen.quote)
        st.caption(
            literal(
                f"version {seen.version} · created by {seen.created_by} · last changed by {seen.updated_by} "
                f"at {seen.updated_at:%Y-%m-%d %H:%M} UTC"
            )
        )
    _show_conflict(current)
    fields = claim_form(f"{seen.id}_{seen.version}", seen, "Save changes")
    close, delete = st.columns(2)
    if close.button("Close", key="close_claim", width="stretch"):
        state.drop(state.OPEN_CLAIM, state.CONFLICT, state.CLAIM_DELETE_PENDING)
        st.rerun()
    if delete.button("Delete…", key="delete_claim", icon=":material/delete:", width="stretch"):
        state.put(state.CLAIM_DELETE_PENDING, seen.id)
    if state.get(state.CLAIM_DELETE_PENDING, None) == seen.id:
        _confirm_delete(repo, seen)
    if fields is None:
        return
    with errors_shown():
        try:
            saved = repo.update_claim(
                article_id,
                claim_id,
                apply_changes(parse_changes(fields), seen.version, _editor(), opened=seen),
            )
        except VersionConflict as conflict:
            state.put(state.CONFLICT, str(conflict))
            st.rerun()
        state.put(state.OPEN_CLAIM, _opened(saved))
        state.drop(state.CONFLICT)
        st.toast("Changes saved", icon=":material/check:")
        st.rerun()


def _show_conflict(current: Claim) -> None:
    message = state.get(state.CONFLICT, None)
    if not message:
        return
    st.error(message, icon=":material/sync_problem:")
    st.caption(
        literal(
            f"Their version: type {current.claim_type.value}, status {current.status.value}, "
            f"verdict {current.verdict.value}, claimant {current.claimant or '(none)'}"
        )
    )
    if st.button("Reload their version", key="reload_claim", icon=":material/refresh:"):
        state.put(state.OPEN_CLAIM, _opened(current))
        state.drop(state.CONFLICT)
        st.rerun()


def _confirm_delete(repo: Repository, claim: Claim) -> None:
    st.warning("Delete this claim? You can undo it until you close this browser tab.")
    yes, no = st.columns(2)
    if yes.button("Yes, delete", key="confirm_delete_claim", type="primary", width="stretch"):
        with errors_shown():
            deleted = repo.delete_claim(claim.article_id, claim.id, by=_editor())
            state.put(state.UNDO_STACK, [*state.get(state.UNDO_STACK, []), deleted.model_dump(mode="json")])
            state.drop(state.OPEN_CLAIM, state.CLAIM_DELETE_PENDING, state.CONFLICT)
            st.toast("Claim deleted", icon=":material/delete:")
            st.rerun()
    if no.button("Keep it", key="cancel_delete_claim", width="stretch"):
        state.drop(state.CLAIM_DELETE_PENDING)
        st.rerun()


def _undo_bar(repo: Repository) -> None:
    deleted: list[dict[str, object]] = state.get(state.UNDO_STACK, [])
    if not deleted:
        return
    last = Claim.model_validate(deleted[-1])
    shown = last.quote if len(last.quote) <= 40 else last.quote[:39] + "…"
    if st.button(f"Undo delete of “{shown}”", key="undo_delete", icon=":material/undo:"):
        with errors_shown():
            repo.add_claim(last)
            state.put(state.UNDO_STACK, deleted[:-1])
            state.put(state.OPEN_CLAIM, _opened(last))
            st.rerun()


def claim_form(key: str, shown: ClaimFields, submit_label: str) -> dict[str, object] | None:
    """The labels of a claim; returns them when the editor submits, else None."""
    with st.form(f"{state.CLAIM_FORM}_{key}", border=False):
        left, right = st.columns(2)
        claim_type = left.selectbox(
            "Type", TYPES, index=TYPES.index(shown.claim_type.value), format_func=_spoken
        )
        claimant = right.text_input("Claimant (who made it)", value=shown.claimant or "")
        source_name = left.text_input(
            "Source cited", value=shown.source.name if shown.source else "", placeholder="e.g. Reuters"
        )
        source_url = right.text_input("Source URL", value=(shown.source.url or "") if shown.source else "")
        status = left.selectbox(
            "Status", STATUSES, index=STATUSES.index(shown.status.value), format_func=_spoken
        )
        verdict = right.selectbox(
            "Verdict", VERDICTS, index=VERDICTS.index(shown.verdict.value), format_func=_spoken
        )
        evidence = st.text_area(
            "Evidence: one a line, URL | title | note", value=format_evidence(shown.evidence)
        )
        notes = st.text_area("Notes", value=shown.notes)
        if not st.form_submit_button(submit_label, type="primary", icon=":material/save:"):
            return None
    return claim_fields(claim_type, claimant, source_name, source_url, status, verdict, evidence, notes)


def _opened(claim: Claim) -> dict[str, object]:
    """What the panel remembers of an opened claim: the version the editor is looking at."""
    return {"id": claim.id, "article_id": claim.article_id, "snapshot": claim.model_dump(mode="json")}


def _spoken(value: str) -> str:
    return value.replace("_", " ")


def _editor() -> str:
    return state.editor() or ""
