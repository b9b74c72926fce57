"""The chart cache (ui.cache.figure): a chart is built once per evaluation and language and drawn exactly
as plotly's own figure of it would be; the cache and the post-run freezing stay bounded."""

from __future__ import annotations

import gc
import json
from datetime import date

import plotly.io
import plotly.tools
import pytest

from ccl.engine import Engine
from ccl.samples import list_samples
from tests.chart_support import plotted
from ui import cache
from ui.charts import assessment as charts
from ui.charts.plan import plan_gantt

TODAY = date(2026, 12, 7)
ENGINE = Engine.load()
CAT = ENGINE.catalog


def drawn(fig) -> dict:
    """What st.plotly_chart sends to the browser for a figure: its spec, read back."""
    return json.loads(plotly.io.to_json(plotly.tools.return_figure_from_figure_or_data(fig, True), validate=False))


def builders(ev):
    a = ev.assessment
    return [
        (charts.radar, CAT, a),
        (charts.section_scores, CAT, a),
        (charts.points_lost, CAT, a),
        (charts.gap_heatmap, CAT, a),
        (charts.gantt, CAT, ev.story_timeline or ev.expected),
        (plan_gantt, CAT, ev.plan_timeline, ev.plan, ev.start),
    ]


# Every chart kind drawn: a blocked company, a cross-regional capital gap (routes, plan), one mid-remediation
# (the plan's Gantt with due dates) and a licence holder (no application charts).
@pytest.mark.parametrize(
    "sample",
    [
        "04_beijing_partnership_blocked",
        "07_shenzhen_cross_regional_capital_gap",
        "10_xian_mid_remediation",
        "09_suzhou_licence_holder",
    ],
)
def test_a_cached_chart_draws_what_its_figure_draws(sample):
    ev = ENGINE.evaluate(next(s for s in list_samples() if s.key == sample).load(), TODAY)
    for lang in ("zh", "en"):
        for build, *args in builders(ev):
            fig = build(*args, lang)
            kept = cache.figure(build, *args, lang)
            assert (kept is None) == (fig is None), build.__name__
            if fig is not None:
                assert drawn(kept) == drawn(plotted(fig)), f"{sample} {build.__name__} {lang}"


def test_a_chart_is_built_once_per_evaluation_and_language():
    calls = []

    def build(assessment, lang):
        calls.append(lang)
        return charts.radar(CAT, assessment, lang)

    one, other = (ENGINE.evaluate(s.load(), TODAY) for s in list_samples()[:2])
    first = cache.figure(build, one.assessment, "zh")
    assert cache.figure(build, one.assessment, "zh") is first
    assert calls == ["zh"]
    cache.figure(build, one.assessment, "en")  # another language: another chart
    cache.figure(build, other.assessment, "zh")  # another evaluation (by identity): another chart
    assert calls == ["zh", "en", "zh"]


def test_the_chart_cache_is_bounded():
    ev = ENGINE.evaluate(list_samples()[0].load(), TODAY)
    for n in range(cache.FIGURES_MAX + 10):
        cache.figure(lambda _a, _n: None, ev.assessment, n)
    assert len(cache._figures) == cache.FIGURES_MAX


def test_a_profile_s_key_is_made_once_while_it_lives_and_never_keeps_it_alive():
    """Every answer makes a new profile; the evaluation caches find each one's JSON by identity, and no
    profile outlives its last user for the sake of its key (64 of sample 10's kept ~5 MB in a server)."""
    import weakref

    profile = next(s for s in list_samples() if s.key == "10_xian_mid_remediation").load()
    key = cache.profile_key(profile)
    assert cache.profile_key(profile) is key  # the same string: found, not serialised again
    before = len(cache._profile_json)
    answers = [profile.model_copy() for _ in range(100)]  # as many answers, each its own profile
    assert all(cache.profile_key(p) == key for p in answers)
    gone = [weakref.ref(p) for p in answers]
    del answers
    gc.collect()
    assert all(ref() is None for ref in gone), "a profile kept alive by its key"
    assert len(cache._profile_json) == before
    assert cache.profile_key(profile) is key


def test_freezing_happens_only_when_modules_were_loaded(monkeypatch):
    monkeypatch.setattr(cache, "_frozen", {"modules": 0, "times": 0, "pending": 0})
    try:
        cache.freeze_new_modules()
        frozen = gc.get_freeze_count()
        assert frozen > 0 and cache._frozen["times"] == 1
        cache.freeze_new_modules()  # no module loaded since: nothing more is frozen
        assert cache._frozen["times"] == 1
        monkeypatch.setattr(cache, "_frozen", {"modules": 0, "times": cache.FREEZES_MAX, "pending": 0})
        cache.freeze_new_modules()  # the limit reached: never again in this process
        assert cache._frozen["times"] == cache.FREEZES_MAX
    finally:
        gc.unfreeze()


def test_freezing_waits_until_just_after_the_run_and_is_scheduled_once(monkeypatch):
    monkeypatch.setattr(cache, "_frozen", {"modules": 0, "times": 0, "pending": 0})
    scheduled = []
    monkeypatch.setattr(cache, "_later", lambda seconds, call: scheduled.append((seconds, call)))
    try:
        cache.freeze_soon()
        cache.freeze_soon()  # the same run's modules: already scheduled
        assert cache._frozen["times"] == 0  # the run itself does not wait for it
        [(seconds, call)] = scheduled
        assert seconds == cache.FREEZE_DELAY
        call()  # the timer fires
        assert cache._frozen["times"] == 1 and cache._frozen["pending"] == 0
        cache.freeze_soon()  # nothing loaded since: nothing scheduled
        assert len(scheduled) == 1
    finally:
        gc.unfreeze()


def test_a_memo_builds_once_for_the_same_inputs_and_stays_bounded():
    calls = []

    def build(*args):
        calls.append(args)
        return list(args)

    first = cache.memo(build, ("a", None), 1)
    assert cache.memo(build, ("a", None), 1) is first and len(calls) == 1
    cache.memo(build, ("a", "b"), 1)  # another cell: built again
    assert len(calls) == 2
    cache.memo(build, ["unhashable"])  # built every time, never kept
    cache.memo(build, ["unhashable"])
    assert len(calls) == 4
    for n in range(cache.MEMO_MAX + 5):
        cache.memo(build, n)
    assert len(cache._memo) == cache.MEMO_MAX
