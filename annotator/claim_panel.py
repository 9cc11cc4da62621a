"""The panel beside the article: label a new span, edit or delete a claim, undo a delete, resolve a conflict.

The panel is a fragment: typing in its form reruns the panel alone, not the article. Every claim
form keeps its unsaved values in session state as a draft (state.DRAFTS, with the version it was
started from), so opening something else, another article or another page and coming back brings
them back; the guard component warns before a reload or close throws a draft away.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from pydantic import ValidationError

from annotator import state
from annotator.checked_before import show_checked_before
from annotator.claim_form import claim_form, forget_draft, form_values_now
from annotator.components.span_selector import unsaved_changes_guard
from annotator.feedback import errors_shown
from annotator.forms import FIELD_NAMES, FORM_LABELS, fields_from_form, shown_value
from annotator.identity import current_editor
from annotator.resources import article_by_id, editors_known
from annotator.suggestion_panel import show_suggestion_panel
from annotator.text import literal
from annotator.timeline import timeline
from claims import actions
from claims.annotations import (
    EDITABLE_FIELDS,
    FieldMerge,
    changes_from,
    merge_fields,
    new_claim,
    parse_changes,
    parse_draft,
)
from claims.errors import ClaimsError, NotFound, VersionConflict, invalid_claim_from
from claims.labels import label
from claims.models import Article, Claim, ClaimFields, ClaimStatus, Suggestion
from claims.store.contract import Repository
from claims.suggest.review import accept_as_selected, matching_suggestion, suggested_fields, suggestion_id
from claims.workflow import next_statuses, thin_evidence

# The latest entries of a timeline shown at first (a rerun with 1,000 entries drawn took 0.43 s, 50: 0.05 s).
TIMELINE_SHOWN = 50


@st.fragment
def show_panel(
    repo: Repository, article: Article, shown: list[Suggestion], undecided: list[Suggestion]
) -> None:
    """What is open beside the article: a claim, a suggestion (of those `shown`), or a new span.

    A new span the editor selected that is (nearly) one of the `undecided` suggestions opens
    prefilled from it, and saving it accepts that suggestion.
    """
    _undo_bar(repo)
    item = state.opened()
    form = ""
    if item is None or item.article_id != article.id:
        st.info(
            "Select words in the article with the mouse to label a claim, or click a highlight to edit "
            "it. Without a mouse: pick a *Sentence* under the article, type the *Words of the claim* "
            "and press Enter."
        )
    elif item.kind == "claim":
        form = _edit_claim(repo, item)
    elif item.kind == "suggestion":
        suggestion = next((s for s in shown if suggestion_id(s) == item.id), None)
        if suggestion is None:
            st.info("This suggestion is no longer open: it was accepted or rejected, or is hidden.")
        elif show_suggestion_panel(repo, article, suggestion, shown):
            form = item.draft_key
    else:
        match = matching_suggestion(item.start, item.end, undecided, article.sentences)
        form = _label_new_span(repo, article, item, match)
    unsaved_changes_guard(
        form,
        dirty=bool(state.drafts()),
        scope=state.CLAIM_PANEL,
        focus=state.take_focus_request(),
        key=state.UNSAVED_GUARD,
    )


def _label_new_span(
    repo: Repository, article: Article, item: state.OpenItem, match: Suggestion | None
) -> str:
    st.markdown("#### New claim")
    with st.container(border=True):
        st.text(article.text[item.start : item.end])
        if match is not None:
            details = [f"suggested {match.claim_type.value}"]
            if match.claimant:
                details.append(f"claimant: {match.claimant}")
            if match.cue:
                details.append(f"cue: “{match.cue}”")
            st.caption(literal(" · ".join(details) + ". Saving accepts this suggestion."))
    base = ClaimFields(**suggested_fields(match)) if match is not None else ClaimFields()
    values = claim_form(
        item.draft_key,
        0,
        base,
        None,
        "Save claim",
        editors=editors_known(),
        details_open=False,
        on_cancel=lambda: state.open_item(None),
    )
    if values is not None:
        with errors_shown():
            fields = fields_from_form(values)
            if match is not None:
                claim = accept_as_selected(repo, article, match, item.start, item.end, fields, _editor())
            else:
                span = {"article_id": article.id, "start": item.start, "end": item.end}
                draft = parse_draft({**fields, **span})
                claim = new_claim(article, draft, by=_editor())
                repo.add_claim(claim)
            if values["comment"].strip():
                claim = actions.comment_on(repo, claim, _editor(), values["comment"])
            forget_draft(item.draft_key)
            state.open_item(state.OpenItem.claim(article.id, claim.id))
            state.put(state.SEEN_CLAIM, claim.model_dump(mode="json"))
            st.toast("Claim saved", icon=":material/check:")
            st.rerun()
    return item.draft_key


def _edit_claim(repo: Repository, item: state.OpenItem) -> str:
    try:
        current = repo.get_claim(item.article_id, item.id)
    except NotFound:
        st.warning("This claim no longer exists in this article: another editor may have deleted it.")
        draft = state.drafts().get(item.draft_key)
        if draft:  # it cannot be saved any more; show what it held, once, and stop guarding it
            st.caption("Your unsaved changes to it, which can no longer be saved:")
            st.text("\n".join(f"{FORM_LABELS[name]}: {value}" for name, value in draft["values"].items()))
            forget_draft(item.draft_key)
        return ""
    seen = _seen(item, current)
    conflict = state.get(state.CONFLICT, None) == item.id

    st.markdown("#### Claim")
    with st.container(border=True):
        st.text(seen.quote)
        st.caption(
            literal(
                f"version {seen.version} · created by {seen.created_by} · last changed by {seen.updated_by} "
                f"at {seen.updated_at:%Y-%m-%d %H:%M} UTC"
            )
        )
    conflict_slot = st.container()
    values = claim_form(
        item.draft_key,
        seen.version,
        seen,
        seen.model_dump(mode="json"),
        "Save changes",
        statuses=[seen.status, *next_statuses(seen.status)],
        editors=editors_known(),
        disabled=conflict,
    )
    if conflict:
        with conflict_slot:
            _resolve_conflict(repo, item, seen, current)
    close, delete = st.columns(2)
    if close.button("Close", key=state.CLOSE_CLAIM, width="stretch"):
        state.open_item(None)
        st.rerun()
    if delete.button("Delete…", key=state.DELETE_CLAIM, icon=":material/delete:", width="stretch"):
        state.put(state.CLAIM_DELETE_PENDING, seen.id)
    if state.get(state.CLAIM_DELETE_PENDING, None) == seen.id:
        _confirm_delete(repo, seen)
    if values is not None:
        with errors_shown():
            changes = parse_changes(fields_from_form(values))
            try:
                saved = actions.change_claim(
                    repo,
                    current,
                    changes,
                    _editor(),
                    expected_version=seen.version,
                    opened=seen,
                    comment=values["comment"],
                )
            except VersionConflict:
                state.put(state.CONFLICT, item.id)
                st.rerun()
            _saved(item, saved, "Changes saved")
    _review(repo, current)
    article = article_by_id(current.article_id)
    text = actions.text_to_match(article, current.start, current.end, current.claim_reviewed)
    linked = show_checked_before(repo, text, current)
    if linked is not None:
        _reviewed(*linked)
    _timeline(repo, current)
    return f"{item.draft_key}-v{seen.version}"


def _review(repo: Repository, claim: Claim) -> None:
    """The review step, as the workflow allows it to this editor: approve or send back a claim waiting for
    review that someone else rated; publish an approved one. The core refuses what the rules forbid."""
    me = _editor()
    if claim.status is ClaimStatus.NEEDS_REVIEW:
        st.markdown("##### Review")
        if claim.rated_by == me:
            st.info(
                "Waiting for another editor's review: you set this verdict, so someone else approves it.",
                icon=":material/hourglass_top:",
            )
        else:
            rated = f" ({label(claim.verdict)}, rated by {claim.rated_by})" if claim.rated_by else ""
            st.caption(literal(f"Check the verdict{rated} and its evidence, then approve or send it back."))
            confirmed = False
            if thin_evidence(claim):
                confirmed = st.checkbox(
                    "I checked the evidence: approve although it rests on fewer than two independent sources",
                    key=f"{state.CONFIRM_THIN}-{claim.id}",
                )
            if st.button(
                "Approve", key=f"{state.APPROVE}-{claim.id}", type="primary", icon=":material/verified:"
            ):
                with errors_shown():
                    _reviewed(actions.approve(repo, claim, me, evidence_confirmed=confirmed), "Approved")
        why = st.text_area(
            "Why it goes back (for the editor who picks it up)", key=f"{state.SEND_BACK_WHY}-{claim.id}"
        )
        if st.button("Send back with comment", key=f"{state.SEND_BACK}-{claim.id}", icon=":material/undo:"):
            with errors_shown():
                _reviewed(actions.send_back(repo, claim, me, why), "Sent back to in progress")
    elif claim.status is ClaimStatus.APPROVED:
        st.markdown("##### Review")
        approver = f" by {claim.approved_by}" if claim.approved_by else ""
        st.caption(literal(f"Approved{approver}: ready to publish."))
        if st.button("Publish", key=f"{state.PUBLISH}-{claim.id}", type="primary", icon=":material/public:"):
            with errors_shown():
                _reviewed(actions.publish(repo, claim, me), "Published")


def _reviewed(saved: Claim, message: str) -> None:
    """After a review action: the panel shows the claim as written (an unsaved form stays as it was)."""
    if state.OpenItem.claim(saved.article_id, saved.id).draft_key not in state.drafts():
        state.put(state.SEEN_CLAIM, saved.model_dump(mode="json"))
    st.toast(message, icon=":material/check:")
    st.rerun()


def _timeline(repo: Repository, claim: Claim) -> None:
    """Every change and comment, oldest first, and a box to add a comment ("@Name" mentions an editor)."""
    st.markdown("##### Timeline")
    entries = timeline(claim)
    if len(entries) > TIMELINE_SHOWN:
        earlier = len(entries) - TIMELINE_SHOWN
        if not st.toggle(f"Show the {earlier:,} earlier entries too", key=f"{state.TIMELINE_ALL}-{claim.id}"):
            entries = entries[-TIMELINE_SHOWN:]
    with st.container(border=True, key=f"{state.TIMELINE}-{claim.id}"):
        for entry in entries:
            version = f" · version {entry.version}" if entry.version else ""
            st.markdown(f"**{literal(entry.by)}** · {entry.at:%Y-%m-%d %H:%M} UTC{version}")
            lines = [f"- {literal(change)}" for change in entry.changes]
            if entry.comment:
                lines.append(f"> {literal(entry.comment)}")
            if lines:
                st.markdown("\n".join(lines))
    box = f"{state.COMMENT_BOX}-{claim.id}-{len(claim.comments)}"
    text = st.text_area("Add a comment", key=box, placeholder="@Name mentions an editor", height=68)
    if st.button("Comment", key=f"{state.ADD_COMMENT}-{claim.id}", icon=":material/chat:"):
        with errors_shown():
            _reviewed(actions.comment_on(repo, claim, _editor(), text), "Comment added")


def _seen(item: state.OpenItem, current: Claim) -> Claim:
    """The claim as the editor opened it: the base of their draft, if they have one, else kept since."""
    draft = state.drafts().get(item.draft_key)
    if draft and draft.get("base"):
        return Claim.model_validate(draft["base"])
    kept = state.get(state.SEEN_CLAIM, None)
    if kept and kept.get("id") == current.id:
        return Claim.model_validate(kept)
    state.put(state.SEEN_CLAIM, current.model_dump(mode="json"))
    return current


def _saved(item: state.OpenItem, saved: Claim, message: str) -> None:
    forget_draft(item.draft_key)
    state.put(state.SEEN_CLAIM, saved.model_dump(mode="json"))
    state.drop(state.CONFLICT)
    st.toast(message, icon=":material/check:")
    st.rerun()


def _resolve_conflict(repo: Repository, item: state.OpenItem, seen: Claim, current: Claim) -> None:
    """Another editor saved after this one opened the claim: compare, then merge or discard mine."""
    who, when = current.updated_by, f"{current.updated_at:%Y-%m-%d %H:%M} UTC"
    st.error(
        literal(
            f"{who} saved this claim at {when}, after you opened it. Nothing of yours is saved yet: "
            "your changes are still in the form below."
        ),
        icon=":material/sync_problem:",
    )
    values = form_values_now(item.draft_key, seen)
    try:
        mine = ClaimFields.model_validate(fields_from_form(values))
    except ValidationError as error:
        st.error(str(invalid_claim_from(error)), icon=":material/error:")
        return
    except ClaimsError as error:
        st.error(str(error), icon=":material/error:")
        return
    merge = merge_fields(seen, mine, current)
    _compare(merge, who, when)
    choices: dict[str, Any] = {}
    for name in merge.clashes:
        choices[name] = st.radio(
            f"{FIELD_NAMES[name]}: you both changed it. Keep",
            ["mine", "theirs"],
            format_func=lambda side: "mine" if side == "mine" else f"{who}'s",
            key=f"{state.CLASH_CHOICE}-{name}",
            horizontal=True,
        )
    if st.button(
        "Apply my changes on top of theirs",
        key=state.APPLY_MINE,
        type="primary",
        icon=":material/merge:",
        width="stretch",
        help="Fields only you changed take yours, fields only they changed keep theirs",
    ):
        with errors_shown():
            merged = changes_from(merge.result(choices))
            try:
                saved = actions.change_claim(
                    repo,
                    current,
                    merged,
                    _editor(),
                    expected_version=current.version,
                    opened=current,
                    comment=values["comment"],
                )
            except VersionConflict:
                st.rerun()  # someone saved again: compare with that version
            _saved(item, saved, f"Your changes were saved on top of {who}'s")
    if st.button("Discard mine", key=state.DISCARD_MINE, icon=":material/delete_sweep:", width="stretch"):
        forget_draft(item.draft_key)
        state.put(state.SEEN_CLAIM, current.model_dump(mode="json"))
        state.drop(state.CONFLICT)
        st.rerun()


def _compare(merge: FieldMerge, who: str, when: str) -> None:
    """Every field either side changed: its name, then yours and theirs side by side, in full."""
    mine, theirs = set(merge.changed_by_me), set(merge.changed_by_them)
    header = st.columns(2)
    header[0].markdown("**Yours (not saved)**")
    header[1].markdown(f"**{literal(who)}'s, {when}**")
    for name in EDITABLE_FIELDS:
        if name not in mine and name not in theirs:
            continue
        changed = "you both changed it" if name in merge.clashes else "you changed it"
        if name not in mine:
            changed = f"{who} changed it"
        st.caption(literal(f"{FIELD_NAMES[name]}: {changed}"))
        row = st.columns(2)
        row[0].text(shown_value(merge.mine, name))
        row[1].text(shown_value(merge.theirs, name))


def _confirm_delete(repo: Repository, claim: Claim) -> None:
    st.warning("Delete this claim? You can undo it until you close this browser tab.")
    yes, no = st.columns(2)
    if yes.button("Yes, delete", key=state.CONFIRM_DELETE, type="primary", width="stretch"):
        with errors_shown():
            deleted = repo.delete_claim(claim.article_id, claim.id, by=_editor())
            state.put(state.UNDO_STACK, [*state.get(state.UNDO_STACK, []), deleted.model_dump(mode="json")])
            forget_draft(state.OpenItem.claim(claim.article_id, claim.id).draft_key)
            state.open_item(None)
            st.toast("Claim deleted", icon=":material/delete:")
            st.rerun()
    if no.button("Keep it", key=state.CANCEL_DELETE, width="stretch"):
        state.drop(state.CLAIM_DELETE_PENDING)
        st.rerun()


def _undo_bar(repo: Repository) -> None:
    deleted: list[dict[str, object]] = state.get(state.UNDO_STACK, [])
    if not deleted:
        return
    last = Claim.model_validate(deleted[-1])
    shown = last.quote if len(last.quote) <= 40 else last.quote[:39] + "…"
    if st.button(f"Undo delete of “{shown}”", key=state.UNDO_DELETE, icon=":material/undo:"):
        with errors_shown():
            repo.add_claim(last)
            state.put(state.UNDO_STACK, deleted[:-1])
            state.open_item(state.OpenItem.claim(last.article_id, last.id))
            st.rerun()


def _editor() -> str:
    return current_editor()
