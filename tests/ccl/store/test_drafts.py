"""Drafts in the store on SQLite and PostgreSQL: round trip, compare-and-swap, expiry, settling, no history."""

# ruff: noqa: F811  (the db_url and store fixtures are imported from store_support)

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from store_support import db_url, save_sample, store  # noqa: F401  (db_url and store are fixtures)

from ccl.desk import Desk, OpenCompany, SavedVersion
from ccl.store import DraftConflict, NotFound, Store, valid_draft_id

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)


def ws_of(*companies: OpenCompany, **kw) -> Desk:
    companies = companies or (OpenCompany(key="blank:1"),)
    return Desk(companies=companies, current=companies[0].key, start=date(2026, 11, 30), **kw)


def test_a_draft_round_trips_under_an_unguessable_id(store):
    ws = ws_of(lang="en", page="gap-analysis")
    info = store.create_draft(ws)
    assert valid_draft_id(info.id) and len(info.id) >= 32
    assert info.id != store.create_draft(ws).id
    draft = store.load_draft(info.id)
    assert (draft.revision, draft.desk) == (1, ws)


@pytest.mark.parametrize("draft_id", ["", "short", "x" * 65, "'; DROP TABLE drafts; --", "a/../b" * 4])
def test_anything_that_is_not_a_draft_id_is_not_looked_up(store, draft_id):
    assert store.load_draft(draft_id) is None


def test_two_writers_on_one_revision_the_second_is_told(store):
    info = store.create_draft(ws_of())
    first = store.write_draft(info.id, ws_of(lang="en"), seen_revision=1)
    assert first.revision == 2
    with pytest.raises(DraftConflict) as caught:
        store.write_draft(info.id, ws_of(page="gap-analysis"), seen_revision=1)
    assert caught.value.latest == 2
    assert caught.value.user_message("en").startswith("Another tab")
    draft = store.load_draft(info.id)
    assert (draft.revision, draft.desk.lang, draft.desk.page) == (2, "en", "")  # the loser wrote nothing
    assert store.write_draft(info.id, ws_of(page="gap-analysis"), seen_revision=2).revision == 3


def test_drafts_expire_and_are_deleted_on_the_next_open(store):
    store.draft_ttl = timedelta(days=30)
    old = store.create_draft(ws_of(), now=NOW - timedelta(days=31))
    fresh = store.create_draft(ws_of(), now=NOW - timedelta(days=29))
    assert store.load_draft(old.id, now=NOW) is None
    assert store.load_draft(fresh.id, now=NOW) is not None
    with pytest.raises(NotFound):  # the expired row was deleted by the open: a tab still on it is told
        store.write_draft(old.id, ws_of(), seen_revision=1, now=NOW)


def test_ttl_comes_from_the_environment(db_url, monkeypatch):
    monkeypatch.setenv("CCL_DRAFT_TTL_DAYS", "0.5")
    with Store.open(db_url) as s:
        assert s.draft_ttl == timedelta(hours=12)


def _linked(info, profile, changed_at):
    link = SavedVersion(client_id=info.client_id, version=info.version, saved_at=info.saved_at, profile=profile)
    return OpenCompany(
        key=f"client:{info.client_id}", profile=profile, origin=profile, link=link, changed_at=changed_at
    )


def test_a_company_saved_after_its_draft_opens_from_the_save(store, engine, samples):
    first = save_sample(store, engine, samples[0])
    edited = samples[0].load().with_answer("staffing.planned_agents", 123)
    draft = store.create_draft(ws_of(_linked(first, samples[0].load(), None).model_copy(update={"profile": edited})))
    second = save_sample(store, engine, samples[1], client_id=first.client_id, expected_version=1)
    company = store.load_draft(draft.id).desk.companies[0]
    assert company.link.version == second.version == 2
    assert company.profile == samples[1].load()


def test_a_company_changed_after_its_last_save_keeps_the_draft(store, engine, samples):
    first = save_sample(store, engine, samples[0])
    edited = samples[0].load().with_answer("staffing.planned_agents", 123)
    later = first.saved_at + timedelta(seconds=5)
    draft = store.create_draft(ws_of(_linked(first, samples[0].load(), later).model_copy(update={"profile": edited})))
    company = store.load_draft(draft.id).desk.companies[0]
    assert company.profile.staffing.planned_agents == 123
    assert company.link.version == 1


def test_drafts_never_appear_in_history_or_the_client_list(store, engine, samples):
    info = save_sample(store, engine, samples[0])
    ws = ws_of(_linked(info, samples[0].load(), NOW))
    draft = store.create_draft(ws)
    for n in range(3):
        store.write_draft(draft.id, ws.model_copy(update={"section": f"s{n}"}), seen_revision=n + 1)
    assert [s.version for s in store.history(info.client_id)] == [1]
    assert [c.id for c in store.list_clients()] == [info.client_id]


def test_a_draft_of_a_deleted_client_keeps_its_answers_unlinked(store, engine, samples):
    info = save_sample(store, engine, samples[0])
    draft = store.create_draft(ws_of(_linked(info, samples[0].load(), NOW)))
    store.delete_client(info.client_id)  # soft: an admin could restore it, but until then it is gone
    company = store.load_draft(draft.id).desk.companies[0]
    assert company.link is None and company.profile == samples[0].load()


def test_a_draft_never_brings_back_a_client_of_a_workspace_the_user_left(store, engine, samples):
    mine = save_sample(store, engine, samples[0], workspace="wsA")
    theirs = save_sample(store, engine, samples[1], workspace="wsB")
    ws = Desk(
        companies=(_linked(mine, samples[0].load(), None), _linked(theirs, samples[1].load(), None)),
        current=f"client:{theirs.client_id}",
        start=date(2026, 11, 30),
    )
    draft = store.create_draft(ws)
    save_sample(store, engine, samples[0], client_id=theirs.client_id, expected_version=1)  # bob's v2
    restored = store.load_draft(draft.id, workspaces=["wsA"]).desk
    assert [c.link.client_id for c in restored.companies if c.link] == [mine.client_id]
    assert all(c.profile != samples[1].load() for c in restored.companies)  # not even the draft's copy
    assert restored.current == f"client:{mine.client_id}"
    alone = store.create_draft(ws.model_copy(update={"companies": ws.companies[1:]}))
    restored = store.load_draft(alone.id, workspaces=["wsA"]).desk
    assert [c.link for c in restored.companies] == [None]  # a blank company instead
    assert restored.companies[0].profile == type(restored.companies[0].profile)()
    assert len(store.load_draft(draft.id).desk.companies) == 2  # without workspaces (no sign-in): both


def test_recent_drafts_of_one_owner_newest_first_with_their_companies(store, samples):
    named = OpenCompany(key="sample:1", profile=samples[0].load())
    mine_old = store.create_draft(ws_of(named), now=NOW - timedelta(days=2))
    mine_new = store.create_draft(ws_of(), now=NOW - timedelta(hours=1))
    store.create_draft(ws_of(owner="li@example.com"), now=NOW)
    store.create_draft(ws_of(), now=NOW - timedelta(days=40))  # expired
    listed = store.recent_drafts("", now=NOW)
    assert [d.id for d in listed] == [mine_new.id, mine_old.id]
    assert (listed[0].label, listed[1].label) == ("", samples[0].load().company.name)
    assert [d.id for d in store.recent_drafts("li@example.com", now=NOW)] != []
