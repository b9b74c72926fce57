"""Portfolio table, heatmap, history trend and the Excel export, built from saved sample companies."""

# ruff: noqa: F811  (the db_url and store fixtures are imported from store_support)

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime, timedelta

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from store_support import START, db_url, save_sample, store  # noqa: F401  (fixtures)

from ccl.excel.portfolio import export_portfolio_xlsx
from ccl.i18n import status_label
from ccl.portfolio import attention_order, portfolio_table
from ccl.store import summary_of
from tests.chart_support import plotted
from ui.charts.history import history_trend
from ui.charts.portfolio import portfolio_heatmap


@pytest.fixture
def saved(store, engine, samples):
    """All samples saved once, the Chengdu start-up three times as it raises its capital."""
    infos = [save_sample(store, engine, s, saved_by="王经理") for s in samples]
    chengdu = next(i for i, s in zip(infos, samples, strict=True) if s.key.startswith("03"))
    profile = samples[2].load()
    for version, capital in ((1, 1_000_000), (2, 2_000_000)):
        profile = profile.with_answer("capital.registered_cny", capital).with_answer("capital.paid_in_cny", capital)
        ev = engine.evaluate(profile, START)
        store.save(chengdu.client_id, profile, summary_of(ev), "李顾问", expected_version=version)
    return store.list_clients(), store.history(chengdu.client_id)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_table_has_one_row_per_client_with_its_latest_summary(saved, catalog, lang):
    clients, history = saved
    table = portfolio_table(clients, catalog, lang)
    assert list(table.index) == [c.id for c in clients]
    assert table.shape == (len(clients), 14)
    chengdu = table.loc[history[-1].client_id]
    assert chengdu.iloc[0] == "成都蓉信客服科技有限公司"
    assert chengdu.iloc[2] == status_label(history[-1].summary.status, lang)
    assert chengdu.iloc[3] == round(history[-1].summary.overall, 1)
    assert chengdu.iloc[5] == history[-1].summary.licence_date and chengdu.iloc[8] == 3
    assert chengdu.iloc[13] == history[-1].summary.next_deadline_due
    assert ("四川省" if lang == "zh" else "Sichuan") in chengdu.iloc[1]
    wide = portfolio_table(clients, catalog, lang, extended=True)
    assert [d.name(lang) for d in catalog.dimensions] == list(wide.columns[5:11])


def test_heatmap_rows_are_clients_and_columns_the_dimensions_in_catalog_order(saved, catalog):
    clients, _ = saved
    fig = plotted(portfolio_heatmap(clients, catalog, "zh"))
    heat = fig.data[0]
    assert list(heat.x) == [d.name("zh") for d in catalog.dimensions]
    assert len(heat.y) == len(clients) == len(heat.z)
    assert [list(row) for row in heat.z] == [
        [c.latest.summary.dimensions[d.id] for d in catalog.dimensions] for c in clients
    ]
    assert (heat.zmin, heat.zmax) == (0, 100)
    ticks = fig.layout.xaxis.ticktext
    assert all(d.colour in tick and d.short("zh") in tick for d, tick in zip(catalog.dimensions, ticks, strict=True))
    assert fig.layout.title.text == "各客户分维度得分"
    assert "0–100" in heat.colorbar.title.text
    assert portfolio_heatmap([], catalog, "zh") is None


def test_heatmap_keeps_clients_with_the_same_name_apart(store, engine, samples, catalog):
    save_sample(store, engine, samples[0])
    save_sample(store, engine, samples[0])
    fig = plotted(portfolio_heatmap(store.list_clients(), catalog, "en"))
    assert len(set(fig.data[0].y)) == 2


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_history_trend_has_overall_and_every_dimension_in_its_colour(saved, catalog, lang):
    _, history = saved
    fig = plotted(history_trend(history, catalog, lang))
    by_name = {tr.name: tr for tr in fig.data}
    for d in catalog.dimensions:
        assert by_name[d.name(lang)].line.color == d.colour
        assert list(by_name[d.name(lang)].y) == [h.summary.dimensions[d.id] for h in history]
    overall = by_name["总分" if lang == "zh" else "Overall"]
    assert list(overall.y) == [h.summary.overall for h in history]
    assert overall.y[-1] > overall.y[0]  # raising the capital shows as progress
    assert len(overall.x) == 3 and ("第 3 版" if lang == "zh" else "v3") in overall.x[-1]
    assert history_trend([], catalog, lang) is None
    assert fig.layout.yaxis.title.text and fig.layout.xaxis.title.text


def test_export_is_one_filterable_sheet_of_all_clients(saved, catalog):
    clients, _ = saved
    data = export_portfolio_xlsx(clients, catalog, "zh")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["客户组合"]
    ws = wb.active
    assert ws.freeze_panes == "C2" and ws.auto_filter.ref == f"A1:AC{len(clients) + 1}"
    assert ws.max_row == len(clients) + 1
    assert [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)] == [c.id for c in clients]
    assert ws.cell(1, 2).value == "公司名称" and ws.cell(2, 2).value == clients[0].name
    licence = [ws.cell(1, c).value for c in range(1, 28)].index("预计发证日期") + 1
    assert ws.cell(2, licence).value.date() == clients[0].latest.summary.licence_date
    saved_at = [ws.cell(1, c).value for c in range(1, 30)].index("最近保存") + 1
    assert ws.cell(2, saved_at).number_format == 'yyyy"年"m"月"d"日" hh:mm'  # 2026年12月8日 11:25, as the app writes it
    assert len(ws.conditional_formatting) >= 3
    assert ws.print_title_rows == "$1:$1"


def test_export_never_turns_user_text_into_a_formula(store, engine, samples, catalog):
    evil = (
        samples[0]
        .load()
        .model_copy(
            update={
                "company": samples[0]
                .load()
                .company.model_copy(update={"name": '=HYPERLINK("http://x.example","点我")'})
            }
        )
    )
    ev = engine.evaluate(evil, START)
    store.save(None, evil, summary_of(ev), saved_by="@SUM(1+1)")
    store.save(None, evil, summary_of(ev), saved_by="-2+3")
    data = export_portfolio_xlsx(store.list_clients(), catalog, "en")
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    names = {ws.cell(r, 2).value for r in range(2, 4)}
    assert any(n.startswith("=HYPERLINK") for n in names)
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_export_of_an_empty_portfolio_is_a_valid_workbook(catalog):
    ws = openpyxl.load_workbook(io.BytesIO(export_portfolio_xlsx([], catalog, "en"))).active
    assert ws.max_row == 1 and ws.cell(1, 2).value == "Company"
    assert portfolio_table([], catalog, "en").empty


def test_last_saved_is_shown_in_china_time(saved, catalog, monkeypatch):
    monkeypatch.delenv("CCL_TIMEZONE", raising=False)
    clients, _ = saved
    table = portfolio_table(clients, catalog, "zh")
    shown = table.iloc[0, 7]
    utc = clients[0].latest.saved_at
    assert (shown - utc.replace(tzinfo=None)).total_seconds() == pytest.approx(8 * 3600, abs=1)
    assert isinstance(table.iloc[0, 5], date)


# --- the plan's columns ----------------------------------------------------------------------------------


def _untracked(client):
    """The client as a snapshot saved before plans were kept shows it (store migration 5 left NULLs)."""
    summary = client.latest.summary.model_copy(
        update={"plan_total": None, "plan_done": None, "plan_open": None, "plan_due_dates": None}
    )
    return client.model_copy(update={"latest": client.latest.model_copy(update={"summary": summary})})


def _by_name(clients, prefix):
    return next(c for c in clients if c.name.startswith(prefix))


def test_plan_columns_count_open_and_overdue_actions_as_of_the_day_shown(saved, catalog):
    clients, _ = saved
    xian, guangzhou = _by_name(clients, "西安"), _by_name(clients, "广州")
    row = portfolio_table(clients, catalog, "zh", today=START).loc[xian.id]
    assert (row["待办行动"], row["逾期行动"], row["7 天内到期"]) == (18, 2, 0)
    assert row["今后最早截止日"] == date(2026, 12, 11)
    # a week later the three actions due on 11 December are due this week; after it, overdue
    week = portfolio_table(clients, catalog, "en", today=date(2026, 12, 6)).loc[xian.id]
    assert (week["To do"], week["Overdue"], week["Due in 7 days"]) == (18, 2, 3)
    after = portfolio_table(clients, catalog, "en", today=date(2026, 12, 12)).loc[xian.id]
    assert (after["Overdue"], after["Due in 7 days"], after["Upcoming due"]) == (5, 2, date(2026, 12, 18))
    ready = portfolio_table(clients, catalog, "en", today=START).loc[guangzhou.id]
    assert (ready["To do"], ready["Overdue"], ready["Upcoming due"]) == (0, 0, None)


def test_a_client_saved_before_plans_has_no_plan_values_and_sorts_last(saved, catalog):
    clients, _ = saved
    old = _untracked(_by_name(clients, "成都"))
    mixed = [old if c.id == old.id else c for c in clients]
    table = portfolio_table(mixed, catalog, "zh", today=START)
    assert str(table["逾期行动"].dtype) == "Int64"
    assert table.loc[old.id, ["待办行动", "逾期行动", "7 天内到期"]].isna().all()
    assert table.loc[old.id, "今后最早截止日"] is None
    order = attention_order(mixed, START)
    assert order[0].name.startswith("西安") and order[-1].id == old.id  # overdue first, unknown last
    ws = openpyxl.load_workbook(io.BytesIO(export_portfolio_xlsx(mixed, catalog, "zh"))).active
    headers = [ws.cell(1, c).value for c in range(1, ws.max_column + 1)]
    row = 2 + [c.id for c in mixed].index(old.id)
    assert ws.cell(row, headers.index("逾期行动") + 1).value == "—"


def test_attention_order_puts_the_client_with_the_nearest_deadline_first(saved):
    clients, _ = saved
    by_id = {c.id: c for c in clients}

    def with_dates(client, *days):
        summary = client.latest.summary.model_copy(update={"plan_open": len(days), "plan_due_dates": tuple(days)})
        return client.model_copy(update={"latest": client.latest.model_copy(update={"summary": summary})})

    ids = sorted(by_id)
    soon = with_dates(by_id[ids[0]], START + timedelta(days=2), START + timedelta(days=3))
    later = with_dates(by_id[ids[1]], START + timedelta(days=30))
    overdue = with_dates(by_id[ids[2]], START - timedelta(days=1))
    nearer = with_dates(by_id[ids[3]], START + timedelta(days=1))
    order = [c.id for c in attention_order([later, soon, nearer, overdue], START)]
    # the nearest deadline first (a passed one before all): the one due tomorrow before two due later
    assert order == [overdue.id, nearer.id, soon.id, later.id]


def test_export_has_the_plan_columns_with_overdue_tinted(saved, catalog):
    clients, _ = saved
    xian = _by_name(clients, "西安")
    stamp = datetime(2026, 12, 12, 2, 0, tzinfo=UTC)  # 10:00 in Beijing: overdue as of 12 December
    ws = openpyxl.load_workbook(io.BytesIO(export_portfolio_xlsx(clients, catalog, "en", now=stamp))).active
    headers = [ws.cell(1, c).value for c in range(1, ws.max_column + 1)]
    row = 2 + [c.id for c in clients].index(xian.id)

    def value(name):
        return ws.cell(row, headers.index(name) + 1).value

    assert (value("Actions"), value("Actions done"), value("To do")) == (32, 13, 18)
    assert (value("Overdue"), value("Due in 7 days")) == (5, 2)
    assert value("Upcoming due").date() == date(2026, 12, 18)
    # last saved reads as the app's grid and the command line write it: "8 Dec 2026 11:25", not ISO
    saved_at = ws.cell(row, headers.index("Last saved") + 1)
    assert saved_at.number_format == "[$-409]d mmm yyyy hh:mm"
    overdue_col = get_column_letter(headers.index("Overdue") + 1)
    rules = [r for rng in ws.conditional_formatting for r in rng.rules if str(rng.sqref).startswith(overdue_col)]
    assert rules and "ISNUMBER" in rules[0].formula[0]
