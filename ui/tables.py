"""Table builders for the pages: pandas frames with translated headers, from engine results."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ccl.catalog.load import Catalog
from ccl.catalog.objects import condition_params
from ccl.i18n import (
    Lang,
    confidence_label,
    distance_text,
    fmt_date,
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
from ui.context import PageContext
from ui.evidence import plain_line

SCOPES = ("provincial", "cross_regional")
# Streamlit wraps cell text only in rows taller than 4rem (64 px): three lines of text, no "…"
WRAP_ROW_HEIGHT = 72


def _effort(lo: int, hi: int, lang: Lang) -> str:
    return t("unit.working_days", lang, n=f"{lo}–{hi}" if lo != hi else lo)


def gap_frame(ctx: PageContext, gaps: tuple[Gap, ...] | list[Gap]) -> pd.DataFrame:
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
    return pd.DataFrame(
        rows,
        columns=[
            "rule_id",
            "severity",
            "dimension",
            "rule",
            "distance",
            "points",
            "plan",
            "effort",
            "remedy",
            "source",
            "confidence",
        ],
    )


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


def rules_frame(ctx: PageContext) -> pd.DataFrame:
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
    return pd.DataFrame(rows)


def documents_frame(ctx: PageContext, checklist: Checklist, current: bool) -> pd.DataFrame:
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
    return pd.DataFrame(rows, columns=["document", "status", "state", "evidence", "waiting_for", "basis"])


def milestone_rows(ctx: PageContext, tl: Timeline, keys: tuple[str, ...]) -> pd.DataFrame:
    """The first date of each given milestone (e.g. those after the licence) as a small table."""
    first = {}
    for m in tl.milestones:
        if m.key in keys and m.key not in first:
            first[m.key] = m
    rows = [
        {
            "milestone": t(f"milestone.{m.key}", ctx.lang),
            "date": fmt_date(m.date, ctx.lang) + (" *" if m.estimate else ""),
        }
        for m in first.values()
    ]
    return pd.DataFrame(rows, columns=["milestone", "date"])


def gap_columns(ctx: PageContext) -> dict:
    """``st.dataframe`` keyword arguments for the gap table: column order, headers, widths, wrapped rows.

    The rule, its severity and the distance come first and fit a laptop screen; text wraps instead of ending
    in "…" (a pinned column would be drawn faded, so nothing is pinned).
    """
    text = st.column_config.TextColumn
    return {
        "row_height": WRAP_ROW_HEIGHT,
        "height": "content",
        "column_order": [
            "rule",
            "severity",
            "dimension",
            "distance",
            "points",
            "plan",
            "effort",
            "remedy",
            "source",
            "confidence",
        ],
        "column_config": {
            "severity": text(ctx.tr("gaps.col_severity"), width=88),  # "Unverified reminder", no word cut
            "dimension": text(ctx.tr("gaps.col_dimension"), width=76),
            "rule": text(ctx.tr("gaps.col_rule"), width=200),
            "distance": text(ctx.tr("gaps.col_distance"), width=220),
            "points": st.column_config.NumberColumn(
                ctx.tr("gaps.col_points"), format="%.1f", help=ctx.tr("gaps.col_points_help"), width=70
            ),
            "plan": text(ctx.tr("gaps.col_plan"), width=210, help=ctx.tr("gaps.col_plan_help")),
            "effort": text(ctx.tr("gaps.col_effort"), width=110),
            "remedy": text(ctx.tr("gaps.col_remedy"), width=320),
            "source": text(ctx.tr("gaps.col_source"), width=240),
            "confidence": text(ctx.tr("gaps.col_confidence"), width=80),
        },
    }
