"""Benchmark: CLI start-up and batch JSON output, side by side with a bare pydantic process.

Run: .venv/bin/python bench/bench_cli.py [--runs 10] [--n 2000]
Pinned to one core (the child processes inherit it). Measures, in one run:

(a) ``python -m ccl assess ONE.json --format json``, median wall and CPU time over ``--runs``;
(b) a Python process that imports pydantic, defines one model and validates one instance, the same way,
    interleaved with (a) so both see the same machine; goal: (a) at most 2.5x (b);
(c) ``python -m ccl assess FOLDER --format json > /dev/null`` over ``--n`` generated profiles; the cost
    per profile is (batch - one file) / (n - 1); goal: under 1 ms added per profile.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_engine import START, generated_profiles  # noqa: E402

from ccl.engine import Engine, evaluation_json  # noqa: E402
from ccl.intake import read_checked_profile  # noqa: E402
from ccl.records import dumps_json  # noqa: E402

ONE = ROOT / "data" / "samples" / "01_guangzhou_ready.json"
BASELINE = """
from pydantic import BaseModel
class Company(BaseModel):
    name: str
    staff: int
Company.model_validate({"name": "x", "staff": 3})
"""


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child process (its output discarded)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def medians(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def startup(runs: int) -> None:
    cli = [sys.executable, "-m", "ccl", "assess", str(ONE), "--format", "json", "--start", START.isoformat()]
    base = [sys.executable, "-c", BASELINE]
    run(cli), run(base)  # warm the file cache
    a, b = [], []
    for _ in range(runs):
        a.append(run(cli))
        b.append(run(base))
    (aw, ac), (bw, bc) = medians(a), medians(b)
    print(f"(a) python -m ccl assess ONE.json --format json: {aw * 1000:.0f} ms wall, {ac * 1000:.0f} ms CPU")
    print(f"(b) python: import pydantic, one model, one validation: {bw * 1000:.0f} ms wall, {bc * 1000:.0f} ms CPU")
    print(f"    ratio (a)/(b): {aw / bw:.2f}x wall, {ac / bc:.2f}x CPU (goal <= 2.5x)")


def batch(n: int) -> None:
    engine = Engine.load()
    profiles = generated_profiles(n)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i, p in enumerate(profiles):
            (folder / f"{i:05d}.json").write_text(p.model_dump_json(), encoding="utf-8")
        cmd = [sys.executable, "-m", "ccl", "assess", str(folder), "--format", "json", "--start", START.isoformat()]
        one = [sys.executable, "-m", "ccl", "assess", str(folder / "00000.json"), "--format", "json"]
        run(cmd)  # warm
        wall, cpu = run(cmd)
        one_wall, one_cpu = medians([run(one) for _ in range(3)])
        read, evaluate, encode = in_process(engine, sorted(folder.iterdir()))
    per, per_cpu = (wall - one_wall) / (n - 1) * 1000, (cpu - one_cpu) / (n - 1) * 1000
    print(f"(c) python -m ccl assess FOLDER --format json > /dev/null, {n:,} profiles: {wall:.2f} s wall")
    print(f"    per profile: {per:.2f} ms wall, {per_cpu:.2f} ms CPU (read + check + evaluate + JSON)")
    print(
        f"    in process, CPU per profile: read and check {read:.2f} ms, engine {evaluate:.2f} ms, JSON {encode:.2f} ms"
    )
    print(f"    added by the CLI beyond the engine: {read + encode:.2f} ms (goal < 1 ms)")


def in_process(engine: Engine, files: list[Path]) -> tuple[float, float, float]:
    """CPU milliseconds per file of the three steps of a batch: read and check, evaluate, encode."""
    clock = time.process_time
    t0 = clock()
    profiles = [read_checked_profile(f, engine.catalog) for f in files]
    t1 = clock()
    evaluations = [engine.evaluate(p, START) for p in profiles]
    t2 = clock()
    for ev in evaluations:
        dumps_json(evaluation_json(ev, "x"))
    t3 = clock()
    return tuple((b - a) / len(files) * 1000 for a, b in ((t0, t1), (t1, t2), (t2, t3)))  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    startup(args.runs)
    batch(args.n)


if __name__ == "__main__":
    main()
