"""``python -m ccl pack FILE -o PACK.zip [--lang zh|en] [--start YYYY-MM-DD]``: the application pack."""

from __future__ import annotations

import argparse
from pathlib import Path

from ccl import clock
from ccl.cli.common import CliError, default_lang, iso_date
from ccl.engine import Engine
from ccl.i18n import LANGS, Lang, t
from ccl.intake import read_checked_profile


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``pack`` subcommand."""
    p = sub.add_parser("pack", help="write the application pack (.zip of .docx drafts and the materials checklist)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--start", type=iso_date, default=None, help="date the plan is kept in step on (default: today)")
    p.add_argument("--lang", choices=LANGS, default=default_lang())
    p.add_argument("-o", "--output", required=True, metavar="PACK.zip")
    p.set_defaults(handler=cmd_pack)


def cmd_pack(args: argparse.Namespace, engine: Engine) -> int:
    from ccl.pack import build_pack  # python-docx is only needed here

    lang: Lang = args.lang
    profile = read_checked_profile(Path(args.file), engine.catalog)
    ev = engine.evaluate(profile, args.start or clock.today())
    pack = build_pack(ev, engine.catalog, lang, clock.now())
    out = Path(args.output)
    try:
        out.write_bytes(pack.data)
    except OSError as exc:
        raise CliError(f"{out}: {exc.strerror or exc.__class__.__name__}") from None
    print(t("pack.written", lang, path=out, n=len(pack.files), todos=pack.todos))
    if pack.blocked:
        print(t("pack.written_blocked", lang))
    return 0
