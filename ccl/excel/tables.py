"""The content of the readiness report as plain tables, shared by the workbook and the in-app preview.

Each function turns an evaluation into rows of values (text, numbers, dates) in the chosen language.
``report_xlsx`` writes them with styles, charts and conditional formats; the preview shows the same
rows as DataFrames, so what the user previews is what the workbook holds.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from ccl.catalog import Catalog, Link, Source, SourceRef, host_allowed
from ccl.catalog.load import Catalog
from ccl.catalog.objects import SourceRef
from ccl.engine import Engine, Evaluation
from ccl.excel.common import DATE_FORMAT, date_format, money_display, tint, unit_format
from ccl.excel.plan_data import action_evidence, action_record, chunks, evidence_record
from ccl.i18n import (
    Lang,
    answer_text,
    confidence_label,
    distance_text,
    evidence_text,
    fmt_date,
    fmt_money,
    fmt_score,
    fmt_unit,
    kind_label,
    licence_text,
    obligation_message,
    owners_text,
    plan_status_label,
    progress_text,
    questions_text,
    remedy_text,
    route_notes,
    scope_text,
    severity_label,
    source_citation,
    source_text,
    source_where,
    status_label,
    status_reason_text,
    t,
)
from ccl.materials import checklist
from ccl.plan import PlanItem, document_plans, gap_plans, sort_key
from ccl.profile import ALL_FIELDS, SCHEMA_VERSION, Profile
from ccl.scoring import Assessment
from ccl.timeline import Milestone, Timeline, TimelineStage

# The regulator's stages in the workbook's Gantt: a dark fill that prints well and stays apart from the
# off-clock grey (the screen chart uses a mid slate that shows on light and dark themes instead).
REGULATOR_FILL = "#1F4E79"
OFF_CLOCK_COLOUR = "#7F7F7F"
ISSUANCE_TINT = 0.55  # work that may run until issuance: its dimension colour, paler
NUMBER_UNITS = ("people", "months", "m2", "seats", "percent")
CENTER, NUM, INT, DATE = "ccl center", "ccl num", "ccl int", "ccl date"
INPUT, INPUT_DATE, CODE, PARA = "ccl input", "ccl input date", "ccl code", "ccl para"
MACHINE = "ccl plain"  # machine data in hidden columns: one line, so it never sets a row's height


@dataclass(frozen=True, slots=True)
class Val:
    """A cell value with its own number format, and the text the preview shows for it."""

    value: Any
    fmt: str
    text: str


@dataclass(frozen=True, slots=True)
class Col:
    header: str
    width: float
    style: str = "ccl text"


@dataclass
class Table:
    columns: list[Col]
    rows: list[list[Any]] = field(default_factory=list)
    colours: list[str | None] = field(default_factory=list)  # per row, where rows carry a colour

    def frame(self, lang: Lang) -> pd.DataFrame:
        """The table as a DataFrame for display: dates in local style, formatted numbers as shown."""
        data = [[_display(v, lang) for v in row] for row in self.rows]
        df = pd.DataFrame(data, columns=[c.header or " " * (i + 1) for i, c in enumerate(self.columns)])
        for j, name in enumerate(df.columns):
            values = [row[j] for row in data if row[j] is not None and row[j] != ""]
            if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
                df[name] = pd.array([row[j] if isinstance(row[j], int) else None for row in data], dtype="Int64")
            elif not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
                df[name] = ["" if row[j] is None else str(row[j]) for row in data]
        return df


def columns(lang: Lang, prefix: str, spec: list[tuple[Any, ...]]) -> list[Col]:
    """Columns from (key, width[, style]) triples; headers come from the locale under ``prefix``."""
    return [Col(t(prefix + key, lang) if key else "", *rest) for key, *rest in spec]


def _display(value: Any, lang: Lang) -> Any:
    if isinstance(value, Val):
        return value.text
    if isinstance(value, date):
        return fmt_date(value, lang)
    return value


# --- summary ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the Summary sheet says first: the status, whether the legal conditions hold, and why: each blocker
    with its shortfall, or why the verdict is not 'ready' yet."""

    status: str
    headline: str
    eligibility: str
    lines: list[str]


def verdict_block(ev: Evaluation, engine: Engine, lang: Lang) -> Verdict:
    """The verdict and every blocker with its shortfall ("…：还差 200 万元（要求不少于 1,000 万元）")."""
    cat, a = engine.catalog, ev.assessment
    elig = {True: "yes", False: "no", None: "unknown"}[a.eligible]
    gaps = {g.rule_id: g for g in a.gaps}
    colon = t("app.colon", lang)
    lines = []
    for rid in a.blockers:
        dist = gaps[rid].distance if rid in gaps else None
        far = distance_text(cat, dist, lang) if dist and (dist.shortfall or dist.missing) else ""
        lines.append("• " + cat.rule_by_id[rid].title(lang) + (colon + far if far else ""))
    lines += _reason_lines(ev, cat, lang)
    return Verdict(a.status, status_label(a.status, lang), t("eligible." + elig, lang), lines)


def summary_facts(
    ev: Evaluation, engine: Engine, lang: Lang, generated_on: date | None = None
) -> list[tuple[str, Any]]:
    """The facts under the verdict on the Summary sheet as (label, value) pairs: the score first."""
    cat, a, p = engine.catalog, ev.assessment, ev.profile
    prov = cat.province_by_id.get(p.company.province or "")
    unanswered = t("common.unanswered", lang)
    rows: list[tuple[str, Any]] = [
        (t("xlsx_report.overall", lang), Val(a.overall, "0.0", fmt_score(a.overall, lang))),
        (t("xlsx_report.completion", lang), Val(a.completion, '0.0"%"', f"{fmt_score(a.completion, lang)}%")),
        (t("xlsx_report.open_questions", lang), len(a.unanswered)),
    ]
    rows += _licence_rows(ev, cat, lang)
    rows += [
        (t("xlsx_report.company", lang), p.company.name or unanswered),
        (t("xlsx_report.province", lang), prov.name(lang) if prov else unanswered),
        (t("xlsx_report.scope", lang), scope_text(cat, p.company.scope, lang)),
        (t("xlsx_report.certificate", lang), t(f"xlsx_report.certificate_{p.company.scope or 'unknown'}", lang)),
        (t("xlsx_report.service", lang), answer_text(cat, "company.service", p.company.service, lang)),
        (t("xlsx_report.assessed_on", lang), generated_on or ev.start),
        (t("xlsx_report.catalog_version", lang), a.catalog_version),
    ]
    return rows


def _reason_lines(ev: Evaluation, catalog: Catalog, lang: Lang) -> list[str]:
    """Why the verdict is not 'ready' (a blocked verdict lists its blockers instead), then the rule that decides."""
    a = ev.assessment
    if a.status in ("ready", "blocked") or not a.status_reasons:
        return []
    lines = ["• " + status_reason_text(catalog, r, lang) for r in a.status_reasons]
    rule = t("status_reason.rule", lang, threshold=f"{catalog.status.ready_min:g}")
    return [t("status_reason.why_not_ready", lang), *lines, rule]


def _licence_rows(ev: Evaluation, ev_catalog: Catalog, lang: Lang) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    mark = t("xlsx_report.estimate_mark", lang)
    for key, tl in ev.timelines.items():
        label = f"{t('xlsx_report.licence_dates', lang)} · " + t(
            "xlsx_report.licence_in", lang, scenario=t(f"scenario.{key}", lang)
        )
        if tl.licence_date is None:
            rows.append((label, t("licence.pending", lang)))
            continue
        if tl.licence_date_latest:
            text = licence_text(tl.licence_date, tl.licence_date_latest, lang) + (mark if tl.estimate else "")
            rows.append((label, text))
            continue
        fmt = DATE_FORMAT + (f'"{mark}"' if tl.estimate else "")
        text = fmt_date(tl.licence_date, lang) + (mark if tl.estimate else "")
        rows.append((label, Val(tl.licence_date, fmt, text)))
    exp = ev.expected
    if exp.gates_open:
        rows.append(("", t("licence.needs", lang, questions=questions_text(ev_catalog, exp.gates_open, lang))))
    elif exp.licence_date_latest:
        rows.append(("", licence_text(exp.licence_date, exp.licence_date_latest, lang, note=True)))
    if ev.assessment.blockers:
        rows.append(("", t("xlsx_report.blockers_assumed", lang)))
    return rows


def dimension_table(a: Assessment, catalog: Catalog, lang: Lang) -> Table:
    """Score, ready line, completion, gaps and blockers per dimension (also the charts' data)."""
    target = catalog.status.ready_min
    table = Table(
        columns(
            lang,
            "xlsx_report.",
            [
                ("", 2.5, CENTER),
                ("dimension", 22),
                ("score", 10, NUM),
                ("target", 10, NUM),
                ("dim_completion", 10, NUM),
                ("gap_count", 8, INT),
                ("blocker_count", 8, INT),
            ],
        )
    )
    for d in catalog.dimensions:
        ds = a.dimensions[d.id]
        done = Val(ds.completion, '0.0"%"', f"{fmt_score(ds.completion, lang)}%")
        table.rows.append(["", d.name(lang), ds.score, target, done, ds.gaps, ds.blockers])
        table.colours.append(d.colour)
    return table


# --- gaps -------------------------------------------------------------------------------------------


def gaps_table(ev: Evaluation, engine: Engine, lang: Lang) -> Table:
    """Every gap with its distance, remedy, effort, priority and source; owner and due from the plan."""
    cat, a = engine.catalog, ev.assessment
    plans = gap_plans(ev.plan)
    table = Table(
        columns(
            lang,
            "xlsx_gaps.",
            [
                ("no", 5, CENTER),
                ("dimension", 12),
                ("severity", 9, CENTER),
                ("gap", 32),
                ("distance", 26),
                ("remedy", 44),
                ("effort", 10, CENTER),
                ("points", 7, NUM),
                ("priority", 7, CENTER),
                ("source", 28),
                ("confidence", 11, CENTER),
                ("owner", 11, INPUT),
                ("due", 12, INPUT_DATE),
            ],
        )
    )
    rank = {act.rule_id: i for i, act in enumerate(a.actions, 1)}
    for i, g in enumerate(a.gaps, 1):
        rule = cat.rule_by_id[g.rule_id]
        gp = plans.get(g.rule_id)
        table.rows.append(
            [
                i,
                cat.dimension_by_id[g.dimension].name(lang),
                severity_label(g.severity, lang, rule.source.confidence),
                rule.title(lang),
                distance_text(cat, g.distance, lang),
                remedy_text(rule, lang),
                f"{g.effort_days[0]}–{g.effort_days[1]}",
                round(g.points_lost, 1) if g.points_lost else None,
                rank.get(g.rule_id),
                short_source(cat, rule.source, lang),
                confidence_label(rule.source.confidence, lang),
                (owners_text(gp.owners, lang) or None) if gp else None,
                gp.due if gp else None,
            ]
        )
    return table


def cite(catalog: Catalog, ref: SourceRef, lang: Lang) -> str:
    """A rule's source in a report's source column: only laws, regulations and official notices (name, number,
    article). Practice and other non-official references are named as such and listed in the appendix."""
    if ref.doc == "practice":
        return t("source.practice_appendix", lang)
    src = catalog.source_by_id.get(ref.doc)
    if src is not None and not src.official:
        return t("source.other_appendix", lang, title=src.title(lang))
    return source_text(catalog, ref, lang)


def short_source(catalog: Catalog, ref: SourceRef, lang: Lang) -> str:
    """A citation for the gap list (the same as the Rules sheet's: no address of an agency page)."""
    return cite(catalog, ref, lang)


def official_links(catalog: Catalog, src: Source) -> list[Link]:
    """The links of a source that a client deliverable may print: on the allow-list of official hosts."""
    return [link for link in src.links if host_allowed(link.host, catalog.official_hosts)]


# --- materials --------------------------------------------------------------------------------------


def documents_table(ev: Evaluation, engine: Engine, lang: Lang) -> Table:
    """The application materials with category, status and what they wait for."""
    cat = engine.catalog
    k = "xlsx_materials."
    table = Table(
        columns(
            lang,
            k,
            [
                ("no", 5, CENTER),
                ("document", 34),
                ("category", 16),
                ("basis", 44),
                ("state", 10, CENTER),
                ("waiting", 34),
                ("owner", 11, INPUT),
                ("due", 12, INPUT_DATE),
            ],
        )
    )
    docs = {d.id: d for d in cat.documents}
    plans = document_plans(cat, ev.plan)
    for i, item in enumerate(checklist(ev.profile, ev.assessment, cat).documents, 1):
        doc = docs[item.id]
        waiting = "\n".join(cat.rule_by_id[r].title(lang) for r in item.waiting_for)
        dp = plans.get(item.id)
        table.rows.append(
            [
                i,
                doc.name(lang),
                t(f"{k}category_label.{doc.status}", lang),
                doc.basis(lang),
                t(f"{k}state_label.{item.state}", lang),
                waiting,
                (owners_text(dp.owners, lang) or None) if dp else None,
                dp.due if dp else None,
            ]
        )
    return table


def checks_table(ev: Evaluation, engine: Engine, lang: Lang, which: str) -> Table:
    """The consistency warnings (``which="consistency"``) or the site-inspection list."""
    cat = engine.catalog
    k = "xlsx_materials."
    table = Table(columns(lang, k, [("no", 5, CENTER), ("check", 34), ("dimension", 16), ("result", 44)]))
    lists = checklist(ev.profile, ev.assessment, cat)
    for i, item in enumerate(getattr(lists, which), 1):
        dim = cat.dimension_by_id[item.dimension].name(lang)
        title = cat.rule_by_id[item.rule_id].title(lang)
        table.rows.append([i, title, dim, t(f"outcome.{item.outcome}", lang)])
    return table


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
    table.columns[5:5] = [Col(t("xlsx_timeline_plan.due", lang), 11, DATE)]
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


# --- answers ------------------------------------------------------------------------------------------


def canonical(catalog: Catalog, path: str, value: Any) -> Any:
    """An answer in the machine form of the Answers sheet: numbers, dates, codes, true/false, JSON lists."""
    if value is None:
        return None
    q = catalog.questions[path]
    if q.input == "multiselect":
        return json.dumps(sorted(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        whole = float(value).is_integer()
        return Val(value, "#,##0" if whole else "#,##0.00", f"{value:.0f}" if whole else f"{value}")
    return value


def shown_answer(catalog: Catalog, path: str, value: Any, lang: Lang) -> Any:
    """An answer as a person reads it; amounts and counts stay numbers with a unit format."""
    q = catalog.questions[path]
    if value is None or isinstance(value, bool) or q.input not in ("money", "int", "number"):
        return value if isinstance(value, date) else answer_text(catalog, path, value, lang)
    if q.unit == "cny":
        number, fmt = money_display(value, lang)
        return Val(number, fmt, fmt_money(value, lang))
    if q.unit in NUMBER_UNITS:
        return Val(
            value, unit_format(lang, q.unit, 0 if float(value).is_integer() else 1), fmt_unit(value, q.unit, lang)
        )
    return value


def section_name(catalog: Catalog, path: str, lang: Lang) -> str:
    section = path.split(".", 1)[0]
    dim = catalog.dimension_by_id.get(section)
    return dim.name(lang) if dim else t("xlsx_answers.company_section", lang)


def answers_table(profile: Profile, catalog: Catalog, lang: Lang) -> Table:
    """The whole profile, one answer per row, with the machine columns the import reads back."""
    k = "xlsx_answers."
    table = Table(
        columns(
            lang,
            k,
            [
                ("field", 36),
                ("section", 12),
                ("question", 36),
                ("answer", 28),
                ("value", 24, CODE),
                ("unit", 10, CENTER),
                ("na_reason", 24),
                ("evidence", 34),
                ("evidence_machine", 20, MACHINE),
            ],
        )
    )
    table.rows.append(
        [
            "schema_version",
            "",
            t(k + "schema_version", lang),
            str(profile.schema_version),
            SCHEMA_VERSION,
            "",
            None,
            None,
            None,
        ]
    )
    for path in ALL_FIELDS:
        q = catalog.questions[path]
        value = profile.get(path)
        table.rows.append(
            [
                path,
                section_name(catalog, path, lang),
                q.label(lang),
                shown_answer(catalog, path, value, lang),
                canonical(catalog, path, value),
                t(f"{k}unit_label.{q.unit}", lang),
                profile.not_applicable.get(path),
                evidence_text(profile.evidence.get(path), lang) or None,
                *_machine(evidence_record(profile.evidence[path]) if path in profile.evidence else None),
            ]
        )
    width = max(len(row) for row in table.rows)
    table.columns += [Col("", 20, MACHINE)] * (width - len(table.columns))
    for row in table.rows:  # a very long record continues in the cells to its right
        row += [None] * (len(table.columns) - len(row))
    return table


def _machine(record: str | None) -> list[str | None]:
    return [None] if record is None else list(chunks(record))


# --- rules and sources -----------------------------------------------------------------------------


def rules_table(a: Assessment, catalog: Catalog, lang: Lang) -> Table:
    """Every rule of the catalog as applied: outcome, points, source and confidence."""
    k = "xlsx_rules."
    table = Table(
        columns(
            lang,
            k,
            [
                ("id", 20),
                ("dimension", 12),
                ("kind", 11, CENTER),
                ("rule", 38),
                ("outcome", 8, CENTER),
                ("points", 7, NUM),
                ("max_points", 7, NUM),
                ("source", 36),
                ("confidence", 11, CENTER),
                ("verified", 11, DATE),
                ("note_col", 34),
            ],
        )
    )
    for rule in catalog.rules:
        res = a.result(rule.id)
        note = res.na_reason or (rule.source.note(lang) if rule.source.note else "")
        table.rows.append(
            [
                rule.id,
                catalog.dimension_by_id[rule.dimension].name(lang),
                kind_label(rule.kind, lang, rule.source.confidence),
                rule.title(lang),
                t(f"outcome.{res.outcome}", lang),
                round(res.points, 1),
                round(res.max_points, 1),
                cite(catalog, rule.source, lang),
                confidence_label(rule.source.confidence, lang),
                rule.source.last_verified,
                note,
            ]
        )
    return table


def routes_table(ev: Evaluation, catalog: Catalog, lang: Lang) -> Table:
    """Other routes to the licence (what each clears and costs) and a licence holder's dated duties."""
    table = Table(
        columns(
            lang,
            "xlsx_routes.",
            [("kind", 10, CENTER), ("item", 30), ("status", 24), ("due", 12, DATE), ("detail", 70)],
        )
    )
    for alt in ev.alternatives:
        clears = "; ".join(catalog.rule_by_id[r].title(lang) for r in alt.removes) or "—"
        notes = "".join(f" {line}" for line in route_notes(catalog, alt, lang))
        detail = f"{alt.summary[lang]} {t('routes.costs', lang)}: {alt.costs[lang]}{notes}"
        table.rows.append([t("xlsx_routes.route", lang), alt.title[lang], clears, None, detail])
    for ob in ev.obligations:
        status = t(f"obligation.status.{ob.status}", lang)
        key = t(f"obligation.key.{ob.key}", lang)
        table.rows.append([t("xlsx_routes.duty", lang), key, status, ob.due, obligation_message(ob, lang)])
    return table


def sources_table(catalog: Catalog, lang: Lang) -> Table:
    """The laws, regulations and official notices the rules cite, with their official addresses only."""
    k = "xlsx_rules."
    table = Table(columns(lang, k, [("source_id", 20, PARA), ("source_title", 62, PARA), ("source_where", 72, PARA)]))
    for s in catalog.sources:
        if not s.official:
            continue
        allowed = {link.url for link in official_links(catalog, s)}
        items = [(text, url) for text, url in source_where(s, lang) if url is None or url in allowed]
        where = [t("source.link_line", lang, text=text, url=url) if url else text for text, url in items]
        table.rows.append([s.id, source_citation(s, lang), "\n".join(where)])
    return table


def appendix_table(catalog: Catalog, lang: Lang) -> Table:
    """The appendix: agency and consultant pages kept as evidence of local practice, and other non-official
    references (software packages), each with the rules that rest on it. Never part of the source column."""
    k = "xlsx_appendix."
    table = Table(columns(lang, k, [("reference", 62, PARA), ("rules", 62, PARA), ("kind", 20, PARA)]))
    cited: dict[str, list[str]] = {}
    for rule in catalog.rules:
        for page in rule.source.pages:
            cited.setdefault(page, []).append(rule.title(lang))
    for param in catalog.params.values():
        for page in param.source.pages:
            cited.setdefault(page, []).append(param.label(lang))
    for page, titles in cited.items():
        table.rows.append([page, "\n".join(dict.fromkeys(titles)), t("xlsx_appendix.practice", lang)])
    for s in catalog.sources:
        if s.official:
            continue
        where = [
            t("source.link_line", lang, text=text, url=url) if url else text for text, url in source_where(s, lang)
        ]
        table.rows.append(["\n".join([s.title(lang), *where]), "", t("xlsx_appendix.other", lang)])
    return table


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
            Col(t(k + "due", lang), 12.5, DATE),
            Col(t(k + "status", lang), 8.5, CENTER),
            Col(t("xlsx_plan.flags", lang), 10),
            Col(t(k + "reason", lang), 14),
            Col(t(k + "effort", lang), 8.5, CENTER),
            Col(t(k + "after", lang), 18),
            Col(t(k + "evidence", lang), 26),
            Col(t(k + "notes", lang), 20),
            Col(t(k + "done_on", lang), 12.5, DATE),
            Col(t("xlsx_plan.machine", lang), 20, MACHINE),
        ]
    )
    stored = {a.id: (n, a) for n, a in enumerate(ev.profile.plan)}
    names = {i.id: i.label(lang) for i in ev.plan}
    for number, item in enumerate(sorted(ev.plan, key=sort_key), 1):
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
                plan_flags(item, lang),
                item.reason,
                _effort(item, lang),
                "\n".join(names.get(a, a) for a in item.after),
                action_evidence(item.rule_ids, ev.profile, catalog, lang),
                item.notes,
                _day(item.done_on, date_fmt, lang),
                *_machine(action_record(action, order)),
            ]
        )
        table.items.append(item)
    width = max((len(row) for row in table.rows), default=len(table.columns))
    table.columns += [Col("", 20, MACHINE)] * (width - len(table.columns))
    for row in table.rows:
        row += [None] * (width - len(row))
    return table


def plan_flags(item: PlanItem, lang: Lang) -> str:
    """Overdue, done while the gap is still open, or unknown to the catalog (one per line)."""
    flags = [t("plan.flag.overdue", lang)] if item.overdue else []
    if item.reopened:
        flags.append(t("xlsx_plan.reopened", lang))
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
    """Progress, then the licence date the plan's due dates give against the catalog's estimate."""
    lines = [progress_text(ev.plan_progress, lang)] if ev.plan_progress else [t("plan.none", lang)]
    plan_tl = ev.plan_timeline
    if plan_tl is None or plan_tl.licence_date is None:
        return "\n".join(lines)
    shift = ev.plan_licence_shift
    plan_day = fmt_date(plan_tl.licence_date, lang)
    if not ev.plan_dated:
        lines.append(t("xlsx_plan.no_dates", lang))
    elif shift is None:
        lines.append(t("xlsx_plan.licence_plan", lang, plan=plan_day))
    else:
        key = "shift_later" if shift > 0 else "shift_earlier" if shift < 0 else "shift_same"
        lines.append(
            t(
                "xlsx_plan.licence_shift",
                lang,
                plan=plan_day,
                catalog=fmt_date(ev.expected.licence_date, lang),
                shift=t(f"xlsx_plan.{key}", lang, n=abs(shift)),
            )
        )
    return "\n".join(lines)
