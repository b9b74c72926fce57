"""The company profile: the answers a company gives, grouped by dimension, saved as versioned JSON.

Every answer is optional: ``None`` means "not answered yet" and is reported as such (completion %),
never scored as a pass. Amounts are stored in CNY (yuan); screens show 万元 in Chinese.

(Over 500 lines on purpose: the model, its limits and the reading of a file's answers into problems change
together whenever a question is added; splitting them would spread one change over several files.)
"""

from __future__ import annotations

import json
import math
import re
import typing
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Final, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StrictBool,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ccl.errors import ErrorCode, Problem, ProfileError, safe_text

__all__ = ["ProfileError"]  # re-exported: readers catch it from here

SCHEMA_VERSION: Final = 4
# Answers holding a province id (a choice among the catalog's provinces, not among question options).
PROVINCE_FIELDS = frozenset({"company.province", "legal_entity.head_company_province"})
# The dates an answer may hold (incorporation, subscription deadline), shared by the questionnaire's
# date pickers, the Excel template's date validation and this model, so all three accept the same days.
DATE_MIN = date(1950, 1, 1)
DATE_MAX = date(2099, 12, 31)
# What a spreadsheet shows for a broken formula; never an answer.
SPREADSHEET_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"}
)

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
NumberType = Literal["none", "95", "96"]
OtherService = Literal["b22", "b23", "b25"]


# Control characters (C0 but tab and line breaks, DEL, C1) and the direction overrides and isolates that
# reorder what is shown (a U+202E name reads backwards in every header and file name).
_BAD_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Line breaks (Alt+Enter in a spreadsheet cell) in a one-line answer become one space.
_LINE_BREAKS = re.compile(r"[\r\n\t\v\f\u2028\u2029]+")


def _plain_text(text: str) -> str:
    """Text that can be stored and shown: no spreadsheet error value, no control or broken characters."""
    if text.upper() in SPREADSHEET_ERRORS:
        raise PydanticCustomError(ErrorCode.SPREADSHEET_ERROR.value, "a spreadsheet error value, not an answer")
    if _BAD_CHARACTERS.search(text) or _broken(text):
        raise PydanticCustomError(ErrorCode.BAD_CHARACTERS.value, "control characters or broken Unicode")
    return text


def _one_line(value: Any) -> Any:
    """A one-line answer (a name, a place): line breaks and tabs become one space."""
    return _LINE_BREAKS.sub(" ", value) if isinstance(value, str) else value


def _broken(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, e.g. JSON "\ud800"
        return True
    return False


def _date_input(value: Any) -> Any:
    """Dates come as dates or ISO text; a number is not silently read as seconds since 1970."""
    if isinstance(value, (date, str)):
        return value
    raise PydanticCustomError(ErrorCode.NOT_DATE.value, "not a date")


def _whole(value: Any) -> Any:
    """3.0 is the whole number 3 (computed targets are floats); 3.5 and true stay refused by Strict()."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Text = Annotated[str, Strict(), BeforeValidator(_one_line), AfterValidator(_plain_text)]
NonEmpty = Annotated[
    str,
    Strict(),
    BeforeValidator(_one_line),
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    AfterValidator(_plain_text),
]
Name = Annotated[
    str,
    Strict(),
    BeforeValidator(_one_line),
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_plain_text),
]
# Numbers are strict: JSON ``true`` is not a head count of 1, 3.5 staff is not 3; floats accept integers.
Money = Annotated[float, Strict(), Field(ge=0, le=1e13, allow_inf_nan=False)]
Count = Annotated[int, Strict(), BeforeValidator(_whole), Field(ge=0, le=1_000_000)]
Months = Annotated[int, Strict(), BeforeValidator(_whole), Field(ge=0, le=1200)]
Area = Annotated[float, Strict(), Field(ge=0, le=1e7, allow_inf_nan=False)]
Percent = Annotated[float, Strict(), Field(ge=0, le=100, allow_inf_nan=False)]
Day = Annotated[date, BeforeValidator(_date_input), Field(ge=DATE_MIN, le=DATE_MAX)]
Flag = StrictBool
LicenceNumber = Annotated[
    str,
    Strict(),
    BeforeValidator(_one_line),
    StringConstraints(strip_whitespace=True, min_length=1, max_length=40),
    AfterValidator(_plain_text),
]
Year = Annotated[int, Strict(), BeforeValidator(_whole), Field(ge=2000, le=2099)]
LongText = Annotated[
    str, Strict(), StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), AfterValidator(_plain_text)
]
# a detail the application documents need (a vendor, a place, a procedure in a few sentences)
Detail = Annotated[
    str, Strict(), StringConstraints(strip_whitespace=True, min_length=1, max_length=500), AfterValidator(_plain_text)
]
# action ids: a catalog action key ("capital_increase.resolution"), a rule id, or "custom.<n>"
ActionId = Annotated[str, Strict(), StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$", max_length=80)]
RuleRef = Annotated[str, Strict(), StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$", max_length=80)]
ActionStatus = Literal["open", "in_progress", "done", "waived"]
EffortDays = Annotated[int, Strict(), BeforeValidator(_whole), Field(ge=0, le=2000)]
MAX_ACTIONS = 500
MAX_EVIDENCE_REFS = 50


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Company(_Section):
    name: Name | None = None
    province: Text | None = None
    scope: Scope | None = None
    service: Service | None = None
    in_free_trade_zone: Flag | None = None
    number_type: NumberType | None = None
    other_services: frozenset[OtherService] | None = None


class LegalEntity(_Section):
    entity_type: EntityType | None = None
    incorporation_date: Day | None = None
    foreign_ownership_pct: Percent | None = None
    on_dishonest_list: Flag | None = None
    on_adverse_list: Flag | None = None
    business_scope_includes_telecom: Flag | None = None
    telecom_penalty_last_3y: Flag | None = None
    shareholding_traced: Flag | None = None
    # December 2026 review: optional answers, so files written before them load unchanged (no schema bump)
    on_court_dishonest_list: Flag | None = None  # 失信被执行人名单 (court)
    on_samr_serious_list: Flag | None = None  # 严重违法失信名单 (SAMR)
    on_abnormal_operations_list: Flag | None = None  # 经营异常名录
    foreign_authority_confirmed: Flag | None = None  # a foreign-invested company asked which authority accepts it
    head_company_province: Text | None = None  # a branch: its head company's province (the company that applies)
    head_company_registered_cny: Money | None = None  # a branch: its head company's registered capital


class Capital(_Section):
    registered_cny: Money | None = None
    paid_in_cny: Money | None = None
    subscription_deadline: Day | None = None

    @model_validator(mode="after")
    def _paid_in_within_registered(self) -> Capital:
        if self.registered_cny is not None and self.paid_in_cny is not None and self.paid_in_cny > self.registered_cny:
            raise PydanticCustomError(
                ErrorCode.PAID_IN_EXCEEDS.value, "paid_in_cny exceeds registered_cny", {"field": "paid_in_cny"}
            )
        return self


class Staffing(_Section):
    insured_staff: Count | None = None
    insured_months: Months | None = None
    insured_by_company: Flag | None = None
    has_technical_lead: Flag | None = None
    has_service_lead: Flag | None = None
    leads_are_insured: Flag | None = None
    planned_agents: Count | None = None


class PremisesEquipment(_Section):
    office_type: OfficeType | None = None
    lease_in_company_name: Flag | None = None
    lease_months_remaining: Months | None = None
    office_area_m2: Area | None = None
    seats: Count | None = None
    registered_address_matches_office: Flag | None = None
    fire_safety_passed: Flag | None = None
    platform: Platform | None = None
    platform_functions: frozenset[PlatformFunction] | None = None
    trunk_contract: Flag | None = None
    equipment_invoices: Flag | None = None
    server_ip_list: Flag | None = None


class TechnicalPlan(_Section):
    plan_drafted: Flag | None = None
    sections: frozenset[PlanSection] | None = None
    security_measures: frozenset[SecurityMeasure] | None = None
    log_retention_months: Months | None = None
    graded_protection_assessed: Flag | None = None
    outbound_marketing_planned: Flag | None = None


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


class Licence(_Section):
    """A licence already held (schema version 2): what the obligations check is dated from."""

    held: Flag | None = None
    number: LicenceNumber | None = None
    scope: Scope | None = None
    issued_on: Day | None = None
    expires_on: Day | None = None
    services_launched: Flag | None = None
    annual_report_last_year: Year | None = None  # the business year covered by the last report filed
    renewal_filed_on: Day | None = None

    @model_validator(mode="after")
    def _expiry_after_issue(self) -> Licence:
        if self.issued_on is not None and self.expires_on is not None and self.expires_on <= self.issued_on:
            raise PydanticCustomError(
                ErrorCode.INVALID.value, "expires_on must be after issued_on", {"field": "expires_on"}
            )
        return self


class DocumentDetails(_Section):
    """What the application documents need and no scored question asks (schema version 4).

    All optional and never scored: the application pack (``ccl.pack``) fills them in where they are
    given and marks them as still to be completed where not.
    """

    legal_representative: Name | None = None
    service_targets: Detail | None = None
    platform_vendor: Detail | None = None
    platform_model: Detail | None = None
    server_location: Detail | None = None
    network_topology: LongText | None = None
    voice_access: Detail | None = None
    backup_method: Detail | None = None
    service_hours: Detail | None = None
    complaint_handling: LongText | None = None
    security_officer: Detail | None = None


class PlanAction(_Section):
    """One action of the remediation plan (schema version 3).

    Actions come from the gaps (``ccl.plan``): ``id`` is the catalog action key or rule id, ``rule_ids``
    the rules it clears. A custom action (id ``custom.<n>``) has its own ``title`` and may clear none.
    ``effort_days`` overrides the catalog's estimate; ``reason`` says why an action is waived.
    """

    id: ActionId
    rule_ids: tuple[RuleRef, ...] = ()
    title: Name | None = None
    owner: Name | None = None
    due: Day | None = None
    status: ActionStatus = "open"
    reason: NonEmpty | None = None
    effort_days: tuple[EffortDays, EffortDays] | None = None
    notes: LongText | None = None
    added_on: Day | None = None
    done_on: Day | None = None

    @model_validator(mode="after")
    def _consistent(self) -> PlanAction:
        if self.status == "waived" and self.reason is None:
            raise PydanticCustomError(
                ErrorCode.WAIVED_NO_REASON.value, "a waived action needs a reason", {"field": "reason"}
            )
        if self.effort_days is not None and self.effort_days[0] > self.effort_days[1]:
            raise PydanticCustomError(
                ErrorCode.INVALID.value, "effort_days must be [min, max]", {"field": "effort_days"}
            )
        if self.id.startswith("custom.") and self.title is None:
            raise PydanticCustomError(ErrorCode.MISSING.value, "a custom action needs a title", {"field": "title"})
        return self


class EvidenceRef(_Section):
    """A document that proves an answer: its name, where it is kept (a place or a link) and its date."""

    name: Name
    location: NonEmpty | None = None
    date: Day | None = None


class Evidence(_Section):
    """What backs one answer: a note and the documents (schema version 3)."""

    note: LongText | None = None
    refs: tuple[EvidenceRef, ...] = Field(default=(), max_length=MAX_EVIDENCE_REFS)

    @property
    def empty(self) -> bool:
        return self.note is None and not self.refs


SECTIONS: dict[str, type[_Section]] = {
    "company": Company,
    "legal_entity": LegalEntity,
    "capital": Capital,
    "staffing": Staffing,
    "premises_equipment": PremisesEquipment,
    "technical_plan": TechnicalPlan,
    "materials": Materials,
    "licence": Licence,
    "document_details": DocumentDetails,
}

ALL_FIELDS: tuple[str, ...] = tuple(
    f"{section}.{name}" for section, model in SECTIONS.items() for name in model.model_fields
)
_SPLIT: dict[str, tuple[str, str]] = {f: (f.partition(".")[0], f.partition(".")[2]) for f in ALL_FIELDS}


def _known_question(path: str) -> str:
    if path not in _SPLIT:
        raise PydanticCustomError(ErrorCode.UNKNOWN_FIELD.value, "unknown question")
    return path


FieldPath = Annotated[str, Strict(), AfterValidator(_known_question)]


class Profile(BaseModel):
    """One company's answers. ``not_applicable`` maps "section.field" to the reason it does not apply."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: Literal[4] = SCHEMA_VERSION
    company: Company = Company()
    legal_entity: LegalEntity = LegalEntity()
    capital: Capital = Capital()
    staffing: Staffing = Staffing()
    premises_equipment: PremisesEquipment = PremisesEquipment()
    technical_plan: TechnicalPlan = TechnicalPlan()
    materials: Materials = Materials()
    licence: Licence = Licence()
    document_details: DocumentDetails = DocumentDetails()
    not_applicable: dict[FieldPath, NonEmpty] = Field(default_factory=dict)
    evidence: dict[FieldPath, Evidence] = Field(default_factory=dict)
    plan: tuple[PlanAction, ...] = Field(default=(), max_length=MAX_ACTIONS)

    @model_validator(mode="before")
    @classmethod
    def _upgrade(cls, data: Any) -> Any:
        """A profile stored inside something else (a draft workspace, a saved version) by an older release
        is brought up to date by the same chain as a file (``ccl.migrations``)."""
        return upgrade(data) if isinstance(data, dict) else data

    @model_validator(mode="after")
    def _unique_actions(self) -> Profile:
        seen: set[str] = set()
        for i, action in enumerate(self.plan):
            if action.id in seen:
                raise PydanticCustomError(
                    ErrorCode.DUPLICATE_ACTION.value, "two actions with the same id", {"field": f"plan.{i}.id"}
                )
            seen.add(action.id)
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
        return self.model_validate({**self.model_dump(), "not_applicable": na})  # the reason is checked too

    def with_evidence(self, path: str, evidence: Evidence | None) -> Profile:
        """A copy with the note and documents of one answer set (or cleared when None or empty)."""
        ev = dict(self.evidence)
        if evidence is None or evidence.empty:
            ev.pop(path, None)
        else:
            ev[path] = evidence
        return self.model_validate({**self.model_dump(), "evidence": ev})

    def with_plan(self, actions: tuple[PlanAction, ...] | list[PlanAction]) -> Profile:
        """A copy with the action plan replaced, validated like a loaded file."""
        return self.model_validate({**self.model_dump(), "plan": [a.model_dump() for a in actions]})


def _jsonable(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _loc_to_path(loc: tuple[Any, ...], ctx: dict[str, Any] | None = None) -> str:
    """``("capital", "registered_cny")`` → ``capital.registered_cny``; list positions and key markers dropped."""
    # positions in the plan and in an answer's documents stay ("plan.3.owner"): they say which row
    keep_index = bool(loc) and loc[0] in ("plan", "evidence")
    parts = [str(p) for p in loc if (isinstance(p, str) and p != "[key]") or (keep_index and isinstance(p, int))]
    if ctx and ctx.get("field"):
        parts.append(str(ctx["field"]))
    return ".".join(parts)


def profile_from_dict(data: Any, where: str = "profile") -> Profile:
    """Validate parsed JSON into a Profile, raising one ProfileError that lists every bad field."""
    if not isinstance(data, dict):
        raise ProfileError(where, "", "the file must contain a JSON object", code=ErrorCode.NOT_OBJECT)
    _check_schema_version(data.get("schema_version", None), "schema_version" in data, where)
    try:
        return Profile.model_validate(upgrade(data))
    except ValidationError as exc:
        raise ProfileError(where, problems=validation_problems(exc)) from None


def _check_schema_version(version: Any, present: bool, where: str) -> None:
    if not present or version is None:
        raise ProfileError(where, "schema_version", "missing", code=ErrorCode.MISSING)
    if not isinstance(version, int) or isinstance(version, bool):
        raise ProfileError(
            where, "schema_version", "not a whole number", code=ErrorCode.BAD_SCHEMA_VERSION, value=json.dumps(version)
        )
    if version > SCHEMA_VERSION:
        raise ProfileError(
            where,
            "schema_version",
            f"version {version} is newer than this program supports ({SCHEMA_VERSION})",
            code=ErrorCode.NEWER_SCHEMA,
            value=version,
        )


# pydantic's error types → our codes; our own validators raise PydanticCustomError with a code as type.
_PYDANTIC_CODES = {
    "extra_forbidden": ErrorCode.UNKNOWN_FIELD,
    "literal_error": ErrorCode.UNKNOWN_OPTION,
    "missing": ErrorCode.MISSING,
    "int_type": ErrorCode.NOT_WHOLE,
    "int_from_float": ErrorCode.NOT_WHOLE,
    "float_type": ErrorCode.NOT_NUMBER,
    "finite_number": ErrorCode.NOT_NUMBER,
    "bool_type": ErrorCode.NOT_YES_NO,
    "string_type": ErrorCode.NOT_TEXT,
    "string_unicode": ErrorCode.BAD_CHARACTERS,
    "string_too_short": ErrorCode.EMPTY,
    "string_too_long": ErrorCode.TOO_LONG,
    "date_type": ErrorCode.NOT_DATE,
    "date_parsing": ErrorCode.NOT_DATE,
    "date_from_datetime_parsing": ErrorCode.NOT_DATE,
    "date_from_datetime_inexact": ErrorCode.NOT_DATE,
}
_RANGE = {"greater_than_equal": ErrorCode.TOO_SMALL, "less_than_equal": ErrorCode.TOO_LARGE}
_CODES = {c.value for c in ErrorCode}


MAX_LISTED = 100


def validation_problems(exc: ValidationError) -> tuple[Problem, ...]:
    """Every error pydantic found, as problems naming the answer (e.g. ``capital.paid_in_cny``)."""
    problems: dict[Problem, None] = {}  # in order, each once (a list's `in` made N unknown keys cost N²)
    for err in exc.errors():
        field = _loc_to_path(err["loc"], err.get("ctx"))
        value = err.get("input")
        kind = _range_kind(err["type"], value, field)
        limits = field_limits(field) if kind in _RANGE else None
        if kind in _RANGE:
            code = _RANGE[kind]
            if isinstance(value, (date, str)) and _is_date_field(field):
                code = ErrorCode.TOO_EARLY if kind == "greater_than_equal" else ErrorCode.TOO_LATE
        else:
            code = ErrorCode(kind) if kind in _CODES else _PYDANTIC_CODES.get(kind, ErrorCode.INVALID)
            if kind == "too_long" and isinstance(value, (list, tuple)):  # a plan's actions, an answer's documents
                code = ErrorCode.TOO_MANY
        if isinstance(value, (dict, list, tuple)):
            value = None
        too_long = code in (ErrorCode.TOO_LONG, ErrorCode.TOO_MANY)
        extra = (("max", (err.get("ctx") or {}).get("max_length")),) if too_long else ()
        problem = Problem(code, safe_text(field), _shown(value), limits=limits, detail=err["msg"], extra=extra)
        problems.setdefault(problem)
    listed = tuple(problems)
    if len(listed) > MAX_LISTED:  # a page of problems says what is wrong; thousands only bury it
        more = Problem(ErrorCode.MORE_PROBLEMS, extra=(("n", len(listed) - MAX_LISTED),))
        listed = (*listed[:MAX_LISTED], more)
    return listed


def _range_kind(kind: str, value: Any, field: str) -> str:
    """A number too large for a number type (10**400; 1e400, read as infinity) is out of the answer's
    range, not "not a number"."""
    if kind not in ("float_type", "int_type", "finite_number") or isinstance(value, bool):
        return kind
    if not (isinstance(value, int) or (isinstance(value, float) and math.isinf(value))):
        return kind
    if field_limits(field) is None:
        return kind
    return "less_than_equal" if value > 0 else "greater_than_equal"


def _shown(value: Any) -> Any:
    if isinstance(value, bool):
        return json.dumps(value)  # as the file wrote it: true, not True
    return safe_text(value) if isinstance(value, str) else value


def _is_date_field(path: str) -> bool:
    annotation = _annotation_of(path)
    return annotation is not None and Day in _union_args(annotation)


def _annotation_of(path: str) -> Any:
    """The type of an answer, or of a field of an action (``plan.3.due``) or a document
    (``evidence.<question>.refs.0.date``); None for any other path."""
    if path in _SPLIT:
        section, name = _SPLIT[path]
        return SECTIONS[section].model_fields[name].annotation
    parts = path.split(".")
    model: type[BaseModel] | None = None
    name = ""
    if parts[0] == "plan" and len(parts) >= 3:
        model, name = PlanAction, parts[2]
    elif parts[0] == "evidence" and "refs" in parts and len(parts) >= parts.index("refs") + 3:
        model, name = EvidenceRef, parts[parts.index("refs") + 2]
    found = model.model_fields.get(name) if model is not None else None
    return found.annotation if found is not None else None


def _union_args(annotation: Any) -> tuple[Any, ...]:
    """The types a field may hold: the members of a union, and the items of a fixed-length tuple."""
    out: list[Any] = []
    for arg in typing.get_args(annotation) or (annotation,):
        out += typing.get_args(arg) if typing.get_origin(arg) is tuple else [arg]
    return tuple(out)


def text_limit(path: str) -> int | None:
    """The most characters a text answer may hold (from its type); None for an answer that is not text."""
    annotation = _annotation_of(path)
    for arg in _union_args(annotation) if annotation is not None else ():
        for meta in getattr(arg, "__metadata__", ()):
            if getattr(meta, "max_length", None) is not None:
                return int(meta.max_length)
    return None


def field_limits(path: str) -> tuple[Any, Any] | None:
    """The (lowest, highest) value an answer (or an action's or document's field) may take, from its type;
    None when it has no range."""
    annotation = _annotation_of(path)
    if annotation is None:
        return None
    lo = hi = None
    for arg in _union_args(annotation):
        for meta in getattr(arg, "__metadata__", ()):
            for bound in getattr(meta, "metadata", ()):
                lo = getattr(bound, "ge", lo)
                hi = getattr(bound, "le", hi)
    return (lo, hi) if lo is not None and hi is not None else None


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """The raw profile dict brought to the current schema version (see ccl.migrations)."""
    from ccl.migrations import migrate

    return migrate(data, SCHEMA_VERSION)


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
    duplicates: list[str] = []
    members = [0]
    try:
        data = json.loads(text, object_pairs_hook=lambda pairs: _object(pairs, duplicates, members))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        where_line = f"{where} (line {line})" if line else where
        raise ProfileError(where_line, "", "not valid JSON", code="bad_json") from None
    except RecursionError:
        raise ProfileError(where, "", "not valid JSON (nested too deeply)", code="bad_json") from None
    except _TooMany:
        raise ProfileError(
            where, "", "too many entries", code=ErrorCode.JSON_TOO_MANY, value=f"{members[0]:,}"
        ) from None
    except ValueError:  # an integer longer than Python reads (4,300 digits)
        raise ProfileError(where, "", "a number too long to read", code=ErrorCode.NUMBER_TOO_LONG) from None
    if duplicates:
        problems = [Problem(ErrorCode.DUPLICATE_KEY, "", safe_text(k)) for k in dict.fromkeys(duplicates)]
        raise ProfileError(where, problems=problems)
    return profile_from_dict(data, where)


# Values a profile can hold at most, with room to spare: 500 actions of a dozen fields, 50 documents
# for each of about 120 answers. More is not a profile, and checking it costs time for nothing.
MAX_MEMBERS = 50_000


class _TooMany(Exception):
    pass


def _object(pairs: list[tuple[str, Any]], duplicates: list[str], members: list[int]) -> dict[str, Any]:
    """A JSON object; a key written twice is noted (json would keep the last one without a word)."""
    members[0] += len(pairs) + sum(len(v) for _, v in pairs if isinstance(v, list))
    if members[0] > MAX_MEMBERS:
        raise _TooMany  # stop reading at once
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                duplicates.append(key)
            seen.add(key)
    return out


def dump_profile(profile: Profile) -> str:
    """The profile as pretty JSON (ISO dates, sorted choice lists), stable for diffs."""
    data = profile.model_dump(mode="json")
    # actions and evidence list only what is set: a plan reads like a to-do list, not a grid of nulls
    data["plan"] = [
        a.model_dump(mode="json", exclude_none=True, exclude_defaults=True) | {"id": a.id, "status": a.status}
        for a in profile.plan
    ]
    data["evidence"] = {k: v.model_dump(mode="json", exclude_none=True) for k, v in profile.evidence.items()}
    for section in SECTIONS:
        for key, value in data[section].items():
            if isinstance(value, list):
                data[section][key] = sorted(value)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
