"""Share links on SQLite and PostgreSQL: one client, a mode, an unguessable token, expiry, revocation, the log."""

# ruff: noqa: F811  (the db_url and store fixtures are imported from store_support)

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from store_support import db_url, save_sample, store  # noqa: F401  (fixtures)

from ccl import clock
from ccl.store import NotFound
from ccl.store.shares import token_from, valid_share_token

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def at(monkeypatch):
    """The store's clock, settable: at[0] is "now"."""
    when = [NOW]
    monkeypatch.setattr(clock, "now", lambda: when[0])
    return when


def test_a_link_opens_its_one_client_and_every_use_is_logged(store, engine, samples, at):
    mine = save_sample(store, engine, samples[0], saved_by="王", workspace="wsA")
    save_sample(store, engine, samples[1], saved_by="李", workspace="wsA")
    link, token = store.create_share(mine.client_id, "view", by="王 <wang@example.com>")
    assert valid_share_token(token) and len(token) >= 32 and link.hint == token[:6]
    assert token not in repr(store.share_links())  # only its hash is kept
    opened = store.open_share(token)
    assert (opened.client_id, opened.mode, opened.uses, opened.last_used_at) == (mine.client_id, "view", 1, NOW)
    assert store.open_share(token[:-1] + ("A" if token[-1] != "A" else "B")) is None  # a near miss opens nothing
    [listed] = store.share_links(mine.client_id)
    assert (listed.created_by, listed.uses, listed.expires_at) == ("王 <wang@example.com>", 1, NOW + timedelta(days=14))
    log = store.audit_entries()
    expected = [("share_open", opened.actor), ("share_create", "王 <wang@example.com>")]
    assert [(e.action, e.who) for e in log][:2] == expected


def test_a_link_expires_and_can_be_revoked(store, engine, samples, at):
    info = save_sample(store, engine, samples[0])
    _, short_token = store.create_share(info.client_id, "contribute", days=2)
    _, revoked_token = store.create_share(info.client_id, "view")
    at[0] = NOW + timedelta(days=2, seconds=1)
    assert store.open_share(short_token) is None
    assert store.open_share(revoked_token) is not None
    assert store.revoke_share(f"http://localhost:8501/?s={revoked_token}", by="王") is True
    assert store.open_share(revoked_token) is None
    assert store.revoke_share(revoked_token) is False  # already revoked
    assert {e.action for e in store.audit_entries()} >= {"share_refused", "share_revoke"}
    assert [link.active(at[0]) for link in store.share_links(info.client_id)] == [False, False]


def test_a_link_of_a_deleted_client_opens_nothing(store, engine, samples, at):
    info = save_sample(store, engine, samples[0])
    _, token = store.create_share(info.client_id, "view")
    store.delete_client(info.client_id)
    assert store.open_share(token) is None


def test_links_follow_the_workspaces(store, engine, samples, at):
    theirs = save_sample(store, engine, samples[0], workspace="wsB")
    with pytest.raises(NotFound):
        store.create_share(theirs.client_id, "view", workspaces=["wsA"])
    _, token = store.create_share(theirs.client_id, "view", workspaces=["wsB"])
    assert store.share_links(workspaces=["wsA"]) == []
    assert store.revoke_share(token, workspaces=["wsA"]) is False
    assert len(store.share_links(workspaces=["wsB"])) == 1


def test_the_token_of_a_pasted_link():
    assert token_from("https://ccl.example.com/?s=abc_DEF-123&x=1") == "abc_DEF-123"
    assert token_from("  abc  ") == "abc"
    assert not valid_share_token("'; DROP TABLE share_links; --")
