"""Draft autosave benchmark: what keeping the desk as a draft costs per answer change.

    .venv/bin/python bench/bench_drafts.py                        # SQLite in a temporary folder
    CCL_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/bench_drafts.py

Each round changes one answer of one of three open companies (sample companies), then does what the
app does at the end of that run (ui/session/drafts.keep): build the Desk, serialise it, compare its
hash, and write it with the compare-and-swap. A run without a change costs only the first three. The
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


def build(profiles: dict[str, Profile], origins: dict[str, Profile], current: str) -> Desk:
    now = datetime.now(UTC)
    companies = tuple(
        OpenCompany(key=k, profile=p, origin=origins[k], changed_at=now if p is not origins[k] else None)
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
        revision, last = info.revision, hash(filler.to_json())
        changed, unchanged, sizes = [], [], []
        for i in range(rounds):
            key = keys[i % len(keys)]
            profiles[key] = profiles[key].with_answer("staffing.planned_agents", 100 + i)  # the answer itself
            t0 = time.perf_counter()
            ws = build(profiles, origins, key)
            text = ws.to_json()
            digest = hash(text)
            if digest != last:
                revision = store.write_draft(info.id, ws, revision).revision
                last = digest
            changed.append((time.perf_counter() - t0) * 1000)
            sizes.append(len(text.encode()))
            t0 = time.perf_counter()
            assert hash(build(profiles, origins, key).to_json()) != 0  # a run that changed nothing
            unchanged.append((time.perf_counter() - t0) * 1000)
        write_only = []
        for _ in range(rounds // 4):
            t0 = time.perf_counter()
            revision = store.write_draft(info.id, ws, revision).revision
            write_only.append((time.perf_counter() - t0) * 1000)
    print(
        f"\n{label} ({others:,} other drafts, {rounds} answer changes, draft {statistics.median(sizes) / 1024:.1f} KB)"
    )
    print(f"  per answer change (build + JSON + hash + write), median {statistics.median(changed):6.2f} ms")
    print(f"  per answer change, p90                          {statistics.quantiles(changed, n=10)[-1]:6.2f} ms")
    print(f"  the write alone, median                         {statistics.median(write_only):6.2f} ms")
    print(f"  a run without a change (build + JSON + hash)    {statistics.median(unchanged):6.2f} ms")
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
