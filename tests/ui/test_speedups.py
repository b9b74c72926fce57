"""ui.speedups: Streamlit's own answers, sooner. The quick emoji check gives Streamlit's answer for every emoji
Streamlit knows and for labels as the app writes them."""

from __future__ import annotations

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
]


@pytest.fixture(scope="module")
def quick():
    full = string_util.extract_leading_emoji
    speedups.quick_leading_emoji()
    try:
        yield full, string_util.extract_leading_emoji
    finally:
        string_util.extract_leading_emoji = full


def test_the_quick_check_answers_as_streamlit_for_every_emoji_and_label(quick):
    full, fast = quick
    assert fast is not full and fast.quick
    texts = LABELS + [e for e in ALL_EMOJIS] + [f"{e} 说明" for e in ALL_EMOJIS] + [f"{e}_x" for e in ALL_EMOJIS]
    differ = [t for t in texts if fast(t) != full(t)]
    assert differ == []
    assert fast("🎧 耳机") == ("🎧", "耳机") and fast("是") == ("", "是")


def test_applying_it_twice_wraps_once(quick):
    _, fast = quick
    speedups.quick_leading_emoji()
    assert string_util.extract_leading_emoji is fast
