"""The content of the readiness report as plain tables, shared by the workbook and the in-app preview.

Each function turns an evaluation into rows of values (text, numbers, dates) in the chosen language.
``report_xlsx`` writes them with styles, charts and conditional formats; the preview shows the same
rows as DataFrames, so what the user previews is what the workbook holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from ccl.catalog.load import Catalog
from ccl.catalog.objects import Link, Source, SourceRef, host_allowed
from ccl.engine import Engine, Evaluation
from ccl.excel.common import PERCENT_FORMAT, SCORE_FORMAT, date_format
from ccl.excel.plan_data import chunks
from ccl.headline import comparison_text, headline_facts, reason_text, verdict_condition, verdict_text
from ccl.i18n import (
    Lang,
    answer_text,
    confidence_label,
    distance_text,
    fmt_date,
    fmt_score,
    kind_label,
    licence_text,
    obligation_message,
    owners_text,
    questions_text,
    remedy_text,
    route_notes,
    scope_text,
    severity_label,
    source_citation,
    source_text,
    source_where,
    status_reason_text,
    t,
)
from ccl.materials import checklist
from ccl.plan import document_plans, gap_plans
from ccl.scoring import Assessment

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
    cols = [Col(t(prefix + key, lang) if key else "", *rest) for key, *rest in spec]
    return [Col(c.header, date_width(c.width, lang), c.style) if c.style in (DATE, INPUT_DATE) else c for c in cols]


# "2026年12月11日" needs about 14 character widths (its three CJK characters count double), "11 Dec 2026" 11
DATE_WIDTHS = {"zh": 14.5, "en": 12.0}


def date_width(width: float, lang: Lang) -> float:
    """A date column's width: wide enough for the longest date in the language's style (never "###")."""
    return max(width, DATE_WIDTHS[lang])


def _display(value: Any, lang: Lang) -> Any:
    if isinstance(value, Val):
        return value.text
    if isinstance(value, date):
        return fmt_date(value, lang)
    if isinstance(value, float):  # scores and points, rounded to one decimal: 10 and 4.1 as the sheet shows them
        return fmt_score(value, lang)
    return value


def machine_cells(record: str | None) -> list[str | None]:
    """A record of machine data (plan, evidence) cut into cells of the hidden columns."""
    return [None] if record is None else list(chunks(record))


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
    """The verdict and every blocker with its shortfall ("…：还差 200 万元（要求不少于 1000 万元）")."""
    cat, a = engine.catalog, ev.assessment
    elig = {True: "yes", False: "no", None: "unknown"}[a.eligible]
    gaps = {g.rule_id: g for g in a.gaps}
    colon = t("app.colon", lang)
    lines = []
    for rid in a.blockers:
        dist = gaps[rid].distance if rid in gaps else None
        far = distance_text(cat, dist, lang) if dist and (dist.shortfall or dist.missing) else ""
        lines.append("• " + cat.rule_by_id[rid].title(lang) + (colon + far if far else ""))
    head = ev.head
    if head.mode != "applicant":  # a holder's verdict is its licence; the reason says what is due
        return Verdict(
            head.verdict, verdict_text(head, lang), t(f"headline.mode.{head.mode}", lang), [reason_text(head, lang)]
        )
    lines += _reason_lines(ev, cat, lang)
    lines.append(verdict_condition(head, cat, lang))  # what the word means
    return Verdict(head.verdict, verdict_text(head, lang), t("eligible." + elig, lang), lines)


def summary_facts(
    ev: Evaluation, engine: Engine, lang: Lang, generated_on: date | None = None
) -> list[tuple[str, Any]]:
    """The facts under the verdict on the Summary sheet as (label, value) pairs: the score first."""
    cat, a, p = engine.catalog, ev.assessment, ev.profile
    prov = cat.province_by_id.get(p.company.province or "")
    unanswered = t("common.unanswered", lang)
    rows: list[tuple[str, Any]] = [
        (t("xlsx_report.overall", lang), Val(a.overall, SCORE_FORMAT, fmt_score(a.overall, lang))),
        (t("xlsx_report.completion", lang), Val(a.completion, PERCENT_FORMAT, f"{fmt_score(a.completion, lang)}%")),
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
    """The headline's dates (``Evaluation.headline``), then, when the catalog decides the date, its three
    scenarios; when the plan decides it, the catalog's date only as the labelled comparison."""
    head = ev.head
    mark = t("xlsx_report.estimate_mark", lang)
    rows: list[tuple[str, Any]] = []
    for label, value in headline_facts(head, lang)[1:]:
        rows.append((label, value))
    if head.licence_date is not None and not head.licence_date_latest:  # a real date Excel can sort on
        i = next(i for i, (label, _) in enumerate(rows) if label == t("headline.licence_date", lang))
        fmt = date_format(lang) + (f'"{mark}"' if head.estimate else "")
        rows[i] = (rows[i][0], Val(head.licence_date, fmt, rows[i][1]))
    if head.mode == "holder":
        return rows
    rows.append(("", reason_text(head, lang)))
    if (cmp := comparison_text(head, lang)) is not None:
        rows.append(("", cmp))
    if head.licence_date_basis == "catalog":
        rows += _scenario_rows(ev, lang)
    exp = ev.expected
    if exp.gates_open:
        rows.append(("", t("licence.needs", lang, questions=questions_text(ev_catalog, exp.gates_open, lang))))
    elif head.licence_date_latest:
        rows.append(("", licence_text(head.licence_date, head.licence_date_latest, lang, note=True)))
    if ev.assessment.blockers:
        rows.append(("", t("xlsx_report.blockers_assumed", lang)))
    return rows


def _scenario_rows(ev: Evaluation, lang: Lang) -> list[tuple[str, Any]]:
    """The optimistic and pessimistic licence dates beside the headline's (the expected one)."""
    mark = t("xlsx_report.estimate_mark", lang)
    rows: list[tuple[str, Any]] = []
    for key, tl in ev.timelines.items():
        if key == "expected" or tl.licence_date is None:
            continue
        label = f"{t('xlsx_report.licence_dates', lang)} · " + t(
            "xlsx_report.licence_in", lang, scenario=t(f"scenario.{key}", lang)
        )
        text = licence_text(tl.licence_date, tl.licence_date_latest, lang) + (mark if tl.estimate else "")
        if tl.licence_date_latest:
            rows.append((label, text))
        else:
            rows.append((label, Val(tl.licence_date, date_format(lang) + (f'"{mark}"' if tl.estimate else ""), text)))
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
        done = Val(ds.completion, PERCENT_FORMAT, f"{fmt_score(ds.completion, lang)}%")
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
