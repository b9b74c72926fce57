"""Translations and locale-aware formatting (amounts, dates, distances) for zh and en.

Product strings live in ``data/locales/<lang>/*.toml`` (one file per area: core, ui, report …),
merged at load; a key defined twice is an error. Domain texts (rule titles, question labels) live in
the catalog. Chinese shows amounts in 万元 and dates as 2026年11月28日; English shows CNY and
28 Nov 2026. Files always carry ISO dates. (About 500 lines: every product text is made here, the
error messages of ``ccl.errors`` too, so a wording rule — colons, dates, amounts — lives in one place.)
"""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import tomli

from ccl.catalog import DATA_DIR
from ccl.catalog.load import Catalog
from ccl.catalog.objects import Link, Source
from ccl.conditions import Distance
from ccl.errors import Problem, ProfileError
from ccl.once import once
from ccl.profile import PROVINCE_FIELDS

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
LOCALE_DIR = DATA_DIR / "locales"


class LocaleError(ValueError):
    pass


def _flatten(prefix: str, data: dict[str, Any], out: dict[str, str], origin: dict[str, str], file: str) -> None:
    for key, value in data.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            _flatten(full + ".", value, out, origin, file)
            continue
        if full in out:
            raise LocaleError(f"{file}: key '{full}' is already defined in {origin[full]}")
        out[full] = str(value)
        origin[full] = file


@once
def strings(lang: Lang, directory: str | None = None) -> dict[str, str]:
    """Every product string of one language, flattened to dotted keys."""
    base = Path(directory) if directory else LOCALE_DIR
    out: dict[str, str] = {}
    origin: dict[str, str] = {}
    for path in sorted((base / lang).glob("*.toml")):
        try:
            data = tomli.loads(path.read_text(encoding="utf-8"))
        except tomli.TOMLDecodeError as exc:
            raise LocaleError(f"{path}: not valid TOML ({exc})") from None
        _flatten("", data, out, origin, str(path))
    return out


def t(key: str, lang: Lang, **kwargs: Any) -> str:
    """The text for ``key`` in ``lang``, with ``{placeholders}`` filled; a missing key shows itself."""
    text = strings(lang).get(key)
    if text is None:
        text = strings("en").get(key, key)
    return text.format(**kwargs) if kwargs else text


# --- formatting ----------------------------------------------------------------------------------


def fmt_number(value: float, lang: Lang, decimals: int = 0) -> str:
    """1,645 days / 1645 天: Chinese groups digits only from five digits on (12,000 万元), so that an amount
    or a count reads as the catalog's texts write it ("1000万元")."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "") if lang == "zh" and abs(value) < 10_000 else text


#: CNY in one 万元: amounts are stored in CNY and shown in 万元 in Chinese.
WAN = 10_000


def fmt_money(cny: float | None, lang: Lang) -> str:
    """Amounts: 万元 in Chinese (600 万元), CNY in English (CNY 6,000,000)."""
    if cny is None:
        return "—"
    if lang == "zh":
        wan = cny / WAN
        text = fmt_number(wan, lang, 2).rstrip("0").rstrip(".")
        return f"{text} 万元"
    return f"CNY {cny:,.0f}"


def fmt_date(d: date | None, lang: Lang) -> str:
    if d is None:
        return "—"
    if lang == "zh":
        return f"{d.year}年{d.month}月{d.day}日"
    return d.strftime("%d %b %Y").lstrip("0")


def fmt_score(value: float, lang: Lang) -> str:
    """A score or points to one decimal, the decimal only when needed: 85, 49.8 — and 85 for 84.96, as
    the workbook (rounded to one decimal, shown as stored) and the command line write it, never "85.0"."""
    value = round(value, 1)
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def fmt_score_change(value: float, lang: Lang) -> str:
    """A change of score with its sign, written as ``fmt_score`` writes scores: +3, -2.5 (an ASCII minus,
    which Streamlit's metric reads as a fall)."""
    shown = fmt_score(abs(value), lang)
    return shown if shown == "0" else ("+" if value > 0 else "-") + shown


def fmt_unit(value: float, unit: str, lang: Lang) -> str:
    """A value with its unit, e.g. 2 名 / 2 people, 6 个月 / 6 months, 120 平方米 / 120 m²."""
    if unit == "cny":
        return fmt_money(value, lang)
    number = fmt_number(value, lang, 0 if float(value).is_integer() else 1)
    key = f"unit.{unit}_one" if float(value) == 1 else f"unit.{unit}"
    return t(key, lang, n=number)


def option_label(catalog: Catalog, field: str, value: Any, lang: Lang) -> str:
    q = catalog.questions.get(field)
    if q is not None:
        for opt in q.options:
            if opt.value == value:
                return opt.label(lang)
    if field in PROVINCE_FIELDS:
        prov = catalog.province_by_id.get(str(value))
        if prov is not None:
            return prov.name(lang)
    if isinstance(value, bool):
        return t("common.yes" if value else "common.no", lang)
    if isinstance(value, date):
        return fmt_date(value, lang)
    return str(value)


def answer_text(catalog: Catalog, field: str, value: Any, lang: Lang) -> str:
    """An answer as a person reads it (unanswered shows as such)."""
    if value is None:
        return t("common.unanswered", lang)
    q = catalog.questions[field]
    if isinstance(value, (set, frozenset, list, tuple)):
        if not value:
            return t("common.none_selected", lang)
        return (
            "、".join(option_label(catalog, field, v, lang) for v in sorted(value))
            if lang == "zh"
            else ", ".join(option_label(catalog, field, v, lang) for v in sorted(value))
        )
    if q.unit in ("cny", "people", "months", "m2", "seats", "percent", "items") and not isinstance(value, bool):
        return fmt_unit(value, q.unit, lang)
    return option_label(catalog, field, value, lang)


# The text of a failed numeric comparison, by operator: which side of the threshold is the good one.
_NUMERIC_DISTANCE = {
    ">=": "distance.short_by",
    ">": "distance.not_above",
    "<=": "distance.over_cap",
    "<": "distance.not_below",
    "==": "distance.not_equal",
    "!=": "distance.excluded_value",
}
_NUMERIC_UNITS = ("cny", "people", "months", "m2", "seats", "percent", "items")


def _amount(value: float, unit: str, lang: Lang) -> str:
    """A difference in the answer's unit; a difference of percentages is in percentage points."""
    return fmt_unit(value, "percent_points" if unit == "percent" else unit, lang)


def distance_text(catalog: Catalog, distance: Distance | None, lang: Lang) -> str:
    """How far from the threshold, in the user's units and on the right side of it.

    A minimum reads 还差 600 万元（要求不少于 1000 万元）, a cap 超出上限 10 个百分点（不得超过 50%）,
    a set membership names the allowed or the excluded values: the text follows ``distance.op``.
    """
    if distance is None:
        return ""
    q = catalog.questions[distance.field]
    label = q.label(lang)
    if distance.missing:
        items = [option_label(catalog, distance.field, m, lang) for m in distance.missing]
        sep = "、" if lang == "zh" else ", "
        return t(
            "distance.missing_items", lang, n=fmt_number(distance.shortfall or len(items), lang), items=sep.join(items)
        )
    if distance.shortfall is not None and q.unit == "date":
        return t(
            "distance.days_late", lang, n=fmt_number(distance.shortfall, lang), target=fmt_date(distance.target, lang)
        )
    current = answer_text(catalog, distance.field, distance.current, lang)
    if q.unit in _NUMERIC_UNITS and distance.op in _NUMERIC_DISTANCE and not isinstance(distance.current, bool):
        return t(
            _NUMERIC_DISTANCE[distance.op],
            lang,
            amount=_amount(abs(distance.shortfall or 0), q.unit, lang),
            current=fmt_unit(distance.current, q.unit, lang),
            target=fmt_unit(distance.target, q.unit, lang),
            label=label,
        )
    if distance.op in ("not_in", "!="):
        return t("distance.excluded", lang, label=label, current=current)
    if isinstance(distance.target, tuple) and len(distance.target) > 1:
        sep = "、" if lang == "zh" else ", "
        wanted = sep.join(option_label(catalog, distance.field, v, lang) for v in distance.target)
        return t("distance.one_of", lang, label=label, targets=wanted, current=current)
    target = distance.target[0] if isinstance(distance.target, tuple) else distance.target
    return t(
        "distance.expected",
        lang,
        label=label,
        target=option_label(catalog, distance.field, target, lang),
        current=current,
    )


def route_notes(catalog: Catalog, alt: Any, lang: Lang) -> list[str]:
    """Which company a route re-scores, and the questions it needs answered first (``routes.Alternative``)."""
    out = []
    if alt.scores:
        out.append(t("routes.scores", lang, company=alt.scores[lang]))
    if alt.needs:
        out.append(t("routes.needs", lang, questions=questions_text(catalog, alt.needs, lang)))
    return out


def questions_text(catalog: Catalog, fields: tuple[str, ...] | list[str], lang: Lang) -> str:
    """Question labels in quotes, joined the way the language lists things."""
    labels = (t("licence.question", lang, label=catalog.questions[f].label(lang)) for f in fields)
    return t("licence.question_sep", lang).join(labels)


def licence_text(licence: date | None, latest: date | None, lang: Lang, *, note: bool = False) -> str:
    """A projected licence date, a range when open questions may add work, or 'awaiting answers' when there is none."""
    if licence is None:
        return t("licence.pending", lang)
    if latest is None or latest <= licence:
        return fmt_date(licence, lang)
    key = "licence.range_note" if note else "licence.range"
    return t(key, lang, near=fmt_date(licence, lang), far=fmt_date(latest, lang))


def status_reason_text(catalog: Catalog, reason: Any, lang: Lang) -> str:
    """One reason the status is not 'ready' (a ``scoring.StatusReason``), in words."""
    if reason.code == "below_ready":
        return t(
            "status_reason.below_ready",
            lang,
            value=fmt_score(reason.value, lang),
            threshold=fmt_score(reason.threshold, lang),
        )
    name = catalog.rule_by_id[reason.rule_id].title(lang)
    return t(f"status_reason.{reason.code}", lang, name=name)


def status_label(status: str, lang: Lang) -> str:
    return t(f"status.{status}", lang)


def _split_warning(label: str, confidence: str | None) -> str:
    """A warning resting on national law is an official reminder, not local practice (nor unverified)."""
    return f"{label}_{confidence}" if label == "warning" and confidence else label


def severity_label(severity: str, lang: Lang, confidence: str | None = None) -> str:
    """The gap severity; pass the rule's source confidence to tell official reminders from practice."""
    return t(f"severity.{_split_warning(severity, confidence)}", lang)


def kind_label(kind: str, lang: Lang, confidence: str | None = None) -> str:
    """The rule kind; warnings are split by their source confidence (official / practice / uncertain)."""
    return t(f"kind.{_split_warning(kind, confidence)}", lang)


def remedy_text(rule: Any, lang: Lang) -> str:
    """A rule's remedy, with what is (not) known about its effort when that rests on no source."""
    note = rule.effort_note(lang) if rule.effort_note else ""
    return f"{rule.remedy(lang)} {t('gaps_effort.note', lang, note=note)}" if note else rule.remedy(lang)


def obligation_message(ob: Any, lang: Lang) -> str:
    """One obligation's meaning on its date, e.g. the adverse-list risk of a missed annual report."""
    licence = getattr(ob, "licence", None)
    return t(
        f"obligation.msg.{ob.key}.{ob.detail}",
        lang,
        due=fmt_date(ob.due, lang),
        year=ob.year or "",
        licence=fmt_date(licence, lang) if licence else "",
        days=fmt_number(getattr(ob, "gap_days", None) or 0, lang),
    )


def confidence_label(confidence: str, lang: Lang) -> str:
    return t(f"confidence.{confidence}", lang)


def article_text(article: str, lang: Lang) -> str:
    """One language's half of a catalog article citation written "第六条 / Art. 6"."""
    halves = re.split(r"\s*/\s+", article, maxsplit=1)
    return halves[0] if lang == "zh" or len(halves) == 1 else halves[1]


def source_text(catalog: Catalog, ref: Any, lang: Lang) -> str:
    """A rule's source as a citation: document + article, or practice / estimate with its pages."""
    if ref.doc == "practice":
        text = t("source.practice", lang)
        return f"{text}: {'; '.join(ref.pages)}" if ref.pages else text
    if ref.doc == "estimate":
        return t("source.estimate", lang) + (f": {ref.note(lang)}" if ref.note else "")
    src = catalog.source_by_id.get(ref.doc)
    title = source_citation(src, lang) if src else ref.doc
    return f"{title} {article_text(ref.article, lang)}" if ref.article else title


def source_citation(src: Source, lang: Lang) -> str:
    """A document as a client can look it up: full official name, number (文号) and dates."""
    details = [src.number(lang)] if src.number else []
    for key, day in (("issued", src.issued), ("revised", src.revised), ("in_force", src.in_force)):
        if day is not None:
            details.append(t(f"source.{key}", lang, date=fmt_date(day, lang)))
    if not details:
        return src.title(lang)
    return t("source.citation", lang, title=src.title(lang), details=t("source.sep", lang).join(details))


def link_text(src: Source, link: Link, lang: Lang) -> str:
    """What a link to a source reads: the document's name, or the link's own label when it has one."""
    return link.label(lang) if link.label else src.title(lang)


def source_where(src: Source, lang: Lang) -> list[tuple[str, str | None]]:
    """Where to read a source, as (text, address or None): its links named by the document (or the link's
    label), the official publication, a plain "no official copy online" for an official document without
    links, and the source's note."""
    items: list[tuple[str, str | None]] = [(link_text(src, link, lang), link.url) for link in src.links]
    if src.published_in:
        items.append((t("source.published_in", lang, where=src.published_in(lang)), None))
    if src.official and not src.links:
        items.append((t("source.no_link", lang), None))
    if src.kind == "package":
        items.append((t("source.package", lang), None))
    if src.note:
        items.append((src.note(lang), None))
    return items


def scope_text(catalog: Catalog, scope: str | None, lang: Lang) -> str:
    return option_label(catalog, "company.scope", scope, lang) if scope else t("common.unanswered", lang)


# --- the action plan and evidence -----------------------------------------------------------------


def plan_status_label(status: str, lang: Lang) -> str:
    return t(f"plan.status.{status}", lang)


def owners_text(owners: tuple[str, ...], lang: Lang) -> str:
    """Names in a list, as the language writes them: "王磊、李娜", "Wang Lei, Li Na" ("" for none)."""
    return t("plan.owner_sep", lang).join(owners)


def gap_plan_text(gp: Any, lang: Lang) -> str:
    """Where the plan stands on a gap, on one line: "In progress · Wang Lei · 11 Dec 2026 (overdue)"."""
    if gp is None:
        return t("plan.no_action", lang)
    status = t("plan.flag.conflict_short", lang) if gp.conflict else plan_status_label(gp.status, lang)
    owner = owners_text(gp.owners, lang)
    due = fmt_date(gp.due, lang) if gp.due else ""
    if due and gp.overdue:
        due = t("plan.due_overdue", lang, due=due)
    if not owner and not due:
        return status
    key = "plan.gap_line" if owner and due else "plan.gap_line_owner" if owner else "plan.gap_line_due"
    return t(key, lang, status=status, owner=owner, due=due)


def conflict_text(catalog: Catalog, item: Any, lang: Lang) -> str:
    """A done action whose gap still shows: the flag and the answers to correct (``PlanItem.fix_fields``)."""
    if not item.fix_fields:
        return t("plan.flag.conflict_short", lang)
    return t("plan.flag.conflict", lang, questions=questions_text(catalog, item.fix_fields, lang))


def evidence_ref_text(ref: Any, lang: Lang) -> str:
    """One document behind an answer: "Lease contract (12 Oct 2026), kept in the shared drive"."""
    key = "evidence.ref" + (
        "_full" if ref.date and ref.location else "_date" if ref.date else "_location" if ref.location else ""
    )
    return t(key, lang, name=ref.name, date=fmt_date(ref.date, lang), location=ref.location or "")


def evidence_text(evidence: Any, lang: Lang) -> str:
    """An answer's note and documents on one line each ("" when there is none)."""
    if evidence is None:
        return ""
    lines = [evidence.note] if evidence.note else []
    lines += [evidence_ref_text(r, lang) for r in evidence.refs]
    return "\n".join(lines)


def evidence_line(evidence: Any, lang: Lang) -> str:
    """An answer's documents, then its note, on one line (a table cell, a change): "—" when there is none."""
    if evidence is None or (not evidence.refs and not evidence.note):
        return "—"
    sep, colon = ("；", "：") if lang == "zh" else ("; ", ": ")
    parts = [evidence_ref_text(r, lang) for r in evidence.refs]
    if evidence.note:
        parts.append(t("evidence.note", lang) + colon + evidence.note)
    return sep.join(parts)


def action_text(catalog: Catalog, action: Any, lang: Lang) -> str:
    """A stored action's name: the catalog's title, a custom action's own, else its id."""
    from ccl.plan import spec_by_id

    spec = spec_by_id(catalog).get(action.id)
    if spec is not None:
        return spec.title(lang)
    return str(action.title or action.id)


def progress_text(progress: Any, lang: Lang) -> str:
    text = t(
        "plan.progress.summary",
        lang,
        total=progress.total,
        done=progress.done,
        active=progress.active,
        overdue=progress.overdue,
        waived=progress.waived,
    )
    if progress.reopened:  # counted to do: marked done while the answers still show the gap
        text += t("plan.progress.conflicts", lang, n=progress.reopened)
    return text


def plan_change_parts(field: str) -> tuple[str, str | None] | None:
    """``plan.<action id>[.<part>]`` → (action id, part or None); None for any other field."""
    if not field.startswith("plan."):
        return None
    from ccl.diff import ACTION_FIELDS

    rest = field[len("plan.") :]
    head, _, last = rest.rpartition(".")
    return (head, last) if head and last in ACTION_FIELDS else (rest, None)


def change_label(catalog: Catalog, field: str, lang: Lang) -> str | None:
    """What an evidence or plan change is about, in words (None for an answer: its question says it)."""
    if field.startswith("evidence."):
        q = catalog.questions.get(field[len("evidence.") :])
        return t("evidence.change", lang, question=q.label(lang) if q else field)
    parts = plan_change_parts(field)
    if parts is None:
        return None
    action_id, part = parts
    name = _action_name(catalog, action_id, lang)
    if part is None:
        return name
    return t("plan.change.part", lang, action=name, part=t(f"plan.part.{part}", lang))


def _action_name(catalog: Catalog, action_id: str, lang: Lang) -> str:
    from ccl.plan import spec_by_id

    spec = spec_by_id(catalog).get(action_id)
    return spec.title(lang) if spec else action_id


def change_value(field: str, value: Any, lang: Lang) -> str:
    """An evidence or plan value as people read it ("—" when there is none)."""
    if value is None:
        return "—"
    if field.startswith("evidence."):
        return evidence_line(value, lang)
    parts = plan_change_parts(field)
    part = parts[1] if parts else None
    if part is None and hasattr(value, "status"):  # a whole action added or removed
        bits = [plan_status_label(value.status, lang)]
        bits += [x for x in (value.owner, fmt_date(value.due, lang) if value.due else None) if x]
        return " · ".join(bits)
    if part == "status":
        return plan_status_label(str(value), lang)
    if isinstance(value, date):
        return fmt_date(value, lang)
    if part == "effort_days":
        return effort_text(value, lang)
    return str(value)


def effort_text(effort: tuple[int, int] | None, lang: Lang) -> str:
    """An effort range: "5–15 个工作日" / "5–15 working days"."""
    if effort is None:
        return "—"
    lo, hi = effort
    return t("unit.working_days", lang, n=f"{lo}–{hi}" if lo != hi else lo)


# --- what is wrong with answers handed in (the problems of ccl.errors) -------------------------------


#: The longest value an error message echoes back; a longer one is cut with "…".
ECHO_MAX = 60
#: Numbers from this size on are echoed in scientific notation (1.00e+400), not as hundreds of digits.
ECHO_BIG = 10**15


def _show(value: Any, lang: Lang, money: bool) -> str:
    """A value as an error message echoes it: readable, never longer than ECHO_MAX characters."""
    if value is None:
        return ""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(value, float) and math.isinf(value):  # 1e400 in a file
        return "∞" if value > 0 else "-∞"
    if number and abs(value) >= ECHO_BIG:
        return format(Decimal(value), ".2e")
    if money and number:
        return fmt_money(value, lang)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if number:
        return f"{value:,}"
    text = str(value)
    return text if len(text) <= ECHO_MAX else text[: ECHO_MAX - 1] + "…"


def problem_message(p: Problem, lang: Lang) -> str:
    """What is wrong, in the user's language (without the place)."""
    money = p.field.endswith("_cny")
    kwargs: dict[str, Any] = {"value": _show(p.value, lang, money=False)}  # as written in the file
    if p.limits is not None:
        kwargs["min"], kwargs["max"] = (_show(x, lang, money) for x in p.limits)
    kwargs.update(p.extra)
    key = f"error.{p.code.value}"
    text = t(key, lang, **kwargs)
    return p.detail if text == key and p.detail else text


def problem_text(p: Problem, lang: Lang) -> str:
    """``place: what is wrong`` (just what is wrong when the whole file is at fault)."""
    message = problem_message(p, lang)
    return f"{p.location}: {message}" if p.location else message


def error_text(err: ProfileError, lang: Lang) -> str:
    """Every problem of an error, one per line, in the user's language."""
    return "\n".join(problem_text(p, lang) for p in err.problems)


def error_lines(err: ProfileError, lang: Lang) -> list[str]:
    """The command line's form: one line per problem, each naming the file, then the field or cell."""
    lines = []
    for p in err.problems:
        field = f"{t('cli.field', lang)} {p.location}: " if p.location else ""
        lines.append(f"{err.where}: {field}{problem_message(p, lang)}")
    return lines
