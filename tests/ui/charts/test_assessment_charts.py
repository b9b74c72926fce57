"""Chart builders: a figure for every sample company, one colour per dimension, titles and units set."""

from __future__ import annotations

import ast
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import plotly.graph_objects as go
import pytest

from ccl.catalog.objects import DIMENSIONS, SCENARIOS
from ccl.engine import Engine
from ccl.i18n import fmt_score
from ccl.profile import Profile
from ccl.samples import list_samples
from ccl.scoring import SEVERITY_ORDER
from tests.chart_support import plotted
from ui.charts import assessment as charts
from ui.charts.dates import date_ticks

TODAY = date(2026, 11, 28)
ENGINE = Engine.load()
CAT = ENGINE.catalog
COLOURS = {d.id: d.colour for d in CAT.dimensions}
EVALS = {s.key: ENGINE.evaluate(s.load(), TODAY) for s in list_samples()}
SPAN = re.compile(r'color:(#[0-9A-Fa-f]{6})">■</span> (.+)$')


def titled(fig: go.Figure, *axes: str) -> None:
    assert fig.layout.title.text and "chart." not in fig.layout.title.text
    for axis in axes:
        text = fig.layout[axis].title.text
        assert text and "chart." not in text, f"{axis} has no title"


def themeable(fig: go.Figure) -> None:
    """Readable in light and dark: transparent backgrounds, no fixed text colour."""
    assert fig.layout.paper_bgcolor == "rgba(0,0,0,0)" and fig.layout.plot_bgcolor == "rgba(0,0,0,0)"
    assert fig.layout.font.color is None
    assert fig.layout.autosize is True and fig.layout.width is None


def tick_colours(labels) -> dict[str, str]:
    """Dimension name → the colour of its square in axis labels."""
    return {m.group(2): m.group(1) for m in (SPAN.search(label) for label in labels) if m}


def tick_text(label: str) -> str:
    """The dimension name of one axis label, without its coloured square."""
    m = SPAN.search(label)
    assert m, label
    return m.group(2)


def names(lang: str) -> dict[str, str]:
    return {d.id: d.name(lang) for d in CAT.dimensions}


def shorts(lang: str) -> dict[str, str]:
    return {d.id: d.short(lang) for d in CAT.dimensions}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("key", list(EVALS))
def test_score_charts(key, lang):
    a = EVALS[key].assessment
    radar = plotted(charts.radar(CAT, a, lang))
    bars = plotted(charts.section_scores(CAT, a, lang))
    assert radar is not None and bars is not None  # every sample has answers
    titled(radar)
    titled(bars, "xaxis", "yaxis")
    themeable(radar)
    themeable(bars)
    score = radar.data[1]
    drawn = [a.dimensions[d].score if a.dimensions[d].completion > 0 else None for d in DIMENSIONS]
    assert list(score.r[:6]) == drawn  # nothing answered: a gap in the line, never a 0
    assert list(score.marker.color[:6]) == [COLOURS[d] for d in DIMENSIONS]
    assert tick_colours(score.theta[:6]) == {shorts(lang)[d]: COLOURS[d] for d in DIMENSIONS}
    assert [row[0] for row in score.customdata[:6]] == [names(lang)[d] for d in DIMENSIONS]  # full names in the hover
    # the score in the hover as every surface writes it (78.1, 85), not plotly's own rounding to 78
    assert [row[1] for row in score.customdata[:6]] == ["" if v is None else fmt_score(v, lang) for v in drawn]
    assert [row[0] for row in bars.data[0].customdata] == ["" if v is None else fmt_score(v, lang) for v in drawn]
    assert list(bars.data[0].marker.color) == [COLOURS[d] for d in DIMENSIONS]
    assert tick_colours(bars.data[0].y) == {names(lang)[d]: COLOURS[d] for d in DIMENSIONS}
    assert all(t.hovertemplate for t in (score, bars.data[0]))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("key", list(EVALS))
def test_gap_charts(key, lang):
    a = EVALS[key].assessment
    lost = plotted(charts.points_lost(CAT, a, lang))
    heat = plotted(charts.gap_heatmap(CAT, a, lang))
    assert (lost is None) == (sum(g.points_lost for g in a.gaps) == 0)
    assert (heat is None) == (not a.gaps)
    if lost is not None:
        titled(lost, "xaxis", "yaxis")
        themeable(lost)
        assert all(len(t.y) == 6 and sum(t.y) > 0 for t in lost.data)
        # bars are rounded to 0.1 per dimension and severity: compare totals within that rounding
        shown = sum(sum(t.y) for t in lost.data)
        assert shown == pytest.approx(sum(g.points_lost for g in a.gaps), abs=0.05 * sum(len(t.y) for t in lost.data))
        assert all([row[2] for row in t.customdata] == [fmt_score(v, lang) for v in t.y] for t in lost.data)
        assert tick_colours(lost.data[0].x) == {shorts(lang)[d]: COLOURS[d] for d in DIMENSIONS}
        # the gravest dimension first, as the assessment orders them
        assert [tick_text(x) for x in lost.data[0].x] == [shorts(lang)[d] for d in a.dimensions_worst_first]
        colours = {t.name: t.marker.color for t in lost.data}
        assert len(set(colours.values())) == len(colours)  # one colour per severity
        assert not set(colours.values()) & set(COLOURS.values())  # never mistaken for a dimension
    if heat is not None:
        titled(heat, "xaxis", "yaxis")
        themeable(heat)
        counts = [int(c) for row in heat.data[0].text for c in row if c]  # the counts are written in the cells
        assert sum(counts) == len(a.gaps)
        # each cell coloured by its severity, never by how many: a blocker is the strongest mark
        ranks = {v for row in heat.data[0].z for v in row if v}
        if a.blockers:
            assert max(ranks) == len(charts.SEVERITIES) and not heat.data[0].showscale
        assert tick_colours(heat.data[0].y) == {names(lang)[d]: COLOURS[d] for d in DIMENSIONS}
        assert [tick_text(y) for y in heat.data[0].y] == [names(lang)[d] for d in a.dimensions_worst_first]
        top = [severity for severity, count in zip(charts.SEVERITIES, heat.data[0].text[0], strict=True) if count]
        worst = min(a.gaps, key=lambda g: SEVERITY_ORDER[g.severity]).severity
        assert top[0] == worst  # the top row holds the gravest gap of all


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("key", list(EVALS))
def test_gantt(key, lang):
    ev = EVALS[key]
    for scenario in SCENARIOS:
        tl = ev.timelines[scenario]
        fig = plotted(charts.gantt(CAT, tl, lang))
        titled(fig, "xaxis", "yaxis")
        themeable(fig)
        bars = [t for t in fig.data if t.type == "bar"]
        assert sum(len(t.y) for t in bars) == len(tl.stages)
        for trace in bars:  # remediation bars carry their dimension's colour, under its name
            dim = next((d for d, n in names(lang).items() if n == trace.name), None)
            if dim:
                assert trace.marker.color == COLOURS[dim]
        marks = next(t for t in fig.data if t.type == "scatter")
        _, right = fig.layout.xaxis.range
        if tl.licence_date is None:  # a legal gate unanswered: the stages, but no dated milestones
            assert not marks.x and right > tl.end.isoformat()
        else:
            assert len(marks.x) == 4 and all(marks.text)
            assert right < tl.expiry_date.isoformat() and right > tl.licence_date.isoformat()
            # each milestone on a row of its own, named with its date: labels cannot overlap or run off the plot
            assert len(set(marks.y)) == len(marks.y) and "text" not in marks.mode
            assert all(name in row for name, row in zip(marks.text, marks.y, strict=True))
        assert unique_month_ticks(fig)
        assert any(s.type == "line" for s in fig.layout.shapes)  # the today line
        assert len(set(fig.layout.yaxis.categoryarray)) == len(fig.layout.yaxis.categoryarray)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_unanswered_dimensions_are_drawn_as_not_answered(lang):
    a = EVALS["05_hangzhou_incomplete"].assessment
    empty = [d for d in DIMENSIONS if a.dimensions[d].completion == 0]
    assert empty == ["technical_plan", "materials"]
    label = "未作答" if lang == "zh" else "not answered"
    radar = plotted(charts.radar(CAT, a, lang))
    marks = next(tr for tr in radar.data if tr.name == label)
    assert list(marks.customdata) == [names(lang)[d] for d in empty] and set(marks.text) == {label}
    bars = plotted(charts.section_scores(CAT, a, lang))
    assert [x for x in bars.data[0].x[4:]] == [None, None]  # no score bar of 0
    placeholder = next(tr for tr in bars.data if tr.name == label)
    assert list(placeholder.x) == [None, None, None, None, 100, 100]
    assert list(placeholder.text[4:]) == [label, label] and placeholder.marker.pattern.shape == "/"
    full = EVALS["01_guangzhou_ready"].assessment
    assert all(tr.name != label for tr in plotted(charts.radar(CAT, full, lang)).data)
    assert len(plotted(charts.section_scores(CAT, full, lang)).data) == 1


def unique_month_ticks(fig: go.Figure) -> bool:
    """At least two date labels on the x axis, none printed twice (e.g. "2027年1月" twice)."""
    labels = list(fig.layout.xaxis.ticktext)
    return 2 <= len(labels) == len(set(labels))


SPANS = {"2 weeks": 14, "5 weeks": 35, "8 months": 243, "2 years": 730}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("span", SPANS.values(), ids=SPANS.keys())
def test_date_axis_reads_on_any_span_with_its_first_and_last_dates(span, lang):
    first = date(2026, 12, 2)
    last = first + timedelta(days=span)
    ticks = date_ticks(first - timedelta(days=5), last + timedelta(days=12), lang, first, last)
    labels = [x.replace("<br>", " ") for x in ticks["ticktext"]]
    assert 3 <= len(labels) <= 9 and len(labels) == len(set(labels)), labels
    full = {d: charts.fmt_date(d, lang) for d in (first, last)}
    if lang == "zh":  # the first and last dates are labelled with year, month and day
        assert labels[0].replace(" ", "") == full[first] and full[last] in [x.replace(" ", "") for x in labels]
    else:
        assert labels[0] == "2 Dec 2026" and last.strftime("%b") in " ".join(labels)
    days = [datetime.fromisoformat(v).date() for v in ticks["tickvals"]]
    assert days == sorted(days) and first in days and last in days
    if span < 60:  # weekly ticks name the day: a five-week plan is no longer one lonely month tick
        assert sum(d.weekday() == 0 for d in days) >= 2


def test_long_stage_labels_wrap_instead_of_ending_in_an_ellipsis():
    label = charts.wrap_label("注册资本达到最低限额（省内100万元，跨地区1000万元）", 22)
    assert label.replace("<br>", "") == "注册资本达到最低限额（省内100万元，跨地区1000万元）"
    assert all(len(line) <= 22 for line in label.split("<br>"))
    assert charts.wrap_label("a b c d e f g h", 3, lines=2).endswith("…")


def test_chinese_labels_break_as_chinese_text_does():
    label = charts.wrap_label("经营范围包含“第二类增值电信业务”", 16)
    assert label == "经营范围包含“第二类增值电信业务”"  # the closing quote hangs on the line, not alone below
    label = charts.wrap_label("注册资本达到最低限额，省内一百万元", 10)
    assert label == "注册资本达到最低限额，<br>省内一百万元"
    label = charts.wrap_label("网络与信息安全保障措（施）完整", 10)
    assert label == "网络与信息安全保障措<br>（施）完整"
    label = charts.wrap_label("网络与信息安全保障（措施）完整", 10)
    assert label == "网络与信息安全保障<br>（措施）完整"  # an opening bracket moves down with its word
    label = charts.wrap_label("编制技术方案：系统架构、网络拓扑、设备清单、部署位置、接入方式、安全措施", 16)
    assert label.endswith("接入方式…")  # cut short after the words, not after the enumeration comma
    assert (
        charts.wrap_label("与基础电信运营商签订中继或号码合同", 16) == "与基础电信运营商签订中继或<br>号码合同"
    )  # not "合 / 同"
    assert charts.wrap_label("注册资本达到最低限额（省内100万元，跨地区1000万元）", 15).startswith(
        "注册资本达到最低限额（省内<br>100"
    )
    for text in [s.title("zh") for s in CAT.rules]:
        for line in charts.wrap_label(text, 16).split("<br>"):
            assert line[0] not in charts.NO_LINE_START and line[-1] not in charts.NO_LINE_END, text


def test_nothing_to_draw_gives_none():
    blank = ENGINE.evaluate(Profile(), TODAY).assessment
    assert charts.radar(CAT, blank, "zh") is None
    assert charts.section_scores(CAT, blank, "en") is None
    assert charts.points_lost(CAT, blank, "zh") is None
    assert charts.gap_heatmap(CAT, blank, "zh") is None


def test_languages_differ():
    a = EVALS["03_chengdu_startup_undercapitalised"].assessment
    zh, en = plotted(charts.points_lost(CAT, a, "zh")), plotted(charts.points_lost(CAT, a, "en"))
    assert zh.layout.title.text != en.layout.title.text
    assert zh.layout.yaxis.title.text != en.layout.yaxis.title.text
    assert {t.name for t in zh.data} != {t.name for t in en.data}


def test_charts_module_does_not_import_streamlit():
    tree = ast.parse(Path(charts.__file__).read_text(encoding="utf-8"))
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert "streamlit" not in imported


def test_gantt_labels_number_the_correction_rounds():
    ev = next(e for e in EVALS.values() if e.timelines["pessimistic"].correction_rounds >= 1)
    stages = [s for s in ev.timelines["pessimistic"].stages if s.round is not None]
    labels = [charts.stage_label(CAT, s, "en", width=60) for s in stages]
    assert labels and all(str(s.round) in label for s, label in zip(stages, labels, strict=True))
