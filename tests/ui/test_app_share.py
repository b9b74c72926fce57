"""AppTest of share links (``?s=<token>``): one client, read-only or to answer; nothing else, by no route.

Against SQLite and, with $CCL_TEST_DATABASE_URL, PostgreSQL.
"""

# ruff: noqa: F811  (db_url is a fixture imported from store_support)

from __future__ import annotations

from datetime import date

import pytest
from project import ROOT
from store_support import db_url  # noqa: F401  (fixture)
from streamlit.testing.v1 import AppTest

from ccl.engine import Engine
from ccl.i18n import t
from ccl.samples import list_samples
from ccl.store import Store, summary_of

pytestmark = pytest.mark.slow

APP = str(ROOT / "app.py")
SAMPLES = list_samples()
START = date(2026, 11, 30)


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def two_clients(db_url, monkeypatch):
    """A database with two clients of one consultant; $CCL_DATABASE_URL points the app at it."""
    monkeypatch.setenv("CCL_DATABASE_URL", db_url)
    engine = Engine.load()
    with Store.open(db_url) as store:
        ids = []
        for sample in SAMPLES[:2]:
            ev = engine.evaluate(sample.load(), START)
            ids.append(store.save(None, ev.profile, summary_of(ev), "王顾问").client_id)
        yield store, ids


def opened(token: str, draft: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["s"] = token
    if draft:
        at.query_params["d"] = draft
    return ok(at.run())


def texts(at: AppTest) -> str:
    kinds = ("markdown", "caption", "info", "warning", "error", "success", "title", "header", "subheader")
    return "\n".join(str(el.value) for kind in kinds for el in getattr(at, kind))


def test_a_view_link_shows_its_one_client_and_nothing_of_the_others(two_clients):
    store, (mine, _other) = two_clients
    _, token = store.create_share(mine, "view", by="王顾问")
    at = opened(token)
    names = [s.load().company.name for s in SAMPLES[:2]]
    assert next(iter(at.session_state["ui.companies"].values())).company.name == names[0]
    assert len(at.session_state["ui.companies"]) == 1
    shown = texts(at)
    assert names[0] in shown and names[1] not in shown
    for key in ("sb:open_client", "sb:save", "sb:sample", "sb:new", "share:save"):  # no store panel, no save
        assert not [w for w in at.button if w.key == key] and not [w for w in at.selectbox if w.key == key]
    for page in ("pages/portfolio.py", "pages/history.py"):  # not among its pages at all
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)
    assert store.get_client(mine).latest.version == 1
    assert next(e.action for e in store.audit_entries()) == "share_open"


def test_a_contribute_link_saves_a_new_version_in_the_link_s_name(two_clients):
    store, (mine, _) = two_clients
    link, token = store.create_share(mine, "contribute", by="王顾问")
    at = opened(token)
    at.switch_page("pages/questionnaire.py").run()
    at.segmented_control(key="qn:section").set_value("capital").run()
    ok(at.number_input(key="q:capital.registered_cny").set_value(888.0).run())
    ok(at.button(key="share:save").click().run())
    assert t("share_ui.saved", "zh", version=2) in texts(at)
    latest = store.latest(mine)
    assert (latest.version, latest.saved_by) == (2, link.actor)
    assert latest.profile.capital.registered_cny == 8_880_000
    assert ("save", link.actor) in [(e.action, e.who) for e in store.audit_entries()]


def test_a_revoked_or_expired_link_ends_the_session_at_the_next_click(two_clients):
    store, (mine, _) = two_clients
    _, token = store.create_share(mine, "view")
    at = opened(token)
    store.revoke_share(token)
    at.switch_page("pages/gaps.py").run()
    assert t("share_ui.invalid", "zh") in texts(at)
    assert SAMPLES[0].load().company.name not in texts(at)
    at = opened(token)  # and a fresh visit
    assert t("share_ui.invalid", "zh") in texts(at)
    assert SAMPLES[0].load().company.name not in texts(at)


def test_a_made_up_token_or_a_draft_link_beside_it_opens_nothing(two_clients):
    store, (mine, _other) = two_clients
    at = opened("A" * 32)
    assert t("share_ui.invalid", "zh") in texts(at)
    _, token = store.create_share(mine, "view")
    from ccl.desk import Desk, OpenCompany

    desk = Desk(companies=(OpenCompany(key="blank:1", profile=SAMPLES[1].load()),), current="blank:1", start=START)
    draft = store.create_draft(desk)
    at = opened(token, draft=draft.id)  # the consultant's draft link with the share token: the share wins
    assert SAMPLES[1].load().company.name not in texts(at)
    assert len(at.session_state["ui.companies"]) == 1


def test_the_consultant_makes_a_link_in_the_sidebar_and_revokes_it(db_url, monkeypatch):
    monkeypatch.setenv("CCL_DATABASE_URL", db_url)
    at = ok(AppTest.from_file(APP, default_timeout=60).run())
    at.selectbox(key="sb:sample").select(SAMPLES[0].key).run()
    ok(at.button(key="sb:save").click().run())
    ok(at.button(key="sb:share").click().run())
    at.segmented_control(key="share:mode").set_value("contribute").run()
    ok(at.button(key="share:create").click().run())
    client_id, url = at.session_state["share.new_link"]
    assert url in [c.value for c in at.code]
    with Store.open(db_url) as store:
        [link] = store.share_links(client_id)
        assert link.mode == "contribute" and url.endswith(link.hint + url.split(link.hint, 1)[1])
    ok(at.button(key=f"share:revoke:{link.id}").click().run())
    with Store.open(db_url) as store:
        assert store.share_links(client_id)[0].revoked_at is not None
