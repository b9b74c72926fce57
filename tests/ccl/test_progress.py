"""What a new company meets first: nothing answered means no score; the legal conditions come first, each
asked in plain words; a section is ticked only once answered."""

from __future__ import annotations

from ccl.profile import Profile
from ccl.progress import answered, legal_answered, legal_questions, section_mark, section_marks, started
from ccl.scoring import assess


def test_a_blank_company_has_not_started_and_an_answer_or_na_starts_it(catalog):
    blank = Profile()
    assert not started(blank) and answered(blank) == ()
    assert started(blank.with_answer("company.name", "蓉信科技有限公司"))
    assert started(blank.with_not_applicable("capital.paid_in_cny", "无实缴要求"))


def test_the_legal_conditions_are_the_seven_questions_the_gates_read_each_asked_in_plain_words(catalog):
    fields = legal_questions(catalog)
    assert fields == (
        "company.scope",  # the capital minimum depends on it: asked first
        "legal_entity.entity_type",
        "legal_entity.on_dishonest_list",
        "capital.registered_cny",
        "premises_equipment.office_type",
        "premises_equipment.platform",
        "technical_plan.plan_drafted",
    )
    for f in fields:
        ask = catalog.questions[f].ask
        assert ask is not None and ask("zh").endswith("？") and ask("en").endswith("?"), f
    # answering them all leaves no legal condition waiting: the first verdict and a licence date follow
    prof = Profile()
    for f, value in zip(fields, ("provincial", "llc", False, 5_000_000, "commercial", "leased", True), strict=True):
        prof = prof.with_answer(f, value)
    assert legal_answered(prof, catalog) == 7
    assert not assess(prof, catalog).gates_open


def test_a_blank_form_ticks_no_section_and_counts_what_is_open(catalog):
    blank = Profile()
    a = assess(blank, catalog)
    assert section_marks(blank, a, ("company", "licence")) == {
        "company": section_mark(blank, a, "company"),
        "licence": section_mark(blank, a, "licence"),
    }
    assert section_mark(blank, a, "licence").text("zh") == ""  # optional only: not "✓" (reads as "licensed")
    assert section_mark(blank, a, "company").text("zh") == "待答 4"
    assert section_mark(blank, a, "company").text("en") == "4 open"
    assert section_mark(blank, a, "document_details").text("zh") == "已填 0/11"
    held = blank.with_answer("licence.held", False)
    assert section_mark(held, assess(held, catalog), "licence").text("zh") == "✓"
