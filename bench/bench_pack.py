"""Time to build the application pack (python -m ccl pack) for every sample, both languages.

Goal: under 2 s per sample. Prints the median and worst of 5 builds per sample and language, in CPU time
(process_time), so a busy shared machine does not inflate the figure with time spent waiting for a core.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ccl.engine import Engine
from ccl.pack import build_pack
from ccl.samples import list_samples


def main() -> None:
    engine = Engine.load()
    when = datetime(2026, 12, 1, tzinfo=UTC)
    worst = 0.0
    for lang in ("zh", "en"):
        times = []
        for sample in list_samples():
            ev = engine.evaluate(sample.load(), date(2026, 12, 1))
            runs = []
            for _ in range(5):
                t0 = time.process_time()
                build_pack(ev, engine.catalog, lang, when)
                runs.append(time.process_time() - t0)
            times.append(statistics.median(runs))
            worst = max(worst, max(runs))
        median, slowest = statistics.median(times) * 1000, max(times) * 1000
        print(f"{lang}: median per sample {median:.0f} ms, slowest sample {slowest:.0f} ms")
    print(f"worst single build {worst * 1000:.0f} ms (goal < 2000 ms) {'✔' if worst < 2 else '✘'}")


if __name__ == "__main__":
    main()
