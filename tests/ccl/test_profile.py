"""Profile files: versioned JSON, every answer optional, and bad files named precisely."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from ccl.errors import ErrorCode
from ccl.i18n import error_text, t
from ccl.profile import (
    ALL_FIELDS,
    DATE_MAX,
    DATE_MIN,
    SCHEMA_VERSION,
    Profile,
    ProfileError,
    dump_profile,
    load_profile,
    parse_profile_json,
    profile_from_dict,
)


def test_empty_profile_is_valid_and_fully_unanswered():
    p = parse_profile_json('{"schema_version": 1}')
    assert all(p.get(f) is None for f in ALL_FIELDS)


def test_round_trip_every_sample(samples, tmp_path):
    for s in samples:
        p = s.load()
        out = tmp_path / f"{s.key}.json"
        out.write_text(dump_profile(p), encoding="utf-8")
        assert load_profile(out) == p
        assert json.loads(out.read_text(encoding="utf-8"))["schema_version"] == SCHEMA_VERSION


def test_dump_is_stable_and_readable_chinese(samples):
    p = samples[0].load()
    text = dump_profile(p)
    assert "广州" in text  # not \\u escapes
    assert dump_profile(parse_profile_json(text)) == text


def test_with_answer_validates_like_a_file():
    p = Profile()
    p2 = p.with_answer("capital.registered_cny", 2_000_000)
    assert p2.capital.registered_cny == 2_000_000
    assert p.capital.registered_cny is None  # frozen: the original is untouched
    with pytest.raises(ValueError):
        p2.with_answer("capital.paid_in_cny", 3_000_000)


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ('{"schema_version": 1, "capital": {"registered_cny": -5}}', "capital.registered_cny", "too_small"),
        ('{"schema_version": 1, "capital": {"registered_cny": "lots"}}', "capital.registered_cny", "not_number"),
        ('{"schema_version": 1, "company": {"scope": "national"}}', "company.scope", "unknown_option"),
        (
            '{"schema_version": 1, "legal_entity": {"entity_type": "cooperative"}}',
            "legal_entity.entity_type",
            "unknown_option",
        ),
        ('{"schema_version": 1, "staffing": {"insured_staff": 2.5}}', "staffing.insured_staff", "not_whole"),
        ('{"schema_version": 1, "capital": {"wealth": 1}}', "capital.wealth", "unknown_field"),
        ('{"schema_version": 5}', "schema_version", "newer_schema"),
        ('{"company": {}}', "schema_version", "missing"),
        (
            '{"schema_version": 1, "capital": {"registered_cny": 100, "paid_in_cny": 200}}',
            "capital.paid_in_cny",
            "paid_in_exceeds",
        ),
        ('{"schema_version": 1, "not_applicable": {"capital.nothing": "x"}}', "not_applicable", "unknown_field"),
        (
            '{"schema_version": 1, "legal_entity": {"foreign_ownership_pct": 120}}',
            "legal_entity.foreign_ownership_pct",
            "too_large",
        ),
        ("[1, 2]", "", "not_object"),
        # values that are plausible JSON but silently wrong answers
        ('{"schema_version": true}', "schema_version", "bad_schema_version"),
        ('{"schema_version": 1.0}', "schema_version", "bad_schema_version"),
        ('{"schema_version": 1, "staffing": {"insured_staff": true}}', "staffing.insured_staff", "not_whole"),
        ('{"schema_version": 1, "capital": {"registered_cny": true}}', "capital.registered_cny", "not_number"),
        ('{"schema_version": 1, "company": {"in_free_trade_zone": 1}}', "company.in_free_trade_zone", "not_yes_no"),
        ('{"schema_version": 1, "company": {"in_free_trade_zone": "yes"}}', "company.in_free_trade_zone", "not_yes_no"),
        ('{"schema_version": 1, "company": {"name": "#REF!"}}', "company.name", "spreadsheet_error"),
        ('{"schema_version": 1, "company": {"name": " #n/a "}}', "company.name", "spreadsheet_error"),
        ('{"schema_version": 1, "company": {"name": "\\ud800"}}', "company.name", "bad_characters"),
        ('{"schema_version": 1, "company": {"name": "a\\u0000b"}}', "company.name", "bad_characters"),
        ('{"schema_version": 1, "company": {"name": 42}}', "company.name", "not_text"),
        (
            '{"schema_version": 1, "capital": {"subscription_deadline": "9999-12-31"}}',
            "capital.subscription_deadline",
            "too_late",
        ),
        (
            '{"schema_version": 1, "legal_entity": {"incorporation_date": "0001-01-01"}}',
            "legal_entity.incorporation_date",
            "too_early",
        ),
        (
            '{"schema_version": 1, "legal_entity": {"incorporation_date": 0}}',
            "legal_entity.incorporation_date",
            "not_date",
        ),
        ('"x"', "", "not_object"),
        ("42", "", "not_object"),
        ("null", "", "not_object"),
    ],
)
def test_bad_answers_name_the_field(payload, field, code):
    with pytest.raises(ProfileError) as err:
        parse_profile_json(payload, "client.json")
    assert err.value.where == "client.json"
    assert err.value.field.startswith(field)
    assert err.value.code == code


def test_invalid_json_and_missing_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ProfileError) as err:
        load_profile(bad)
    assert err.value.code == "bad_json" and "bad.json" in err.value.where
    with pytest.raises(ProfileError) as err:
        load_profile(tmp_path / "nope.json")
    assert err.value.code == "not_found"
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ProfileError):
        load_profile(binary)


def test_deeply_nested_json_is_a_clean_error():
    with pytest.raises(ProfileError):
        parse_profile_json("[" * 100_000 + "]" * 100_000)


def test_every_bad_answer_is_reported_at_once_with_its_range():
    payload = {
        "schema_version": 1,
        "company": {"name": "#REF!"},
        "legal_entity": {"foreign_ownership_pct": 130},
        "staffing": {"insured_staff": 3.5, "planned_agents": -1},
        "not_applicable": {"capital.nothing": "x", "staffing.nobody": "y"},
    }
    with pytest.raises(ProfileError) as err:
        profile_from_dict(payload, "client.json")
    found = {(p.field, p.code) for p in err.value.problems}
    assert found == {
        ("company.name", "spreadsheet_error"),
        ("legal_entity.foreign_ownership_pct", "too_large"),
        ("staffing.insured_staff", "not_whole"),
        ("staffing.planned_agents", "too_small"),
        ("not_applicable.capital.nothing", "unknown_field"),
        ("not_applicable.staffing.nobody", "unknown_field"),
    }
    zh, en = error_text(err.value, "zh").splitlines(), error_text(err.value, "en").splitlines()
    assert len(zh) == len(en) == 6
    assert "legal_entity.foreign_ownership_pct: Must be between 0 and 100; found 130." in en
    assert "staffing.planned_agents: 应在 0 到 1,000,000 之间，当前为 -1。" in zh
    assert any("3.5" in line and "whole number" in line for line in en)


@pytest.mark.parametrize(
    ("number", "code", "shown"),
    [
        ("1" + "0" * 400, "too_large", "1.00e+400"),
        ("-" + "1" * 400, "too_small", "-1.11e+399"),
        ("1e400", "too_large", "∞"),
        ("1.5e300", "too_large", "1.50e+300"),
    ],
)
def test_a_number_too_large_to_be_a_capital_is_out_of_range_and_echoed_short(number, code, shown):
    text = '{"schema_version": 3, "capital": {"registered_cny": ' + number + "}}"
    with pytest.raises(ProfileError) as err:
        parse_profile_json(text, "client.json")
    assert [(p.field, p.code) for p in err.value.problems] == [("capital.registered_cny", code)]
    zh, en = error_text(err.value, "zh"), error_text(err.value, "en")
    assert zh == f"capital.registered_cny: 应在 0 万元 到 1,000,000,000 万元 之间，当前为 {shown}。"
    assert en.endswith(f"found {shown}.") and len(en) < 120


def test_a_number_longer_than_python_reads_is_a_clean_error():
    with pytest.raises(ProfileError) as err:
        parse_profile_json('{"schema_version": 3, "capital": {"registered_cny": 1' + "0" * 5000 + "}}", "x.json")
    assert err.value.code == ErrorCode.NUMBER_TOO_LONG
    assert "4,300" in error_text(err.value, "zh") and "4,300" in error_text(err.value, "en")


def test_a_long_value_is_echoed_cut_short():
    with pytest.raises(ProfileError) as err:
        parse_profile_json('{"schema_version": 3, "capital": {"registered_cny": "' + "万" * 3000 + '"}}', "x.json")
    message = error_text(err.value, "zh")
    assert message.startswith("capital.registered_cny: 应填写数字") and "万" * 59 + "…" in message
    assert len(message) < 120


def test_a_date_range_is_stated_and_shared_with_the_template_and_widgets():
    from ccl.excel import template

    with pytest.raises(ProfileError) as err:
        profile_from_dict({"schema_version": 1, "capital": {"subscription_deadline": "9999-12-31"}})
    assert "1950-01-01" in error_text(err.value, "en") and "2099-12-31" in error_text(err.value, "en")
    assert (template.DATE_MIN, template.DATE_MAX) == (18264, 73050)  # Excel serials of DATE_MIN, DATE_MAX
    assert (date(1950, 1, 1), date(2099, 12, 31)) == (DATE_MIN, DATE_MAX)
    assert Profile().with_answer("capital.subscription_deadline", DATE_MAX).capital.subscription_deadline == DATE_MAX


def test_every_error_code_has_a_message_in_both_languages():
    for code in ErrorCode:
        for lang in ("zh", "en"):
            text = t(f"error.{code.value}", lang, value="X", min=0, max=1, n=2)
            assert text != f"error.{code.value}" and not re.search(r"\{\w+\}", text), (code, lang)


def test_many_unknown_keys_are_reported_without_comparing_every_pair(monkeypatch):
    from ccl.errors import Problem

    compared = 0
    plain_eq = Problem.__eq__

    def counting_eq(self, other):
        nonlocal compared
        compared += 1
        return plain_eq(self, other)

    monkeypatch.setattr(Problem, "__eq__", counting_eq)
    keys = {f"k{i}": 1 for i in range(2000)}
    with pytest.raises(ProfileError) as err:
        profile_from_dict({"schema_version": 1, **keys, "k0x": 2}, "big.json")
    assert compared < 10 * 2001  # de-duplicated in one pass, not every problem against every other
    assert len(err.value.problems) == 101  # the first hundred, then how many more
    assert (
        error_text(err.value, "en").splitlines()[-1] == "… and 1901 more problems not listed; fix the ones above first."
    )


def test_a_file_of_more_entries_than_any_profile_is_refused_before_checking():
    text = '{"schema_version": 1, "plan": [' + ",".join(["{}"] * 60_000) + "]}"
    with pytest.raises(ProfileError) as err:
        parse_profile_json(text, "big.json")
    assert err.value.code == "json_too_many"


def test_a_key_written_twice_is_refused_not_silently_overwritten():
    with pytest.raises(ProfileError) as err:
        parse_profile_json('{"schema_version": 1, "company": {"name": "甲公司", "name": "乙公司"}}', "c.json")
    assert (err.value.code, err.value.value) == ("duplicate_key", "name")
    assert "name" in error_text(err.value, "zh")


@pytest.mark.parametrize("bad", ["\u202eevil", "a\u2066b", "x\x85y", "x\x9by"])
def test_direction_overrides_and_c1_controls_are_refused(bad):
    with pytest.raises(ProfileError) as err:
        profile_from_dict({"schema_version": 1, "company": {"name": bad}}, "c.json")
    assert err.value.code == "bad_characters"


def test_a_single_line_answer_stays_on_one_line():
    p = profile_from_dict({"schema_version": 1, "company": {"name": "深圳\n鹏程\r\n科技"}}, "c.json")
    assert p.company.name == "深圳 鹏程 科技"
    p = profile_from_dict({"schema_version": 3, "plan": [], "evidence": {"company.name": {"note": "一\n二"}}}, "c")
    assert p.evidence["company.name"].note == "一\n二"  # a note may have several lines
