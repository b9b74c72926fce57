"""Client names and who saved are plain text in charts: plotly would read ``<a href>`` as a link."""

from __future__ import annotations

from datetime import date

from ccl.engine import Engine
from ccl.samples import list_samples
from ccl.store import Store, summary_of
from tests.chart_support import plotted
from ui.charts.history import history_trend
from ui.charts.portfolio import portfolio_heatmap

HOSTILE = "<a href='http://evil'>Acme</a> <b>&</b>"
ESCAPED = "&lt;a href='http://evil'&gt;Acme&lt;/a&gt; &lt;b&gt;&amp;&lt;/b&gt;"


def test_heatmap_labels_and_trend_hover_show_names_literally(tmp_path) -> None:
    engine = Engine.load()
    prof = list_samples()[0].load().with_answer("company.name", HOSTILE)
    with Store.open(f"sqlite:///{tmp_path / 'ccl.sqlite3'}") as store:
        info = store.save(None, prof, summary_of(engine.evaluate(prof, date(2026, 11, 30))), HOSTILE)
        heat = plotted(portfolio_heatmap(store.list_clients(), engine.catalog, "en"))
        trend = plotted(history_trend(store.history(info.client_id), engine.catalog, "en"))
    labels = list(heat.data[0].y)
    assert len(labels) == 1 and ESCAPED in labels[0] and "<a" not in labels[0]
    who = [row[0] for trace in trend.data if trace.customdata is not None for row in trace.customdata]
    assert who == [ESCAPED]
