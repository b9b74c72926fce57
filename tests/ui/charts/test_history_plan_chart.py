"""The History page's plan chart: done, to do and overdue actions of each saved version, as of its save day."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ccl.catalog.objects import DIMENSIONS
from ccl.store import SnapshotInfo, SnapshotSummary
from tests.chart_support import plotted
from ui.charts.history import plan_counts, plan_trend

DIMENSION_COLOURS = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"}


def version(n: int, saved: date, total=None, done=None, open_=None, dues=None) -> SnapshotInfo:
    summary = SnapshotSummary(
        catalog_version="x",
        assessed_on=saved,
        status="not_ready",
        eligible=True,
        overall=60.0,
        completion=90.0,
        dimensions=dict.fromkeys(DIMENSIONS, 60.0),
        blockers=0,
        gaps=5,
        licence_date=None,
        licence_estimate=True,
        licence_assumes_blockers_removed=False,
        plan_total=total,
        plan_done=done,
        plan_open=open_,
        plan_due_dates=dues,
    )
    # 02:00 UTC is 10:00 in Beijing: the same calendar day
    when = datetime(saved.year, saved.month, saved.day, 2, tzinfo=UTC)
    return SnapshotInfo(id=n, client_id=1, version=n, saved_at=when, saved_by="王经理", summary=summary)


HISTORY = [
    version(1, date(2026, 9, 1)),  # saved before plans were kept
    version(2, date(2026, 10, 1), 10, 2, 8, (date(2026, 9, 20), date(2026, 11, 1), date(2026, 12, 1))),
    version(3, date(2026, 11, 15), 10, 6, 3, (date(2026, 11, 1), date(2026, 11, 10), date(2026, 12, 1))),
]


def test_counts_are_taken_on_the_day_each_version_was_saved():
    assert plan_counts(HISTORY[0]) is None
    assert plan_counts(HISTORY[1]) == {"done": 2, "waived": 0, "todo": 7, "overdue": 1}
    assert plan_counts(HISTORY[2]) == {"done": 6, "waived": 1, "todo": 1, "overdue": 2}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_stacked_bars_per_version_titled_with_axis_labels(lang):
    fig = plotted(plan_trend(HISTORY, lang))
    assert fig.layout.barmode == "stack"
    names = [tr.name for tr in fig.data]
    assert names == (["已完成", "已豁免", "待办", "已逾期"] if lang == "zh" else ["Done", "Waived", "To do", "Overdue"])
    by_name = dict(zip(names, fig.data, strict=True))
    overdue = by_name[names[-1]]
    assert list(overdue.y) == [None, 1, 2] and len(overdue.x) == 3
    assert ("第 3 版" if lang == "zh" else "v3") in overdue.x[-1]
    assert fig.layout.title.text and fig.layout.yaxis.title.text and fig.layout.xaxis.title.text
    assert fig.layout.paper_bgcolor == "rgba(0,0,0,0)" and fig.layout.font.color is None
    # colours apart from the dimensions', and patterns so the series read without colour
    assert not {tr.marker.color for tr in fig.data} & DIMENSION_COLOURS
    assert len({tr.marker.pattern.shape for tr in fig.data}) == len(fig.data)
    # the version saved before plans is said, not drawn as zero
    assert [a.text for a in fig.layout.annotations] == [
        "早期版本未记录行动计划" if lang == "zh" else "Earlier versions did not record an action plan"
    ]


def test_no_chart_without_any_action_and_no_waived_series_without_waivers():
    assert plan_trend(HISTORY[:1], "zh") is None
    assert plan_trend([version(1, date(2026, 10, 1), 0, 0, 0, ())], "zh") is None
    fig = plotted(plan_trend(HISTORY[1:2], "en"))
    assert [tr.name for tr in fig.data] == ["Done", "To do", "Overdue"] and not fig.layout.annotations
