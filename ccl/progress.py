"""How far a company's answers go, for what a page shows first: whether anything is answered yet, the
questions the legal conditions need for a first verdict, and each questionnaire section's mark.

A blank company has no score to show and nothing to scold: the pages welcome it and ask the legal
conditions first (``legal_questions``), since without them there is no verdict or licence date at all.
"""

from __future__ import annotations

import dataclasses
from typing import Literal

from ccl.catalog.load import Catalog
from ccl.i18n import Lang, t
from ccl.profile import ALL_FIELDS, Profile
from ccl.scoring import Assessment

MarkKind = Literal["blank", "open", "done", "filled"]


def answered(profile: Profile) -> tuple[str, ...]:
    """The questions with an answer or marked not applicable, in questionnaire order."""
    return tuple(f for f in ALL_FIELDS if profile.get(f) is not None or f in profile.not_applicable)


def started(profile: Profile) -> bool:
    """Anything answered yet (an empty form has no score, verdict or gaps worth showing)."""
    return bool(answered(profile))


def legal_questions(catalog: Catalog) -> tuple[str, ...]:
    """Every question a legal condition (gate) reads, in questionnaire order: the answers a first verdict
    and a licence date need, whatever has been answered already."""
    read = {f for rule in catalog.rules if rule.kind == "gate" for f in catalog.rule_inputs(rule)}
    return tuple(f for f in ALL_FIELDS if f in read)


def legal_answered(profile: Profile, catalog: Catalog) -> int:
    """How many of ``legal_questions`` have an answer (or are marked not applicable)."""
    done = set(answered(profile))
    return sum(f in done for f in legal_questions(catalog))


@dataclasses.dataclass(frozen=True, slots=True)
class SectionMark:
    """A questionnaire section's state: ``blank`` (nothing answered; no mark, never a tick), ``open``
    (``open`` required questions left), ``done`` (answered, none left) or ``filled`` (the unscored
    document details: ``filled`` of ``total`` given)."""

    kind: MarkKind
    open: int = 0
    filled: int = 0
    total: int = 0

    def text(self, lang: Lang) -> str:
        """The mark as the section picker writes it ("" for a blank section)."""
        if self.kind == "blank":
            return ""
        if self.kind == "done":
            return "✓"
        if self.kind == "open":
            return t("questionnaire.mark_open", lang, n=self.open)
        return t("questionnaire.mark_filled", lang, n=self.filled, total=self.total)


UNSCORED_SECTIONS = frozenset({"document_details"})  # never "open": filled in for the application pack's drafts


def section_marks(profile: Profile, assessment: Assessment, sections: tuple[str, ...]) -> dict[str, SectionMark]:
    """The marks of the given sections (the answers are looked through once for all of them)."""
    done = frozenset(answered(profile))
    return {s: section_mark(profile, assessment, s, done) for s in sections}


def section_mark(
    profile: Profile, assessment: Assessment, section: str, done: frozenset[str] | None = None
) -> SectionMark:
    """The mark of one questionnaire section (see ``SectionMark``); ``done``: ``answered(profile)`` if known."""
    fields = [f for f in ALL_FIELDS if f.split(".", 1)[0] == section]
    done = frozenset(answered(profile)) if done is None else done
    filled = sum(f in done for f in fields)
    if section in UNSCORED_SECTIONS:
        return SectionMark("filled", filled=filled, total=len(fields))
    still = sum(f.split(".", 1)[0] == section for f in assessment.unanswered)
    if still:
        return SectionMark("open", open=still, filled=filled, total=len(fields))
    return SectionMark("done" if filled else "blank", filled=filled, total=len(fields))
