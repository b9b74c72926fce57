"""The action plan in the readiness report as a plain table: actions, owners, due dates, effort and flags.

Shared by the workbook and the in-app preview, like ``ccl.excel.tables``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ccl.catalog.load import Catalog
from ccl.engine import Evaluation
from ccl.excel.common import date_format
from ccl.excel.plan_data import action_evidence, action_record
from ccl.excel.tables import CENTER, CODE, DATE, MACHINE, Col, Table, Val, date_width, machine_cells
from ccl.headline import comparison_text, licence_value
from ccl.i18n import (
    Lang,
    conflict_text,
    fmt_date,
    plan_status_label,
    progress_text,
    severity_label,
    t,
)
from ccl.plan import PlanItem, in_plan_order

# The regulator's stages in the workbook's Gantt: a dark fill that prints well and stays apart from the
# off-clock grey (the screen chart uses a mid slate that shows on light and dark themes instead).


# --- the action plan ----------------------------------------------------------------------------------


@dataclass
class PlanTable(Table):
    """The plan's rows with, per row, the action shown (for the row's colours and flags)."""

    items: list[PlanItem] = field(default_factory=list)


def plan_table(ev: Evaluation, catalog: Catalog, lang: Lang) -> PlanTable:
    """One row per action in plan order (to do first, overdue at the top), with the machine data to read back.

    Due dates and dates done are dates in the language's own format; the evidence column holds the notes
    and documents of the answers the action's rules read.
    """
    k = "plan.col."
    date_fmt = date_format(lang)
    table = PlanTable(
        [
            Col(t(k + "id", lang), 16, CODE),
            Col(t("xlsx_plan.no", lang), 4.5, CENTER),
            Col(t(k + "action", lang), 28),
            Col(t(k + "dimension", lang), 10),
            Col(t(k + "severity", lang), 9),  # wraps: "Unverified reminder"
            Col(t(k + "owner", lang), 11),
            Col(t(k + "due", lang), date_width(12.5, lang), DATE),
            Col(t(k + "status", lang), 8.5, CENTER),
            Col(t("xlsx_plan.flags", lang), 10),
            Col(t(k + "reason", lang), 14),
            Col(t(k + "effort", lang), 8.5, CENTER),
            Col(t(k + "after", lang), 18),
            Col(t(k + "evidence", lang), 26),
            Col(t(k + "notes", lang), 20),
            Col(t(k + "done_on", lang), date_width(12.5, lang), DATE),
            Col(t("xlsx_plan.machine", lang), 20, MACHINE),
        ]
    )
    stored = {a.id: (n, a) for n, a in enumerate(ev.profile.plan)}
    names = {i.id: i.label(lang) for i in ev.plan}
    for number, item in enumerate(in_plan_order(ev.plan), 1):
        order, action = stored[item.id]
        rule = next((catalog.rule_by_id[r] for r in item.rule_ids if r in catalog.rule_by_id), None)
        confidence = rule.source.confidence if rule else None
        table.rows.append(
            [
                item.id,
                number,
                item.label(lang),
                catalog.dimension_by_id[item.dimension].name(lang) if item.dimension else "",
                severity_label(item.severity, lang, confidence) if item.severity else "",
                item.owner,
                _day(item.due, date_fmt, lang),
                plan_status_label(item.status, lang),
                plan_flags(item, lang, catalog),
                item.reason,
                _effort(item, lang),
                "\n".join(names.get(a, a) for a in item.after),
                action_evidence(item.rule_ids, ev.profile, catalog, lang),
                item.notes,
                _day(item.done_on, date_fmt, lang),
                *machine_cells(action_record(action, order)),
            ]
        )
        table.items.append(item)
    width = max((len(row) for row in table.rows), default=len(table.columns))
    table.columns += [Col("", 20, MACHINE)] * (width - len(table.columns))
    for row in table.rows:
        row += [None] * (width - len(row))
    return table


def plan_flags(item: PlanItem, lang: Lang, catalog: Catalog | None = None) -> str:
    """Overdue, done while the gap is still open (a conflict naming the answers to correct), or unknown to
    the catalog (one per line)."""
    flags = [t("plan.flag.overdue", lang)] if item.overdue else []
    if item.reopened:  # done means done: which answers still show the gap
        flags.append(conflict_text(catalog, item, lang) if catalog else t("xlsx_plan.reopened", lang))
    if not item.known and item.custom_title is None:
        flags.append(t("xlsx_plan.unknown", lang))
    return "\n".join(flags)


def _day(day: date | None, fmt: str, lang: Lang) -> Val | None:
    return None if day is None else Val(day, fmt, fmt_date(day, lang))


def _effort(item: PlanItem, lang: Lang) -> str:
    if item.effort_days is None:
        return ""
    lo, hi = item.effort_days
    text = f"{lo}–{hi}" if lo != hi else str(lo)
    return text + (t("xlsx_plan.effort_own", lang) if item.effort_overridden else "")


def plan_summary(ev: Evaluation, lang: Lang) -> str:
    """Progress, then the headline's licence date (the plan's when its due dates decide it) and the
    catalog's as a labelled comparison."""
    lines = [progress_text(ev.plan_progress, lang)] if ev.plan_progress else [t("plan.none", lang)]
    head = ev.head
    if head.mode == "holder" or head.licence_date is None:
        return "\n".join(lines)
    lines.append(f"{t('headline.licence_date', lang)}{t('app.colon', lang)}{licence_value(head, lang)}")
    if head.licence_date_basis == "catalog" and ev.plan_timeline is not None:
        lines.append(t("xlsx_plan.no_dates", lang))
    if (cmp := comparison_text(head, lang)) is not None:
        lines.append(cmp)
    return "\n".join(lines)
