"""Warnings resting on national law read as official reminders, local practice as local practice."""

from __future__ import annotations

from ccl.cli.assess import render_text
from ccl.i18n import kind_label, severity_label
from tests.conftest import START


def test_warning_labels_follow_the_source_confidence(catalog):
    adverse = catalog.rule_by_id["le.adverse_list"]  # Order 42 Art. 37–42
    assert adverse.source.confidence == "official"
    assert kind_label("warning", "zh", "official") == "法定提示"
    assert kind_label("warning", "zh", "practice") == "地方做法"
    assert kind_label("warning", "en", "official") == "Official reminder"
    assert severity_label("warning", "en", "practice") == "Local practice"
    assert kind_label("gate", "zh", "official") == kind_label("gate", "zh")


def test_cli_shows_both_kinds_apart(engine, samples):
    sample = next(s for s in samples if s.key == "02_shanghai_foreign_nearly_ready")
    ev = engine.evaluate(sample.load(), START)
    text = render_text(ev, engine, "zh", "x.json")
    kinds = {
        engine.catalog.rule_by_id[g.rule_id].source.confidence for g in ev.assessment.gaps if g.severity == "warning"
    }
    for conf in kinds:
        assert f"[{severity_label('warning', 'zh', conf)}]" in text
    assert "[地方做法/提示]" not in text
