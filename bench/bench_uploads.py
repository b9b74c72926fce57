"""What an uploaded workbook costs the server: wall time and peak memory of reading it, accepted or refused.

    .venv/bin/python bench/bench_uploads.py

Each upload is read in a fresh process (warmed up with one real questionnaire first, so the catalog
and modules are loaded), and its peak resident memory is measured above that idle process (Linux:
the peak is reset through /proc/self/clear_refs before the read). Covers our own template and report,
the cost bombs of tests/xlsx_bombs.py (refused) and uploads just inside every limit (the costliest
that are read through). Goal: none under 10 MB costs more than 2 s or 200 MB above the idle process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

GOAL_S, GOAL_MB = 2.0, 200.0


def _rss_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def measure(path: str) -> dict[str, object]:
    """Read one upload in this (fresh) process: seconds, MB above idle, and the outcome."""
    import gc

    import xlsx_bombs

    from ccl.engine import Engine
    from ccl.excel.reader import read_profile_xlsx
    from ccl.profile import ProfileError

    catalog = Engine.load().catalog
    read_profile_xlsx(xlsx_bombs.template(), catalog, "warm-up.xlsx")
    data = Path(path).read_bytes()
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # resets the peak (VmHWM) to the current size
    idle = _rss_kb("VmRSS")
    start = time.perf_counter()
    try:
        read_profile_xlsx(data, catalog, "upload.xlsx")
        outcome = "accepted"
    except ProfileError as err:
        outcome = f"refused: {err.code}"
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "mb": (_rss_kb("VmHWM") - idle) / 1024, "outcome": outcome}


def _cases() -> dict[str, bytes]:
    import xlsx_bombs

    from ccl.engine import Engine
    from ccl.excel.report import build_report
    from ccl.samples import list_samples

    base = xlsx_bombs.template()
    engine = Engine.load()
    ev = engine.evaluate(list_samples()[0].load(), date(2026, 11, 30))
    cases = {"questionnaire template": base, "exported report": build_report(ev, engine, "zh", date(2026, 11, 30))}
    cases |= {f"bomb: {name}": build(base) for name, build in xlsx_bombs.BOMBS.items()}
    cases |= {f"near limit: {name}": build(base) for name, build in xlsx_bombs.NEAR_LIMITS.items()}
    return cases


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(measure(sys.argv[2])))
        return 0
    import tempfile

    worst_s = worst_mb = 0.0
    print(f"{'upload':34} {'size':>9} {'time':>7} {'memory':>9}  outcome")
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in _cases().items():
            path = Path(tmp) / "upload.xlsx"
            path.write_bytes(data)
            out = subprocess.run(
                [sys.executable, __file__, "--one", str(path)], capture_output=True, text=True, check=True
            )
            r = json.loads(out.stdout.strip().splitlines()[-1])
            worst_s, worst_mb = max(worst_s, r["seconds"]), max(worst_mb, r["mb"])
            print(f"{name:34} {len(data) / 1024:7.0f}KB {r['seconds']:6.2f}s {r['mb']:7.0f}MB  {r['outcome']}")
    ok = worst_s <= GOAL_S and worst_mb <= GOAL_MB
    mark = "✔" if ok else "✘"
    print(f"worst: {worst_s:.2f} s, {worst_mb:.0f} MB above idle (goal ≤ {GOAL_S} s, ≤ {GOAL_MB:.0f} MB) {mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
