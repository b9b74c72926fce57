"""Saved-assessment store benchmark: 1,000 clients × 10 snapshots on SQLite and on PostgreSQL.

    .venv/bin/python bench/bench_store.py                       # SQLite in a temporary folder
    CCL_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/bench_store.py

PostgreSQL runs in a fresh schema that is dropped afterwards ($CCL_BENCH_DATABASE_URL, else
$CCL_TEST_DATABASE_URL). Prints the time to save, and the server time of the portfolio page:
list_clients + portfolio_table + portfolio_heatmap (+ the figure's JSON, which Streamlit sends).
Goal: list and heatmap for 1,000 clients under 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ccl.engine import Engine
from ccl.excel.portfolio import export_portfolio_xlsx
from ccl.portfolio import portfolio_table
from ccl.samples import list_samples
from ccl.store import SnapshotSummary, Store, summary_of
from ui.charts.portfolio import portfolio_heatmap

START = date(2026, 11, 30)


def _jitter(summary: SnapshotSummary, rng: random.Random) -> SnapshotSummary:
    dims = {k: max(0.0, min(100.0, v + rng.uniform(-15, 15))) for k, v in summary.dimensions.items()}
    return summary.model_copy(update={"dimensions": dims, "overall": sum(dims.values()) / len(dims)})


def fill(store: Store, engine: Engine, clients: int, snapshots: int) -> list[float]:
    """Save clients × snapshots (each save its own transaction); returns the seconds per save."""
    rng = random.Random(5)
    evs = [engine.evaluate(s.load(), START) for s in list_samples()]
    base = [(ev.profile, summary_of(ev)) for ev in evs]
    times = []
    for n in range(clients):
        profile, summary = base[n % len(base)]
        name = f"{profile.company.name or '客户'} {n:04d}"
        client_id, version = None, None
        for _ in range(snapshots):
            t0 = time.perf_counter()
            info = store.save(client_id, profile, _jitter(summary, rng), "bench", version, name=name)
            times.append(time.perf_counter() - t0)
            client_id, version = info.client_id, info.version
        if (n + 1) % 100 == 0:
            print(f"  saved {n + 1}/{clients} clients", file=sys.stderr, flush=True)
    return times


def timed(fn: Callable[[], Any], repeat: int = 7) -> tuple[float, Any]:
    """Median seconds over ``repeat`` runs, and the last result."""
    runs, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs), result


def measure(store: Store, engine: Engine, lang: str = "zh") -> dict[str, float]:
    cat = engine.catalog
    t_list, clients = timed(store.list_clients)
    t_table, _ = timed(lambda: portfolio_table(clients, cat, lang))
    t_heat, fig = timed(lambda: portfolio_heatmap(clients, cat, lang))
    t_json, _ = timed(lambda: fig.to_json())
    some = clients[len(clients) // 2].id
    t_hist, _ = timed(lambda: store.history(some))
    t_latest, _ = timed(lambda: store.latest(some))
    t_xlsx, _ = timed(lambda: export_portfolio_xlsx(clients, cat, lang), repeat=3)
    return {
        "clients listed": len(clients),
        "list_clients": t_list,
        "portfolio_table": t_table,
        "portfolio_heatmap": t_heat,
        "figure to JSON": t_json,
        "page total (list+table+heatmap+JSON)": t_list + t_table + t_heat + t_json,
        "history(one client)": t_hist,
        "latest(one client, with profile)": t_latest,
        "export_portfolio_xlsx": t_xlsx,
    }


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="ccl-bench-") as folder:
        yield f"sqlite:///{folder}/ccl.sqlite3"


@contextmanager
def postgres_url(base: str) -> Iterator[str]:
    import psycopg
    from sqlalchemy.engine import make_url

    base = base.replace("postgresql+psycopg://", "postgresql://", 1)
    schema = f"ccl_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
        try:
            url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
            yield url.render_as_string(hide_password=False)
        finally:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


def run(label: str, url: str, engine: Engine, clients: int, snapshots: int) -> None:
    print(f"\n== {label}: {clients} clients × {snapshots} snapshots ==")
    with Store.open(url) as store:
        t0 = time.perf_counter()
        saves = fill(store, engine, clients, snapshots)
        total = time.perf_counter() - t0
        saves.sort()
        print(
            f"  fill: {len(saves)} saves in {total:.1f} s ({len(saves) / total:.0f} saves/s); per save "
            f"median {statistics.median(saves) * 1000:.2f} ms, p95 {saves[int(len(saves) * 0.95)] * 1000:.2f} ms"
        )
        for name, value in measure(store, engine).items():
            shown = f"{value:d}" if isinstance(value, int) else f"{value * 1000:8.1f} ms"
            print(f"  {name:<40} {shown}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--snapshots", type=int, default=10)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    engine = Engine.load()
    pg = os.environ.get("CCL_BENCH_DATABASE_URL") or os.environ.get("CCL_TEST_DATABASE_URL")
    if args.backend in ("sqlite", "both"):
        with sqlite_url() as url:
            run("SQLite", url, engine, args.clients, args.snapshots)
    if args.backend in ("postgresql", "both"):
        if not pg:
            print("\n(PostgreSQL skipped: set CCL_BENCH_DATABASE_URL or CCL_TEST_DATABASE_URL)")
        else:
            with postgres_url(pg) as url:
                run("PostgreSQL", url, engine, args.clients, args.snapshots)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
