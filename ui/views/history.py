"""History page helpers: which client, the table of its versions, and two versions compared.

The page is about the current company: choosing another saved client here opens it (as the sidebar
and the portfolio do). Two versions are compared by re-evaluating their answers (cached by
``ui.cache.evaluate``) on the date each was assessed; "the answers on screen" can be one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from ccl import clock
from ccl.diff import EvaluationChange, evaluation_diff
from ccl.i18n import action_text, fmt_date, fmt_score, fmt_score_change, status_label
from ccl.plan import PlanChange, plan_changes
from ccl.profile import PlanAction, Profile
from ccl.store import NotFound, SnapshotInfo, fmt_saved_at, local_time
from ui import auth, state
from ui.blocks import STATUS_BADGE
from ui.cache import evaluate
from ui.changes import change_frame
from ui.charts.figure import Figure
from ui.charts.history import radar_compare
from ui.context import PageContext
from ui.escape import md_literal
from ui.session import store_state as ss
from ui.tables import WRAP_ROW_HEIGHT
from ui.views.store import query, run_action

CURRENT = 0  # the compare option "answers on screen" (versions start at 1)


@dataclass(frozen=True, slots=True)
class Version:
    label: str
    short: str  # for table headers
    profile: Profile
    dims: dict[str, float]
    assessed_on: date
    saved_on: date  # the day it was saved (display time zone); today for the answers on screen


# --- which client ----------------------------------------------------------------------------------


def _on_pick() -> None:
    client_id = st.session_state.get("hist:client")
    lk = ss.link()
    if client_id is not None and (lk is None or lk.client_id != client_id):
        run_action(lambda store: ss.open_client(store, client_id))


def client_picker(ctx: PageContext) -> int | None:
    """The saved client of the current company (a picker opens another); None when there is none."""
    choices = {cid: name for cid, name, _ in query(ss.client_choices)}
    lk = ss.link()
    if lk is not None:  # saved through another instance since the cached list was read
        choices.setdefault(lk.client_id, lk.profile.company.name or "")
    if not choices:
        st.info(ctx.tr("history_page.no_clients"), icon=":material/cloud_upload:")
        return None
    current = lk.client_id if lk is not None else None
    state.show("hist:client", current, (tuple(choices.items()), ctx.lang))
    st.selectbox(
        ctx.tr("history_page.client"),
        list(choices),
        key="hist:client",
        on_change=_on_pick,
        format_func=lambda c: choices[c] or ctx.tr("store.unnamed", id=c),
        placeholder=ctx.tr("history_page.client_placeholder"),
        help=ctx.tr("history_page.client_help"),
    )
    if current is None:
        st.info(ctx.tr("history_page.not_saved"), icon=":material/info:")
    return current


def history_of(ctx: PageContext, client_id: int) -> list[SnapshotInfo] | None:
    """Every version of the client, oldest first; None (with a message) if it was deleted meanwhile."""
    try:
        return query(lambda store: store.history(client_id, auth.access().workspaces))
    except NotFound as err:
        ss.forget_client(client_id)
        st.warning(err.user_message(ctx.lang), icon=":material/person_off:")
        return None


# --- the versions ------------------------------------------------------------------------------------


def version_label(ctx: PageContext, info: SnapshotInfo) -> str:
    return ctx.tr(
        "history_page.version_label", version=info.version, date=fmt_date(local_time(info.saved_at).date(), ctx.lang)
    )


def versions_table(ctx: PageContext, history: list[SnapshotInfo]) -> None:
    """Newest first: version, when and by whom, status, score, blockers, expected licence date."""
    rows = [
        {
            "version": h.version,
            "saved_at": fmt_saved_at(h.saved_at, ctx.lang),
            "saved_by": h.saved_by or "—",
            "status": status_label(h.summary.shown_verdict, ctx.lang),
            "overall": round(h.summary.overall, 1),
            "blockers": h.summary.blockers,
            "licence": (
                fmt_date(h.summary.licence_date, ctx.lang) + (" *" if h.summary.licence_estimate else "")
                if h.summary.licence_date
                else ctx.tr("licence.pending")
            ),
        }
        for h in reversed(history)
    ]
    col, head = st.column_config, lambda key: ctx.tr(f"portfolio.col.{key}")
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        column_config={
            "version": col.NumberColumn(head("version"), format="%d", width="small"),
            "saved_at": col.TextColumn(ctx.tr("history_page.col_saved_at")),
            "saved_by": col.TextColumn(head("saved_by")),
            "status": col.TextColumn(head("status")),
            "overall": col.ProgressColumn(head("overall"), format="plain", min_value=0, max_value=100),  # 85, 49.8
            "blockers": col.NumberColumn(head("blockers"), format="%d", width="small"),
            "licence": col.TextColumn(head("licence_date")),
        },
    )


def pick_pair(ctx: PageContext, history: list[SnapshotInfo]) -> tuple[int, int] | None:
    """Two versions to compare (``CURRENT``: the unsaved answers on screen); None when there is one only."""
    options = [h.version for h in history]
    if ss.has_unsaved_changes():
        options.append(CURRENT)
    if len(options) < 2:
        st.info(ctx.tr("history_page.compare_single"), icon=":material/info:")
        return None
    labels = {h.version: version_label(ctx, h) for h in history} | {CURRENT: ctx.tr("history_page.current")}
    for key, default in (("hist:from", options[-2]), ("hist:to", options[-1])):
        chosen = st.session_state.get(key)
        # the version chosen (or the default when it is gone), shown under this language's labels: a box
        # keeps the label it was drawn with until the app writes its state ("第 2 版" in English otherwise)
        state.show(key, chosen if chosen in options else default, tuple(labels.values()))
    left, right = st.columns(2)
    earlier = left.selectbox(ctx.tr("history_page.from"), options, key="hist:from", format_func=labels.__getitem__)
    later = right.selectbox(ctx.tr("history_page.to"), options, key="hist:to", format_func=labels.__getitem__)
    if earlier == later:
        st.info(ctx.tr("history_page.same_version"), icon=":material/info:")
        return None
    return earlier, later


def load_version(ctx: PageContext, history: list[SnapshotInfo], version: int) -> Version:
    """A version's answers and scores (``CURRENT``: the answers on screen, evaluated from the start date)."""
    if version == CURRENT:
        dims = {k: d.score for k, d in ctx.ev.assessment.dimensions.items()}
        current = ctx.tr("history_page.current")
        short = ctx.tr("history_page.current_short")
        return Version(current, short, ctx.profile, dims, state.start_date(), clock.today())
    info = next(h for h in history if h.version == version)
    snap = query(lambda store: store.load_snapshot(info.id, auth.access().workspaces))
    return Version(
        version_label(ctx, info),
        ctx.tr("history.version", version=version),
        snap.profile,
        dict(info.summary.dimensions),
        info.summary.assessed_on,
        local_time(info.saved_at).date(),
    )


# --- what changed ------------------------------------------------------------------------------------


def compare(ctx: PageContext, earlier: Version, later: Version) -> EvaluationChange:
    """Score, status and licence date of the later version and how far they moved; returns the diff."""
    after = evaluate(later.profile, later.assessed_on)
    diff = evaluation_diff(evaluate(earlier.profile, earlier.assessed_on), after)
    # one row that wraps (as on the Overview): each metric as wide as its value, never "2027年…"
    score = status = licence = st.container(horizontal=True, gap="small")
    delta = (
        ctx.tr("history_page.points", n=fmt_score_change(diff.overall_delta, ctx.lang)) if diff.overall_delta else None
    )
    score.metric(
        ctx.tr("history_page.overall"),
        f"{fmt_score(after.assessment.overall, ctx.lang)} / 100",
        delta=delta,
        border=True,
        width="content",
    )
    with status.container(border=True, width="content"):
        st.caption(ctx.tr("history_page.status"))
        st.markdown(_status_move(ctx, diff.status_before, diff.status_after))
    moved = diff.licence_days_moved or 0
    text = (
        ctx.tr("history_page.licence_same")
        if not moved
        else ctx.tr("history_page.licence_earlier" if moved < 0 else "history_page.licence_later", n=abs(moved))
    )
    licence.metric(
        ctx.tr("history_page.licence"),
        fmt_date(diff.licence_after, ctx.lang) if diff.licence_after else ctx.tr("licence.pending"),
        border=True,
        width="content",
        delta=text,
        delta_color="off" if not moved else ("normal" if moved < 0 else "inverse"),
        delta_arrow="off",
        help=ctx.tr("history_page.licence_help", before=fmt_date(diff.licence_before, ctx.lang)),
    )
    return diff


def _status_move(ctx: PageContext, before: str, after: str) -> str:
    def badge(status: str) -> str:
        return f":{STATUS_BADGE[status]}-badge[{status_label(status, ctx.lang)}]"

    if before == after:
        return f"{badge(after)} {ctx.tr('history_page.status_same')}"
    return f"{badge(before)} → {badge(after)}"


def radar(ctx: PageContext, earlier: Version, later: Version) -> Figure | None:
    return radar_compare(ctx.catalog, (earlier.label, earlier.dims), (later.label, later.dims), ctx.lang)


def gap_changes(ctx: PageContext, diff: EvaluationChange) -> None:
    """The gaps closed and opened between the two versions."""
    _gap_list(ctx, "history_page.gaps_closed", diff.gaps_closed, "green", ":material/check_circle:")
    _gap_list(ctx, "history_page.gaps_opened", diff.gaps_opened, "red", ":material/error:")


def answer_changes(ctx: PageContext, diff: EvaluationChange, earlier: Version, later: Version) -> None:
    """The answers (and evidence) that changed, old and new side by side, across the page's width.

    The plan's changes are listed apart, under the plan's progress (``plan_progress``).
    """
    answers = [c for c in diff.answers if not c.field.startswith("plan.")]
    st.markdown(f"##### {ctx.tr('history_page.answers_title', n=len(answers))}")
    if answers:
        # no fixed column widths: the grid shares the page's width, so the newer answer is never cut off
        st.dataframe(
            change_frame(ctx.catalog, answers, ctx.lang, earlier.short, later.short),
            hide_index=True,
            width="stretch",
            row_height=WRAP_ROW_HEIGHT,
        )
    else:
        st.caption(ctx.tr("history_page.answers_same"))


def _gap_list(ctx: PageContext, title: str, rule_ids: tuple[str, ...], colour: str, icon: str) -> None:
    st.markdown(f"##### {ctx.tr(title, n=len(rule_ids))}")
    if not rule_ids:
        st.caption(ctx.tr("history_page.gaps_none"))
        return
    st.markdown("\n".join(f"- {icon} :{colour}[{ctx.rule_title(rid)}]" for rid in rule_ids))


# --- the action plan between the two versions ----------------------------------------------------------

# The order rows are listed in (an action both added and done is one row: "added · done").
PLAN_KINDS = ("done", "slipped", "reopened", "waived", "added", "removed")


def plan_change_of(earlier: Version, later: Version) -> tuple[PlanChange, dict[str, PlanAction], dict[str, PlanAction]]:
    """What happened to the plan, with each version's actions by id (the plans as the engine keeps them:
    reconciled on the day each version was assessed)."""
    before = evaluate(earlier.profile, earlier.assessed_on).profile.plan
    after = evaluate(later.profile, later.assessed_on).profile.plan
    change = plan_changes(before, after, earlier.saved_on, later.saved_on)
    return change, {a.id: a for a in before}, {a.id: a for a in after}


def plan_change_rows(ctx: PageContext, earlier: Version, later: Version) -> tuple[PlanChange, list[dict]]:
    """One row per action that moved: its changes (``kinds``), name, owner and due date (how it moved)."""
    change, before, after = plan_change_of(earlier, later)
    kinds: dict[str, list[str]] = {}
    for kind in PLAN_KINDS:
        for action_id in getattr(change, kind):
            kinds.setdefault(action_id, []).append(kind)
    rows = []
    for action_id, which in kinds.items():
        action = after.get(action_id) or before[action_id]
        old = before.get(action_id)
        rows.append(
            {
                "kinds": tuple(which),
                "action": action_text(ctx.catalog, action, ctx.lang),
                "owner": action.owner or "—",
                "due": _due_text(ctx, old, action, later.saved_on, "slipped" in which),
            }
        )
    return change, rows


def _due_text(ctx: PageContext, old: PlanAction | None, new: PlanAction, day: date, slipped: bool) -> str:
    if new.due is None:
        return "—"
    due = fmt_date(new.due, ctx.lang)
    if slipped and old is not None and old.due is not None and old.due < new.due:
        return ctx.tr("store_plan.history.due_moved", before=fmt_date(old.due, ctx.lang), after=due)
    if slipped:
        return ctx.tr("store_plan.history.now_overdue", due=due)
    return due


def plan_progress(ctx: PageContext, diff: EvaluationChange, earlier: Version, later: Version) -> None:
    """Actions done, slipped, reopened, waived and added between the two versions, as a compact list,
    then every edit of the plan (owners, notes, dates …) field by field."""
    change, rows = plan_change_rows(ctx, earlier, later)
    st.markdown(f"##### {ctx.tr('store_plan.history.title', n=len(rows))}")
    edits = [c for c in diff.answers if c.field.startswith("plan.")]
    if change.empty:
        st.caption(ctx.tr("store_plan.history.none"))
        _plan_edits(ctx, edits, earlier, later)
        return
    st.caption(
        ctx.tr(
            "store_plan.history.counts",
            done=len(change.done),
            slipped=len(change.slipped),
            added=len(change.added),
            reopened=len(change.reopened),
            waived=len(change.waived),
        )
    )
    # one line per action, wrapping at any width: badges, the name, then owner and due date
    st.markdown("\n".join(f"- {plan_change_line(ctx, row)}" for row in rows))
    _plan_edits(ctx, edits, earlier, later)


KIND_BADGE = {
    "done": "green",
    "slipped": "orange",
    "reopened": "red",
    "waived": "gray",
    "added": "blue",
    "removed": "gray",
}


def plan_change_line(ctx: PageContext, row: dict) -> str:
    """A row of ``plan_change_rows`` as Markdown (the user's words made literal)."""
    badges = " ".join(f":{KIND_BADGE[k]}-badge[{ctx.tr(f'store_plan.history.kind.{k}')}]" for k in row["kinds"])
    owner = ctx.tr("store_plan.history.owner", owner=md_literal(row["owner"])) if row["owner"] != "—" else ""
    due = ctx.tr("store_plan.history.due", due=md_literal(row["due"])) if row["due"] != "—" else ""
    details = " · ".join(filter(None, (owner, due)))
    return f"{badges} **{md_literal(row['action'])}**" + (f" — {details}" if details else "")


def _plan_edits(ctx: PageContext, edits: list, earlier: Version, later: Version) -> None:
    if not edits:
        return
    with st.expander(ctx.tr("store_plan.history.edits", n=len(edits)), icon=":material/edit_note:"):
        st.dataframe(
            change_frame(ctx.catalog, edits, ctx.lang, earlier.short, later.short),
            hide_index=True,
            width="stretch",
            key="hist:plan_edits",
        )
