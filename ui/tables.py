"""Table builders for the pages: rows with translated headers, from engine results, and the static table.

Rows are plain dicts (``Rows``): the pages that only show tables (Gaps, Materials, Timeline, the
Overview's duties) draw them without pandas, which loads only with the first grid (``ui.deferred``).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, TypeAlias

import streamlit as st

from ccl.catalog.load import Catalog
from ccl.catalog.objects import condition_params
from ccl.i18n import (
    Lang,
    confidence_label,
    distance_text,
    fmt_date,
    fmt_score,
    fmt_unit,
    gap_plan_text,
    kind_label,
    option_label,
    remedy_text,
    severity_label,
    source_text,
    t,
)
from ccl.materials import Checklist
from ccl.plan import gap_plans
from ccl.scoring import Gap
from ccl.timeline import Timeline
from ui import deferred
from ui.context import PageContext
from ui.evidence import plain_line

if TYPE_CHECKING:
    import pandas as pd

Rows: TypeAlias = list[dict[str, Any]]  # a table's rows: column key → value

SCOPES = ("provincial", "cross_regional")
# Streamlit wraps cell text only in rows taller than 4rem (64 px): three lines of text, no "…"
WRAP_ROW_HEIGHT = 72


def _effort(lo: int, hi: int, lang: Lang) -> str:
    return t("unit.working_days", lang, n=f"{lo}–{hi}" if lo != hi else lo)


def gap_rows(ctx: PageContext, gaps: tuple[Gap, ...] | list[Gap]) -> Rows:
    """One row per gap: what is missing, how far, what to do, how long, says who."""
    cat, lang = ctx.catalog, ctx.lang
    plans = gap_plans(ctx.ev.plan)
    rows = []
    for g in gaps:
        rule = cat.rule_by_id[g.rule_id]
        rows.append(
            {
                "rule_id": g.rule_id,
                "severity": severity_label(g.severity, lang, rule.source.confidence),
                # the short name (资本 / Capital) fits the narrow column without breaking a word
                "dimension": ctx.catalog.dimension_by_id[g.dimension].short(ctx.lang),
                "rule": rule.title(lang),
                "distance": distance_text(cat, g.distance, lang),
                "points": g.points_lost,
                "plan": gap_plan_text(plans.get(g.rule_id), lang),
                "effort": _effort(*g.effort_days, lang),
                "remedy": remedy_text(rule, lang),
                "source": source_text(cat, rule.source, lang),
                "confidence": confidence_label(rule.source.confidence, lang),
            }
        )
    return rows


def thresholds(catalog: Catalog, rule_id: str, province: str | None, lang: Lang) -> str:
    """The rule's thresholds by scope for the province (a province override is marked)."""
    rule = catalog.rule_by_id[rule_id]
    params = condition_params(rule.condition) + (condition_params(rule.applies_if) if rule.applies_if else [])
    parts = []
    for name in dict.fromkeys(params):
        param = catalog.params[name]
        for scope in SCOPES if param.by_scope else (None,):
            value = catalog.param_value(name, scope, province)
            if value is None:
                continue
            text = fmt_unit(value, param.unit, lang)
            if value != catalog.param_value(name, scope, None):
                text += t("rules.local_override", lang)
            label = option_label(catalog, "company.scope", scope, lang) if scope else ""
            parts.append(f"{label}{t('app.colon', lang)}{text}" if label else text)
    return t("app.semicolon", lang).join(parts) if parts else "—"


def rules_frame(ctx: PageContext) -> pd.DataFrame:  # a frame: the Rules page filters and searches it
    """The whole catalog as a table: rule, dimension, kind, threshold, source with confidence."""
    cat, lang = ctx.catalog, ctx.lang
    province = ctx.profile.company.province
    rows = [
        {
            "rule_id": r.id,
            "rule": r.title(lang),
            "dimension": ctx.dim_name(r.dimension),
            "kind": kind_label(r.kind, lang, r.source.confidence),
            "severity": severity_label(r.gap_severity, lang, r.source.confidence),
            "threshold": thresholds(cat, r.id, province, lang),
            "source": source_text(cat, r.source, lang),
            "confidence": confidence_label(r.source.confidence, lang),
            "verified": r.source.last_verified,
        }
        for r in cat.rules
    ]
    return deferred.pandas().DataFrame(rows)


def documents_rows(ctx: PageContext, checklist: Checklist, current: bool) -> Rows:
    """Application documents: the current list (``current``) or those the 2020 reform removed/merged."""
    cat, lang = ctx.catalog, ctx.lang
    docs = {d.id: d for d in cat.documents}
    rows = []
    for item in checklist.documents:
        if (item.status in ("removed", "merged")) == current:
            continue
        doc = docs[item.id]
        rows.append(
            {
                "document": doc.name(lang),
                "status": t(f"materials.doc_status.{item.status}", lang),
                "state": t(f"materials.state.{item.state}", lang),
                "waiting_for": ctx.tr("app.semicolon").join(ctx.rule_title(r) for r in item.waiting_for) or "—",
                "basis": doc.basis(lang),
                "evidence": plain_line(item.evidence, lang),  # the note and documents of its answer
            }
        )
    return rows


def milestone_rows(ctx: PageContext, tl: Timeline, keys: tuple[str, ...]) -> Rows:
    """The first date of each given milestone (e.g. those after the licence) as a small table."""
    first = {}
    for m in tl.milestones:
        if m.key in keys and m.key not in first:
            first[m.key] = m
    return [
        {
            "milestone": t(f"milestone.{m.key}", ctx.lang),
            "date": fmt_date(m.date, ctx.lang) + (" *" if m.estimate else ""),
        }
        for m in first.values()
    ]


def gap_columns(ctx: PageContext) -> list[Col]:
    """The gap table's columns: the rule, its severity, the distance and the effort side by side, the plan,
    remedy and source on the line under each gap (readable whole at 1024 px beside the sidebar)."""
    tr = ctx.tr
    score = partial(fmt_score, lang=ctx.lang)
    return [
        Col("rule", tr("gaps.col_rule")),
        Col("severity", tr("gaps.col_severity")),
        Col("dimension", tr("gaps.col_dimension"), "short"),
        Col("distance", tr("gaps.col_distance")),
        Col("points", tr("gaps.col_points"), "num", fmt=score, help=tr("gaps.col_points_help")),
        Col("effort", tr("gaps.col_effort")),
        Col("plan", tr("gaps.col_plan"), detail=True, help=tr("gaps.col_plan_help")),
        Col("remedy", tr("gaps.col_remedy"), detail=True),
        Col("source", tr("gaps.col_source"), detail=True),
        Col("confidence", tr("gaps.col_confidence"), detail=True),
    ]


# --- static tables that wrap -------------------------------------------------------------------------
#
# The grid (st.dataframe) draws on a canvas with fixed column widths: beside the sidebar a 1024 px screen
# leaves it ~560 px, so long texts end in "…" or sit behind a sideways scroll. The read-only tables are
# therefore plain HTML: the key columns side by side, every cell wrapping (a number or a word is never
# cut: lines break between words and Chinese characters), the long texts (remedy, source, notes) on a
# line of their own under their row, and below 640 px each row becomes a card with labelled lines.

PHONE_PX = 640  # below this width tables turn into cards (and the plan's grid and Gantt into lists)
TABLE_CSS = f"""<style>
.ccl-table-wrap {{ width: 100%; overflow-x: auto; }}
table.ccl-table {{ width: 100%; border-collapse: collapse; font-size: 0.875rem; line-height: 1.45; }}
table.ccl-table th, table.ccl-table td {{ padding: 0.4rem 0.5rem; text-align: left; vertical-align: top;
  border-bottom: 1px solid #D5DBE3; overflow-wrap: break-word; word-break: normal; }}
table.ccl-table th {{ background: #F3F5F8; font-weight: 600; position: sticky; top: 0; z-index: 1; }}
table.ccl-table tr.ccl-row td:first-child {{ min-width: 7em; }}  /* a name is never one character wide */
table.ccl-table .ccl-short {{ white-space: nowrap; }}
table.ccl-table .ccl-num {{ white-space: nowrap; text-align: right; }}
table.ccl-table tr.ccl-has-detail td {{ border-bottom: none; padding-bottom: 0.15rem; }}
table.ccl-table tr.ccl-detail td {{ color: #4A5563; font-size: 0.8125rem; padding-top: 0; }}
table.ccl-table tr.ccl-detail span.ccl-item {{ display: block; }}
table.ccl-table .ccl-label {{ font-weight: 600; }}
@media (max-width: {PHONE_PX}px) {{
  table.ccl-table thead {{ display: none; }}
  table.ccl-table, table.ccl-table tbody, table.ccl-table tr, table.ccl-table td {{ display: block; width: auto; }}
  table.ccl-table tr.ccl-row {{ border-top: 1px solid #D5DBE3; padding-top: 0.4rem; }}
  table.ccl-table tr.ccl-row td {{ border: none; padding: 0.1rem 0.25rem; white-space: normal; text-align: left; }}
  table.ccl-table tr.ccl-row td:first-child {{ font-weight: 600; }}
  table.ccl-table tr.ccl-row td:not(:first-child)::before {{ content: attr(data-label) "{{sep}}"; color: #4A5563; }}
  table.ccl-table tr.ccl-detail td {{ border-bottom: none; padding: 0.1rem 0.25rem 0.5rem; }}
  table.ccl-table tr.ccl-row td.ccl-empty {{ display: none; }}  /* a card leaves out what is not there */
}}
</style>"""


@dataclass(frozen=True)
class Col:
    """A column of a static table: its frame column, header, and how its values sit."""

    key: str
    header: str
    kind: str = "text"  # "text" wraps; "short" (dates, labels) stays on one line; "num" right-aligned
    detail: bool = False  # shown on the line under its row, after its header, not as a column
    fmt: Callable[[Any], str] | None = None  # how a value reads (default: as it is)
    help: str | None = None  # what the column means, shown when the pointer rests on its header


def missing(value: Any) -> bool:
    """Nothing there: None, NaN, or pandas' NA / NaT (recognised without loading pandas)."""
    return (
        value is None or (isinstance(value, float) and value != value) or type(value).__name__ in ("NAType", "NaTType")
    )


def records(frame: Rows | pd.DataFrame) -> Rows:
    """A table's rows as dicts, from rows or from a pandas frame."""
    return frame if isinstance(frame, list) else frame.to_dict("records")


def _cell(value: Any, fmt: Callable[[Any], str] | None = None) -> str:
    if missing(value):
        return "—"
    text = html.escape(fmt(value) if fmt else str(value)).strip()
    return "<br>".join(text.splitlines()) or "—"  # a list in one cell (the report's "why") keeps its lines


def _title(col: Col) -> str:
    return f' title="{html.escape(col.help)}"' if col.help else ""


def table_html(frame: Rows | pd.DataFrame, columns: Sequence[Col], lang: Lang, css_class: str = "") -> str:
    """``frame`` as a static HTML table (see above); long texts (``detail`` columns) under their row."""
    main = [c for c in columns if not c.detail]
    details = [c for c in columns if c.detail]
    colon = t("app.colon", lang)
    kind = {"short": ' class="ccl-short"', "num": ' class="ccl-num"', "empty": ' class="ccl-empty"'}
    head = "".join(f"<th{kind.get(c.kind, '')}{_title(c)}>{html.escape(c.header)}</th>" for c in main)
    body = []
    for row in records(frame):
        values = [(c, _cell(row[c.key], c.fmt)) for c in main]
        cells = "".join(
            f'<td data-label="{html.escape(c.header)}"{kind.get(c.kind if v != "—" else "empty", "")}>{v}</td>'
            for c, v in values
        )
        texts = [(c, _cell(row[c.key], c.fmt)) for c in details]
        items = [
            f'<span class="ccl-item"><span class="ccl-label"{_title(c)}>{html.escape(c.header)}{colon}</span>{v}</span>'
            for c, v in texts
            if v != "—"
        ]
        body.append(f'<tr class="ccl-row{" ccl-has-detail" if items else ""}">{cells}</tr>')
        if items:
            body.append(f'<tr class="ccl-detail"><td colspan="{len(main)}">{"".join(items)}</td></tr>')
    css = TABLE_CSS.replace("{sep}", colon)
    return (
        f'{css}<div class="ccl-table-wrap {css_class}"><table class="ccl-table">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def static_table(
    frame: Rows | pd.DataFrame, columns: Sequence[Col], lang: Lang, height: int | None = None, css_class: str = ""
) -> None:
    """Draw ``frame`` as a static table; with ``height`` it scrolls inside a box of that height."""
    where = st.container(height=height, border=False) if height else st.container()
    where.html(table_html(frame, columns, lang, css_class))


LONG_TEXT = 30  # characters: a preview column holding longer texts goes on the line under its row


def preview_columns(frame: pd.DataFrame) -> list[Col]:  # a report sheet's preview is a frame
    """Columns of a report sheet's preview: short ones side by side, long texts (remedy, source, notes)
    under their row; a sheet of two or three columns stays a plain table."""
    longest = {name: max((len(str(v)) for v in frame[name] if not missing(v)), default=0) for name in frame.columns}
    few = len(frame.columns) <= 3
    return [
        Col(name, str(name).strip(), detail=not few and n > 0 and longest[name] > LONG_TEXT)
        for n, name in enumerate(frame.columns)
    ]
