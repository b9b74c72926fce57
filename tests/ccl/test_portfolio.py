"""Portfolio table, heatmap, history trend and the Excel export, built from saved sample companies."""

# ruff: noqa: F811  (the db_url and store fixtures are imported from store_support)

from __future__ import annotations

import io
import zipfile
from datetime import date

import openpyxl
import pytest
from store_support import START, db_url, save_sample, store  # noqa: F401  (fixtures)

from ccl.excel.portfolio import export_portfolio_xlsx
from ccl.i18n import status_label
from ccl.portfolio import portfolio_table
from ccl.store import summary_of
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
    assert table.shape == (len(clients), 8)
    chengdu = table.loc[history[-1].client_id]
    assert chengdu.iloc[0] == "成都蓉信客服科技有限公司"
    assert chengdu.iloc[2] == status_label(history[-1].summary.status, lang)
    assert chengdu.iloc[3] == round(history[-1].summary.overall, 1)
    assert chengdu.iloc[5] == history[-1].summary.licence_date and chengdu.iloc[7] == 3
    assert ("四川省" if lang == "zh" else "Sichuan") in chengdu.iloc[1]
    wide = portfolio_table(clients, catalog, lang, extended=True)
    assert [d.name(lang) for d in catalog.dimensions] == list(wide.columns[5:11])


def test_heatmap_rows_are_clients_and_columns_the_dimensions_in_catalog_order(saved, catalog):
    clients, _ = saved
    fig = portfolio_heatmap(clients, catalog, "zh")
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
    fig = portfolio_heatmap(store.list_clients(), catalog, "en")
    assert len(set(fig.data[0].y)) == 2


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_history_trend_has_overall_and_every_dimension_in_its_colour(saved, catalog, lang):
    _, history = saved
    fig = history_trend(history, catalog, lang)
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
    assert ws.freeze_panes == "C2" and ws.auto_filter.ref == f"A1:U{len(clients) + 1}"
    assert ws.max_row == len(clients) + 1
    assert [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)] == [c.id for c in clients]
    assert ws.cell(1, 2).value == "公司名称" and ws.cell(2, 2).value == clients[0].name
    licence = [ws.cell(1, c).value for c in range(1, 22)].index("预计发证日期") + 1
    assert ws.cell(2, licence).value.date() == clients[0].latest.summary.licence_date
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
    shown = table.iloc[0, 6]
    utc = clients[0].latest.saved_at
    assert (shown - utc.replace(tzinfo=None)).total_seconds() == pytest.approx(8 * 3600, abs=1)
    assert isinstance(table.iloc[0, 5], date)
