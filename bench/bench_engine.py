"""Benchmark: assessment + timeline for one profile, and for a batch of 10,000 generated profiles.

Run: .venv/bin/python bench/bench_engine.py [--n 10000]
Pinned to one core. Prints per-profile figures; the goal is under 1 ms per profile.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ccl.engine import Engine
from ccl.profile import ALL_FIELDS, Profile
from ccl.samples import list_samples
from ccl.scoring import assess
from ccl.timeline import project

START = date(2026, 11, 30)


def generated_profiles(n: int, seed: int = 7) -> list[Profile]:
    """Realistic variety: each sample with a random subset of its answers cleared or perturbed."""
    rng = random.Random(seed)
    bases = [s.load() for s in list_samples()]
    out = []
    for _ in range(n):
        data = rng.choice(bases).model_dump(mode="json")
        for field in rng.sample(ALL_FIELDS, k=rng.randint(0, 12)):
            section, name = field.split(".", 1)
            value = data[section][name]
            if isinstance(value, bool):
                data[section][name] = not value
            elif isinstance(value, int | float) and field != "capital.paid_in_cny" and not name.endswith("_year"):
                scaled = value * rng.choice([0.5, 2])
                data[section][name] = min(scaled, 100) if name.endswith("_pct") else type(value)(scaled)
            else:
                data[section][name] = None
        if data["capital"]["paid_in_cny"] and data["capital"]["registered_cny"]:
            data["capital"]["paid_in_cny"] = min(data["capital"]["paid_in_cny"], data["capital"]["registered_cny"])
        out.append(Profile.model_validate(data))
    return out


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    t0 = time.perf_counter()
    engine = Engine.load()
    load_ms = (time.perf_counter() - t0) * 1000
    one = next(s for s in list_samples() if s.key.startswith("03")).load()
    for _ in range(200):
        engine.evaluate(one, START)
    a = assess(one, engine.catalog)
    single_assess = statistics.median(timed(lambda: assess(one, engine.catalog), 2000)) * 1000
    single_tl = statistics.median(timed(lambda: project(a, engine.catalog, engine.calendar, START), 2000)) * 1000
    single_all = statistics.median(timed(lambda: engine.evaluate(one, START), 2000)) * 1000
    batch = generated_profiles(args.n)
    t0 = time.perf_counter()
    for p in batch:
        project(assess(p, engine.catalog), engine.catalog, engine.calendar, START)
    batch_one = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    for p in batch:
        engine.evaluate(p, START)
    batch_all = (time.perf_counter() - t0) * 1000
    print(f"catalog + calendar load:                       {load_ms:8.1f} ms (once per process)")
    print(f"one profile, assessment:                       {single_assess:8.3f} ms (median of 2000)")
    print(f"one profile, timeline (expected scenario):     {single_tl:8.3f} ms")
    print(f"one profile, assessment + 3 scenarios:         {single_all:8.3f} ms")
    print(
        f"{args.n} profiles, assessment + expected timeline: {batch_one:8.0f} ms = {batch_one / args.n:.3f} ms/profile"
    )
    print(f"{args.n} profiles, assessment + 3 scenarios:     {batch_all:8.0f} ms = {batch_all / args.n:.3f} ms/profile")


if __name__ == "__main__":
    main()
