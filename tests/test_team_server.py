"""A team server's first minute: consultants open their drafts at once on a server just started, some on
the plan (whose grid loads pandas), others on pages with charts (plotly, which looks pandas up without
importing it). Every page comes up whole: no exception box, no traceback in the server's log.

Without the lock of ``ui.deferred`` most of these sessions failed, every time (a chart met a half-loaded
pandas); this is the same storm over Streamlit's websocket, as the load bench (bench/bench_load.py) sends it.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from datetime import date

import pytest
from browser.conftest import free_port, start_server, stop_server, wait_healthy
from project import ROOT
from stream_support import Session

from ccl.desk import Desk, OpenCompany
from ccl.samples import list_samples
from ccl.store import Store
from ui.session.drafts import browser_key

pytestmark = pytest.mark.slow

PAGES = ("action-plan", "readiness-overview", "licence-timeline", "gap-analysis")
SESSIONS = 16


def _drafts(url: str) -> list[tuple[str, str, str]]:
    """(draft id, browser cookie, company name) of one draft per session, each another consultant's, on
    the plan, the Overview, the Timeline or Gaps in turn, with every sample."""
    samples = list_samples()
    made = []
    with Store.open(url) as store:
        for i in range(SESSIONS):
            sample = samples[i % len(samples)]
            profile = sample.load()
            company = OpenCompany(key=f"sample:{sample.key}", profile=profile, origin=profile)
            page = PAGES[i % len(PAGES)]
            desk = Desk(companies=(company,), current=company.key, lang="zh", page=page, start=date(2026, 12, 7))
            cookie = secrets.token_hex(16)
            draft = store.create_draft(desk.model_copy(update={"owner": browser_key(cookie)}))
            made.append((draft.id, cookie, profile.company.name or ""))
    return made


async def _storm(url: str, drafts: list[tuple[str, str, str]]) -> list[str]:
    sessions = [Session(url, f"d={draft}", name, cookie) for draft, cookie, name in drafts]
    try:
        await asyncio.gather(*(s.open() for s in sessions))
    finally:
        for s in sessions:
            await s.close()
    return [f"d={d[0]}: {e}" for s, d in zip(sessions, drafts, strict=True) for e in s.errors]


def test_drafts_opened_at_once_on_a_fresh_server_all_come_up_whole(tmp_path):
    url = f"sqlite:///{tmp_path / 'team.db'}"
    drafts = _drafts(url)
    port, log = free_port(), tmp_path / "server.log"
    env = {**os.environ, "CCL_TODAY": "2026-12-07", "CCL_DATABASE_URL": url, "PYTHONDONTWRITEBYTECODE": ""}
    proc = start_server(ROOT / "serve.py", port, env=env, log=log)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base, proc, 120)
        errors = asyncio.run(_storm(base, drafts))
    finally:
        stop_server(proc)
    assert errors == []  # each restored (its company's name arrived) and drew without an exception box
    assert "Traceback" not in log.read_text(errors="replace")
