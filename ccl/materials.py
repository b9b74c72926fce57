"""The application materials checklist, consistency warnings and the on-site inspection list.

Derived from the answers and the assessment: each document of the catalog with its status, whether
it is still held up by an open gap it depends on, the note and documents recorded as evidence on its
answer, the consistency problems that typically trigger a
correction round (补正), and the readiness of what the on-site inspection (现场核查) looks at.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from ccl.catalog.load import Catalog
from ccl.profile import Evidence, Profile
from ccl.scoring import Assessment

ItemState = Literal["ready", "in_progress", "missing", "unanswered", "not_needed"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DocumentItem(_Frozen):
    id: str
    status: str  # catalog status: national, deferrable, practice, optional, removed, merged
    state: ItemState
    waiting_for: tuple[str, ...]  # rule ids of open gaps this document depends on
    evidence: Evidence | None = None  # the note and documents recorded on its materials answer

    @property
    def unevidenced(self) -> bool:
        """Claimed ready, but no document is recorded that shows it (a note alone is not a document)."""
        return self.state == "ready" and (self.evidence is None or not self.evidence.refs)


class CheckItem(_Frozen):
    rule_id: str
    dimension: str
    outcome: str  # pass, fail, unanswered, not_applicable, does_not_apply


class Checklist(_Frozen):
    documents: tuple[DocumentItem, ...]
    consistency: tuple[CheckItem, ...]
    inspection: tuple[CheckItem, ...]

    @property
    def required_open(self) -> int:
        """National or deferrable documents not yet ready."""
        return sum(d.state != "ready" for d in self.documents if d.status in ("national", "deferrable"))

    @property
    def unevidenced(self) -> tuple[DocumentItem, ...]:
        """Current documents answered "ready" with no document recorded as evidence, in catalog order."""
        return tuple(d for d in self.documents if d.unevidenced and d.status not in ("removed", "merged"))


def checklist(profile: Profile, assessment: Assessment, catalog: Catalog) -> Checklist:
    """The materials, consistency and inspection lists for one assessed profile."""
    open_gaps = {g.rule_id for g in assessment.gaps}
    docs = []
    for d in catalog.documents:
        if d.field is None:
            needed = any(r in open_gaps for r in d.needed_when)
            state: ItemState = "missing" if needed else "not_needed"
        else:
            answer = profile.get(d.field)
            state = answer if answer is not None else "unanswered"
        waiting = tuple(r for r in d.depends_on if r in open_gaps)
        evidence = profile.evidence.get(d.field) if d.field else None
        docs.append(DocumentItem(id=d.id, status=d.status, state=state, waiting_for=waiting, evidence=evidence))
    by_id = {r.rule_id: r for r in assessment.results}

    def items(tag: str) -> tuple[CheckItem, ...]:
        return tuple(
            CheckItem(rule_id=r.id, dimension=r.dimension, outcome=by_id[r.id].outcome)
            for r in catalog.rules
            if tag in r.tags
        )

    return Checklist(documents=tuple(docs), consistency=items("consistency"), inspection=items("inspection"))
