"""Profile files: versioned JSON, every answer optional, and bad files named precisely."""

from __future__ import annotations

import json

import pytest

from ccl.profile import (
    ALL_FIELDS,
    Profile,
    ProfileError,
    dump_profile,
    load_profile,
    parse_profile_json,
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
        assert json.loads(out.read_text(encoding="utf-8"))["schema_version"] == 1


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
        ('{"schema_version": 1, "capital": {"registered_cny": "lots"}}', "capital.registered_cny", "invalid"),
        ('{"schema_version": 1, "company": {"scope": "national"}}', "company.scope", "unknown_option"),
        (
            '{"schema_version": 1, "legal_entity": {"entity_type": "cooperative"}}',
            "legal_entity.entity_type",
            "unknown_option",
        ),
        ('{"schema_version": 1, "staffing": {"insured_staff": 2.5}}', "staffing.insured_staff", "invalid"),
        ('{"schema_version": 1, "capital": {"wealth": 1}}', "capital.wealth", "unknown_field"),
        ('{"schema_version": 2}', "schema_version", "newer_schema"),
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
