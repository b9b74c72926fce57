"""What changed between two profiles or two evaluations (uploads, conflicts, history)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from ccl.profile import ALL_FIELDS, Profile


class AnswerChange(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    field: str
    old: Any
    new: Any


class EvaluationChange(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    answers: tuple[AnswerChange, ...]
    gaps_closed: tuple[str, ...]
    gaps_opened: tuple[str, ...]
    overall_delta: float
    status_before: str
    status_after: str
    licence_before: date | None
    licence_after: date | None

    @property
    def licence_days_moved(self) -> int | None:
        """Positive: the expected licence date moved later; negative: earlier."""
        if self.licence_before is None or self.licence_after is None:
            return None
        return (self.licence_after - self.licence_before).days


# the parts of an action a user changes, in the order a diff lists them
ACTION_FIELDS = ("status", "owner", "due", "reason", "effort_days", "notes", "title", "done_on")


def profile_diff(old: Profile, new: Profile) -> tuple[AnswerChange, ...]:
    """Every answer, N/A mark, evidence and plan change, in questionnaire order, then the plan's.

    Fields are ``section.field``, ``not_applicable.<question>``, ``evidence.<question>`` (old and new
    are the whole ``Evidence``), ``plan.<action id>.<part>`` for a changed action, and
    ``plan.<action id>`` for an action added (old None) or removed (new None).
    """
    changes = [AnswerChange(field=f, old=old.get(f), new=new.get(f)) for f in ALL_FIELDS if old.get(f) != new.get(f)]
    for path in sorted(set(old.not_applicable) | set(new.not_applicable)):
        before, after = old.not_applicable.get(path), new.not_applicable.get(path)
        if before != after:
            changes.append(AnswerChange(field=f"not_applicable.{path}", old=before, new=after))
    for path in [f for f in ALL_FIELDS if f in old.evidence or f in new.evidence]:
        was, now = old.evidence.get(path), new.evidence.get(path)
        if was != now:
            changes.append(AnswerChange(field=f"evidence.{path}", old=was, new=now))
    changes += plan_diff(old, new)
    return tuple(changes)


def plan_diff(old: Profile, new: Profile) -> list[AnswerChange]:
    """The plan's changes: actions added or removed, and each changed part of the others."""
    before = {a.id: a for a in old.plan}
    after = {a.id: a for a in new.plan}
    out = []
    for a in new.plan:
        b = before.get(a.id)
        if b is None:
            out.append(AnswerChange(field=f"plan.{a.id}", old=None, new=a))
            continue
        for part in ACTION_FIELDS:
            x, y = getattr(b, part), getattr(a, part)
            if x != y:
                out.append(AnswerChange(field=f"plan.{a.id}.{part}", old=x, new=y))
    out += [AnswerChange(field=f"plan.{a.id}", old=a, new=None) for a in old.plan if a.id not in after]
    return out


def evaluation_diff(old: Any, new: Any) -> EvaluationChange:
    """Compare two ``Evaluation``s: answers, gaps closed and opened, score and licence date moved."""
    old_gaps = {g.rule_id for g in old.assessment.gaps}
    new_gaps = {g.rule_id for g in new.assessment.gaps}
    return EvaluationChange(
        answers=profile_diff(old.profile, new.profile),
        gaps_closed=tuple(sorted(old_gaps - new_gaps)),
        gaps_opened=tuple(sorted(new_gaps - old_gaps)),
        overall_delta=round(new.assessment.overall - old.assessment.overall, 1),
        status_before=old.head.verdict,
        status_after=new.head.verdict,
        licence_before=old.head.licence_date,
        licence_after=new.head.licence_date,
    )
