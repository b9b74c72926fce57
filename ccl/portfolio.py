"""The consultant's portfolio: all saved clients as a table, a heatmap, a trend, and one Excel workbook.

Pure functions of the store's summaries (``ccl.store.ClientSummary`` / ``SnapshotInfo``): nothing is
re-scored, so 1,000 clients render in a fraction of a second. Chart builders follow ``ccl.charts``:
the catalog's dimension colours, transparent backgrounds, and ``None`` when there is nothing to draw
(the page then says why).
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ccl.catalog import Catalog
from ccl.charts import GRID, SCORE_LINE, TRANSPARENT, dimension_tick
from ccl.i18n import Lang, fmt_date, option_label, status_label, t
from ccl.store.models import ClientSummary, SnapshotInfo, fmt_saved_at, local_time
from ccl.xlsx_common import add_styles, fill, put, set_properties, set_widths, setup_print, text_width

# Rows are labelled in the heatmap only while they stay readable; the hover always names the client.
MAX_LABELLED_ROWS = 60
MAX_CELL_TEXT_ROWS = 40
ROW_PX, MAX_HEATMAP_PX = 26, 2400
STATUS_ORDER = ("blocked", "not_ready", "nearly_ready", "ready")
# Light tints of Okabe–Ito vermillion, orange, sky blue and bluish green: dark text stays readable.
STATUS_FILLS = {"blocked": "F6C9B5", "not_ready": "FBE3B5", "nearly_ready": "D4EAF7", "ready": "C9E8DC"}
SCORE_SCALE = ("F5C77E", "FFFFFF", "9ACDEB")  # orange (low) → white (70) → blue (high): CVD-safe


def client_label(client: ClientSummary, lang: Lang) -> str:
    """The client's name, or "Unnamed client #id"."""
    return client.name or t("store.unnamed", lang, id=client.id)


def _unique_labels(clients: Sequence[ClientSummary], lang: Lang) -> list[str]:
    # A categorical axis merges equal labels, so two clients with one name get their id appended.
    labels = [client_label(c, lang) for c in clients]
    seen = Counter(labels)
    return [f"{label} #{c.id}" if seen[label] > 1 else label for label, c in zip(labels, clients, strict=True)]


def _province(catalog: Catalog, province: str | None, lang: Lang) -> str:
    prov = catalog.province_by_id.get(province or "")
    return prov.name(lang) if prov else ""


# --- table ----------------------------------------------------------------------------------------


_BASE = ("company", "province", "status", "overall", "blockers", "licence_date", "last_saved", "version")
_EXTENDED_HEAD = ("company", "province", "scope", "status", "overall")
_EXTENDED_TAIL = (
    "completion",
    "blockers",
    "gaps",
    "licence_date",
    "licence_estimate",
    "version",
    "last_saved",
    "saved_by",
    "catalog_version",
)


def _keys(catalog: Catalog, extended: bool) -> list[str]:
    if not extended:
        return list(_BASE)
    return [*_EXTENDED_HEAD, *(f"dim.{d.id}" for d in catalog.dimensions), *_EXTENDED_TAIL]


def _header(key: str, catalog: Catalog, lang: Lang) -> str:
    if key.startswith("dim."):
        return catalog.dimension_by_id[key[4:]].name(lang)
    return t(f"portfolio.col.{key}", lang)


def _values(c: ClientSummary, catalog: Catalog, lang: Lang) -> dict[str, Any]:
    s = c.latest.summary
    return {
        "company": client_label(c, lang),
        "province": _province(catalog, s.province, lang),
        "scope": option_label(catalog, "company.scope", s.scope, lang) if s.scope else "",
        "status": status_label(s.status, lang),
        "overall": round(s.overall, 1),
        **{f"dim.{d.id}": round(s.dimensions.get(d.id, 0.0), 1) for d in catalog.dimensions},
        "completion": round(s.completion, 1),
        "blockers": s.blockers,
        "gaps": s.gaps,
        "licence_date": s.licence_date,
        "licence_estimate": s.licence_estimate,
        "version": c.latest.version,
        "last_saved": local_time(c.latest.saved_at).replace(microsecond=0),
        "saved_by": c.latest.saved_by,
        "catalog_version": s.catalog_version,
    }


def portfolio_table(
    summaries: Sequence[ClientSummary], catalog: Catalog, lang: Lang, extended: bool = False
) -> pd.DataFrame:
    """One row per client (index: client id): company, province, status, overall, blockers,
    expected licence date, last saved (display time zone), version; ``extended`` adds the rest."""
    keys = _keys(catalog, extended)
    rows = [_values(c, catalog, lang) for c in summaries]
    return pd.DataFrame(
        [[row[k] for k in keys] for row in rows],
        columns=[_header(k, catalog, lang) for k in keys],
        index=pd.Index([c.id for c in summaries], name=t("portfolio.col.id", lang), dtype="int64"),
    )


# --- charts ---------------------------------------------------------------------------------------


def _layout(fig: go.Figure, title: str, height: int, **extra: Any) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        paper_bgcolor=TRANSPARENT,
        plot_bgcolor=TRANSPARENT,
        height=height,
        autosize=True,
        margin={"l": 10, "r": 10, "t": 70, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "xanchor": "left"},
        **extra,
    )
    return fig


def portfolio_heatmap(summaries: Sequence[ClientSummary], catalog: Catalog, lang: Lang) -> go.Figure | None:
    """Clients (rows, in the given order) × dimensions (catalog order), scored 0–100; None without clients."""
    if not summaries:
        return None
    dims = catalog.dimensions
    labels = _unique_labels(summaries, lang)
    # A float array (NaN = no score) validates far faster in plotly than nested lists.
    z = np.array([[c.latest.summary.dimensions.get(d.id, np.nan) for d in dims] for c in summaries], dtype=float)
    names = [d.name(lang) for d in dims]
    hover = t("portfolio.hover", lang, client="%{y}", dimension="%{x}", score="%{z:.0f}")
    heat = go.Heatmap(
        z=z,
        x=names,
        y=labels,
        zmin=0,
        zmax=100,
        colorscale="Cividis",
        xgap=2,
        ygap=2 if len(z) <= MAX_LABELLED_ROWS else (1 if len(z) <= 200 else 0),
        colorbar={"title": {"text": t("portfolio.score_axis", lang), "side": "right"}, "thickness": 12},
        hovertemplate=hover + "<extra></extra>",
        hoverongaps=False,
    )
    if len(z) <= MAX_CELL_TEXT_ROWS:
        heat.update(texttemplate="%{z:.0f}")
    fig = go.Figure(heat)
    fig.update_xaxes(
        tickvals=names,
        ticktext=[dimension_tick(catalog, d.id, lang, short=True) for d in dims],
        side="top",
        showgrid=False,
        title={"text": t("portfolio.heatmap_x", lang)},
    )
    fig.update_yaxes(
        autorange="reversed",
        showgrid=False,
        showticklabels=len(z) <= MAX_LABELLED_ROWS,
        title={"text": t("portfolio.heatmap_y", lang)},
        automargin=True,
    )
    height = min(MAX_HEATMAP_PX, 200 + ROW_PX * len(z)) if len(z) <= MAX_LABELLED_ROWS else 900
    return _layout(fig, t("portfolio.heatmap_title", lang), height)


def history_trend(history: Sequence[SnapshotInfo], catalog: Catalog, lang: Lang) -> go.Figure | None:
    """Overall and per-dimension scores of one client's snapshots, version by version; None without any.

    The x axis is the version (labelled with its save date), evenly spaced: two saves on one day
    stay readable, and the exact save time and who saved are in the hover.
    """
    if not history:
        return None
    x = [
        t("history.version_tick", lang, version=h.version, date=fmt_date(local_time(h.saved_at).date(), lang))
        for h in history
    ]
    fig = go.Figure()
    for d in catalog.dimensions:
        hover = t("history.hover", lang, series=d.name(lang), score="%{y:.0f}")
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[h.summary.dimensions.get(d.id) for h in history],
                name=d.name(lang),
                mode="lines+markers",
                line={"color": d.colour, "width": 2},
                marker={"size": 6},
                hovertemplate=hover + "<extra></extra>",
            )
        )
    who = [[h.saved_by or "—", fmt_saved_at(h.saved_at, lang)] for h in history]
    overall = t("history.overall", lang)
    hover = t(
        "history.hover_overall", lang, series=overall, score="%{y:.0f}", who="%{customdata[0]}", when="%{customdata[1]}"
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[h.summary.overall for h in history],
            name=overall,
            mode="lines+markers",
            customdata=who,
            line={"color": SCORE_LINE, "width": 4},
            marker={"size": 9},
            hovertemplate=hover + "<extra></extra>",
        )
    )
    fig.update_yaxes(range=[0, 103], title={"text": t("history.y", lang)}, gridcolor=GRID)
    fig.update_xaxes(type="category", title={"text": t("history.x", lang)}, gridcolor=GRID)
    if len(history) == 1:
        fig.add_annotation(text=t("history.single", lang), xref="paper", yref="paper", x=0.5, y=0.05, showarrow=False)
    return _layout(fig, t("history.trend_title", lang), 440, hovermode="x unified")


# --- Excel ----------------------------------------------------------------------------------------


def export_portfolio_xlsx(
    summaries: Sequence[ClientSummary], catalog: Catalog, lang: Lang, now: datetime | None = None
) -> bytes:
    """One workbook: the clients table with frozen header, autofilter and conditional colours."""
    frame = portfolio_table(summaries, catalog, lang, extended=True)
    wb = Workbook()
    add_styles(wb, lang)
    ws = wb.active
    ws.title = t("portfolio.sheet", lang)
    headers = [frame.index.name, *frame.columns]
    for col, header in enumerate(headers, 1):
        put(ws, 1, col, header, "ccl header")
    for r, (client_id, values) in enumerate(zip(frame.index, frame.itertuples(index=False), strict=True), 2):
        for col, value in enumerate([client_id, *values], 1):
            _put_value(ws, r, col, value, lang)
    _format_sheet(ws, frame, headers, catalog, lang)
    stamp = now or datetime.now(UTC)
    set_properties(
        wb,
        lang,
        title=t("portfolio.title", lang),
        subject=t("portfolio.sheet", lang),
        generated_on=local_time(stamp).date(),
        keywords="ccl-readiness portfolio",
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _put_value(ws: Worksheet, row: int, col: int, value: Any, lang: Lang) -> None:
    if isinstance(value, bool):
        put(ws, row, col, t("common.yes" if value else "common.no", lang), "ccl center")
    elif isinstance(value, datetime):
        put(ws, row, col, value, "ccl center", number_format="yyyy-mm-dd hh:mm")
    elif hasattr(value, "isoformat"):
        put(ws, row, col, value, "ccl date")
    elif isinstance(value, float):
        put(ws, row, col, value, "ccl num")
    elif isinstance(value, int):
        put(ws, row, col, value, "ccl int")
    else:
        put(ws, row, col, str(value), "ccl text")


def _format_sheet(ws: Worksheet, frame: pd.DataFrame, headers: list[str], catalog: Catalog, lang: Lang) -> None:
    last_row = max(2, len(frame) + 1)
    last_col = get_column_letter(len(headers))
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{last_col}{last_row}"
    widths = {
        i: min(44.0, max([8.0, text_width(str(h)) + 3] + [_cell_width(v) for v in frame.iloc[:, i - 2]]))
        for i, h in enumerate(headers, 1)
        if i > 1
    }
    widths[1] = 8.0
    set_widths(ws, widths)
    ws.row_dimensions[1].height = 32
    _conditional_colours(ws, headers, catalog, lang, last_row)
    setup_print(ws, lang, company=t("portfolio.title", lang), title=t("portfolio.sheet", lang), title_rows="1:1")


def _cell_width(value: Any) -> float:
    if isinstance(value, datetime):
        return 18.0
    if hasattr(value, "isoformat"):
        return 12.0
    return text_width(str(value)) + 2


def _letter(headers: list[str], name: str) -> str:
    return get_column_letter(headers.index(name) + 1)


def _conditional_colours(ws: Worksheet, headers: list[str], catalog: Catalog, lang: Lang, last_row: int) -> None:
    low, mid, high = SCORE_SCALE
    for name in [t("portfolio.col.overall", lang), *(d.name(lang) for d in catalog.dimensions)]:
        col = _letter(headers, name)
        ws.conditional_formatting.add(
            f"{col}2:{col}{last_row}",
            ColorScaleRule(
                start_type="num",
                start_value=0,
                start_color=low,
                mid_type="num",
                mid_value=70,
                mid_color=mid,
                end_type="num",
                end_value=100,
                end_color=high,
            ),
        )
    col = _letter(headers, t("portfolio.col.status", lang))
    for status in STATUS_ORDER:
        label = status_label(status, lang).replace('"', '""')
        ws.conditional_formatting.add(
            f"{col}2:{col}{last_row}",
            CellIsRule(operator="equal", formula=[f'"{label}"'], fill=fill(STATUS_FILLS[status])),
        )
    col = _letter(headers, t("portfolio.col.blockers", lang))
    ws.conditional_formatting.add(
        f"{col}2:{col}{last_row}",
        CellIsRule(operator="greaterThan", formula=["0"], fill=fill(STATUS_FILLS["blocked"])),
    )
