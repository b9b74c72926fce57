"""Client names and who saved are plain text in charts: plotly would read ``<a href>`` as a link."""

from __future__ import annotations

from datetime import date

from ccl.engine import Engine
from ccl.i18n import fmt_score, t
from ccl.samples import list_samples
from ccl.store import Store, summary_of
from tests.chart_support import plotted
from ui.charts.history import history_trend
from ui.charts.portfolio import portfolio_heatmap

HOSTILE = "<a href='http://evil'>Acme</a> <b>&</b>"
ESCAPED = "&lt;a href='http://evil'&gt;Acme&lt;/a&gt; &lt;b&gt;&amp;&lt;/b&gt;"


def test_heatmap_labels_and_trend_hover_show_names_literally(tmp_path) -> None:
    engine = Engine.load()
    xian = next(s for s in list_samples() if s.key.startswith("10"))  # scores with decimals (78.1)
    prof = xian.load().with_answer("company.name", HOSTILE)
    with Store.open(f"sqlite:///{tmp_path / 'ccl.sqlite3'}") as store:
        info = store.save(None, prof, summary_of(engine.evaluate(prof, date(2026, 11, 30))), HOSTILE)
        heat = plotted(portfolio_heatmap(store.list_clients(), engine.catalog, "en"))
        trend = plotted(history_trend(store.history(info.client_id), engine.catalog, "en"))
    labels = list(heat.data[0].y)
    assert len(labels) == 1 and ESCAPED in labels[0] and "<a" not in labels[0]
    overall = next(trace for trace in trend.data if trace.name == t("history.overall", "en"))
    who = [row[0] for row in overall.customdata]
    assert who == [ESCAPED]
    # the scores in the cells and the hovers as every surface writes them (78.1, 85), not rounded by plotly
    z, scores = list(heat.data[0].z[0]), info.summary.dimensions
    assert list(heat.data[0].text[0]) == [fmt_score(v, "en") for v in z] and "%{text}" in heat.data[0].hovertemplate
    assert any(v != int(v) for v in z)  # this sample has a score with a decimal: the check can fail
    assert overall.customdata[0][2] == fmt_score(info.summary.overall, "en")
    dims = {trace.name: list(trace.customdata) for trace in trend.data if trace.name != t("history.overall", "en")}
    assert dims == {d.name("en"): [fmt_score(scores[d.id], "en")] for d in engine.catalog.dimensions}
