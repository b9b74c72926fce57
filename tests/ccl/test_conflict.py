"""Done means done: an action marked done while the answers still show its gap is a conflict, flagged on
every surface, not counted done, still overdue, and naming the answer to correct."""

from __future__ import annotations

import io
from datetime import date

import openpyxl

from ccl.cli.plan import render_plan
from ccl.excel.report import build_report, sheet_names
from ccl.i18n import conflict_text, gap_plan_text, t
from ccl.ics import calendar_ics
from ccl.plan import gap_plans, update_action

DAY = date(2026, 12, 7)


def _conflicted(engine, samples):
    """Sample 10 with its overdue trunk-contract action set to done (the answers still show the gap)."""
    profile = next(s for s in samples if s.key.startswith("10")).load(DAY)
    before = engine.evaluate(profile, DAY)
    item = next(i for i in before.plan if i.id == "pe.trunk_contract")
    assert item.overdue and item.gap_open
    plan = update_action(
        before.ev_plan if hasattr(before, "ev_plan") else before.profile.plan, item.id, DAY, status="done"
    )
    after = engine.evaluate(before.profile.model_copy(update={"plan": plan}), DAY)
    return before, after, next(i for i in after.plan if i.id == item.id)


def test_a_done_action_whose_gap_shows_is_a_conflict_not_done(engine, samples):
    before, after, item = _conflicted(engine, samples)
    assert item.status == "done" and item.conflict
    assert item.overdue  # keeps its overdue flag
    assert after.plan_progress.done == before.plan_progress.done  # not counted as done
    assert after.plan_progress.overdue == before.plan_progress.overdue
    assert item.fix_fields  # names the answer to correct
    assert after.plan_progress.active == before.plan_progress.active  # still to do
    label = engine.catalog.questions[item.fix_fields[0]].label("zh")
    assert label in conflict_text(engine.catalog, item, "zh")
    # the gap's line (Gaps table, Overview's next best actions) says conflict, never "done"
    gp = gap_plans(after.plan)["pe.trunk_contract"]
    assert gp.conflict and gp.status != "done"
    line = gap_plan_text(gp, "zh")
    assert line.startswith(t("plan.flag.conflict_short", "zh")) and "已完成" not in line.split("·")[0].replace(
        t("plan.flag.conflict_short", "zh"), ""
    )
    # the headline still waits for it, and the calendar keeps its due date
    assert after.headline.next_deadline.action_id == "pe.trunk_contract"
    assert calendar_ics(after, engine.catalog, "zh").count(b"BEGIN:VEVENT") == calendar_ics(
        before, engine.catalog, "zh"
    ).count(b"BEGIN:VEVENT")
    # CLI plan and the Excel plan sheet flag it
    assert t("plan.flag.conflict_short", "zh") in render_plan(after, "zh", "x.json")
    wb = openpyxl.load_workbook(io.BytesIO(build_report(after, engine, "zh", DAY)))
    text = "\n".join(str(c.value) for r in wb[sheet_names("zh")["plan"]].iter_rows() for c in r if c.value)
    assert conflict_text(engine.catalog, item, "zh") in text
