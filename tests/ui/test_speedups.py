"""ui.speedups: Streamlit's own answers, sooner. The quick emoji checks give Streamlit's answer for every emoji
Streamlit knows, for labels as the app writes them and for the icons it uses, without loading Streamlit's table
for a label that cannot start an emoji."""

from __future__ import annotations

import sys

import pytest
from streamlit import string_util
from streamlit.emojis import ALL_EMOJIS

from ui import speedups

LABELS = [
    "是",
    "否",
    "不确定",
    "3 个月",
    "①",
    "（一）",
    "中文 🎧",
    "🎧中",
    "#️⃣ 标签",
    "*",
    "",
    " 是",
    "\u200b是",
    "é",
    "Yes",
    "7 天内到期",
    "95/96码号获批（预计）",
    "#1 号",
    "© 版权",
]


ICONS = [speedups.PAGE_ICON, f"{speedups.PAGE_ICON}\ufe0f", ":material/dashboard:", ":shark:", "", "是", "①", "→", "x"]


@pytest.fixture(scope="module")
def quick():
    """Streamlit's functions and the quick ones, every module that imported ``is_emoji`` by name restored after."""
    full, full_is_emoji = string_util.extract_leading_emoji, string_util.is_emoji
    importers = [
        m for n, m in sys.modules.items() if n.startswith("streamlit") and getattr(m, "is_emoji", None) is full_is_emoji
    ]
    speedups.quick_leading_emoji()
    speedups.quick_is_emoji()
    try:
        yield full, string_util.extract_leading_emoji, full_is_emoji, importers
    finally:
        string_util.extract_leading_emoji = full
        for module in importers:
            module.is_emoji = full_is_emoji


def test_the_quick_check_answers_as_streamlit_for_every_emoji_and_label(quick):
    full, fast, _, _ = quick
    assert fast is not full and fast.quick
    texts = LABELS + [e for e in ALL_EMOJIS] + [f"{e} 说明" for e in ALL_EMOJIS] + [f"{e}_x" for e in ALL_EMOJIS]
    differ = [t for t in texts if fast(t) != full(t)]
    assert differ == []
    assert fast("🎧 耳机") == ("🎧", "耳机") and fast("是") == ("", "是")


def test_every_emoji_starts_where_the_quick_check_looks_and_chinese_text_never_does():
    assert [e for e in ALL_EMOJIS if not speedups.could_start_emoji(e)] == []
    assert [e for e in ALL_EMOJIS if not speedups.could_start_emoji(e.replace("\ufe0f", ""))] == []
    assert not any(map(speedups.could_start_emoji, "是否不确定（一）、。，：；“”《》…—＋％年月日万元"))
    assert not any(map(speedups.could_start_emoji, ["7 天内到期", "2020年改革后", "#1", ""]))


def test_the_quick_emoji_test_answers_as_streamlit_for_every_emoji_and_the_app_s_icons(quick):
    """``is_emoji`` decides whether a page icon or favicon is an emoji: the page's own icon, the navigation's
    material icons and plain text are answered at once, all of Streamlit's emoji as Streamlit does."""
    _, _, full_is_emoji, importers = quick
    fast = string_util.is_emoji
    assert fast is not full_is_emoji and fast.quick
    assert speedups.PAGE_ICON in ALL_EMOJIS
    texts = ICONS + LABELS + list(ALL_EMOJIS) + [f"{e}\ufe0f" for e in ALL_EMOJIS] + [f"{e}x" for e in ALL_EMOJIS]
    assert [t for t in texts if fast(t) != full_is_emoji(t)] == []
    from streamlit.commands import navigation, page_config

    assert navigation in importers and page_config in importers, "Streamlit's commands that check page icons"
    assert navigation.is_emoji is fast and page_config.is_emoji is fast


def test_applying_it_twice_wraps_once(quick):
    _, fast, _, _ = quick
    quick_is_emoji = string_util.is_emoji
    speedups.quick_leading_emoji()
    speedups.quick_is_emoji()
    assert string_util.extract_leading_emoji is fast and string_util.is_emoji is quick_is_emoji


class _Pool:
    """Streamlit's thread pool for its pollers, kept in the test's hands: each round is run when asked."""

    def __init__(self) -> None:
        self.rounds: list = []

    def submit(self, fn) -> None:
        self.rounds.append(fn)


@pytest.mark.parametrize(("watching", "period"), [("none", speedups.SETTINGS_POLL_SECONDS), ("poll", 0.2)])
def test_settings_files_are_looked_at_once_a_day_only_when_file_watching_is_off(
    tmp_path, monkeypatch, watching, period
):
    """A poller Streamlit started before the server's front was imported (config.toml's) slows down after
    its current round; with file watching on, Streamlit's own 0.2 s stays."""
    from types import SimpleNamespace

    from streamlit import config
    from streamlit.watcher import polling_path_watcher as polling

    real_option = config.get_option
    option = lambda key: watching if key == "server.fileWatcherType" else real_option(key)  # noqa: E731
    monkeypatch.setattr(config, "get_option", option)
    monkeypatch.setattr(polling, "_POLLING_PERIOD_SECS", 0.2)  # Streamlit's own, restored after the test
    pool, slept = _Pool(), []
    monkeypatch.setattr(polling.PollingPathWatcher, "_executor", pool)
    monkeypatch.setattr(polling, "time", SimpleNamespace(sleep=slept.append))
    settings = tmp_path / "config.toml"
    settings.write_text("[server]\n")
    polling.PollingPathWatcher(str(settings), lambda path: None, allow_nonexistent=True)
    pool.rounds.pop()()  # the round under way when the server's front is imported
    speedups.settings_read_at_start()
    pool.rounds.pop()()
    assert slept == [0.2, period]
    assert len(pool.rounds) == 1, "the poller goes on (a restart still reads a changed file)"


@pytest.fixture
def quick_figure(monkeypatch):
    """plotly's own function and the quick one; plotly's put back after the test."""
    import plotly.tools

    full = plotly.tools.return_figure_from_figure_or_data
    monkeypatch.setattr(plotly.tools, "return_figure_from_figure_or_data", full)
    speedups.finished_figure_as_is()
    return full, plotly.tools.return_figure_from_figure_or_data


def test_a_finished_figure_reaches_streamlit_as_plotly_gives_it_and_anything_else_is_still_checked(quick_figure):
    import plotly.tools

    from ui.charts.drawn import DrawnFigure
    from ui.charts.figure import Figure, bar

    full, fast = quick_figure
    assert fast is not full and fast.quick
    drawn = DrawnFigure(Figure(bar(x=["场地", "人员"], y=[3, 4])).update_layout(title={"text": "差距"}))
    assert fast(drawn, validate_figure=True) == full(drawn, validate_figure=True)
    assert fast({"data": [{"type": "bar", "y": [1]}]}, validate_figure=True)["data"][0]["type"] == "bar"
    with pytest.raises(ValueError, match="Invalid property"):  # a dict is still checked by plotly, as before
        fast({"data": [{"type": "bar", "not_a_property": 1}]}, validate_figure=True)
    speedups.finished_figure_as_is()
    assert plotly.tools.return_figure_from_figure_or_data is fast  # applied twice, wrapped once
