"""Why a company is not 'ready', and a licence date only when the answers support one."""

from __future__ import annotations

import json

from ccl.engine import evaluation_json
from ccl.i18n import licence_text, status_reason_text
from ccl.profile import Profile
from ccl.records import dumps_json
from ccl.scoring import waits_on
from tests.conftest import START, ready_profile


def _sample(samples, key):
    return next(s for s in samples if s.key == key).load()


def _with_open(profile: Profile, *paths: str) -> Profile:
    data = profile.model_dump(mode="python")
    for path in paths:
        section, name = path.split(".", 1)
        data[section][name] = None
    return Profile.model_validate(data)


def test_blank_profile_has_no_licence_date_and_names_the_gate_questions(engine):
    ev = engine.evaluate(Profile(), START)
    out = json.loads(dumps_json(evaluation_json(ev)))
    assert out["timeline"]["licence_date"] is None
    assert all(s["licence_date"] is None for s in out["scenarios"].values())
    assert out["timeline"]["stages"], "the regulator's stages keep their durations"
    gates = {r["rule_id"]: r["fields"] for r in out["status_reasons"] if r["code"] == "gate_unanswered"}
    assert gates["le.company_form"] == ["legal_entity.entity_type"]
    assert "company.scope" in gates["cap.min_registered"]
    assert "legal_entity.entity_type" in out["timeline"]["gates_open"]
    assert licence_text(None, None, "zh") == "待回答法定条件后推算"


def test_capital_threshold_waits_on_the_scope(engine, catalog):
    p = _with_open(ready_profile(), "company.scope")
    rule = catalog.rule_by_id["cap.min_registered"]
    assert waits_on(rule, p, catalog) == ("company.scope",)
    a = engine.evaluate(p, START).assessment
    assert "company.scope" in a.gates_open
    assert engine.evaluate(p, START).expected.licence_date is None


def test_open_questions_after_the_gates_give_a_range_whose_far_end_is_later(engine, catalog):
    p = _with_open(ready_profile(), "technical_plan.sections", "staffing.insured_staff")
    ev = engine.evaluate(p, START)
    assert not ev.assessment.gates_open and ev.assessment.unanswered
    for tl in ev.timelines.values():
        assert tl.licence_date is not None
        assert tl.licence_date_latest is not None and tl.licence_date_latest > tl.licence_date
    exp = ev.expected
    text = licence_text(exp.licence_date, exp.licence_date_latest, "zh", note=True)
    assert text.endswith("后者假设尚未回答的问题都需要整改") and " – " in text
    assert (
        json.loads(dumps_json(evaluation_json(ev)))["timeline"]["licence_date_latest"]
        == exp.licence_date_latest.isoformat()
    )


def test_complete_profile_has_a_single_date(engine):
    ev = engine.evaluate(ready_profile(), START)
    assert ev.assessment.status == "ready" and ev.assessment.status_reasons == ()
    assert ev.expected.licence_date is not None and ev.expected.licence_date_latest is None
    assert "–" not in licence_text(ev.expected.licence_date, ev.expected.licence_date_latest, "en")


def test_nearly_ready_says_which_major_gaps_hold_it_back(engine, samples, catalog):
    a = engine.evaluate(_sample(samples, "06_dalian_offshore"), START).assessment
    assert a.overall >= catalog.status.ready_min and a.status == "nearly_ready"
    majors = [r for r in a.status_reasons if r.code == "major_gap"]
    assert majors and all(r.code != "below_ready" for r in a.status_reasons)
    words = status_reason_text(catalog, majors[0], "zh")
    assert words.startswith("主要差距：") and catalog.rule_by_id[majors[0].rule_id].title("zh") in words


def test_what_if_without_a_date_has_no_day_count(engine):
    ev = engine.evaluate(Profile(), START)
    w = engine.what_if(ev, [])
    assert w.licence_before is None and w.days_earlier is None


def test_capital_section_says_it_waits_on_the_scope(engine, catalog):
    from ccl.scoring import waiting_on_other_sections

    p = _with_open(ready_profile(), "company.scope")
    a = engine.evaluate(p, START).assessment
    assert waiting_on_other_sections(a, p, catalog, "capital") == ("company.scope",)
    full = ready_profile()
    assert waiting_on_other_sections(engine.evaluate(full, START).assessment, full, catalog, "capital") == ()


def test_a_reference_question_is_named_once_the_sections_own_answer_is_there(engine, catalog):
    from ccl.scoring import waiting_on_other_sections

    blank = Profile()
    a = engine.evaluate(blank, START).assessment
    assert waiting_on_other_sections(a, blank, catalog, "capital") == ("company.scope",)
    p = _with_open(ready_profile(), "legal_entity.incorporation_date")
    a = engine.evaluate(p, START).assessment
    assert "legal_entity.incorporation_date" in waiting_on_other_sections(a, p, catalog, "capital")


def test_cli_and_excel_say_pending_instead_of_a_date(engine, samples):
    from ccl.cli.assess import render_text
    from ccl.excel.tables import summary_facts

    ev = engine.evaluate(Profile(), START)
    text = render_text(ev, engine, "zh", "blank.json")
    assert "待回答法定条件后推算" in text and "须先回答：" in text and "2027年" not in text
    facts = summary_facts(ev, engine, "en")
    values = [str(v) for _, v in facts]
    assert "Projected once the legal conditions are answered" in values
    assert any(v.startswith("Not every legal condition is answered yet") for v in values)
    dalian = engine.evaluate(_sample(samples, "06_dalian_offshore"), START)
    assert "主要差距：" in render_text(dalian, engine, "zh", "dalian.json")


def test_excel_summary_says_why_it_is_not_ready(engine, samples):
    """The Summary's verdict banner gives the reasons under its heading; a ready company has none."""
    from ccl.excel.tables import verdict_block

    lines = verdict_block(engine.evaluate(_sample(samples, "06_dalian_offshore"), START), engine, "zh").lines
    assert lines[0] == "为什么还不是“已就绪”："
    assert any(line.startswith("• 主要差距：") for line in lines) and "没有主要差距" in "\n".join(lines)
    ready = verdict_block(engine.evaluate(ready_profile(), START), engine, "zh").lines
    assert "为什么还不是“已就绪”：" not in ready
