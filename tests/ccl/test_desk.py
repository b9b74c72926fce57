"""The desk a draft keeps: JSON round trip, validation, and settling against the latest saves."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ccl.desk import Desk, DeskError, OpenCompany, SavedVersion
from ccl.profile import Profile
from tests.conftest import make_profile

T0 = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
ACME = make_profile(company={"name": "顺达呼叫", "province": "guangdong"})


def desk(*companies: OpenCompany, current: str | None = None, **kw) -> Desk:
    companies = companies or (OpenCompany(key="blank:1"),)
    return Desk(companies=companies, current=current or companies[0].key, start=date(2026, 11, 30), **kw)


def linked(profile: Profile, changed_at: datetime | None, version: int = 2, saved_at: datetime = T0) -> OpenCompany:
    link = SavedVersion(client_id=7, version=version, saved_at=saved_at, profile=profile)
    return OpenCompany(key="client:7", profile=profile, origin=profile, link=link, changed_at=changed_at)


def test_round_trip_keeps_every_company_language_page_and_projection():
    edited = ACME.with_answer("staffing.planned_agents", 120)
    ws = desk(
        OpenCompany(key="blank:1"),
        OpenCompany(key="sample:x", profile=edited, origin=ACME, changed_at=T0),
        linked(ACME, None),
        current="sample:x",
        lang="en",
        page="self-assessment",
        section="staffing",
        anchor="receipt",
        scenario="pessimistic",
        blank_count=3,
    )
    back = Desk.from_json(ws.to_json())
    assert back == ws
    assert back.company("sample:x").profile.staffing.planned_agents == 120
    assert back.company("sample:x").origin == ACME
    assert back.company("client:7").link.version == 2
    assert (back.lang, back.page, back.current, back.anchor, back.blank_count) == (
        "en",
        "self-assessment",
        "sample:x",
        "receipt",
        3,
    )


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        '{"version": 2, "companies": [{"key": "a"}], "current": "a", "start": "2026-11-30"}',
        '{"version": 1, "companies": [{"key": "a"}], "current": "b", "start": "2026-11-30"}',
        '{"version": 1, "companies": [], "current": "a", "start": "2026-11-30"}',
        '{"version": 1, "companies": [{"key": "a", "profile": {"schema_version": 1,'
        ' "capital": {"registered_cny": -1}}}], "current": "a", "start": "2026-11-30"}',
    ],
)
def test_a_damaged_or_newer_draft_is_refused(text):
    with pytest.raises(DeskError):
        Desk.from_json(text)


def test_duplicate_company_keys_are_refused():
    with pytest.raises(ValueError, match="unique"):
        desk(OpenCompany(key="a"), OpenCompany(key="a"))


def test_a_company_changed_after_its_last_save_keeps_its_draft():
    edited = ACME.with_answer("staffing.planned_agents", 120)
    company = linked(ACME, T0 + timedelta(minutes=5)).model_copy(update={"profile": edited})
    newer_save = SavedVersion(client_id=7, version=3, saved_at=T0 + timedelta(minutes=1), profile=ACME)
    settled = desk(company).settle({7: newer_save})
    assert settled.company("client:7").profile == edited
    assert settled.company("client:7").link.version == 2  # the next save meets the version conflict


@pytest.mark.parametrize("changed", [None, T0 - timedelta(minutes=5), T0 + timedelta(minutes=1)])
def test_a_draft_not_newer_than_the_last_save_is_discarded(changed):
    edited = ACME.with_answer("staffing.planned_agents", 120)
    company = linked(ACME, changed).model_copy(update={"profile": edited})
    other = ACME.with_answer("staffing.planned_agents", 300)
    save = SavedVersion(client_id=7, version=3, saved_at=T0 + timedelta(minutes=1), profile=other)
    settled = desk(company).settle({7: save}).company("client:7")
    assert settled.profile == other
    assert settled.origin == other
    assert settled.link.version == 3
    assert settled.changed_at is None


def test_a_deleted_client_keeps_the_answers_unlinked():
    edited = ACME.with_answer("staffing.planned_agents", 120)
    company = linked(ACME, T0).model_copy(update={"profile": edited})
    settled = desk(company).settle({7: None}).company("client:7")
    assert settled.profile == edited
    assert settled.link is None


def test_settled_desk_serialises_its_new_state():
    ws = desk(linked(ACME, None))
    ws.to_json()  # cached on the original
    other = ACME.with_answer("staffing.planned_agents", 300)
    settled = ws.settle({7: SavedVersion(client_id=7, version=5, saved_at=T0, profile=other)})
    assert Desk.from_json(settled.to_json()).company("client:7").link.version == 5
