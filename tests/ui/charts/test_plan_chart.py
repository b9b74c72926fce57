"""The plan's Gantt: the actions still to do as the plan schedules them, dimension colours, overdue marks, arrows."""

from __future__ import annotations

from datetime import date

import pytest

from ccl.engine import Engine
from ccl.samples import list_samples
from tests.chart_support import plotted
from ui.charts.assessment import MS_PER_DAY, SEVERITY_COLOURS
from ui.charts.plan import gantt_rows, plan_gantt

START = date(2026, 11, 30)
ENGINE = Engine.load()
CAT = ENGINE.catalog
EVALS = {s.key: ENGINE.evaluate(s.load(), START) for s in list_samples()}
XIAN = EVALS["10_xian_mid_remediation"]


def figure(ev, lang: str = "zh"):
    return plotted(plan_gantt(CAT, ev.plan_timeline, ev.plan, ev.start, lang))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("key", list(EVALS))
def test_a_figure_for_every_sample_with_actions_to_do(key, lang):
    ev = EVALS[key]
    fig = figure(ev, lang)
    if not any(i.active for i in ev.plan):
        assert fig is None  # the page says why instead of an empty chart
        return
    assert fig is not None
    assert fig.layout.title.text and fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    assert fig.layout.paper_bgcolor == "rgba(0,0,0,0)" and fig.layout.font.color is None  # light and dark
    rows = list(fig.layout.yaxis.categoryarray)
    assert len(rows) == len(set(rows))  # one row per action: no two labels on one line
    assert all(len(line) <= 40 for row in rows for line in row.split("<br>"))  # wrapped, not one long line


def test_bars_take_their_dimensions_colour():
    fig = figure(XIAN, "en")
    bars = [t for t in fig.data if t.type == "bar" and t.x and t.x[0]]
    by_name = {d.name("en"): d.colour for d in CAT.dimensions}
    assert {b.name for b in bars} <= set(by_name)
    for b in bars:
        assert b.marker.color == by_name[b.name]


def test_the_schedule_is_the_plan_timeline_and_ends_on_the_due_dates():
    rows = {r.key: r for r in gantt_rows(CAT, XIAN.plan_timeline, XIAN.plan, START, "zh")}
    form = rows["mat.application_form"]  # due 22 Jan 2027, still possible: the bar ends on it
    assert (form.end, form.due, form.rescheduled) == (date(2027, 1, 22), date(2027, 1, 22), False)
    trunk = rows["pe.trunk_contract"]  # due 20 Nov 2026, passed: rescheduled from today with its effort
    assert trunk.rescheduled and trunk.start >= START and trunk.end > trunk.due
    # a reminder's action with a due date precedes submission too (its rule says so): on the schedule
    filing = rows["graded_protection.filing"]
    assert not filing.optional and filing.end == date(2027, 1, 29)
    assert XIAN.plan_timeline.submission_date > filing.end
    assert all(r.item is None or r.item.active for r in rows.values())  # done and waived actions are not drawn


def test_overdue_actions_are_marked_by_symbol_colour_and_name():
    fig = figure(XIAN)
    crosses = next(t for t in fig.data if t.type == "scatter" and t.marker.symbol == "x")
    assert len(crosses.x) == 2 and crosses.marker.color == SEVERITY_COLOURS["blocker"]
    assert crosses.name  # in the legend
    assert all(y.startswith("⚠") for y in crosses.y)


def test_arrows_run_from_an_action_to_the_one_waiting_for_it():
    fig = figure(XIAN)
    lines = next(t for t in fig.data if t.type == "scatter" and t.mode == "lines")
    rows = {r.key: r for r in gantt_rows(CAT, XIAN.plan_timeline, XIAN.plan, START, "zh")}
    waits = [(r, d) for r in rows.values() if r.item for d in r.item.after if d in rows and rows[d].end]
    assert waits and len(lines.x) == 4 * len(waits)  # an elbow of three points and a break per dependency
    heads = next(t for t in fig.data if t.type == "scatter" and t.marker.symbol == "triangle-right")
    assert len(heads.x) == len(waits)


def test_the_bars_span_their_days():
    fig = figure(XIAN)
    rows = [r for r in gantt_rows(CAT, XIAN.plan_timeline, XIAN.plan, START, "zh") if r.start]
    widths = sorted(x for t in fig.data if t.type == "bar" for x in t.x if x)
    assert widths == sorted(((r.end - r.start).days + 1) * MS_PER_DAY for r in rows)
