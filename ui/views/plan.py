"""The Plan page's machinery: the editable action table, the add-action form, metrics and the licence date.

(Over 500 lines on purpose: the table, its pending edits and the add form share one editor state and its
version key; split apart, each would need the others' session keys.)

The plan lives in the profile (``Profile.plan``): every edit goes through ``ccl.plan.update_action`` and
``state.set_profile``, so drafts keep it, "Save" stores it and a draft link brings it back.

The table is an ``st.data_editor``. Its edits are applied in its ``on_change`` callback (before the page
and the sidebar are drawn), then the editor's key moves on to a new version: the editor restarts from
the profile, which now holds the edits, so an edit is never applied twice nor shown over a later change
(a reset, a language switch, an action marked done by the answers). An edit the profile refuses (a
waived action without a reason) is kept aside as *pending*, shown in the table and named in a message;
the row's other edits are saved, and the pending one is applied as soon as it is valid.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import streamlit as st
from pydantic import ValidationError

from ccl.errors import ErrorCode
from ccl.headline import licence_mode
from ccl.i18n import (
    LANGS,
    Lang,
    conflict_text,
    fmt_date,
    plan_status_label,
    problem_message,
    progress_text,
    severity_label,
    t,
)
from ccl.plan import (
    CUSTOM_PREFIX,
    OPEN_STATUSES,
    STATUSES,
    PlanItem,
    closed_by_answers,
    in_plan_order,
    next_custom_id,
    split_group,
    update_action,
)
from ccl.profile import DATE_MAX, DATE_MIN, PlanAction, text_limit, validation_problems
from ccl.timeline import Timeline, TimelineStage
from ui import auth, deferred, state
from ui.blocks import dimension_filter, filter_pills
from ui.cache import evaluate, get_engine, memo
from ui.context import PageContext
from ui.escape import md_literal
from ui.tables import WRAP_ROW_HEIGHT, Rows

if TYPE_CHECKING:
    import pandas as pd

# the most characters an action's texts may hold, as the profile's types say (the grid and the panel alike)
TEXT_MAX = {name: text_limit(f"plan.0.{name}") for name in ("title", "owner", "reason", "notes")}

EDITOR = "plan:editor"
VERSION = "plan:editor_version"
SHOWN = "plan:shown"  # (company key, action ids in the editor's row order)
PENDING = "plan:pending"  # company key → action id → {field: value the profile refused}
ADD_MESSAGE = state.page_message("plan:add_message")  # (kind, text) after the add-action form
EDITABLE = ("status", "owner", "due", "reason", "notes")
REOPENED = "plan:reopened"  # action ids the user just set back to open or in progress
UNOWNED = "__unowned__"
MAX_NAMED = 3  # actions named in a sentence before "and n more"
TABLE_ROWS = 10  # rows shown before the table scrolls inside itself
ACTION_PX, STATUS_PX, OWNER_PX, DUE_PX = {"zh": 216, "en": 230}, 80, 116, 122  # key columns: 534 px in zh
HEADER_PX = 38


# --- who may edit ----------------------------------------------------------------------------------


def can_edit(ctx: PageContext) -> bool:
    """Editing the plan is saving work: a viewer (read-only role) may look, not change."""
    return auth.access().can("save") and ctx.ev.head.mode != "holder"


def may_edit() -> bool:
    """``can_edit`` in a callback (no page context yet)."""
    mode = licence_mode(state.profile(), get_engine().catalog, state.start_date())  # as the headline says
    return auth.access().can("save") and mode != "holder"


# --- applying the editor's edits -------------------------------------------------------------------


def editor_key() -> str:
    return f"{EDITOR}:{st.session_state.get(VERSION, 0)}"


def next_editor() -> None:
    st.session_state[VERSION] = st.session_state.get(VERSION, 0) + 1


def pending() -> dict[str, dict[str, Any]]:
    """The current company's refused edits, by action id."""
    return st.session_state.setdefault(PENDING, {}).setdefault(state.current_key(), {})


def _forget_company(key: str) -> None:
    st.session_state.get(PENDING, {}).pop(key, None)


state.on_close(_forget_company)

_STATUS_OF_LABEL = {plan_status_label(s, lang): s for lang in LANGS for s in STATUSES}


def cell_value(column: str, raw: Any) -> Any:
    """What an edited cell means for the profile: a status key, a date, trimmed text or None."""
    if raw is None:
        return None
    if column == "status":
        return _STATUS_OF_LABEL.get(raw, raw)
    if column == "due":
        return _as_date(raw)
    text = str(raw).strip()
    return text or None


def _as_date(raw: Any) -> Any:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, (int, float)):  # epoch milliseconds
        return datetime.fromtimestamp(raw / 1000, tz=UTC).date()
    try:
        return date.fromisoformat(str(raw)[:10])
    except ValueError:
        return raw  # refused by the profile, with a message naming the action


def consume_edits(key: str) -> None:
    """Apply the edits held by the editor ``key`` (its on_change callback; also run before it is drawn)."""
    edits = (st.session_state.get(key) or {}).get("edited_rows") or {}
    if not edits:
        return
    company, ids = st.session_state.get(SHOWN, (None, ()))
    changes: dict[str, dict[str, Any]] = {}
    if company == state.current_key() and may_edit():
        for row, cells in edits.items():
            i = int(row)
            if 0 <= i < len(ids):
                changes[ids[i]] = {c: cell_value(c, v) for c, v in cells.items() if c in EDITABLE}
    apply_changes(changes, state.start_date())
    next_editor()


def apply_changes(changes: dict[str, dict[str, Any]], today: date) -> None:
    """Apply each action's changes; keep aside (pending) those the profile refuses, apply the rest."""
    prof = state.profile()
    plan = prof.plan
    aside = pending()
    by_id = {a.id: a for a in plan}
    known = set(by_id)
    assessment = evaluate(prof, today, state.review_anchor()).assessment
    kept: set[str] = set()
    for action_id, new in changes.items():
        if action_id not in known or not new:
            continue
        was = by_id[action_id]
        if new.get("status") in OPEN_STATUSES and was.status == "done" and closed_by_answers(was, assessment):
            # the answers would close it again at once: keep it done (and its date), say why
            new = {k: v for k, v in new.items() if k != "status"}
            kept.add(action_id)
            if not new:
                continue
        wanted = aside.pop(action_id, {}) | new
        plan, refused = apply_one(plan, action_id, today, wanted)
        if refused:
            aside[action_id] = refused
    st.session_state[REOPENED] = kept
    if plan != prof.plan:
        state.set_profile(prof.with_plan(plan))


def apply_one(
    plan: tuple[PlanAction, ...], action_id: str, today: date, changes: dict[str, Any]
) -> tuple[tuple[PlanAction, ...], dict[str, Any]]:
    """The plan with as many of ``changes`` as the profile accepts, and the refused ones."""
    try:
        return update_action(plan, action_id, today, **changes), {}
    except ValidationError:
        pass
    accepted: dict[str, Any] = {}
    refused = dict(changes)
    progress = True
    while refused and progress:  # a field may fit only once another is in (a reason, then "waived")
        progress = False
        for field, value in list(refused.items()):
            try:
                update_action(plan, action_id, today, **(accepted | {field: value}))
            except ValidationError:
                continue
            accepted[field] = value
            del refused[field]
            progress = True
    return (update_action(plan, action_id, today, **accepted) if accepted else plan), refused


def kept_done(ctx: PageContext) -> list[str]:
    """Actions the user just tried to reopen while the answers show their gaps closed: say so, once.

    The answers decide what is done (``ccl.plan.reconcile``): such an action stays done, with its date,
    until the answer is corrected; the rest of the row's edits are applied.
    """
    kept = st.session_state.pop(REOPENED, set())
    return [ctx.tr("plan_ui.kept_done", action=md_literal(i.label(ctx.lang))) for i in ctx.ev.plan if i.id in kept]


def pending_problems(ctx: PageContext) -> list[str]:
    """One message per action with a refused edit, naming the action and what to fix."""
    plan = ctx.profile.plan
    names = {i.id: i.label(ctx.lang) for i in ctx.ev.plan}
    aside = pending()
    out = []
    for action_id in [a for a in aside if a not in names]:  # the action is gone
        aside.pop(action_id)
    for action_id, changes in aside.items():
        name = md_literal(names[action_id])
        try:
            update_action(plan, action_id, ctx.ev.start, **changes)
        except ValidationError as err:
            for p in validation_problems(err):
                if p.code is ErrorCode.WAIVED_NO_REASON:
                    out.append(ctx.tr("plan_ui.problem_waived", action=name))
                    continue
                column = ctx.tr(f"plan.col.{p.field}") if p.field in EDITABLE else p.field
                limits = (DATE_MIN, DATE_MAX) if p.field == "due" else p.limits
                problem = problem_message(replace(p, value=_shown(p.value), limits=limits), ctx.lang)
                out.append(ctx.tr("plan_ui.problem", action=name, column=column, problem=problem))
    return out


def _shown(value: Any) -> Any:
    return md_literal(value) if isinstance(value, str) else value


# --- the table -------------------------------------------------------------------------------------


ORDER = "plan:order"  # (company, action ids in the order the grid first showed them)


def steady(items: Iterable[PlanItem]) -> list[PlanItem]:
    """Plan order as first shown, kept while the user edits: a row marked done (or re-dated) stays where
    the user is working instead of jumping away; a new action joins at the end, another company re-sorts."""
    items = list(items)
    company = state.current_key()
    kept = st.session_state.get(ORDER)
    if kept is None or kept[0] != company or not {i.id for i in items} >= set(kept[1]):
        kept = (company, tuple(i.id for i in in_plan_order(items)))
    place = {action_id: n for n, action_id in enumerate(kept[1])}
    fresh = [i for i in in_plan_order(items) if i.id not in place]
    out = sorted((i for i in items if i.id in place), key=lambda i: place[i.id]) + fresh
    st.session_state[ORDER] = (company, tuple(i.id for i in out))
    return out


def action_label(item: PlanItem, lead: bool, lang: Lang) -> str:
    """The action's name; a split action's first row shown names the whole job, later steps are indented."""
    # seen without scrolling to the flags on a narrow screen; a no-break space keeps it on the name's line
    mark = "⚠\u00a0" if item.overdue else ""
    if item.steps <= 1 or item.parent_title is None:
        return mark + item.label(lang)
    key = "plan_ui.step_first" if lead else "plan_ui.step_next"
    return mark + t(key, lang, parent=item.parent_title(lang), i=item.step + 1, n=item.steps, title=item.label(lang))


def flags(ctx: PageContext, item: PlanItem, missed: set[str]) -> str:
    out = []
    if item.overdue:
        out.append("⚠ " + ctx.tr("plan.flag.overdue"))
    elif item.id in missed:
        out.append(ctx.tr("plan.flag.due_missed"))
    if item.reopened:  # done means done: the answers to correct, or the status to set back
        out.append("⚠ " + conflict_text(ctx.catalog, item, ctx.lang))
    if item.id.startswith(CUSTOM_PREFIX):
        out.append(ctx.tr("plan.custom"))
    elif not item.known:
        out.append(ctx.tr("plan.flag.unknown"))
    return ctx.tr("app.semicolon").join(out)


def missed_due(tl: Timeline | None) -> set[str]:
    """Actions whose due date cannot hold in the plan's schedule (rescheduled with their effort)."""
    return {s.action_id for s in tl.stages if s.due_missed and s.action_id} if tl else set()


def plan_rows(ctx: PageContext, items: Sequence[PlanItem], aside: dict[str, dict[str, Any]]) -> Rows:
    """One row per action, edits the profile refused shown as the user left them (the grid's, the phone's
    cards' and the panel's rows: built once per run)."""
    names = {i.id: i.label(ctx.lang) for i in ctx.ev.plan}
    missed = missed_due(ctx.ev.plan_timeline)
    rows = []
    seen: set[str] = set()
    for item in items:
        group = split_group(item)
        own = aside.get(item.id, {})
        status = own.get("status", item.status)
        rows.append(
            {
                "action": action_label(item, group not in seen, ctx.lang),
                "status": plan_status_label(status, ctx.lang) if status in STATUSES else str(status),
                "owner": own.get("owner", item.owner),
                "due": date_or_none(own.get("due", item.due)),
                "flags": flags(ctx, item, missed),
                "dimension": ctx.catalog.dimension_by_id[item.dimension].short(ctx.lang) if item.dimension else "—",
                "severity": severity_label(item.severity, ctx.lang) if item.severity else "—",
                "effort": _effort(item),
                "after": ctx.tr("app.semicolon").join(names.get(a, a) for a in item.after) or "—",
                "reason": own.get("reason", item.reason),
                "notes": own.get("notes", item.notes),
            }
        )
        seen.add(group)
    return rows


def plan_frame(rows: Rows, items: Sequence[PlanItem]) -> pd.DataFrame:
    """The grid's frame of ``plan_rows`` (index: the action ids); built once for the same rows."""
    cells = tuple(tuple(row[c] for c in COLUMNS) for row in rows)
    return memo(_plan_frame, cells, tuple(i.id for i in items))


def _plan_frame(cells: tuple[tuple[Any, ...], ...], ids: tuple[str, ...]) -> pd.DataFrame:
    pd = deferred.pandas()
    frame = pd.DataFrame(list(cells), columns=list(COLUMNS), index=list(ids))
    # typed columns, also when every cell is empty (a column of None would read as numbers)
    frame["due"] = pd.to_datetime(frame["due"])
    return frame.astype({c: "string" for c in COLUMNS if c != "due"})


def date_or_none(value: Any) -> date | None:
    return value if isinstance(value, date) else None


def _effort(item: PlanItem) -> str:
    if item.effort_days is None:
        return "—"
    lo, hi = item.effort_days
    return f"{lo}–{hi}" if lo != hi else str(lo)


# The first four (action, status, owner, due) fit the ~560 px a 1024 px screen leaves beside the sidebar; the
# long texts (reason, notes, the actions waited for) are read and edited whole in the panel under the table.
COLUMNS = ("action", "status", "owner", "due", "flags", "effort", "reason", "notes", "after", "dimension", "severity")


def column_config(ctx: PageContext) -> dict[str, Any]:
    cc = st.column_config
    text = cc.TextColumn
    zh = ctx.lang == "zh"
    return {
        "action": text(ctx.tr("plan.col.action"), width=ACTION_PX[ctx.lang], disabled=True),
        "status": cc.SelectboxColumn(
            ctx.tr("plan.col.status"),
            options=[plan_status_label(s, ctx.lang) for s in STATUSES],
            required=True,
            width=STATUS_PX,
            help=ctx.tr("plan_ui.col_status_help"),
        ),
        "owner": text(ctx.tr("plan.col.owner"), width=OWNER_PX, max_chars=TEXT_MAX["owner"]),
        "due": cc.DateColumn(
            ctx.tr("plan.col.due"),
            format="YYYY年M月D日" if zh else "D MMM YYYY",
            min_value=DATE_MIN,
            max_value=DATE_MAX,
            width=DUE_PX,
        ),
        "flags": text(ctx.tr("plan_ui.col_flags"), width=170, disabled=True, help=ctx.tr("plan_ui.col_flags_help")),
        "dimension": text(ctx.tr("plan.col.dimension"), width=76, disabled=True),
        "severity": text(ctx.tr("plan.col.severity"), width=84, disabled=True),
        "effort": text(ctx.tr("plan.col.effort"), width=128 if zh else 160, disabled=True),  # the header whole
        "after": text(ctx.tr("plan.col.after"), width=220, disabled=True),
        "reason": text(
            ctx.tr("plan.col.reason"), width=200, max_chars=TEXT_MAX["reason"], help=ctx.tr("plan_ui.col_reason_help")
        ),
        "notes": text(ctx.tr("plan.col.notes"), width=240, max_chars=TEXT_MAX["notes"]),
    }


def filters(ctx: PageContext, items: Sequence[PlanItem]) -> list[PlanItem]:
    """Owner, status, dimension and "overdue only" filters (empty: all); returns the actions shown."""
    owners = sorted({i.owner for i in items if i.owner})
    options = [*owners, UNOWNED] if any(not i.owner for i in items) else owners
    key = "plan:owner"
    if key in st.session_state:  # a renamed owner or another company: drop choices that no longer exist
        state.show(key, [o for o in st.session_state[key] or [] if o in options], ctx.lang)
    row = st.container(horizontal=True, gap="medium")  # pill groups wrap, never clip
    who = filter_pills(
        row,
        ctx.tr("plan_ui.filter_owner"),
        options,
        lambda o: ctx.tr("plan_ui.unassigned") if o == UNOWNED else md_literal(o),
        key,
    )
    statuses = filter_pills(
        row, ctx.tr("plan_ui.filter_status"), STATUSES, lambda s: plan_status_label(s, ctx.lang), "plan:status"
    )
    dims = dimension_filter(ctx, row, ctx.tr("plan_ui.filter_dimension"), "plan:dimension")
    overdue = st.toggle(ctx.tr("plan_ui.filter_overdue"), key="plan:overdue")
    return [
        i
        for i in items
        if (not who or (i.owner or UNOWNED) in who)
        and (not statuses or i.status in statuses)
        and (not dims or i.dimension in dims)
        and (not overdue or i.overdue)
    ]


def take_edits() -> None:
    """Apply edits the editor holds that its callback has not (handed in through the session state, as
    AppTest does); call before the page's context is made. The callback moves the key on, so nothing
    is applied twice. Nothing in a run app.py does not frame (the page's context then stops it)."""
    if state.is_framed():
        consume_edits(editor_key())


def action_table(ctx: PageContext, shown: Sequence[PlanItem], rows: Rows, editable: bool) -> None:
    """The actions (``rows``: their ``plan_rows``) as an editable table (read-only for a viewer)."""
    key = editor_key()
    ids = [i.id for i in shown]
    st.session_state[SHOWN] = (state.current_key(), ids)
    frame = plan_frame(rows, shown)
    height = HEADER_PX + WRAP_ROW_HEIGHT * min(len(ids), TABLE_ROWS) + 2
    st.container(key="plan-grid").data_editor(
        frame,
        key=key,
        on_change=consume_edits,
        args=(key,),
        hide_index=True,
        width="stretch",
        height=height,
        row_height=WRAP_ROW_HEIGHT,
        placeholder="",  # an empty cell, not "None"
        num_rows="fixed",
        disabled=not editable,
        column_order=list(COLUMNS),
        column_config=column_config(ctx),
    )


# --- adding a custom action --------------------------------------------------------------------------

ADD_NAME, ADD_OWNER, ADD_DUE = "plan:add_name", "plan:add_owner", "plan:add_due"


def _on_add() -> None:
    lang = state.lang()
    if not may_edit():
        return
    title = (st.session_state.get(ADD_NAME) or "").strip()
    if not title:
        st.session_state[ADD_MESSAGE] = ("error", t("plan_ui.add_missing", lang))
        return
    prof = state.profile()
    owner = (st.session_state.get(ADD_OWNER) or "").strip() or None
    action = {
        "id": next_custom_id(prof.plan),
        "title": title,
        "owner": owner,
        "due": st.session_state.get(ADD_DUE),
        "added_on": state.start_date(),
    }
    try:
        new = PlanAction.model_validate(action)
        state.set_profile(prof.with_plan((*prof.plan, new)))
    except ValidationError as err:
        text = "；".join(problem_message(p, lang) for p in validation_problems(err))
        st.session_state[ADD_MESSAGE] = ("error", t("plan_ui.add_invalid", lang, problem=text))
        return  # what was typed stays in the form
    st.session_state[ADD_MESSAGE] = ("success", t("plan_ui.add_done", lang, title=md_literal(title)))
    for k, empty in ((ADD_NAME, ""), (ADD_OWNER, ""), (ADD_DUE, None)):
        st.session_state[k] = empty


def add_form(ctx: PageContext) -> None:
    """Title, owner and due date of a custom action (``custom.<n>``)."""
    with st.expander(ctx.tr("plan_ui.add_title"), icon=":material/add_task:"):
        st.caption(ctx.tr("plan_ui.add_help"))
        with st.form("plan:add", border=False, enter_to_submit=False):
            st.text_input(ctx.tr("plan_ui.add_name"), key=ADD_NAME, max_chars=TEXT_MAX["title"])
            owner, due = st.columns(2)
            owner.text_input(ctx.tr("plan_ui.add_owner"), key=ADD_OWNER, max_chars=TEXT_MAX["owner"])
            st.session_state.setdefault(ADD_DUE, None)  # empty until chosen (not today)
            due.date_input(
                ctx.tr("plan_ui.add_due"),
                key=ADD_DUE,
                min_value=DATE_MIN,
                max_value=DATE_MAX,
                format=ctx.date_input_format,
            )
            st.form_submit_button(ctx.tr("plan_ui.add_submit"), on_click=_on_add, icon=":material/add:")
    message = st.session_state.get(ADD_MESSAGE)
    if message:
        kind, text = message
        (st.success if kind == "success" else st.error)(text, icon=":material/info:")


# --- metrics and the licence date ---------------------------------------------------------------------


def progress_metrics(ctx: PageContext, where: Any) -> None:
    """Done / to do / overdue / upcoming due date / unowned, as metrics in a row that wraps."""
    p = ctx.ev.plan_progress
    if p is None:
        return
    where.metric(
        ctx.tr("plan_ui.metric_done"),
        f"{p.done} / {p.total}",
        border=True,
        width="content",
        help=ctx.tr("plan_ui.metric_done_help", done=p.done, waived=p.waived, total=p.total),
    )
    where.metric(
        ctx.tr("plan_ui.metric_active"),
        p.active,
        border=True,
        width="content",
        help=ctx.tr("plan_ui.metric_active_help", open=p.open, in_progress=p.in_progress),
    )
    where.metric(
        ctx.tr("plan_ui.metric_overdue"),
        p.overdue,
        border=True,
        width="content",
        help=ctx.tr("plan_ui.metric_overdue_help"),
    )
    where.metric(
        ctx.tr("plan_ui.metric_next_due"),
        fmt_date(p.next_due, ctx.lang) if p.next_due else ctx.tr("plan.progress.none_due"),
        border=True,
        width="content",
        help=ctx.tr("plan_ui.metric_next_due_help"),
    )
    where.metric(
        ctx.tr("plan_ui.metric_unowned"),
        p.unowned,
        border=True,
        width="content",
        help=ctx.tr("plan_ui.metric_unowned_help"),
    )


def _name(ctx: PageContext, stage: TimelineStage, names: dict[str, PlanItem]) -> tuple[str, PlanItem | None]:
    """An action's name inside a sentence (without its closing full stop) and the action."""
    item = names.get(stage.action_id or "")
    if item is not None:
        name = md_literal(item.label(ctx.lang))
    else:
        name = ctx.rule_title(stage.rule_id) if stage.rule_id else stage.key
    return name.rstrip("。.;；"), item


def _ref(ctx: PageContext, stage: TimelineStage, names: dict[str, PlanItem]) -> str:
    """“name” (owner, end date); for a rescheduled action also the date that could not hold."""
    name, item = _name(ctx, stage, names)
    when = fmt_date(stage.end, ctx.lang)
    if stage.due_missed and stage.due:
        owner = md_literal(item.owner) if item and item.owner else ctx.tr("plan_ui.no_owner")
        return ctx.tr("plan_ui.action_ref_moved", name=name, owner=owner, due=fmt_date(stage.due, ctx.lang), end=when)
    if item is not None and item.owner:
        return ctx.tr("plan_ui.action_ref", name=name, owner=md_literal(item.owner), due=when)
    return ctx.tr("plan_ui.action_ref_short", name=name, due=when)


def _refs(ctx: PageContext, stages: Sequence[TimelineStage], names: dict[str, PlanItem]) -> str:
    named = [_ref(ctx, s, names) for s in stages[:MAX_NAMED]]
    if len(stages) > MAX_NAMED:
        named.append(ctx.tr("plan_ui.more_actions", n=len(stages) - MAX_NAMED))
    return ctx.tr("plan_ui.list_sep").join(named)


def licence_sentences(ctx: PageContext) -> list[str]:
    """Why the plan gives this licence date: the work that ends last before submission (and before
    issuance), the due dates that cannot hold, and how far it is from the catalog's estimate."""
    tl = ctx.ev.plan_timeline
    if tl is None or ctx.ev.head.licence_date_basis != "plan":  # the catalog decides: nothing of the plan's
        return [ctx.tr("plan_ui.undated")] if tl is not None and ctx.ev.head.licence_date else []
    names = {i.id: i for i in ctx.ev.plan}
    work = [s for s in tl.stages if s.kind == "work"]
    out = []
    if not ctx.ev.plan_dated:
        out.append(ctx.tr("plan_ui.undated"))
    before = [s for s in work if s.needed_by != "issuance"]
    if before:
        last = max(s.end for s in before)
        drivers = sorted((s for s in before if s.end == last), key=lambda s: s.key)
        when = fmt_date(tl.submission_date, ctx.lang)
        out.append(ctx.tr_n("plan_ui.submit_driven", len(drivers), date=when, actions=_refs(ctx, drivers, names)))
    else:
        out.append(ctx.tr("plan_ui.no_work"))
    deferred = [s for s in work if s.needed_by == "issuance"]
    if deferred and max(s.end for s in deferred) >= tl.decision_date:
        last = max(s.end for s in deferred)
        out.append(ctx.tr("plan_ui.issuance_driven", actions=_refs(ctx, [s for s in deferred if s.end == last], names)))
    missed = [s for s in work if s.due_missed]
    if missed:
        out.append(ctx.tr_n("plan_ui.rescheduled", len(missed), actions=_refs(ctx, missed, names)))
    shift = ctx.ev.plan_licence_shift
    if shift is not None and ctx.ev.plan_dated:
        when = fmt_date(ctx.ev.expected.licence_date, ctx.lang)
        if shift == 0:
            out.append(ctx.tr("plan_ui.shift_sentence_same", date=when))
        else:
            key = "plan_ui.shift_sentence_later" if shift > 0 else "plan_ui.shift_sentence_earlier"
            out.append(ctx.tr_n(key, abs(shift), date=when))
    return out


def left_out(ctx: PageContext, drawn: set[str]) -> int:
    """Actions still to do that the Gantt does not draw (no due date and not on the way to the licence)."""
    return sum(1 for i in ctx.ev.plan if i.active and i.id not in drawn)


# --- the Overview's summary -----------------------------------------------------------------------------


def overview_progress(ctx: PageContext) -> None:
    """Done / to do / overdue and the next due date in one bordered box, with a link to the Plan page.

    Nothing for a licence holder or a company without actions."""
    p = ctx.ev.plan_progress
    if ctx.ev.head.mode == "holder" or p is None:
        return
    with st.container(border=True):
        st.progress(
            min(max(p.share_done / 100, 0.0), 1.0),
            text=f"**{ctx.tr('overview_plan.title')}** — {progress_text(p, ctx.lang)}",
        )
        with st.container(horizontal=True, gap="small", vertical_alignment="center"):
            badges = []
            if p.overdue:
                badges.append(f":red-badge[:material/warning: {ctx.tr('plan_ui.metric_overdue')} {p.overdue}]")
            if p.next_due:
                badges.append(f":blue-badge[{ctx.tr('overview_plan.next_due', date=fmt_date(p.next_due, ctx.lang))}]")
            if p.unowned:
                badges.append(f":orange-badge[{ctx.tr_n('overview_plan.unowned', p.unowned)}]")
            if badges:
                st.markdown(" ".join(badges), width="content")
            st.page_link("pages/plan.py", label=ctx.tr("overview_plan.open_plan"), icon=":material/task_alt:")
