"""The page registry: which pages exist, in which order and section, with their icons.

Pages of later issues (report, history, portfolio) are listed here and appear as soon as their file
exists; until then they are left out rather than shown as placeholders.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import streamlit as st

from ccl.i18n import Lang, t
from ui import deferred

ROOT = Path(__file__).resolve().parent.parent
PAGES_DIR = ROOT / "pages"


@dataclass(frozen=True, slots=True)
class PageSpec:
    key: str  # file pages/<key>.py and locale key nav.<key>
    icon: str
    section: str  # locale key nav.section_<section>
    # The URL path must differ from the file name: a process's first run (and every AppTest run)
    # emulates the old pages/-folder mode, which maps /<file name> straight to the page script and
    # would skip app.py (state, sidebar). A different path falls through to app.py's st.navigation.
    url: str
    # Draws a grid (st.dataframe / st.data_editor) or works on pandas frames: pandas is loaded before the
    # page runs (``run``); the others draw without it (``ui.deferred``).
    grids: bool = False

    @property
    def path(self) -> Path:
        return PAGES_DIR / f"{self.key}.py"


DEFAULT_PAGE = "overview"  # shown at the app's root URL

PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", ":material/dashboard:", "assess", "readiness-overview"),
    PageSpec("obligations", ":material/verified_user:", "assess", "licence-duties"),
    PageSpec("questionnaire", ":material/checklist:", "assess", "self-assessment"),
    PageSpec("gaps", ":material/troubleshoot:", "assess", "gap-analysis"),
    PageSpec("plan", ":material/task_alt:", "assess", "action-plan", grids=True),
    PageSpec("timeline", ":material/event_upcoming:", "assess", "licence-timeline"),
    PageSpec("materials", ":material/folder_open:", "assess", "application-materials"),
    PageSpec("rules", ":material/gavel:", "reference", "rules-and-sources", grids=True),
    PageSpec("report", ":material/description:", "records", "excel-report", grids=True),
    PageSpec("history", ":material/history:", "records", "assessment-history", grids=True),
    PageSpec("portfolio", ":material/groups:", "records", "client-portfolio", grids=True),
)


def pages(lang: Lang, holder: bool = False, hide: frozenset[str] = frozenset()) -> dict[str, list[st.Page]]:
    """``st.navigation`` input: translated section headers → pages with translated titles.

    A company that already holds the licence opens on its duties instead of the application overview.
    ``hide``: page keys left out (a share link's session has no Portfolio or History).
    """
    home = "obligations" if holder else "overview"
    out: dict[str, list[st.Page]] = {}
    for spec in PAGES:
        if spec.key in hide:
            continue
        page = st.Page(
            spec.path,
            title=t(f"nav.{spec.key}", lang),
            icon=spec.icon,
            url_path=spec.url,
            default=spec.key == home,
        )
        out.setdefault(t(f"nav.section_{spec.section}", lang), []).append(page)
    return out


class PageEnded(BaseException):  # like Streamlit's StopException: not for a page's ``except Exception``
    """A page has drawn all it has to show (``end_page``)."""


def end_page() -> NoReturn:
    """End the page here and let the run finish. ``st.stop()`` cannot be used for this: it leaves a stop
    request pending, so every later Streamlit call (``st.session_state`` included) raises again, and the
    end of ``app.py`` (the draft's ``keep()``) never ran after a page that ended early: a language change on
    such a page, or the page itself, was not kept in the draft."""
    raise PageEnded


def run(page: st.Page) -> None:
    """Run the page ``st.navigation`` chose, with pandas loaded first if it draws grids."""
    url = url_of(page)
    if any(spec.grids and spec.url == url for spec in PAGES):
        deferred.pandas()
    with contextlib.suppress(PageEnded):  # the page ended early (end_page): the run goes on to its end
        page.run()


def url_of(page: st.Page) -> str:
    """The url_path of a page object of ``pages()``, the default page's too (it reports "")."""
    if page.url_path:
        return page.url_path
    return next(spec.url for spec in PAGES if spec.key == DEFAULT_PAGE)
