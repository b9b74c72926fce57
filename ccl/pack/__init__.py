"""The application pack: drafts of the documents a company writes itself, filled from its answers, and a
checklist of every required material with its status, where its evidence is kept and what is missing.

``build_pack`` returns the zip; the Materials page and ``python -m ccl pack`` both call it. The wording
and the house style are data (``data/pack/<lang>.toml``); this module only decides what goes where.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ccl.catalog.load import Catalog
from ccl.clock import SHANGHAI
from ccl.engine import Evaluation
from ccl.filenames import safe_file_part
from ccl.i18n import Lang, evidence_line, source_text, t
from ccl.materials import Checklist, checklist
from ccl.pack.docx_writer import OfficialDoc, restamp
from ccl.pack.facts import ANSWER_FACTS, Words, conditions, facts
from ccl.pack.template import DocTemplate, Filler, PackTemplate, holds, load_template

__all__ = ["Pack", "build_pack", "pack_filename"]


@dataclass
class Drafted:
    template: DocTemplate
    data: bytes
    todos: dict[str, int]  # what is still to be completed → how often the draft marks it


@dataclass
class Pack:
    data: bytes  # the zip
    files: tuple[str, ...]
    todos: int  # placeholders in all drafts
    blocked: bool


def pack_filename(ev: Evaluation, lang: Lang) -> str:
    stem = t("pack.file_stem", lang)
    name = ev.profile.company.name
    return f"{safe_file_part(name)}_{stem}.zip" if name else f"{stem}.zip"


def build_pack(ev: Evaluation, catalog: Catalog, lang: Lang, when: datetime, template_dir: str | None = None) -> Pack:
    """The pack of one evaluated profile; ``when`` dates the documents and every file in the zip."""
    tpl = load_template(lang, template_dir)
    local = when.astimezone(SHANGHAI)
    cl = checklist(ev.profile, ev.assessment, catalog)
    deferral = any(d.id == "insurance_deferral_commitment" and d.state == "missing" for d in cl.documents)
    words = Words(tpl.words | {"list_sep": tpl.list_sep}, lang)
    known = facts(ev, catalog, lang, words, local.date())
    switches = conditions(ev, deferral)
    labels = {name: catalog.questions[path].label(lang) for name, path in ANSWER_FACTS.items()} | tpl.labels
    banner = _banner(ev, catalog, lang, tpl)
    drafted = []
    for doc in tpl.documents:
        if doc.only_when is None or holds(doc.only_when, switches):
            filler = Filler(tpl, known, labels)
            drafted.append(Drafted(doc, _draft(doc, tpl, filler, switches, banner, known, local), filler.todos))
    files = {tpl.checklist["file"]: _checklist(ev, catalog, lang, tpl, cl, drafted, banner, known, local)}
    files |= {d.template.file: d.data for d in drafted}
    return Pack(_zip(files, local), tuple(files), sum(sum(d.todos.values()) for d in drafted), bool(banner[0]))


Banner = tuple[list[str], list[str]]  # (failed legal conditions, unanswered ones), as cover lines


def _banner(ev: Evaluation, catalog: Catalog, lang: Lang, tpl: PackTemplate) -> tuple[list[str], list[str]]:
    """(the legal conditions that fail, those still unanswered), each as "title (source)"."""

    def line(rule_id: str) -> str:
        rule = catalog.rule_by_id[rule_id]
        return t("pack.blocker_line", lang, title=rule.title(lang), source=source_text(catalog, rule.source, lang))

    a = ev.assessment
    failed = [line(r) for r in a.blockers]
    unanswered = [line(r.rule_id) for r in a.status_reasons if r.code == "gate_unanswered" and r.rule_id]
    return failed, unanswered


def _cover(
    out: OfficialDoc, tpl: PackTemplate, filler: Filler, title: str, banner: tuple[list[str], list[str]]
) -> None:
    out.centred(filler.facts.get("company") or "", tpl.fonts.heading_size, space_after=24)
    out.centred(title, tpl.fonts.title_size, space_after=6)
    out.centred(tpl.draft_mark, tpl.fonts.heading_size, space_after=18)
    out.text(tpl.draft_notice, red=True)
    failed, unanswered = banner
    if failed:
        out.heading(tpl.blocked_title)
        out.text(tpl.blocked_intro, red=True)
        for line in failed:
            out.text(line, red=True)
    if unanswered:
        out.text(tpl.gates_open_intro)
        for line in unanswered:
            out.text(line)
    out.text("")  # a blank line between the notice and the facts of the application
    for line in tpl.cover_lines:
        out.paragraph(filler.segments(line), indent=False)
    out.page_break()


def _draft(
    doc: DocTemplate, tpl: PackTemplate, filler: Filler, switches: Any, banner: Banner, known: Any, local: datetime
) -> bytes:
    out = OfficialDoc(tpl.fonts, tpl.page_number)
    _cover(out, tpl, filler, doc.title, banner)
    out.centred(doc.title, tpl.fonts.title_size, space_after=18)
    for n, section in enumerate(doc.sections):
        out.heading(tpl.heading_format.format(n=_number(tpl, n), title=section.heading))
        for para in section.paragraphs:
            for segments in filler.paragraphs(para, switches):
                out.paragraph(segments)
    return out.finish(f"{doc.title}{tpl.draft_mark}", known.get("company") or "", local)


def _number(tpl: PackTemplate, n: int) -> str:
    return tpl.heading_numbers[n] if n < len(tpl.heading_numbers) else str(n + 1)


def _checklist(
    ev: Evaluation,
    catalog: Catalog,
    lang: Lang,
    tpl: PackTemplate,
    cl: Checklist,
    drafted: list[Drafted],
    banner: Banner,
    known: Any,
    local: datetime,
) -> bytes:
    c = tpl.checklist
    out = OfficialDoc(tpl.fonts, tpl.page_number, landscape=True)
    filler = Filler(tpl, known, {})
    _cover(out, tpl, filler, c["title"], banner)
    out.centred(c["title"], tpl.fonts.title_size, space_after=12)
    out.text(c["intro"])
    out.heading(tpl.heading_format.format(n=_number(tpl, 0), title=c["materials_heading"]))
    out.table(c["columns"], _material_rows(catalog, lang, c, cl, drafted), [12, 62, 62, 20, 54, 52])
    total = sum(sum(d.todos.values()) for d in drafted)
    out.heading(tpl.heading_format.format(n=_number(tpl, 1), title=c["placeholders_heading"]))
    out.text(c["placeholders_intro"].format(n=total) if total else c["placeholders_none"])
    rows = [[d.template.file, what, str(n)] for d in drafted for what, n in d.todos.items()]
    if rows:
        out.table(c["placeholder_columns"], rows, [70, 150, 20])
    return out.finish(c["title"], known.get("company") or "", local)


def _material_rows(
    catalog: Catalog, lang: Lang, c: dict[str, Any], cl: Checklist, drafted: list[Drafted]
) -> list[list[str]]:
    docs = {d.id: d for d in catalog.documents}
    draft_of = {d.template.material: d for d in drafted}
    sep = "；" if lang == "zh" else "; "
    rows: list[list[str]] = []
    for item in (i for i in cl.documents if i.status not in ("removed", "merged")):
        missing = []
        if item.id in draft_of:
            d = draft_of[item.id]
            missing.append(c["drafted"].format(file=d.template.file))
            if d.todos:
                missing.append(c["todo_count"].format(n=sum(d.todos.values())))
        if item.waiting_for:
            titles = sep.join(catalog.rule_by_id[r].title(lang) for r in item.waiting_for)
            missing.append(c["waiting"].format(rules=titles))
        if item.unevidenced:
            missing.append(c["no_evidence"])
        doc = docs[item.id]
        state, kept = t(f"materials.state.{item.state}", lang), evidence_line(item.evidence, lang)
        still = "\n".join(missing) or c["nothing_missing"]
        rows.append([str(len(rows) + 1), doc.name(lang), doc.basis(lang), state, kept, still])
    return rows


def _zip(files: dict[str, bytes], local: datetime) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:  # .docx files are compressed already
        for name, data in files.items():
            zf.writestr(name, data)
    return restamp(buf.getvalue(), local)
