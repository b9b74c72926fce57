"""The application pack's templates (``data/pack/<lang>.toml``) and how they are filled.

A template names facts as ``{fact}`` and writes a placeholder itself as ``{todo:what}``. Filling one gives
paragraphs made of segments, each either text or a placeholder (``【待补充：…】``), so the writer can mark
placeholders and the checklist can count them. Values are inserted as plain text: a value that looks like
a field, a formula or a template token stays those characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import tomli
from pydantic import BaseModel, ConfigDict, Field

from ccl.catalog import DATA_DIR
from ccl.once import once

PACK_DIR = DATA_DIR / "pack"
TOKEN = re.compile(r"\{(todo:[^{}]+|[a-z_]+)\}")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Para(_Model):
    text: str | None = None
    when: tuple[str, ...] = ()
    list: str | None = None
    empty: str = ""


class Section(_Model):
    heading: str
    paragraphs: tuple[str | Para, ...]


class DocTemplate(_Model):
    id: str
    material: str  # the catalog document (documents.toml) this draft is
    file: str
    title: str
    only_when: str | None = None
    sections: tuple[Section, ...]


class Fonts(_Model):
    body: str
    heading: str
    latin: str
    body_size: float = Field(gt=4, le=40)
    title_size: float = Field(gt=4, le=60)
    heading_size: float = Field(gt=4, le=40)


class PackTemplate(_Model):
    placeholder: str
    draft_mark: str
    draft_notice: str
    blocked_title: str
    blocked_intro: str
    gates_open_intro: str
    cover_lines: tuple[str, ...]
    page_number: str
    heading_numbers: tuple[str, ...]
    heading_format: str
    list_sep: str
    fonts: Fonts
    labels: dict[str, str]
    words: dict[str, Any]
    checklist: dict[str, Any]
    documents: tuple[DocTemplate, ...]


@once
def load_template(lang: Literal["zh", "en"], directory: str | None = None) -> PackTemplate:
    """The pack template of one language (a consultancy may point ``directory`` at its own)."""
    path = Path(directory or PACK_DIR) / f"{lang}.toml"
    return PackTemplate.model_validate(tomli.loads(path.read_text(encoding="utf-8")))


class TemplateText(str):
    """Text that comes from the template itself (its [words]), so its own ``{todo:…}`` marks are filled too;
    answers are never wrapped in it and stay plain text."""


@dataclass
class Segment:
    text: str
    todo: str | None = None  # what is missing, when this segment is a placeholder


@dataclass
class Filler:
    """Fills template text from facts, counting every placeholder it writes (by what is missing)."""

    tpl: PackTemplate
    facts: dict[str, Any]
    labels: dict[str, str]  # fact → what a placeholder for it says
    todos: dict[str, int] = field(default_factory=dict)

    def segments(self, text: str) -> list[Segment]:
        out: list[Segment] = []
        pos = 0
        for m in TOKEN.finditer(text):
            if m.start() > pos:
                out.append(Segment(text[pos : m.start()]))
            out += self._token(m.group(1))
            pos = m.end()
        if pos < len(text):
            out.append(Segment(text[pos:]))
        return out

    def _token(self, token: str) -> list[Segment]:
        if token.startswith("todo:"):
            return [self.todo(token[5:])]
        value = self.facts.get(token)
        if value is None:
            return [self.todo(self.labels.get(token, token))]
        if isinstance(value, TemplateText):
            return self.segments(value)
        return [Segment(str(value))]

    def todo(self, what: str) -> Segment:
        self.todos[what] = self.todos.get(what, 0) + 1
        return Segment(self.tpl.placeholder.format(what=what), todo=what)

    def paragraphs(self, para: str | Para, conditions: dict[str, str]) -> list[list[Segment]]:
        """The paragraphs one template entry gives: none when its conditions do not hold."""
        if isinstance(para, str):
            return [self.segments(para)]
        if not all(holds(c, conditions) for c in para.when):
            return []
        if para.list is not None:
            items = self.facts.get(para.list) or []
            return [[Segment(str(i))] for i in items] or ([self.segments(para.empty)] if para.empty else [])
        return [self.segments(para.text or "")]


def holds(condition: str, conditions: dict[str, str]) -> bool:
    """``"fact=yes"`` (or ``no``, ``unknown``) against the switches; ``"fact=no|unknown"`` allows either."""
    name, _, wanted = condition.partition("=")
    return conditions.get(name, "unknown") in wanted.split("|")
