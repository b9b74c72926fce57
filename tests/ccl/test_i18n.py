"""Every string exists in both languages with the same placeholders; amounts and dates read locally."""

from __future__ import annotations

import re
from datetime import date

from ccl.i18n import fmt_date, fmt_money, fmt_score, fmt_score_change, fmt_unit, strings, t

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_both_languages_define_the_same_keys_and_placeholders():
    zh, en = strings("zh"), strings("en")
    assert set(zh) == set(en), sorted(set(zh) ^ set(en))[:10]
    for key in zh:
        assert set(PLACEHOLDER.findall(zh[key])) == set(PLACEHOLDER.findall(en[key])), key


def test_chinese_strings_are_chinese():
    zh = strings("zh")
    assert sum(any("\u4e00" <= c <= "\u9fff" for c in v) for v in zh.values()) > 0.9 * len(zh)


def test_amounts_in_wan_yuan_and_cny():
    assert fmt_money(6_000_000, "zh") == "600 万元"
    assert fmt_money(1_234_500, "zh") == "123.45 万元"
    assert fmt_money(6_000_000, "en") == "CNY 6,000,000"
    assert fmt_money(None, "en") == "—"


def test_scores_to_one_decimal_only_when_needed():
    # 84.96 rounds to 85: written "85" as the workbook and the command line show it, not "85.0"
    shown = [fmt_score(v, "zh") for v in (85, 84.96, 49.84, 0.45, 2.96, 100.0)]
    assert shown == ["85", "85", "49.8", "0.5", "3", "100"]
    assert [fmt_score_change(v, "en") for v in (3.0, -2.5, 0.04, 1.25)] == ["+3", "-2.5", "0", "+1.2"]


def test_dates_in_local_style():
    assert fmt_date(date(2027, 2, 5), "zh") == "2027年2月5日"
    assert fmt_date(date(2027, 2, 5), "en") == "5 Feb 2027"


def test_units_and_missing_keys():
    assert fmt_unit(2, "people", "zh") == "2 名"
    assert fmt_unit(120, "m2", "en") == "120 m²"
    assert t("no.such.key", "zh") == "no.such.key"
    assert t("status.blocked", "zh") == "存在障碍，暂不能申请"


def test_english_units_agree_in_number():
    assert fmt_unit(1, "people", "en") == "1 person"
    assert fmt_unit(1, "months", "en") == "1 month"
    assert fmt_unit(1, "people", "zh") == "1 名"
