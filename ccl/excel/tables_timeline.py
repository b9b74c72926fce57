"""The timeline in the readiness report as a plain table: stages, their dates and colours, the key dates.

Shared by the workbook and the in-app preview, like ``ccl.excel.tables``."""

from __future__ import annotations

from collections.abc import Sequence

from ccl.catalog.load import Catalog
from ccl.excel.common import tint
from ccl.excel.tables import (
    CENTER,
    DATE,
    INT,
    ISSUANCE_TINT,
    OFF_CLOCK_COLOUR,
    REGULATOR_FILL,
    Col,
    Table,
    columns,
    date_width,
)
from ccl.i18n import (
    Lang,
    t,
)
from ccl.plan import PlanItem
from ccl.timeline import Milestone, Timeline, TimelineStage

# The regulator's stages in the workbook's Gantt: a dark fill that prints well and stays apart from the
# off-clock grey (the screen chart uses a mid slate that shows on light and dark themes instead).


# --- timeline -----------------------------------------------------------------------------------------


def stage_name(stage: TimelineStage, catalog: Catalog, lang: Lang, plan: dict[str, PlanItem] | None = None) -> str:
    """A stage as people name it: the plan's action (or the remedy's rule title), or the procedure step
    (with its round). Work that may run until issuance says so, as on the screen's Gantt chart."""
    if stage.kind == "work":
        item = (plan or {}).get(stage.action_id or "")
        name = item.label(lang) if item else catalog.rule_by_id[stage.rule_id or ""].title(lang)
        return t("chart.by_issuance", lang, name=name) if stage.needed_by == "issuance" else name
    name = catalog.stage_by_key[stage.stage].name(lang)
    if stage.round is not None:
        name += f" #{stage.round}"
    return name


def stage_colour(stage: TimelineStage, catalog: Catalog) -> str:
    """The bar's colour: the dimension's for work (pale when it may run until issuance), else the procedure's."""
    if stage.kind == "work" and stage.dimension:
        colour = catalog.dimension_by_id[stage.dimension].colour
        return tint(colour, ISSUANCE_TINT) if stage.needed_by == "issuance" else colour
    return OFF_CLOCK_COLOUR if stage.excluded_from_clock else REGULATOR_FILL


def stage_flags(stage: TimelineStage, plan: dict[str, PlanItem], lang: Lang) -> str:
    """What to know about a work stage of the plan's timeline: overdue, a due date that cannot hold, and
    work that may run until issuance."""
    item = plan.get(stage.action_id or "")
    flags = [t("plan.flag.overdue", lang)] if item is not None and item.overdue else []
    if stage.due_missed:
        flags.append(t("plan.flag.due_missed", lang))
    if stage.kind == "work" and stage.needed_by == "issuance":
        flags.append(t("xlsx_timeline_plan.by_issuance", lang))
    return "\n".join(flags)


def timeline_table(tl: Timeline, catalog: Catalog, lang: Lang, plan: Sequence[PlanItem] = ()) -> Table:
    """Every stage of one scenario with dates, due dates, durations and flags, then the key dates.

    ``plan`` names the work stages of a timeline built from the action plan after their actions.
    ``colours`` holds each stage's Gantt colour, and None for key dates (drawn as ◆).
    """
    by_id = {i.id: i for i in plan}
    k = "xlsx_timeline."
    yes = t(k + "yes", lang)
    table = Table(
        columns(
            lang,
            k,
            [
                ("no", 5, CENTER),
                ("stage", 40),
                ("kind", 10, CENTER),
                ("start", 11, DATE),
                ("end", 11, DATE),
                ("working_days", 8, INT),
                ("calendar_days", 8, INT),
                ("estimate", 9, CENTER),
                ("off_clock", 9, CENTER),
            ],
        )
    )
    table.columns[5:5] = [Col(t("xlsx_timeline_plan.due", lang), date_width(11, lang), DATE)]
    table.columns.append(Col(t("xlsx_timeline_plan.flags", lang), 18))
    for i, s in enumerate(tl.stages, 1):
        kind = t(k + ("kind_work" if s.kind == "work" else "kind_regulator"), lang)
        table.rows.append(
            [
                i,
                stage_name(s, catalog, lang, by_id),
                kind,
                s.start,
                s.end,
                s.due,
                s.working_days,
                s.calendar_days,
                yes if s.estimate else "",
                yes if s.excluded_from_clock else "",
                stage_flags(s, by_id, lang),
            ]
        )
        table.colours.append(stage_colour(s, catalog))
    for m in key_dates(tl):
        table.rows.append(
            [
                None,
                t(f"milestone.{m.key}", lang),
                t(k + "kind_milestone", lang),
                m.date,
                m.date,
                None,
                None,
                None,
                yes if m.estimate else "",
                "",
                "",
            ]
        )
        table.colours.append(None)
    return table


def key_dates(tl: Timeline) -> list[Milestone]:
    """The milestones worth a row: the procedure's dates, the first annual report, renewal and expiry."""
    out, seen = [], set()
    for m in tl.milestones:
        if m.key == "today" or m.key in seen:
            continue
        seen.add(m.key)
        out.append(m)
    return out
