"""The remediation plan: the gaps turned into actions with owners, due dates, status and evidence.

The plan is stored in the profile (``Profile.plan``, schema version 3) so it travels with the answers
in files, saved snapshots and workbooks. It is kept in step with the answers by :func:`reconcile`:

- every failing rule gets its action(s): one per rule, or as ``data/catalog/actions.toml`` says
  (one action for several rules, or a rule split into steps done one after another);
- an action whose rules all pass now is kept and marked done (dated), never deleted;
- an action marked done while one of its rules still fails is *reopened*: flagged, not silently
  changed (the answers decide what is done; the user updates either the answers or the status).

:func:`plan_items` is what pages, exports and the CLI show: each action with its title, dimension,
severity, effective effort, dependencies (from the catalog's remediation order) and flags.
Everything here is pure: today's date is an argument.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, Literal

from ccl.catalog.load import Catalog
from ccl.catalog.objects import ActionTemplate, Rule, Text
from ccl.profile import ActionStatus, PlanAction, Profile
from ccl.records import Record, record
from ccl.scoring import SEVERITY_ORDER, Assessment

OPEN_STATUSES: frozenset[str] = frozenset({"open", "in_progress"})
PASSING = frozenset({"pass", "not_applicable", "does_not_apply"})
STATUSES: tuple[ActionStatus, ...] = ("open", "in_progress", "done", "waived")
CUSTOM_PREFIX = "custom."


@record
class ActionSpec(Record):
    """What the catalog says one action is: the rules it clears, its title, effort and place in a split."""

    id: str
    rule_ids: tuple[str, ...]
    title: Text
    effort_days: tuple[int, int]
    dimension: str
    step: int = 0  # position in a split (0 when not split)
    steps: int = 1
    parent_title: Text | None = None  # the split action's overall title


@record
class PlanItem(Record):
    """One action as shown: the stored action joined with the catalog and the assessment."""

    id: str
    rule_ids: tuple[str, ...]
    title: Text | None  # None for a custom action: its ``custom_title`` is the user's text
    custom_title: str | None
    dimension: str | None
    severity: str | None  # the worst severity among its failing rules (None when none fails)
    owner: str | None
    due: date | None
    status: ActionStatus
    reason: str | None
    effort_days: tuple[int, int] | None
    effort_overridden: bool
    after: tuple[str, ...]  # ids of the actions that must finish first
    notes: str | None
    added_on: date | None
    done_on: date | None
    gap_open: bool  # one of its rules still fails
    overdue: bool  # open or in progress, and the due date has passed
    reopened: bool  # marked done, but the answers still show the gap
    known: bool  # the catalog knows the action (custom actions and ones a catalog change dropped: False)
    needed_by: Literal["submission", "issuance"] | None = None
    step: int = 0
    steps: int = 1
    parent_title: Text | None = None
    fix_fields: tuple[str, ...] = ()  # reopened: the answers that still show its gap (correct them, or the status)

    @property
    def conflict(self) -> bool:
        """Marked done while the answers still show its gap: not counted done, flagged everywhere."""
        return self.reopened

    @property
    def active(self) -> bool:
        """Still to do: open or in progress."""
        return self.status in OPEN_STATUSES

    def label(self, lang: str) -> str:
        if self.title is not None:
            return self.title(lang)
        return self.custom_title or self.id


@record
class PlanProgress(Record):
    total: int
    done: int
    in_progress: int
    open: int
    waived: int
    overdue: int
    reopened: int
    next_due: date | None  # the earliest due date still ahead (today included) of an action still to do
    unowned: int  # actions still to do that nobody owns

    @property
    def active(self) -> int:
        """Still to do: open, in progress, or marked done while the gap shows (a conflict)."""
        return self.open + self.in_progress + self.reopened

    @property
    def share_done(self) -> float:
        """Done (or waived) actions as a share of all, 0–100."""
        return 100.0 * (self.done + self.waived) / self.total if self.total else 100.0


@record
class PlanChange(Record):
    """What happened to the plan between two saved versions (History)."""

    done: tuple[str, ...]  # actions that became done
    slipped: tuple[str, ...]  # due date moved later, or overdue now and not before
    added: tuple[str, ...]
    reopened: tuple[str, ...]  # were done, are open again (or flagged reopened)
    waived: tuple[str, ...]
    removed: tuple[str, ...]  # only possible by editing files: actions are never deleted by the product

    @property
    def empty(self) -> bool:
        return not (self.done or self.slipped or self.added or self.reopened or self.waived or self.removed)


# --- the catalog's actions ----------------------------------------------------------------------


def action_specs(catalog: Catalog) -> dict[str, tuple[ActionSpec, ...]]:
    """For each rule, the actions its failure calls for, in order (several when split into steps)."""
    by_rule: dict[str, ActionTemplate] = {r: a for a in catalog.actions for r in a.rules}
    out: dict[str, tuple[ActionSpec, ...]] = {}
    for rule in catalog.rules:
        template = by_rule.get(rule.id)
        out[rule.id] = _specs(rule, template, catalog) if template else (_single(rule),)
    return out


def _single(rule: Rule) -> ActionSpec:
    # the remedy says what to do; as an action's name it reads without its final full stop
    title = Text(zh=rule.remedy.zh.removesuffix("。"), en=rule.remedy.en.removesuffix("."))
    return ActionSpec(
        id=rule.id,
        rule_ids=(rule.id,),
        title=title,
        effort_days=rule.effort_days,
        dimension=rule.dimension,
    )


def _specs(rule: Rule, template: ActionTemplate, catalog: Catalog) -> tuple[ActionSpec, ...]:
    rules = [catalog.rule_by_id[r] for r in template.rules]
    if not template.steps:
        effort = (max(r.effort_days[0] for r in rules), max(r.effort_days[1] for r in rules))
        return (
            ActionSpec(
                id=template.key,
                rule_ids=tuple(template.rules),
                title=template.title,
                effort_days=effort,
                dimension=rules[0].dimension,
            ),
        )
    n = len(template.steps)
    return tuple(
        ActionSpec(
            id=f"{template.key}.{st.key}",
            rule_ids=(rule.id,),
            title=st.title,
            effort_days=st.effort_days,
            dimension=rule.dimension,
            step=i,
            steps=n,
            parent_title=template.title,
        )
        for i, st in enumerate(template.steps)
    )


_SPECS: dict[int, tuple[Catalog, dict[str, ActionSpec]]] = {}


def spec_by_id(catalog: Catalog) -> dict[str, ActionSpec]:
    """Every action the catalog can call for, by id (computed once per loaded catalog)."""
    hit = _SPECS.get(id(catalog))
    if hit is None or hit[0] is not catalog:
        hit = (catalog, {s.id: s for specs in action_specs(catalog).values() for s in specs})
        _SPECS[id(catalog)] = hit
    return hit[1]


def unknown_action_ids(plan: Sequence[PlanAction], catalog: Catalog) -> list[tuple[int, str]]:
    """(place in the plan, id) of each action that is neither one the catalog can call for nor a custom one
    (``custom.…``): a mistyped id in a file would otherwise be kept as an action nobody can place."""
    known = spec_by_id(catalog)
    return [(i, a.id) for i, a in enumerate(plan) if a.id not in known and not a.id.startswith(CUSTOM_PREFIX)]


# --- keeping the plan in step with the answers ---------------------------------------------------


def reconcile(
    plan: Sequence[PlanAction], assessment: Assessment, catalog: Catalog, today: date
) -> tuple[PlanAction, ...]:
    """The stored plan brought in line with the assessment (idempotent for the same answers and day).

    New gaps add actions (appended, worst gap first); an open or in-progress action whose rules all
    pass now becomes done, dated ``today``. Nothing is deleted, and a user's owner, due date, notes and
    status are never overwritten except for that one change.
    """
    specs = action_specs(catalog)
    outcome = {r.rule_id: r.outcome for r in assessment.results}
    out = list(plan)
    have = {a.id for a in out}
    for gap in assessment.gaps:
        for spec in specs.get(gap.rule_id, ()):
            if spec.id not in have:
                out.append(PlanAction(id=spec.id, rule_ids=spec.rule_ids, added_on=today))
                have.add(spec.id)
    for i, action in enumerate(out):
        if action.status in OPEN_STATUSES and _cleared(action, outcome):
            out[i] = action.model_copy(update={"status": "done", "done_on": today})
    return tuple(out)


def closed_by_answers(action: PlanAction, assessment: Assessment) -> bool:
    """The answers show every rule of the action passing: reconciling marks it done whatever its status."""
    return _cleared(action, {r.rule_id: r.outcome for r in assessment.results})


def _cleared(action: PlanAction, outcome: Mapping[str, str]) -> bool:
    """Every rule of the action passes (unanswered is not a pass; an unknown rule never clears)."""
    return bool(action.rule_ids) and all(outcome.get(r) in PASSING for r in action.rule_ids)


def reconciled_profile(profile: Profile, assessment: Assessment, catalog: Catalog, today: date) -> Profile:
    """The profile with its plan reconciled (the same object when nothing changed)."""
    plan = reconcile(profile.plan, assessment, catalog, today)
    return profile if plan == profile.plan else profile.model_copy(update={"plan": plan})


# --- what is shown ---------------------------------------------------------------------------------


def plan_items(
    plan: Sequence[PlanAction], assessment: Assessment, catalog: Catalog, today: date
) -> tuple[PlanItem, ...]:
    """Each action joined with the catalog and the assessment, with its dependencies and flags."""
    specs = spec_by_id(catalog)
    severity = {g.rule_id: g.severity for g in assessment.gaps}
    ids = {a.id for a in plan}
    action_of_rule: dict[str, list[str]] = {}
    for a in plan:
        for r in a.rule_ids:
            action_of_rule.setdefault(r, []).append(a.id)
    items = []
    for a in plan:
        spec = specs.get(a.id)
        failing: list[str] = [s for r in a.rule_ids if (s := severity.get(r)) is not None]
        sev = min(failing, key=SEVERITY_ORDER.__getitem__) if failing else None
        effort = a.effort_days or (spec.effort_days if spec else None)
        gap_open = bool(failing)
        # a done step of a split action leaves the gap to the later steps; any other done action must close it
        last_step = spec is None or spec.step == spec.steps - 1
        reopened = a.status == "done" and gap_open and last_step
        items.append(
            PlanItem(
                id=a.id,
                rule_ids=a.rule_ids,
                title=spec.title if spec else None,
                custom_title=a.title,
                dimension=spec.dimension if spec else _dimension(a, catalog),
                severity=sev,
                owner=a.owner,
                due=a.due,
                status=a.status,
                reason=a.reason,
                effort_days=effort,
                effort_overridden=a.effort_days is not None,
                after=_after(a, spec, specs, catalog, action_of_rule, ids),
                notes=a.notes,
                added_on=a.added_on,
                done_on=a.done_on,
                gap_open=gap_open,
                # a done action whose gap is still open keeps its overdue flag: done means done
                overdue=(a.status in OPEN_STATUSES or reopened) and a.due is not None and a.due < today,
                reopened=reopened,
                known=spec is not None,
                needed_by=_needed_by(a, catalog),
                step=spec.step if spec else 0,
                steps=spec.steps if spec else 1,
                parent_title=spec.parent_title if spec else None,
                fix_fields=_fix_fields(a, severity, catalog) if reopened else (),
            )
        )
    return tuple(items)


def _fix_fields(action: PlanAction, failing: Mapping[str, str], catalog: Catalog) -> tuple[str, ...]:
    """The answers behind the action's rules that still fail: what to correct if the work is done."""
    found = (
        f for r in action.rule_ids if r in failing and r in catalog.rule_by_id for f in catalog.rule_by_id[r].fields
    )
    return tuple(f for f in dict.fromkeys(found) if f in catalog.questions)


def _dimension(action: PlanAction, catalog: Catalog) -> str | None:
    rule = next((catalog.rule_by_id[r] for r in action.rule_ids if r in catalog.rule_by_id), None)
    return rule.dimension if rule else None


def _needed_by(action: PlanAction, catalog: Catalog) -> Literal["submission", "issuance"] | None:
    rules = [catalog.rule_by_id[r] for r in action.rule_ids if r in catalog.rule_by_id]
    if not rules:
        return None
    return "issuance" if all(r.before == "issuance" for r in rules) else "submission"


def _after(
    action: PlanAction,
    spec: ActionSpec | None,
    specs: dict[str, ActionSpec],
    catalog: Catalog,
    action_of_rule: dict[str, list[str]],
    ids: set[str],
) -> tuple[str, ...]:
    """The actions that must end first: the previous step of a split, else the last actions of the rules
    this one's rules wait for (``after`` in rules.toml)."""
    if spec is not None and spec.step > 0:
        prev = next(s.id for s in specs.values() if s.rule_ids == spec.rule_ids and s.step == spec.step - 1)
        return (prev,) if prev in ids else ()
    found: dict[str, None] = {}
    for rid in action.rule_ids:
        rule = catalog.rule_by_id.get(rid)
        for dep in rule.after if rule else ():
            if dep in action.rule_ids:
                continue
            candidates = action_of_rule.get(dep, [])
            last = max(candidates, key=lambda i: specs[i].step if i in specs else 0, default=None)
            if last is not None and last != action.id:
                found[last] = None
    return tuple(found)


def progress(items: Iterable[PlanItem], today: date) -> PlanProgress:
    items = list(items)
    ahead = [i.due for i in items if (i.active or i.reopened) and i.due is not None and i.due >= today]
    return PlanProgress(
        total=len(items),
        done=sum(i.status == "done" and not i.reopened for i in items),  # a conflict is not done
        in_progress=sum(i.status == "in_progress" for i in items),
        open=sum(i.status == "open" for i in items),
        waived=sum(i.status == "waived" for i in items),
        overdue=sum(i.overdue for i in items),
        reopened=sum(i.reopened for i in items),
        next_due=min(ahead) if ahead else None,
        unowned=sum(i.active and not i.owner for i in items),
    )


@record
class GapPlan(Record):
    """Where the plan stands on one gap: the actions that clear its rule, summed up for a gap list."""

    actions: tuple[str, ...]
    status: ActionStatus  # done / waived when every action is; in progress once one started; else open
    owners: tuple[str, ...]  # of the actions still to do (of all when none is left), in plan order
    due: date | None  # the latest due date of the actions still to do: the gap closes when the last is done
    overdue: bool
    conflict: bool = False  # an action is marked done while the answers still show the gap


def gap_plans(items: Iterable[PlanItem]) -> dict[str, GapPlan]:
    """For each rule some action clears, the plan's state for that gap (the Gaps table, the Excel gaps sheet)."""
    by_rule: dict[str, list[PlanItem]] = {}
    for item in items:
        for rule_id in item.rule_ids:
            by_rule.setdefault(rule_id, []).append(item)
    out = {}
    for rule_id, acts in by_rule.items():
        todo = [i for i in acts if i.active or i.reopened]  # a done action whose gap shows is not done
        statuses = {i.status for i in acts}
        if todo:
            started = "in_progress" in statuses or "done" in statuses or "waived" in statuses
            status: ActionStatus = "in_progress" if started else "open"
        else:
            status = "waived" if statuses == {"waived"} else "done"
        dues = [i.due for i in todo if i.due is not None]
        out[rule_id] = GapPlan(
            actions=tuple(i.id for i in acts),
            status=status,
            owners=tuple(dict.fromkeys(i.owner for i in (todo or acts) if i.owner)),
            due=max(dues) if dues else None,
            overdue=any(i.overdue for i in todo),
            conflict=any(i.reopened for i in acts),
        )
    return out


def document_plans(catalog: Catalog, items: Iterable[PlanItem]) -> dict[str, GapPlan]:
    """For each application document, the plan's state on the gap its materials answer fails (if any)."""
    plans = gap_plans(items)
    out = {}
    for doc in catalog.documents:
        rules = catalog.rules_by_field.get(doc.field, ()) if doc.field else ()
        found = next((plans[r.id] for r in rules if r.id in plans), None)
        if found is not None:
            out[doc.id] = found
    return out


def plan_progress(profile: Profile, assessment: Assessment, catalog: Catalog, today: date) -> PlanProgress:
    return progress(plan_items(profile.plan, assessment, catalog, today), today)


def plan_changes(old: Sequence[PlanAction], new: Sequence[PlanAction], old_day: date, new_day: date) -> PlanChange:
    """Actions done, slipped, added, reopened, waived (and removed) between two versions of a plan.

    ``old_day``/``new_day`` are the days each version was saved: an action slipped when its due date
    moved later, or when it was not overdue at the first save and is overdue, still open, at the second.
    """
    before = {a.id: a for a in old}
    done, slipped, added, reopened, waived = [], [], [], [], []
    for a in new:
        b = before.get(a.id)
        if b is None:
            added.append(a.id)
            if a.status == "done":
                done.append(a.id)
            continue
        if a.status == "done" and b.status != "done":
            done.append(a.id)
        if b.status == "done" and a.status in OPEN_STATUSES:
            reopened.append(a.id)
        if a.status == "waived" and b.status != "waived":
            waived.append(a.id)
        if a.status in OPEN_STATUSES and _slipped(b, a, old_day, new_day):
            slipped.append(a.id)
    have = {a.id for a in new}
    removed = [a.id for a in old if a.id not in have]
    return PlanChange(
        done=tuple(done),
        slipped=tuple(slipped),
        added=tuple(added),
        reopened=tuple(reopened),
        waived=tuple(waived),
        removed=tuple(removed),
    )


def _slipped(b: PlanAction, a: PlanAction, old_day: date, new_day: date) -> bool:
    if b.due is not None and a.due is not None and a.due > b.due:
        return True
    was_overdue = b.status in OPEN_STATUSES and b.due is not None and b.due < old_day
    return a.due is not None and a.due < new_day and not was_overdue


def next_custom_id(plan: Sequence[PlanAction]) -> str:
    """A fresh id for an action the user adds: custom.1, custom.2 …"""
    used = {int(a.id[len(CUSTOM_PREFIX) :]) for a in plan if a.id.startswith(CUSTOM_PREFIX) and a.id[7:].isdigit()}
    return f"{CUSTOM_PREFIX}{max(used, default=0) + 1}"


def update_action(plan: Sequence[PlanAction], action_id: str, today: date, **changes: object) -> tuple[PlanAction, ...]:
    """The plan with one action's fields changed, validated (e.g. a waived action needs a reason).

    Marking an action done dates it ``today`` (unless ``done_on`` is given); reopening it clears the
    date; leaving "waived" drops the reason.
    """
    out = []
    for a in plan:
        if a.id == action_id:
            data = a.model_dump() | changes
            status = data.get("status")
            if status == "done" and a.status != "done" and "done_on" not in changes:
                data["done_on"] = today
            if status in OPEN_STATUSES:
                data["done_on"] = None
            if status != "waived" and "reason" not in changes:
                data["reason"] = None
            a = PlanAction.model_validate(data)
        out.append(a)
    return tuple(out)


def sort_key(item: PlanItem) -> tuple[Any, ...]:
    """Plan order for tables: still to do first (overdue, then by due date), then done and waived."""
    rank = 0 if item.active else 1
    return (rank, not item.overdue, item.due or date.max, SEVERITY_ORDER.get(item.severity or "warning", 9), item.id)


def split_group(item: PlanItem) -> str:
    """The steps of a split action share a group: its id without the step's key."""
    return item.id.rsplit(".", 1)[0] if item.steps > 1 else item.id


def in_plan_order(items: Iterable[PlanItem]) -> list[PlanItem]:
    """The plan's order on every surface (the Action plan page, the workbook's plan sheets, the command
    line): ``sort_key``, with the steps of a split action kept together, in step order, where its most
    pressing step stands. A capital increase reads resolution, registration, publication, never the
    reverse (``sort_key`` alone put steps with the same date in the order of their ids)."""
    items = list(items)
    first: dict[str, tuple[Any, ...]] = {}
    for i in items:
        g = split_group(i)
        first[g] = min(first.get(g, sort_key(i)), sort_key(i))
    return sorted(items, key=lambda i: (first[split_group(i)], i.step))
