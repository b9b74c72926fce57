"""``python -m ccl calendar FILE [--start YYYY-MM-DD] [--lang zh|en] -o FILE.ics``: the compliance calendar."""

from __future__ import annotations

import argparse
from pathlib import Path

from ccl import clock
from ccl.cli.common import CliError, default_lang, iso_date
from ccl.engine import Engine
from ccl.i18n import LANGS, Lang, t
from ccl.intake import read_checked_profile


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``calendar`` subcommand."""
    p = sub.add_parser("calendar", help="write the compliance calendar (.ics) of one profile")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--start", type=iso_date, default=None, help="date to project and check from (default: today)")
    p.add_argument("--lang", choices=LANGS, default=default_lang())
    p.add_argument("-o", "--output", required=True, metavar="FILE.ics")
    p.set_defaults(handler=cmd_calendar)


def cmd_calendar(args: argparse.Namespace, engine: Engine) -> int:
    from ccl.ics import calendar_ics  # the icalendar package is only needed here

    lang: Lang = args.lang
    profile = read_checked_profile(Path(args.file), engine.catalog)
    ev = engine.evaluate(profile, args.start or clock.today())
    data = calendar_ics(ev, engine.catalog, lang)
    out = Path(args.output)
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise CliError(f"{out}: {exc.strerror or exc.__class__.__name__}") from None
    print(t("ics.written", lang, path=out, n=data.count(b"BEGIN:VEVENT")))
    return 0
