"""Command line for the Excel files: ``report PROFILE -o OUT.xlsx`` and ``template -o OUT.xlsx``.

``python -m ccl report data/samples/01_guangzhou_ready.json --lang en`` writes the readiness report;
``python -m ccl template -o 问卷.xlsx`` writes the blank questionnaire (``--prefill`` fills it from a
profile). Bad input or an unwritable output path: one line on stderr, exit status 2.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ccl import clock
from ccl.cli.common import CliError, default_lang, iso_date
from ccl.i18n import LANGS, Lang, t
from ccl.intake import read_checked_profile

# openpyxl loads only when a workbook is written or read (``python -m ccl`` starts fast).
if TYPE_CHECKING:
    from ccl.engine import Engine, Evaluation

REPORT_SUFFIXES = (".xlsx", ".pdf")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``report`` and ``template`` subcommands."""
    lang = default_lang()
    p = subparsers.add_parser("report", help=t("pdf_cli.report_help", lang))
    p.add_argument("profile", metavar="PROFILE", help=".json / .xlsx")
    p.add_argument("-o", "--output", metavar="OUT.xlsx|OUT.pdf", default=None, help=t("pdf_cli.output_help", lang))
    p.add_argument("--lang", choices=LANGS, default=lang)
    p.add_argument("--start", type=iso_date, default=None, help="projection start date (default: today)")
    p.set_defaults(handler=cmd_report)
    p = subparsers.add_parser("template", help=t("xlsx_cli.template_help", lang))
    p.add_argument("-o", "--output", metavar="OUT.xlsx", default=None, help=t("xlsx_cli.output_help", lang))
    p.add_argument("--lang", choices=LANGS, default=lang)
    p.add_argument("--prefill", metavar="PROFILE", default=None, help=t("xlsx_cli.prefill_help", lang))
    p.set_defaults(handler=cmd_template)


def cmd_report(args: argparse.Namespace, engine: Engine) -> int:
    """The Excel report, or the PDF brief when the output ends in .pdf."""
    from ccl.excel.report import build_report, report_filename

    lang: Lang = args.lang
    today = clock.today()
    out = Path(args.output) if args.output else None
    if out is not None and out.suffix.lower() not in REPORT_SUFFIXES:
        raise CliError(t("pdf_cli.bad_suffix", lang, path=out))
    profile = read_checked_profile(Path(args.profile), engine.catalog)  # a ProfileError: one line per problem
    ev = engine.evaluate(profile, args.start or today)
    if out is not None and out.suffix.lower() == ".pdf":
        write_bytes(out, _pdf_bytes(ev, engine, lang, today), lang, ".pdf")
    else:
        out = out or Path(report_filename(ev, lang, today))
        write_bytes(out, build_report(ev, engine, lang, today), lang)
    print(t("xlsx_cli.wrote_report", lang, path=out))
    return 0


def _pdf_bytes(ev: Evaluation, engine: Engine, lang: Lang, today: date) -> bytes:
    from ccl.pdf.fonts import FontMissing
    from ccl.pdf.render import build_pdf

    try:
        return build_pdf(ev, engine, lang, today)
    except FontMissing as exc:
        raise CliError(t("pdf.missing_font", lang, package=exc.args[0])) from None


def cmd_template(args: argparse.Namespace, engine: Engine) -> int:
    from ccl.excel.template import build_template, template_filename

    lang: Lang = args.lang
    profile = read_checked_profile(Path(args.prefill), engine.catalog) if args.prefill else None
    out = Path(args.output) if args.output else Path(template_filename(lang, profile))
    write_bytes(out, build_template(engine, lang, profile), lang)
    print(t("xlsx_cli.wrote_template", lang, path=out))
    return 0


def write_bytes(out: Path, data: bytes, lang: Lang, suffix: str = ".xlsx") -> None:
    """Write a file next to its final name, then move it into place (no half-written files)."""
    if out.suffix.lower() != suffix:
        raise CliError(t("xlsx_cli.not_xlsx", lang, path=out))
    if out.is_dir():
        raise CliError(t("xlsx_cli.is_folder", lang, path=out))
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".ccl-", suffix=suffix, dir=out.parent if str(out.parent) else ".")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes the file private; give it the usual mode
        os.replace(tmp, out)
    except OSError as exc:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
        reason = exc.strerror or exc.__class__.__name__
        raise CliError(t("xlsx_cli.cannot_write", lang, path=out, reason=reason)) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
