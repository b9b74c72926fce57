"""The headline: the one story every page, sheet and file tells — when, how ready, and what is due next.

``build(...)`` is a pure function the engine calls once per evaluation (``Evaluation.headline``); pages,
the workbooks, the calendar and the command line render it and compute none of these facts themselves.

- ``mode``: ``applicant`` (no licence yet), ``holder`` (licensed; its duties matter), ``lapsed`` (a holder
  whose renewal deadline passed unfiled, or whose licence expired: a fresh application is projected).
- One rule decides the licence date: when the plan has dated actions still to do that must precede
  submission, the plan's projection is the headline (``basis = "plan"``) and the catalog's is only a
  labelled comparison; otherwise the catalog's (``basis = "catalog"``). No date while a legal gate
  waits on an answer, and none for a holder (its licence is issued; ``expiry_date`` is the certificate's).
- ``next_deadline``: a holder's most urgent dated duty (overdue first, then the nearest), from the same
  ``obligations`` entries the duties page lists; an applicant's most urgent dated plan action.
- ``reason``: a locale key under ``headline.reason`` and language-neutral params; ``reason_text`` words it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

from ccl.catalog.load import Catalog
from ccl.i18n import LANGS, Lang, fmt_date, licence_text, t
from ccl.obligations import Obligation, ObligationStatus, licence_ends, status_on
from ccl.plan import PlanItem
from ccl.profile import Profile
from ccl.records import Record
from ccl.scoring import Assessment
from ccl.timeline import Timeline

Mode = Literal["applicant", "holder", "lapsed"]
Basis = Literal["plan", "catalog"]
URGENT: frozenset[str] = frozenset({"overdue", "due_soon"})  # red: passed, or within licence.due_soon_days
_RANK = {"overdue": 0, "due_soon": 1, "to_check": 2, "upcoming": 3, "ok": 4}
# duties already done: nothing left to meet (a late renewal filing is a risk, not a deadline)
_DONE_DETAILS = frozenset({"filed", "filed_late", "renewal_filed"})


@dataclasses.dataclass(frozen=True, slots=True)
class NextDeadline(Record):
    """The most urgent dated thing to do: an obligation (``renewal``, ``annual_report`` …) or ``action``."""

    key: str
    due: date
    status: ObligationStatus
    action_id: str | None = None  # key "action": the plan's action
    year: int | None = None  # key "annual_report": the business year it covers
    title: dict[str, str] | None = None  # key "action": its title, {"zh", "en"}

    def label(self, lang: Lang) -> str:
        """What is due: the action's title, or the duty's name."""
        if self.title is not None:
            return self.title.get(lang, "")
        return t(f"obligation.key.{self.key}", lang)

    @property
    def urgent(self) -> bool:
        return self.status in URGENT


@dataclasses.dataclass(frozen=True, slots=True)
class Headline(Record):
    mode: Mode
    # applicant: the assessment's status (blocked, not_ready, nearly_ready, ready);
    # holder: "licensed"; lapsed: "lapsed" (renewal deadline passed unfiled) or "expired"
    verdict: str
    licence_date: date | None  # the new licence; None for a holder or while a legal gate is open
    licence_date_latest: date | None  # far end of the range while questions are open
    licence_date_basis: Basis | None  # None when there is no licence date
    submission_date: date | None
    expiry_date: date | None  # holder/lapsed: the certificate's; applicant: the projected licence's
    renewal_deadline: date | None
    next_deadline: NextDeadline | None
    reason: str  # key under headline.reason in the locales
    reason_params: dict[str, Any]
    # basis "plan": the catalog's projection, shown only as a labelled comparison, and plan minus catalog
    catalog_licence_date: date | None = None
    catalog_shift_days: int | None = None
    assumes_blockers_removed: bool = False
    estimate: bool = False
    licence_gap_days: int | None = None  # lapsed: days between the old licence's expiry and the new one

    @property
    def urgent(self) -> bool:
        """The next deadline has passed or is within the catalog's due-soon days (shown red)."""
        return self.next_deadline is not None and self.next_deadline.urgent

    @property
    def applying(self) -> bool:
        """The story is an application (a new one for a lapsed licence)."""
        return self.mode != "holder"


def licence_mode(profile: Profile, catalog: Catalog, today: date) -> Mode:
    """``holder`` unless its licence will not be renewed (renewal not applied for in time) or has ended:
    ``lapsed`` (``ccl.obligations.licence_ends``)."""
    if profile.licence.held is not True:
        return "applicant"
    return "lapsed" if licence_ends(profile, catalog, today) is not None else "holder"


def precedes_submission(item: PlanItem) -> bool:
    """A dated action still to do (or marked done while its gap is open) that submission must wait for."""
    return item.due is not None and (item.active or item.reopened) and item.needed_by == "submission"


def date_timeline(expected: Timeline, plan_timeline: Timeline | None, plan: Sequence[PlanItem]) -> Timeline:
    """The one rule: the plan's projection when it has dated actions still to do that must precede
    submission, else the catalog's."""
    if plan_timeline is not None and any(precedes_submission(i) for i in plan):
        return plan_timeline
    return expected


def build(
    mode: Mode,
    assessment: Assessment,
    catalog: Catalog,
    today: date,
    expected: Timeline,
    plan_timeline: Timeline | None,
    plan: Sequence[PlanItem],
    obligations: Sequence[Obligation],
) -> Headline:
    """The headline of one evaluation (see the module docstring for the rules)."""
    if mode == "holder":
        return _holder(obligations)
    head = _application(assessment, catalog, today, expected, plan_timeline, plan)
    if mode == "applicant":
        return head
    return _lapsed(head, obligations, today)


def _application(
    assessment: Assessment,
    catalog: Catalog,
    today: date,
    expected: Timeline,
    plan_timeline: Timeline | None,
    plan: Sequence[PlanItem],
) -> Headline:
    before = [i for i in plan if precedes_submission(i)]
    tl = date_timeline(expected, plan_timeline, plan)
    use_plan = tl is not expected
    nxt = _next_action(plan, catalog, today)
    verdict = assessment.status
    if verdict == "nearly_ready" and any(i.overdue for i in before):  # overdue work holds up submission
        verdict = "not_ready"
    common: dict[str, Any] = dict(
        mode="applicant",
        verdict=verdict,
        next_deadline=nxt,
        assumes_blockers_removed=tl.assumes_blockers_removed,
        estimate=tl.estimate,
    )
    if tl.licence_date is None:  # a legal gate waits on an answer: no date can be defended
        return Headline(
            **common,
            licence_date=None,
            licence_date_latest=None,
            licence_date_basis=None,
            submission_date=None,
            expiry_date=None,
            renewal_deadline=None,
            reason="gates",
            reason_params={"n": len(tl.gates_open)},
        )
    dates: dict[str, Any] = dict(
        licence_date=tl.licence_date,
        licence_date_latest=tl.licence_date_latest,
        submission_date=tl.submission_date,
        expiry_date=tl.expiry_date,
        renewal_deadline=tl.renewal_deadline,
    )
    if use_plan:
        last = max(before, key=lambda i: (i.due, i.id))
        shift = (tl.licence_date - expected.licence_date).days if expected.licence_date else None
        return Headline(
            **common,
            **dates,
            licence_date_basis="plan",
            catalog_licence_date=expected.licence_date,
            catalog_shift_days=shift,
            reason="plan",
            reason_params={
                "action": _title(last),
                "due": last.due,
                "submission": tl.submission_date,
                "n": len(before),
            },
        )
    reason = "catalog_blocked" if assessment.blockers else "catalog"
    return Headline(
        **common,
        **dates,
        licence_date_basis="catalog",
        reason=reason,
        reason_params={"submission": tl.submission_date, "n": len(assessment.blockers)},
    )


def _holder(obligations: Sequence[Obligation]) -> Headline:
    expiry = next((o.due for o in obligations if o.key == "expiry"), None)
    renewal = next((o.due for o in obligations if o.key == "renewal"), None)
    nxt = _next_duty(obligations)
    params: dict[str, Any] = {"expiry": expiry}
    if nxt is not None:
        params |= {"duty": nxt.key, "due": nxt.due}
    return Headline(
        mode="holder",
        verdict="licensed",
        licence_date=None,
        licence_date_latest=None,
        licence_date_basis=None,
        submission_date=None,
        expiry_date=expiry,
        renewal_deadline=renewal,
        next_deadline=nxt,
        reason="holder" if nxt is not None else "holder_none",
        reason_params=params,
    )


def _lapsed(head: Headline, obligations: Sequence[Obligation], today: date) -> Headline:
    old_expiry = next((o.due for o in obligations if o.key == "expiry"), None)
    expired = old_expiry is not None and today > old_expiry
    # the duties left: the expiry (and the fresh application's gap) while ahead, the 30-day registration
    # change after it; the renewal can no longer be met
    todo = [
        o
        for o in obligations
        if o.key not in ("renewal", "services_launched") and not (o.key in ("expiry", "reapply") and o.due < today)
    ]
    nxt = _next_duty(todo) or head.next_deadline
    gap = (head.licence_date - old_expiry).days if head.licence_date and old_expiry else None
    return dataclasses.replace(
        head,
        mode="lapsed",
        verdict="expired" if expired else "lapsed",
        expiry_date=old_expiry,
        renewal_deadline=next((o.due for o in obligations if o.key == "renewal"), None),
        next_deadline=nxt,
        licence_gap_days=gap,
        reason="expired" if expired else "lapsed",
        reason_params={"expiry": old_expiry, "licence": head.licence_date, "gap": gap},
    )


def _next_duty(obligations: Sequence[Obligation]) -> NextDeadline | None:
    """The most urgent duty not yet met: overdue first, then the nearest due date."""
    todo = [o for o in obligations if o.detail not in _DONE_DETAILS]
    if not todo:
        return None
    o = min(todo, key=lambda o: (_RANK[o.status], o.due))
    return NextDeadline(key=o.key, due=o.due, status=o.status, year=o.year)


def _next_action(plan: Sequence[PlanItem], catalog: Catalog, today: date) -> NextDeadline | None:
    """The plan's most urgent dated action still to do (an overdue one first, then the nearest)."""
    dated = [(i.due, i.id, i) for i in plan if i.due is not None and (i.active or i.reopened)]
    if not dated:
        return None
    due, _, item = min(dated, key=lambda x: (x[0], x[1]))
    status = status_on(due, today, catalog.licence)
    return NextDeadline(key="action", due=due, status=status, action_id=item.id, title=_title(item))


def _title(item: PlanItem) -> dict[str, str]:
    return {"zh": item.label("zh"), "en": item.label("en")}


def reason_text(head: Headline, lang: Lang) -> str:
    """The headline's one-sentence reason in ``lang``."""
    params: dict[str, Any] = {}
    for k, v in head.reason_params.items():
        if isinstance(v, date):
            params[k] = fmt_date(v, lang)
        elif v is None and k == "licence":  # a fresh application's date waits on the legal conditions
            params[k] = t("licence.pending_short", lang)
        elif isinstance(v, dict):
            params[k] = v.get(lang, "")
        elif k == "duty" and v is not None:
            params[k] = t(f"obligation.key.{v}", lang)
        else:
            params[k] = v
    return t(f"headline.reason.{head.reason}", lang, **params)


def comparison_text(head: Headline, lang: Lang) -> str | None:
    """The catalog's date as a labelled comparison when the plan's is the headline (else None)."""
    if head.licence_date_basis != "plan" or head.catalog_licence_date is None or not head.catalog_shift_days:
        return None
    key = "later" if head.catalog_shift_days > 0 else "earlier"
    return t(
        f"headline.comparison.{key}",
        lang,
        date=fmt_date(head.catalog_licence_date, lang),
        days=abs(head.catalog_shift_days),
    )


def verdict_text(head: Headline, lang: Lang) -> str:
    return t(f"status.{head.verdict}", lang)


def verdict_condition(head: Headline, catalog: Catalog, lang: Lang) -> str:
    """What the verdict's word means, shown beside it (the levels' conditions, thresholds from the catalog)."""
    s = catalog.status
    return t(
        f"status_condition.{head.verdict}",
        lang,
        ready=f"{s.ready_min:g}",
        nearly=f"{s.nearly_ready_min:g}",
        majors=s.nearly_ready_max_major,
    )


def licence_value(head: Headline, lang: Lang) -> str:
    """The licence date as every surface writes it: date (or range), * when estimated, and its basis."""
    if head.licence_date is None:
        return t("licence.pending", lang)
    text = licence_text(head.licence_date, head.licence_date_latest, lang)
    if head.estimate:
        text += "*"
    return (
        f"{text}（{t(f'headline.basis.{head.licence_date_basis}', lang)}）"
        if lang == "zh"
        else (f"{text} ({t(f'headline.basis.{head.licence_date_basis}', lang)})")
    )


def deadline_value(head: Headline, lang: Lang) -> str | None:
    """The next deadline: what, when, and its status (None when nothing is due)."""
    nxt = head.next_deadline
    if nxt is None:
        return None
    return f"{nxt.label(lang)} · {fmt_date(nxt.due, lang)} · {t(f'obligation.status.{nxt.status}', lang)}"


def headline_facts(head: Headline, lang: Lang) -> list[tuple[str, str]]:
    """The headline as label/value pairs, in the order every surface shows them (CLI, sheets, pages)."""
    out = [(t("cli.verdict", lang), verdict_text(head, lang))]
    if head.mode == "holder":
        out.append((t("headline.expiry_date", lang), fmt_date(head.expiry_date, lang)))
    else:
        if head.mode == "lapsed":  # the old licence's expiry, then the fresh application
            out.append((t("headline.expiry_date", lang), fmt_date(head.expiry_date, lang)))
        out.append((t("headline.licence_date", lang), licence_value(head, lang)))
        if head.submission_date is not None:
            out.append((t("headline.submission_date", lang), fmt_date(head.submission_date, lang)))
    if (nxt := deadline_value(head, lang)) is not None:
        out.append((t("headline.next_deadline", lang), nxt))
    return out


def headline_json(head: Headline) -> dict[str, Any]:
    """The headline as ``assess --format json`` carries it (README, "JSON output")."""
    data = head.model_dump(mode="json")
    data["urgent"] = head.urgent
    data["reason_text"] = {lang: reason_text(head, lang) for lang in LANGS}
    return data
