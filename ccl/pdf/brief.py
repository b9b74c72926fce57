"""What the PDF brief says, as plain text in one language (no layout, no ReportLab).

``brief(ev, engine, lang, made_on)`` gathers the facts a client's boss reads: the verdict and why (each
blocker with its shortfall), the headline licence date and its basis, the dimension scores, the top actions
with owners and due dates — or, for a licence holder, its duties first —, the other routes and the sources
by name. ``ccl.pdf.render`` lays it out on A4 pages. Every sentence comes from the same helpers as the
dashboard and the Excel report, so the three cannot tell different stories.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ccl.catalog.load import Catalog
from ccl.engine import Engine, Evaluation
from ccl.excel.tables import verdict_block
from ccl.filenames import safe_file_part
from ccl.headline import comparison_text, headline_facts, reason_text, verdict_text
from ccl.i18n import (
    Lang,
    fmt_date,
    fmt_score,
    obligation_message,
    option_label,
    owners_text,
    plan_status_label,
    progress_text,
    questions_text,
    source_citation,
    status_label,
    t,
)
from ccl.obligations import STANDING_DUTIES
from ccl.plan import gap_plans

TOP_ACTIONS = 8
K = "pdf."


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a table in the brief."""

    cells: tuple[str, ...]
    flag: str = ""  # overdue / due_soon …: the renderer colours the row


@dataclass
class Brief:
    lang: Lang
    title: str
    company: str
    subtitle: str  # province · scope
    made_on: str  # the date it was made, in the language's style
    catalog_version: str
    mode: str  # applicant | holder | lapsed (the headline's)
    status: str  # the headline's verdict, for its colour
    verdict: str
    eligibility: str
    why: list[str]  # blockers with their shortfall, or why not ready yet ("• " starts an item of a list)
    facts: list[tuple[str, str]]  # the headline date and its basis, score, next deadline …
    dimensions: list[tuple[str, float, str]]  # name, score, colour
    ready_line: float
    duties_head: tuple[str, ...] = ()
    duties: list[Row] = field(default_factory=list)
    actions_head: tuple[str, ...] = ()
    actions: list[Row] = field(default_factory=list)
    actions_note: str = ""
    standing: list[str] = field(default_factory=list)  # a holder's standing duties (no date)
    standing_head: str = ""
    routes: list[tuple[str, str, list[str]]] = field(default_factory=list)  # title, summary, facts
    sources: list[str] = field(default_factory=list)
    disclaimer: str = ""

    def tr(self, key: str, **kwargs: object) -> str:
        return t(K + key, self.lang, **kwargs)


def pdf_filename(ev: Evaluation, lang: Lang, made_on: date) -> str:
    """``<company>_就绪度简报_<ISO date>.pdf``, safe on every system like the workbook's name."""
    company = safe_file_part(ev.profile.company.name or t("xlsx_report.unnamed", lang))
    return f"{company}_{t(K + 'file_stem', lang)}_{made_on.isoformat()}.pdf"


def brief(ev: Evaluation, engine: Engine, lang: Lang, made_on: date) -> Brief:
    """The brief's content for one evaluation in one language."""
    cat, a, c, h = engine.catalog, ev.assessment, ev.profile.company, ev.head
    v = verdict_block(ev, engine, lang)
    parts = [option_label(cat, f"company.{k}", getattr(c, k), lang) for k in ("province", "scope") if getattr(c, k)]
    b = Brief(
        lang=lang,
        title=t(K + "title", lang),
        company=c.name or t("xlsx_report.unnamed", lang),
        subtitle=" · ".join(parts),
        made_on=fmt_date(made_on, lang),
        catalog_version=a.catalog_version,
        mode=h.mode,
        status=h.verdict,
        verdict=verdict_text(h, lang),
        eligibility=v.eligibility,
        why=list(v.lines),
        facts=_facts(ev, cat, lang),
        dimensions=[(d.name(lang), a.dimensions[d.id].score, d.colour) for d in cat.dimensions],
        ready_line=cat.status.ready_min,
        disclaimer=t("xlsx_report.disclaimer", lang),
    )
    if h.mode == "holder":
        b.why = [t(K + "holder_note", lang)]
    elif h.mode == "lapsed":
        b.why = [reason_text(h, lang), *b.why]
    elif not b.why and a.status == "ready":
        b.why = [t(K + "ready_note", lang)]
    if h.applying:  # an applicant, or a lapsed holder applying afresh
        _actions(b, ev, cat, lang)
    if ev.holder:
        _duties(b, ev, lang)
    b.routes = _routes(ev, cat, lang)
    b.sources = _sources(ev, cat, lang)
    return b


def _facts(ev: Evaluation, cat: Catalog, lang: Lang) -> list[tuple[str, str]]:
    """The headline's facts as every surface states them (``headline_facts``; the verdict is in the box
    above), each date's basis and reason beneath, then the score and the plan's progress."""
    a, h = ev.assessment, ev.head

    def tr(key: str, **kw: object) -> str:
        return t(K + key, lang, **kw)

    facts = headline_facts(h, lang)[1:]
    if h.mode != "holder":
        basis = [reason_text(h, lang)]
        if ev.expected.gates_open and h.licence_date is None:
            basis.append(t("licence.needs", lang, questions=questions_text(cat, ev.expected.gates_open, lang)))
        basis += [x for x in (comparison_text(h, lang),) if x]
        if h.licence_date_latest:
            basis.append(tr("range"))
        if h.estimate and h.licence_date:
            basis.append(tr("estimate"))
        where = next((i + 1 for i, (label, _) in enumerate(facts) if label == t("headline.licence_date", lang)), 0)
        facts.insert(where, (tr("basis_label"), ("" if lang == "zh" else " ").join(basis)))
    score = f"{fmt_score(a.overall, lang)} / 100"
    facts.append((tr("score"), tr("score_value", score=score, done=fmt_score(a.completion, lang), n=len(a.unanswered))))
    if h.mode != "holder" and ev.plan_progress:
        facts.append((tr("plan"), progress_text(ev.plan_progress, lang)))
    return facts


def _actions(b: Brief, ev: Evaluation, cat: Catalog, lang: Lang) -> None:
    """The engine's ranking of actions, each with the plan's owner, due date and status."""
    plans = gap_plans(ev.plan)
    b.actions_head = tuple(b.tr(f"col.{k}") for k in ("no", "action", "owner", "due", "status"))
    none = t("plan.no_action", lang)
    for rank, act in enumerate(ev.assessment.actions[:TOP_ACTIONS], 1):
        gp = plans.get(act.rule_id)
        due = fmt_date(gp.due, lang) if gp and gp.due else "—"
        if gp and gp.overdue:
            due = t("plan.due_overdue", lang, due=due)
        owner = owners_text(gp.owners, lang) if gp else ""
        status = plan_status_label(gp.status, lang) if gp else none
        title = cat.rule_by_id[act.rule_id].title(lang)
        b.actions.append(Row((str(rank), title, owner or "—", due, status), "overdue" if gp and gp.overdue else ""))
    left = len(ev.assessment.actions) - TOP_ACTIONS
    if left > 0:
        b.actions_note = b.tr("more_actions", n=left)


def _duties(b: Brief, ev: Evaluation, lang: Lang) -> None:
    """A holder's dated duties, in the order they fall due (``ccl.obligations``), with their status on the day."""
    b.duties_head = tuple(b.tr(f"col.{k}") for k in ("duty", "due", "status", "detail"))
    for ob in ev.obligations:
        cells = (
            t(f"obligation.key.{ob.key}", lang),
            fmt_date(ob.due, lang),
            t(f"obligation.status.{ob.status}", lang),
            obligation_message(ob, lang),
        )
        b.duties.append(Row(cells, ob.status))
    b.standing_head = t("duty.heading", lang)
    b.standing = [t(f"duty.{key}", lang) for key in STANDING_DUTIES]


def _routes(ev: Evaluation, cat: Catalog, lang: Lang) -> list[tuple[str, str, list[str]]]:
    out = []
    colon = t("app.colon", lang)
    sep = t("app.semicolon", lang)
    for alt in ev.alternatives:
        lines = []
        if alt.removes:
            lines.append(
                t("routes.removes", lang) + colon + sep.join(cat.rule_by_id[r].title(lang) for r in alt.removes)
            )
        if alt.adds:
            lines.append(t("routes.adds", lang) + colon + sep.join(cat.rule_by_id[r].title(lang) for r in alt.adds))
        lines.append(t("routes.costs", lang) + colon + alt.costs[lang])
        if alt.changes:
            lines.append(t("routes.status_after", lang) + colon + status_label(alt.status_after, lang))
        title = alt.title[lang] + (
            t("app.paren", lang, text=t("routes.uncertain", lang)) if alt.confidence == "uncertain" else ""
        )
        out.append((title, alt.summary[lang], lines))
    return out


def _sources(ev: Evaluation, cat: Catalog, lang: Lang) -> list[str]:
    """The documents the verdict, the gaps and the routes rest on, by their full names (catalog order)."""
    rules = [cat.rule_by_id[g.rule_id] for g in ev.assessment.gaps]
    rules += [r for r in cat.rules if r.kind == "gate"]
    cited = {r.source.doc for r in rules} | {alt.source for alt in ev.alternatives}
    names = [source_citation(s, lang) for s in cat.sources if s.id in cited and s.kind != "package"]
    if any(r.source.doc == "practice" for r in rules):
        names.append(t("source.practice", lang))
    return names
