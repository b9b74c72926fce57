"""What the application documents say about a company, taken from its answers and nothing else.

``facts`` gives every value a template may name as text in the document's language, or ``None`` when the
answers do not say it (the template then shows a placeholder). ``conditions`` gives the yes/no/unknown
switches that choose between a template's sentences, so a sentence only states what an answer supports.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from ccl.catalog.load import Catalog
from ccl.engine import Evaluation
from ccl.i18n import Lang, action_text, fmt_date, fmt_money, fmt_number, option_label
from ccl.pack.template import TemplateText
from ccl.profile import DocumentDetails, Profile

# facts read straight from one answer: (fact, question, how the value is written)
Writer = Callable[[Any], str]
ANSWER_FACTS: dict[str, str] = {
    "company": "company.name",
    "entity_type": "legal_entity.entity_type",
    "incorporation_date": "legal_entity.incorporation_date",
    "registered_capital": "capital.registered_cny",
    "paid_in_capital": "capital.paid_in_cny",
    "insured_staff": "staffing.insured_staff",
    "insured_months": "staffing.insured_months",
    "planned_agents": "staffing.planned_agents",
    "seats": "premises_equipment.seats",
    "office_area": "premises_equipment.office_area_m2",
    "lease_months": "premises_equipment.lease_months_remaining",
    "log_retention": "technical_plan.log_retention_months",
    "service": "company.service",
    "number_type": "company.number_type",
    "office_type": "premises_equipment.office_type",
    **{name: f"document_details.{name}" for name in DocumentDetails.model_fields},
}
# the unit word (template [words]) each counted answer is written with
UNIT_WORD = {
    "insured_staff": "people",
    "planned_agents": "people",
    "seats": "seats",
    "insured_months": "months",
    "lease_months": "months",
    "log_retention": "months",
    "office_area": "area",
}
SECURITY = ("security_org", "management_rules", "technical_measures", "personal_info_protection", "emergency_plan")
LOG_MINIMUM_MONTHS = 6  # 网络安全法 Art. 21: network logs kept for at least six months (domain.md §3, S18)


class Words:
    """The template's small words ([words]): units, the platform kind, the coverage and authority."""

    def __init__(self, words: dict[str, Any], lang: Lang):
        self.words: dict[str, str] = {}
        self.lang = lang
        for key, value in words.items():  # TOML reads ``function.acd = …`` as a table
            if isinstance(value, dict):
                self.words |= {f"{key}.{k}": str(v) for k, v in value.items()}
            else:
                self.words[key] = str(value)

    def __call__(self, key: str, **kw: Any) -> str:
        return self.words[key].format(**kw)

    def template(self, key: str) -> TemplateText:
        """A word that may hold its own ``{todo:…}`` mark (filled like the template's text)."""
        return TemplateText(self.words[key])


def facts(ev: Evaluation, catalog: Catalog, lang: Lang, words: Words, today: date) -> dict[str, Any]:
    """Every fact a template may name: text, a list of lines (``open_actions``) or None when not known."""
    p = ev.profile
    out: dict[str, Any] = {name: _answer(catalog, p, name, path, lang, words) for name, path in ANSWER_FACTS.items()}
    out["date"] = fmt_date(today, lang)
    out["coverage"], out["authority"] = _coverage(catalog, p, words)
    platform = p.premises_equipment.platform
    out["platform_kind"] = words(f"platform_{platform}") if platform else None
    functions = p.premises_equipment.platform_functions
    out["functions"] = (
        words.words.get("list_sep", "、").join(
            words(f"function.{f}") for f in _ordered(catalog, "premises_equipment.platform_functions", functions or ())
        )
        or None
    )
    to_do = sorted((a for a in p.plan if a.status in ("open", "in_progress")), key=lambda a: (a.due is None, a.due))
    out["open_actions"] = [_action_line(catalog, a, lang, words) for a in to_do]
    return out


def _answer(catalog: Catalog, p: Profile, name: str, path: str, lang: Lang, words: Words) -> str | None:
    value = p.get(path)
    if value is None:
        return None
    if name in UNIT_WORD:
        shown = fmt_number(value, lang, 0 if float(value).is_integer() else 1)
        return words(UNIT_WORD[name], n=shown)
    if isinstance(value, date):
        return fmt_date(value, lang)
    if isinstance(value, float) and path.startswith("capital."):
        return fmt_money(value, lang).replace(" 万元", "万元")  # prose writes 120万元
    if catalog.questions[path].options:
        label = option_label(catalog, path, value, lang)
        lower = lang == "en" and label[1:2].islower()  # prose: "a commercial office", but "ACD", "95xxx"
        return label[0].lower() + label[1:] if lower else label
    return str(value)


def _coverage(catalog: Catalog, p: Profile, words: Words) -> tuple[str | None, str | None]:
    prov = catalog.province_by_id.get(p.company.province or "")
    scope = p.company.scope
    if scope == "cross_regional":
        return words.template("coverage_cross_regional"), words("authority_cross_regional")
    if prov is None:
        return None, None
    name = prov.name(words.lang)
    if scope is None:
        return None, words("authority_provincial", province=name)
    return words("coverage_provincial", province=name), words("authority_provincial", province=name)


def _ordered(catalog: Catalog, path: str, chosen: Any) -> list[str]:
    """Chosen options in the questionnaire's order, so the same answers always read the same."""
    return [str(o.value) for o in catalog.questions[path].options if o.value in chosen]


def _action_line(catalog: Catalog, action: Any, lang: Lang, words: Words) -> str:
    return words(
        "action_line",
        title=action_text(catalog, action, lang),
        owner=action.owner or words("action_no_owner"),
        due=fmt_date(action.due, lang) if action.due else words("action_no_due"),
    )


def _tri(value: bool | None) -> str:
    return "unknown" if value is None else "yes" if value else "no"


def conditions(ev: Evaluation, deferral_needed: bool) -> dict[str, str]:
    """The switches a template's sentences depend on, each ``yes``, ``no`` or ``unknown``."""
    p = ev.profile
    pe, tp, st = p.premises_equipment, p.technical_plan, p.staffing
    functions = pe.platform_functions
    measures = tp.security_measures or frozenset()
    months = tp.log_retention_months
    out = {
        "functions": _tri(None if functions is None else bool(functions)),
        "recording": _tri(None if functions is None else "recording" in functions),
        "monitoring": _tri(None if functions is None else "monitoring" in functions),
        "trunk_contract": _tri(pe.trunk_contract),
        "server_ip_list": _tri(pe.server_ip_list),
        "lease_in_name": _tri(pe.lease_in_company_name),
        "fire_safety": _tri(pe.fire_safety_passed),
        "numbers": _tri(None if p.company.number_type is None else p.company.number_type != "none"),
        "technical_lead": _tri(st.has_technical_lead),
        "service_lead": _tri(st.has_service_lead),
        "outbound_marketing": _tri(tp.outbound_marketing_planned),
        "graded_protection": _tri(tp.graded_protection_assessed),
        "log_ok": _tri(None if months is None else months >= LOG_MINIMUM_MONTHS),
        "insurance_deferral": _tri(deferral_needed),
    }
    out |= {m: _tri(m in measures) for m in SECURITY}
    return out
