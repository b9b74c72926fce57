"""Benchmark: a company's charts as the app builds them (plain dicts, ``ui.charts``) against the same
figures made as plotly's graph objects (every property validated, as the app built them before).

For every sample and language, the six charts of the Overview, Gaps, Timeline and Action plan (radar,
scores by dimension, points lost, the gaps' heatmap, the Timeline's Gantt, the plan's Gantt), each turned
into the JSON that ``st.plotly_chart`` sends. Plotly's way is measured by handing the same specs to
``go.Figure``: the result is the same JSON (``tests/chart_support.plotted`` checks it for every chart).
Then, each in a fresh process, the memory the first company's charts add to a server that has loaded
Streamlit and the engine. Pinned to one core.

Run: .venv/bin/python bench/bench_charts.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = date(2026, 12, 7)

# A fresh process: Streamlit, the engine and the chart modules loaded (as in a server), then one company's six charts.
FRESH = """
import resource, sys, time
sys.path.insert(0, {root!r})
from datetime import date
import streamlit.delta_generator
import plotly.graph_objects, plotly.io
import ui.cache, ui.charts.assessment, ui.charts.plan, ui.charts.drawn
from ccl.engine import Engine
from ccl.samples import list_samples
import bench.bench_charts as b
ev = Engine.load().evaluate(next(s for s in list_samples() if s.key.startswith("10_")).load(), date(2026, 12, 7))
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20
before = rss()
t0 = time.perf_counter()
b.charts(ev, "zh", {way!r})
print(rss() - before, (time.perf_counter() - t0) * 1000)
"""


def charts(ev, lang: str, way: str) -> int:
    """The six charts of one evaluation, made the app's way ("dicts") or plotly's ("objects"); the JSON's size."""
    import plotly.graph_objects as go
    import plotly.io

    from ui.cache import get_engine
    from ui.charts import assessment as a
    from ui.charts.drawn import DrawnFigure
    from ui.charts.plan import plan_gantt

    cat = get_engine().catalog
    built = [
        a.radar(cat, ev.assessment, lang),
        a.section_scores(cat, ev.assessment, lang),
        a.points_lost(cat, ev.assessment, lang),
        a.gap_heatmap(cat, ev.assessment, lang),
        a.gantt(cat, ev.story_timeline or ev.expected, lang),
        plan_gantt(cat, ev.plan_timeline, ev.plan, ev.start, lang),
    ]
    size = 0
    for fig in built:
        if fig is None:
            continue
        if way == "dicts":
            size += len(DrawnFigure(fig)._spec)
        else:
            size += len(plotly.io.to_json(go.Figure(fig.to_dict()).to_dict(), validate=False))
    return size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds over every sample and language (default 5)")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    import streamlit.delta_generator  # noqa: F401  (Streamlit's chart template, as in a server)

    from ccl.engine import Engine
    from ccl.samples import list_samples

    engine = Engine.load()
    evals = [engine.evaluate(s.load(), TODAY) for s in list_samples()]
    for way in ("dicts", "objects"):  # warm both: imports, templates, validators
        charts(evals[0], "zh", way)
    times: dict[str, list[float]] = {"dicts": [], "objects": []}
    for _ in range(args.rounds):
        for ev in evals:
            for lang in ("zh", "en"):
                for way in times:
                    t0 = time.perf_counter()
                    charts(ev, lang, way)
                    times[way].append((time.perf_counter() - t0) * 1000)
    d, o = statistics.median(times["dicts"]), statistics.median(times["objects"])
    print(f"six charts of one company, median of {len(times['dicts'])} (samples × languages × rounds):")
    print(f"  as plain dicts (the app)        {d:7.1f} ms")
    print(f"  as plotly's graph objects       {o:7.1f} ms   ({o / d:.0f}× the app's)")
    print("first company's charts in a fresh process with Streamlit and the engine loaded (RSS added, time):")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": ""}
    for way in ("dicts", "objects"):
        out = subprocess.run(
            [sys.executable, "-c", FRESH.format(root=str(ROOT), way=way)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout.split()
        print(f"  {way:8s} +{float(out[0]):.1f} MB, {float(out[1]):.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
