"""Draft autosave benchmark: what keeping the desk as a draft costs per answer change.

    .venv/bin/python bench/bench_drafts.py                        # SQLite in a temporary folder
    CCL_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/bench_drafts.py

Each round changes one answer of one of three open companies (sample companies), then does what the
app does at the end of that run (ui/session/drafts.keep): build the Desk, compare it with the desk last
written, and write it with the compare-and-swap (the store serialises it). A run without a change costs only
the first two. The
table holds a few thousand other drafts, as a team database would. Goal: median under 10 ms on SQLite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import postgres_url, sqlite_url

from ccl.desk import Desk, OpenCompany
from ccl.profile import Profile
from ccl.samples import list_samples
from ccl.store import Store

START = date(2026, 11, 30)


_SEEN: dict[str, tuple[Profile, datetime | None]] = {}  # as the app's session remembers when answers changed


def _changed_at(key: str, profile: Profile, origin: Profile) -> datetime | None:
    seen = _SEEN.get(key)
    if seen is None or seen[0] is not profile:
        seen = _SEEN[key] = (profile, None if profile is origin else datetime.now(UTC))
    return seen[1]


def build(profiles: dict[str, Profile], origins: dict[str, Profile], current: str) -> Desk:
    companies = tuple(
        OpenCompany(key=k, profile=p, origin=origins[k], changed_at=_changed_at(k, p, origins[k]))
        for k, p in profiles.items()
    )
    return Desk(companies=companies, current=current, lang="zh", page="self-assessment", start=START)


def run(label: str, url: str, rounds: int, others: int) -> None:
    samples = list_samples()[:3]
    origins = {f"sample:{s.key}": s.load() for s in samples}
    profiles = dict(origins)
    keys = list(profiles)
    with Store.open(url) as store:
        filler = build(profiles, origins, keys[0])
        for _ in range(others):
            store.create_draft(filler)
        info = store.create_draft(filler)
        revision, last = info.revision, filler
        changed, unchanged, sizes = [], [], []
        for i in range(rounds):
            key = keys[i % len(keys)]
            profiles[key] = profiles[key].with_answer("staffing.planned_agents", 100 + i)  # the answer itself
            t0 = time.perf_counter()
            ws = build(profiles, origins, key)
            if ws != last:
                revision = store.write_draft(info.id, ws, revision).revision
                last = ws
            changed.append((time.perf_counter() - t0) * 1000)
            sizes.append(len(ws.to_json().encode()))
            t0 = time.perf_counter()
            assert build(profiles, origins, key) == last  # a run that changed nothing
            unchanged.append((time.perf_counter() - t0) * 1000)
        write_only = []
        for _ in range(rounds // 4):
            t0 = time.perf_counter()
            revision = store.write_draft(info.id, ws, revision).revision
            write_only.append((time.perf_counter() - t0) * 1000)
    print(
        f"\n{label} ({others:,} other drafts, {rounds} answer changes, draft {statistics.median(sizes) / 1024:.1f} KB)"
    )
    print(f"  per answer change (build + compare + write), median    {statistics.median(changed):6.2f} ms")
    print(f"  per answer change, p90                          {statistics.quantiles(changed, n=10)[-1]:6.2f} ms")
    print(f"  the write alone, median                         {statistics.median(write_only):6.2f} ms")
    print(f"  a run without a change (build + compare)        {statistics.median(unchanged):6.2f} ms")
    goal = statistics.median(changed) < 10
    print(f"  goal: under 10 ms median per answer change: {'met' if goal else 'NOT met'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--others", type=int, default=2000, help="other drafts in the table")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    pg = os.environ.get("CCL_BENCH_DATABASE_URL") or os.environ.get("CCL_TEST_DATABASE_URL")
    if args.backend in ("sqlite", "both"):
        with sqlite_url() as url:
            run("SQLite", url, args.rounds, args.others)
    if args.backend in ("postgresql", "both"):
        if not pg:
            print("\n(PostgreSQL skipped: set CCL_BENCH_DATABASE_URL or CCL_TEST_DATABASE_URL)")
        else:
            with postgres_url(pg) as url:
                run("PostgreSQL", url, args.rounds, args.others)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
