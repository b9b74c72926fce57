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
