"""``python -m ccl assess FILE... [--start YYYY-MM-DD] [--format text|json] [--lang zh|en]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from ccl import clock
from ccl.catalog.load import Catalog
from ccl.cli.common import EXIT_BAD_INPUT, default_lang, expand_inputs, iso_date, pad, width
from ccl.engine import Engine, Evaluation, evaluation_json
from ccl.errors import ProfileError, safe_text
from ccl.headline import comparison_text, headline_facts, reason_text, verdict_condition
from ccl.i18n import (
    LANGS,
    Lang,
    distance_text,
    error_lines,
    fmt_date,
    fmt_score,
    licence_text,
    obligation_message,
    problem_message,
    questions_text,
    remedy_text,
    route_notes,
    scope_text,
    severity_label,
    status_reason_text,
    t,
)
from ccl.intake import read_checked_profile
from ccl.records import dumps_json


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``assess`` subcommand."""
    p = sub.add_parser("assess", help="score profiles (.json or .xlsx files, or folders)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--start", type=iso_date, default=None, help="projection start date (default: today)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lang", choices=LANGS, default=default_lang())
    p.add_argument(
        "--review-anchor",
        choices=("acceptance", "receipt"),
        default="acceptance",
        help="count the 60-day review from acceptance (default) or from receipt",
    )
    p.set_defaults(handler=cmd_assess)


def cmd_assess(args: argparse.Namespace, engine: Engine) -> int:
    lang: Lang = args.lang
    start = args.start or clock.today()
    single = len(args.files) == 1 and not Path(args.files[0]).is_dir()
    json_out = JsonOut(sys.stdout, as_list=not single) if args.format == "json" else None
    failures = 0
    for path in expand_inputs(args.files, lang):
        try:
            profile = read_checked_profile(path, engine.catalog)
        except ProfileError as err:
            failures += 1
            lines = error_lines(err, lang)
            print("\n".join(lines), file=sys.stderr)
            if json_out:
                json_out.add(error_json(err, lang, lines))
            continue
        ev = engine.evaluate(profile, start, review_anchor=args.review_anchor)
        if json_out:
            json_out.add(evaluation_json(ev, safe_text(str(path))))
        else:
            print(render_text(ev, engine, lang, str(path)))
    if json_out:
        json_out.close()
    return EXIT_BAD_INPUT if failures else 0


def error_json(err: ProfileError, lang: Lang, lines: list[str]) -> dict[str, Any]:
    """A refused file in JSON output: the first problem (field, code, message) and all of them."""
    return {
        "file": err.where,
        "error": {
            "field": err.field,
            "code": err.code.value,
            "message": lines[0],
            "problems": [
                {"field": p.field, "cell": p.cell, "code": p.code.value, "message": problem_message(p, lang)}
                for p in err.problems
            ],
        },
    }


class JsonOut:
    """Results written as they come, each encoded once and written in one call: one object, or a list."""

    def __init__(self, stream: TextIO, as_list: bool):
        stream.flush()  # bytes go under the text layer: anything it holds goes first
        self.write = stream.buffer.write if hasattr(stream, "buffer") else lambda b: stream.write(b.decode())
        self.as_list, self.count = as_list, 0

    def add(self, value: Any) -> None:
        data = dumps_json(value)
        if self.as_list:  # indent the item one level, as a list member
            data = (b",\n  " if self.count else b"[\n  ") + data.replace(b"\n", b"\n  ")
        self.write(data)
        self.count += 1

    def close(self) -> None:
        if self.as_list:
            self.write(b"\n]\n" if self.count else b"[]\n")
        else:
            self.write(b"\n")


def _c(lang: Lang) -> str:
    """A label separator: full-width colon in Chinese."""
    return "：" if lang == "zh" else ": "


def _bar(score: float, width: int = 20) -> str:
    filled = round(score / 100 * width)
    return "█" * filled + "░" * (width - filled)


def render_text(ev: Evaluation, engine: Engine, lang: Lang, where: str) -> str:
    """A terminal report that reads well in Chinese or English."""
    cat, a = engine.catalog, ev.assessment
    lines: list[str] = []
    name = ev.profile.company.name or t("common.unanswered", lang)
    lines.append(f"━━ {name} ━━  ({where})")
    prov = cat.province_by_id.get(ev.profile.company.province or "")
    lines.append(
        f"{t('cli.province', lang)}{_c(lang)}{prov.name(lang) if prov else t('common.unanswered', lang)}"
        f" · {t('cli.scope', lang)}{_c(lang)}{scope_text(cat, ev.profile.company.scope, lang)}"
    )
    lines.extend(_headline_lines(ev, cat, lang))
    if a.status_reasons and ev.head.mode != "holder" and ev.head.verdict not in ("blocked", "ready"):
        lines.append("  " + t("status_reason.why_not_ready", lang))
        lines.extend(f"    · {status_reason_text(cat, r, lang)}" for r in a.status_reasons)
    lines.append(
        f"{t('cli.overall', lang)}{_c(lang)}{fmt_score(a.overall, lang)}/100 · "
        f"{t('cli.completion', lang)}{_c(lang)}{fmt_score(a.completion, lang)}%"
    )
    lines.append(t("cli.dimensions", lang) + _c(lang).strip())
    label_w = max(width(d.name(lang)) for d in cat.dimensions) + 2
    for d in cat.dimensions:
        ds = a.dimensions[d.id]
        lines.append(f"  {pad(d.name(lang), label_w)}{fmt_score(ds.score, lang):>5}  {_bar(ds.score)}")
    lines.extend(_blocker_lines(ev, engine, lang))
    lines.extend(_gap_lines(ev, engine, lang))
    lines.extend(_route_lines(ev, engine, lang))
    lines.extend(_obligation_lines(ev, lang))
    if ev.head.mode != "holder":  # a licence holder reads its duties, not an application timeline
        lines.extend(_timeline_lines(ev, engine, lang))
    if a.unanswered:
        lines.append(t("cli.unanswered_count", lang, n=len(a.unanswered)))
    return "\n".join(lines) + "\n"


def _headline_lines(ev: Evaluation, ev_catalog: Catalog, lang: Lang) -> list[str]:
    """The headline (``Evaluation.headline``) as every surface gives it: verdict, dates, next deadline, why."""
    head = ev.head
    facts = headline_facts(head, lang)
    label, verdict = facts[0]
    if head.mode == "applicant":
        elig = {True: "yes", False: "no", None: "unknown"}[ev.assessment.eligible]
        verdict += f" · {t('eligible.' + elig, lang)}"
    out = [f"{label}{_c(lang)}{verdict}", "  " + verdict_condition(head, ev_catalog, lang)]
    out += [f"{k}{_c(lang)}{v}" for k, v in facts[1:]]
    out.append("  " + reason_text(head, lang))
    if (cmp := comparison_text(head, lang)) is not None:
        out.append("  " + cmp)
    return out


def _blocker_lines(ev: Evaluation, engine: Engine, lang: Lang) -> list[str]:
    cat = engine.catalog
    if not ev.assessment.blockers:
        return [f"{t('cli.blockers', lang)}{_c(lang)}{t('cli.no_blockers', lang)}"]
    out = [t("cli.blockers", lang) + _c(lang).strip()]
    for rid in ev.assessment.blockers:
        out.append(f"  ✖ {cat.rule_by_id[rid].title(lang)}")
    return out


def _gap_lines(ev: Evaluation, engine: Engine, lang: Lang) -> list[str]:
    cat, a = engine.catalog, ev.assessment
    if not a.gaps:
        return [t("cli.no_gaps", lang)]
    out = [f"{t('cli.gaps', lang)} ({len(a.gaps)}){_c(lang).strip()}"]
    for g in a.gaps:
        rule = cat.rule_by_id[g.rule_id]
        dist = distance_text(cat, g.distance, lang)
        pts = f" −{t('cli.points', lang, n=fmt_score(round(g.points_lost, 1), lang))}" if g.points_lost else ""
        out.append(f"  [{severity_label(g.severity, lang, rule.source.confidence)}] {rule.title(lang)}{pts}")
        if dist:
            out.append(f"      {dist}")
        effort = t("cli.effort", lang, lo=g.effort_days[0], hi=g.effort_days[1])
        out.append(f"      → {remedy_text(rule, lang)} ({effort})")
    if a.actions:
        out.append(t("cli.actions", lang) + _c(lang).strip())
        for i, act in enumerate(a.actions[:5], 1):
            out.append(f"  {i}. {cat.rule_by_id[act.rule_id].title(lang)}")
    return out


def _route_lines(ev: Evaluation, engine: Engine, lang: Lang) -> list[str]:
    if not ev.alternatives:
        return []
    out = [t("routes.heading", lang) + _c(lang).strip()]
    for alt in ev.alternatives:
        out.append(f"  ➜ {alt.title[lang]}")
        if alt.removes:
            titles = "；".join(engine.catalog.rule_by_id[r].title(lang) for r in alt.removes)
            out.append(f"      {t('routes.removes', lang)}{_c(lang)}{titles}")
        out.append(f"      {t('routes.costs', lang)}{_c(lang)}{alt.costs[lang]}")
        out += [f"      {line}" for line in route_notes(engine.catalog, alt, lang)]
    return out


def _obligation_lines(ev: Evaluation, lang: Lang) -> list[str]:
    if not ev.holder:
        return []
    out = [t("obligations.title", lang) + _c(lang).strip()]
    for ob in ev.obligations:
        status = t(f"obligation.status.{ob.status}", lang)
        out.append(f"  [{status}] {t('obligation.key.' + ob.key, lang)} {fmt_date(ob.due, lang)}")
        out.append(f"      {obligation_message(ob, lang)}")
    return out


def _timeline_lines(ev: Evaluation, engine: Engine, lang: Lang) -> list[str]:
    cat = engine.catalog
    exp = ev.expected
    story = ev.story_timeline or exp  # the headline's projection: its stages and milestones are listed
    if exp.licence_date is None:
        out = [f"{t('cli.licence_dates', lang)}{_c(lang)}{t('licence.pending', lang)}"]
        out.append("  " + t("licence.needs", lang, questions=questions_text(cat, exp.gates_open, lang)))
    else:
        dates = " · ".join(
            f"{t('scenario.' + k, lang)} {licence_text(tl.licence_date, tl.licence_date_latest, lang)}"
            f"{'*' if tl.estimate else ''}"
            for k, tl in ev.timelines.items()
        )
        out = [f"{t('cli.licence_dates', lang)}{_c(lang)}{dates}"]
        if story is not exp:  # the scenarios use the catalog's durations; the headline follows the plan
            out.append("  " + t("cli.scenarios_catalog", lang))
        if exp.licence_date_latest:
            out.append("  " + licence_text(exp.licence_date, exp.licence_date_latest, lang, note=True))
    out.append(t("cli.timeline", lang) + _c(lang).strip())
    plan = {i.id: i for i in ev.plan}
    for s in story.stages:
        if s.kind == "work" and s.action_id in plan:
            name = f"{t('stage.remediation', lang)}: {plan[s.action_id].label(lang)}"
        elif s.kind == "work":
            name = f"{t('stage.remediation', lang)}: {cat.rule_by_id[s.rule_id or ''].title(lang)}"
        else:
            name = cat.stage_by_key[s.stage].name(lang)
            if s.round is not None:
                name += f" #{s.round}"
        star = "*" if s.estimate else " "
        out.append(f"  {s.start.isoformat()} → {s.end.isoformat()}{star} {name}")
    for m in story.milestones:
        if m.key in ("licence", "renewal_deadline", "expiry"):
            star = "*" if m.estimate else ""
            out.append(f"  ◆ {t('milestone.' + m.key, lang)}{_c(lang)}{fmt_date(m.date, lang)}{star}")
    out.append(t("cli.estimate_note", lang))
    return out
