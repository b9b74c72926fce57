"""Command line: ``python -m ccl assess | plan | report | template | clients | calendar | pack ...``.

Each subcommand lives in its own module with a ``register(subparsers)`` function; the parser imports
them explicitly. Bad input exits with status 2 and one line naming the file and the field; no
traceback reaches the user.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ccl.calendar.workdays import CalendarError
from ccl.catalog.load import CatalogError
from ccl.cli import assess, calendar_ics, clients, pack, plan, share, xlsx
from ccl.cli.common import EXIT_BAD_INPUT, CliError, default_lang
from ccl.engine import Engine
from ccl.errors import ProfileError
from ccl.i18n import Lang, error_lines, t


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ccl", description=t("common.product", "zh") + " / " + t("common.product", "en")
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for module in (assess, plan, xlsx, clients, share, calendar_ics, pack):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    lang: Lang = getattr(args, "lang", default_lang())
    try:
        engine = Engine.load()
        return int(args.handler(args, engine) or 0)
    except (CatalogError, CalendarError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except ProfileError as err:
        print("\n".join(error_lines(err, lang)), file=sys.stderr)
        return EXIT_BAD_INPUT
    except CliError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last line of defence: never a traceback
        print(f"{t('error.internal', lang)} ({exc.__class__.__name__}: {exc})", file=sys.stderr)
        return 1
