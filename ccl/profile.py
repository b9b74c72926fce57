"""The company profile: the answers a company gives, grouped by dimension, saved as versioned JSON.

Every answer is optional: ``None`` means "not answered yet" and is reported as such (completion %),
never scored as a pass. Amounts are stored in CNY (yuan); screens show 万元 in Chinese.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

SCHEMA_VERSION = 1

Scope = Literal["provincial", "cross_regional"]
Service = Literal["domestic", "offshore"]
EntityType = Literal[
    "llc",
    "joint_stock",
    "partnership",
    "sole_proprietorship",
    "individual_business",
    "branch",
    "non_company_enterprise",
    "public_institution",
    "other",
]
OfficeType = Literal["commercial", "residential", "virtual", "none"]
Platform = Literal["own", "leased", "none"]
PlatformFunction = Literal["acd", "ivr", "cti", "recording", "monitoring", "reporting"]
PlanSection = Literal[
    "architecture",
    "topology",
    "hardware_list",
    "deployment",
    "access",
    "functions",
    "capacity",
    "backup_dr",
    "networking_plan",
]
SecurityMeasure = Literal[
    "security_org",
    "management_rules",
    "technical_measures",
    "personal_info_protection",
    "log_retention",
    "emergency_plan",
]
DocStatus = Literal["ready", "in_progress", "missing"]

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Money = Annotated[float, Field(ge=0, le=1e13, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=0, le=1_000_000)]
Months = Annotated[int, Field(ge=0, le=1200)]
Area = Annotated[float, Field(ge=0, le=1e7, allow_inf_nan=False)]
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Company(_Section):
    name: Name | None = None
    province: str | None = None
    scope: Scope | None = None
    service: Service | None = None
    in_free_trade_zone: bool | None = None


class LegalEntity(_Section):
    entity_type: EntityType | None = None
    incorporation_date: date | None = None
    foreign_ownership_pct: Percent | None = None
    on_dishonest_list: bool | None = None
    on_adverse_list: bool | None = None
    business_scope_includes_telecom: bool | None = None
    telecom_penalty_last_3y: bool | None = None
    shareholding_traced: bool | None = None


class Capital(_Section):
    registered_cny: Money | None = None
    paid_in_cny: Money | None = None
    subscription_deadline: date | None = None

    @model_validator(mode="after")
    def _paid_in_within_registered(self) -> Capital:
        if self.registered_cny is not None and self.paid_in_cny is not None and self.paid_in_cny > self.registered_cny:
            raise ValueError("paid_in_cny exceeds registered_cny")
        return self


class Staffing(_Section):
    insured_staff: Count | None = None
    insured_months: Months | None = None
    insured_by_company: bool | None = None
    has_technical_lead: bool | None = None
    has_service_lead: bool | None = None
    leads_are_insured: bool | None = None
    planned_agents: Count | None = None


class PremisesEquipment(_Section):
    office_type: OfficeType | None = None
    lease_in_company_name: bool | None = None
    lease_months_remaining: Months | None = None
    office_area_m2: Area | None = None
    seats: Count | None = None
    registered_address_matches_office: bool | None = None
    fire_safety_passed: bool | None = None
    platform: Platform | None = None
    platform_functions: frozenset[PlatformFunction] | None = None
    trunk_contract: bool | None = None
    equipment_invoices: bool | None = None
    server_ip_list: bool | None = None


class TechnicalPlan(_Section):
    plan_drafted: bool | None = None
    sections: frozenset[PlanSection] | None = None
    security_measures: frozenset[SecurityMeasure] | None = None
    log_retention_months: Months | None = None
    graded_protection_assessed: bool | None = None
    outbound_marketing_planned: bool | None = None


class Materials(_Section):
    application_form: DocStatus | None = None
    business_licence: DocStatus | None = None
    shareholding_chart: DocStatus | None = None
    business_plan: DocStatus | None = None
    technical_plan_doc: DocStatus | None = None
    service_quality_measures: DocStatus | None = None
    security_measures_doc: DocStatus | None = None
    credit_proof: DocStatus | None = None
    commitment_letter: DocStatus | None = None
    social_insurance_proof: DocStatus | None = None
    lease_contract: DocStatus | None = None
    system_evidence: DocStatus | None = None
    capital_verification: DocStatus | None = None


SECTIONS: dict[str, type[_Section]] = {
    "company": Company,
    "legal_entity": LegalEntity,
    "capital": Capital,
    "staffing": Staffing,
    "premises_equipment": PremisesEquipment,
    "technical_plan": TechnicalPlan,
    "materials": Materials,
}

FieldPath = Annotated[str, StringConstraints(pattern=r"^[a-z_]+\.[a-z_0-9]+$")]


class Profile(BaseModel):
    """One company's answers. ``not_applicable`` maps "section.field" to the reason it does not apply."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: Literal[1] = SCHEMA_VERSION
    company: Company = Company()
    legal_entity: LegalEntity = LegalEntity()
    capital: Capital = Capital()
    staffing: Staffing = Staffing()
    premises_equipment: PremisesEquipment = PremisesEquipment()
    technical_plan: TechnicalPlan = TechnicalPlan()
    materials: Materials = Materials()
    not_applicable: dict[FieldPath, NonEmpty] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _na_paths_exist(self) -> Profile:
        for path in self.not_applicable:
            if path not in ALL_FIELDS:
                raise ValueError(f"not_applicable: unknown question '{path}'")
        return self

    def get(self, path: str) -> Any:
        """The answer at "section.field" (None when unanswered)."""
        section, name = _SPLIT.get(path) or path.split(".", 1)
        return getattr(getattr(self, section), name)

    def with_answer(self, path: str, value: Any) -> Profile:
        """A copy with one answer changed, validated like a loaded file."""
        data = self.model_dump(mode="json")
        section, name = path.split(".", 1)
        data[section][name] = _jsonable(value)
        return Profile.model_validate(data)

    def with_not_applicable(self, path: str, reason: str | None) -> Profile:
        """A copy with the N/A mark of one question set (reason) or cleared (None)."""
        na = dict(self.not_applicable)
        if reason:
            na[path] = reason
        else:
            na.pop(path, None)
        return self.model_copy(update={"not_applicable": na})


def _jsonable(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


ALL_FIELDS: tuple[str, ...] = tuple(
    f"{section}.{name}" for section, model in SECTIONS.items() for name in model.model_fields
)
_SPLIT: dict[str, tuple[str, str]] = {f: tuple(f.split(".", 1)) for f in ALL_FIELDS}  # type: ignore[misc]


class ProfileError(ValueError):
    """A profile file that cannot be used. ``where`` names the file, ``field`` the offending answer."""

    def __init__(self, where: str, field: str, problem: str, *, code: str = "invalid", value: Any = None):
        self.where, self.field, self.problem, self.code, self.value = where, field, problem, code, value
        super().__init__(f"{where}: {field}: {problem}" if field else f"{where}: {problem}")


def _loc_to_path(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if not str(p).startswith(("function-after", "literal["))]
    return ".".join(parts)


def profile_from_dict(data: Any, where: str = "profile") -> Profile:
    """Validate parsed JSON into a Profile, raising ProfileError that names the first bad field."""
    if not isinstance(data, dict):
        raise ProfileError(where, "", "the file must contain a JSON object", code="not_object")
    version = data.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise ProfileError(
            where,
            "schema_version",
            f"version {version} is newer than this program supports ({SCHEMA_VERSION})",
            code="newer_schema",
            value=version,
        )
    if version is None:
        raise ProfileError(where, "schema_version", "missing", code="missing", value=None)
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = _loc_to_path(err["loc"])
        return _raise_validation(where, field, err)


_PYDANTIC_CODES = {
    "extra_forbidden": "unknown_field",
    "literal_error": "unknown_option",
    "greater_than_equal": "too_small",
    "less_than_equal": "too_large",
    "missing": "missing",
}


def _raise_validation(where: str, field: str, err: dict[str, Any]) -> Profile:
    code = _PYDANTIC_CODES.get(err["type"], "invalid")
    msg = err["msg"]
    if err["type"] == "value_error":
        msg = msg.removeprefix("Value error, ")
        if "paid_in_cny" in msg:
            field, code = "capital.paid_in_cny", "paid_in_exceeds"
        elif msg.startswith("not_applicable"):
            code = "unknown_field"
            field = "not_applicable." + msg.split("'")[1] if "'" in msg else "not_applicable"
    raise ProfileError(where, field, msg, code=code, value=err.get("input"))


def load_profile(path: str | Path) -> Profile:
    """Read a profile JSON file; every failure becomes a ProfileError naming the file and field."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ProfileError(str(p), "", "file not found", code="not_found") from None
    except IsADirectoryError:
        raise ProfileError(str(p), "", "is a folder, not a file", code="not_found") from None
    except (UnicodeDecodeError, OSError) as exc:
        raise ProfileError(
            str(p), "", f"cannot be read as UTF-8 text ({exc.__class__.__name__})", code="unreadable"
        ) from None
    return parse_profile_json(text, str(p))


def parse_profile_json(text: str | bytes, where: str = "profile") -> Profile:
    """Parse profile JSON text (from a file or an upload)."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        where_line = f"{where} (line {line})" if line else where
        raise ProfileError(where_line, "", "not valid JSON", code="bad_json") from None
    except RecursionError:
        raise ProfileError(where, "", "not valid JSON (nested too deeply)", code="bad_json") from None
    return profile_from_dict(data, where)


def dump_profile(profile: Profile) -> str:
    """The profile as pretty JSON (ISO dates, sorted choice lists), stable for diffs."""
    data = profile.model_dump(mode="json")
    for section in SECTIONS:
        for key, value in data[section].items():
            if isinstance(value, list):
                data[section][key] = sorted(value)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def answered(profile: Profile, path: str) -> bool:
    return profile.get(path) is not None
