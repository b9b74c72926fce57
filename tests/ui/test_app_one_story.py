"""AppTest walk: for three samples, every page that shows the headline shows the same date and verdict as
``Evaluation.headline`` (the ccl-side surfaces are checked in tests/ccl/test_one_story.py)."""

from __future__ import annotations

from datetime import date

import pytest

from ccl import clock
from ccl.engine import Engine
from ccl.headline import verdict_text
from ccl.i18n import fmt_date, t
from ccl.samples import list_samples
from tests.ui.test_app_pages import all_text, start, visit

pytestmark = pytest.mark.slow  # drives the app (AppTest)

DAY = date(2026, 12, 7)
PAGES = ("overview", "timeline", "plan", "gaps", "materials", "obligations", "report")


@pytest.mark.parametrize(
    ("sample", "lang"),
    [
        ("07_shenzhen_cross_regional_capital_gap", "zh"),
        ("09_suzhou_licence_holder", "zh"),
        ("10_xian_mid_remediation", "en"),
    ],
)
def test_every_page_shows_the_headline_date_and_verdict(sample, lang):
    profile = next(s for s in list_samples() if s.key == sample).load()
    head = Engine.load().evaluate(profile, DAY).headline
    # the holder's date that matters is its next deadline; an applicant's, the licence date
    day = head.next_deadline.due if head.mode == "holder" else head.licence_date
    with clock.frozen(DAY):
        at = start(sample, lang)
        for page in PAGES:
            visit(at, page)
            text = all_text(at)
            assert fmt_date(day, lang) in text, page
            assert verdict_text(head, lang) in text, page
            if head.mode == "holder":
                assert t("status.ready", lang) not in text, page  # never "ready to apply"


def test_completion_and_scores_read_as_in_the_cli_and_the_workbook():
    """Sample 05, 28.8% answered: the Overview and the questionnaire write it as the command line, the
    workbook and the PDF do (``fmt_score``), not rounded to 29%."""
    from ccl.cli.assess import render_text
    from ccl.i18n import fmt_score

    engine = Engine.load()
    profile = next(s for s in list_samples() if s.key == "05_hangzhou_incomplete").load()
    ev = engine.evaluate(profile, DAY)
    done = f"{fmt_score(ev.assessment.completion, 'zh')}%"
    assert done == "28.8%" and done in render_text(ev, engine, "zh", "x.json")
    with clock.frozen(DAY):
        at = start("05_hangzhou_incomplete")
        assert {m.value for m in at.metric if m.label == t("overview.completion", "zh")} == {done}
        visit(at, "questionnaire")
        assert {m.value for m in at.metric if m.label == t("overview.completion", "zh")} == {done}
