"""``python -m ccl plan FILE [--start YYYY-MM-DD] [--format text|json] [--lang zh|en]``: the action plan.

Every action with its owner, due date and status (overdue marked), the progress, and the headline's
licence date (the plan's when its due dates decide it, with the catalog's as a comparison). The JSON
output's ``headline``, ``plan``, ``plan_progress`` and ``plan_timeline`` are those of
``assess --format json`` (``ccl.engine.evaluation_json``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ccl import clock
from ccl.cli.assess import JsonOut
from ccl.cli.common import default_lang, iso_date, pad, width
from ccl.engine import Engine, Evaluation, evaluation_json
from ccl.errors import safe_text
from ccl.headline import comparison_text, headline_facts, reason_text
from ccl.i18n import LANGS, Lang, fmt_date, plan_status_label, progress_text, t
from ccl.intake import read_checked_profile
from ccl.plan import PlanItem, in_plan_order

JSON_KEYS = ("file", "company", "start", "headline", "plan", "plan_progress", "plan_timeline")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``plan`` subcommand."""
    p = sub.add_parser("plan", help="the action plan of one profile: owners, due dates, status, licence date")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--start", type=iso_date, default=None, help="the day to check due dates against (default: today)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lang", choices=LANGS, default=default_lang())
    p.set_defaults(handler=cmd_plan)


def cmd_plan(args: argparse.Namespace, engine: Engine) -> int:
    lang: Lang = args.lang
    path = Path(args.file)
    profile = read_checked_profile(path, engine.catalog)  # a bad file: ProfileError, one line, exit 2
    ev = engine.evaluate(profile, args.start or clock.today())
    if args.format == "json":
        out = JsonOut(sys.stdout, as_list=False)
        out.add(plan_json(ev, safe_text(str(path))))
        out.close()
    else:
        sys.stdout.write(render_plan(ev, lang, safe_text(str(path))))
    return 0


def plan_json(ev: Evaluation, file: str | None = None) -> dict[str, Any]:
    """The plan part of ``evaluation_json`` and the estimated licence date the plan is set against."""
    full = evaluation_json(ev, file)
    return {k: full[k] for k in JSON_KEYS if k in full} | {"expected_licence_date": ev.expected.licence_date}


def _c(lang: Lang) -> str:
    return "：" if lang == "zh" else ": "


def render_plan(ev: Evaluation, lang: Lang, where: str) -> str:
    """The plan as an aligned table (CJK characters count double), still-to-do actions first."""
    name = ev.profile.company.name or t("common.unanswered", lang)
    lines = [f"━━ {name} ━━  ({where})", f"{t('plan.title', lang)}{_c(lang)}"]
    if not ev.plan:
        lines[-1] += t("plan.none", lang)
        return "\n".join(lines) + "\n"
    progress = ev.plan_progress
    assert progress is not None  # an evaluation with a plan has its progress
    lines[-1] += progress_text(progress, lang)
    next_due = fmt_date(progress.next_due, lang) if progress.next_due else t("plan.progress.none_due", lang)
    lines.append(f"{t('plan.progress.next_due', lang)}{_c(lang)}{next_due}")
    lines.append("")
    lines.extend(_table(in_plan_order(ev.plan), lang))
    lines.append("")
    lines.extend(_licence_lines(ev, lang))
    return "\n".join(lines) + "\n"


def _status(item: PlanItem, lang: Lang) -> str:
    text = plan_status_label(item.status, lang)
    if item.reopened:  # done means done: the flag first, then whether it is overdue
        flag = t("plan.flag.conflict_short", lang)
        return f"⚠ {flag} · {t('plan.flag.overdue', lang)}" if item.overdue else f"⚠ {flag}"
    if item.overdue:
        return f"⚠ {text} · {t('plan.flag.overdue', lang)}"
    return f"  {text}"


def _table(items: list[PlanItem], lang: Lang) -> list[str]:
    head = ["  " + t("plan.col.status", lang), t("plan.col.due", lang), t("plan.col.owner", lang)]
    head.append(t("plan.col.action", lang))
    rows = [head]
    for item in items:
        rows.append(
            [
                _status(item, lang),
                fmt_date(item.due, lang) if item.due else "—",
                item.owner or t("store_plan.cli.unowned", lang),
                item.label(lang),
            ]
        )
    widths = [max(width(r[i]) for r in rows) for i in range(3)]
    return ["  ".join([*(pad(r[i], widths[i]) for i in range(3)), r[3]]).rstrip() for r in rows]


def _licence_lines(ev: Evaluation, lang: Lang) -> list[str]:
    """The headline's dates (``Evaluation.headline``): the same words as ``assess`` and every page."""
    head = ev.head
    if head.mode == "holder":
        return [t("store_plan.cli.holder", lang)]
    lines = [f"{k}{_c(lang)}{v}" for k, v in headline_facts(head, lang)[1:]]
    lines.append(reason_text(head, lang))
    if (cmp := comparison_text(head, lang)) is not None:
        lines.append(cmp)
    return [*lines, t("cli.estimate_note", lang)]
