"""AppTest of drafts: the desk comes back from the link's draft id; two sessions on one draft are told."""

from __future__ import annotations

import pytest
from project import ROOT
from streamlit.testing.v1 import AppTest

from ccl.i18n import t
from ccl.samples import list_samples
from ccl.store import Store, fmt_saved_at

pytestmark = pytest.mark.slow  # drives the app (AppTest)

APP = str(ROOT / "app.py")
SAMPLES = {s.key: s for s in list_samples()}
CHENGDU = "03_chengdu_startup_undercapitalised"


@pytest.fixture(autouse=True)
def sqlite_url(tmp_path, monkeypatch) -> str:
    (tmp_path / "data").mkdir()
    url = f"sqlite:///{tmp_path / 'data' / 'ccl.sqlite3'}"
    monkeypatch.setenv("CCL_DATABASE_URL", url)
    return url


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def opened(draft_id: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if draft_id:
        at.query_params["d"] = draft_id
    return ok(at.run())


def draft_id(at: AppTest) -> str | None:
    value = at.query_params.get("d")
    return value[0] if isinstance(value, list) else value


def sidebar_text(at: AppTest) -> str:
    return "\n".join(str(el.value) for kind in ("markdown", "warning", "caption") for el in getattr(at.sidebar, kind))


def edited_desk() -> AppTest:
    at = opened()
    assert draft_id(at) is None, "nothing changed yet: no draft"
    ok(at.selectbox(key="sb:sample").select(CHENGDU).run())
    ok(at.segmented_control(key="sb:lang").set_value("en").run())
    ok(at.button(key="sb:new").click().run())
    return at


def test_a_changed_desk_gets_a_link_and_comes_back_from_it():
    first = edited_desk()
    link = draft_id(first)
    assert link and len(link) >= 32
    assert t("store_ui.draft_kept", "en") in sidebar_text(first)
    again = opened(link)
    ss = again.session_state
    assert list(ss["ui.companies"]) == list(first.session_state["ui.companies"])
    assert ss["ui.companies"]["sample:" + CHENGDU] == SAMPLES[CHENGDU].load()
    assert ss["ui.current"] == first.session_state["ui.current"]
    assert ss["ui.lang"] == "en"
    assert again.sidebar.segmented_control(key="sb:lang").value == "en"
    assert draft_id(again) == link


def test_an_unknown_link_starts_blank_and_says_so():
    at = opened("x" * 32)
    assert list(at.session_state["ui.companies"]) == ["blank:1"]
    assert any(t("store_ui.draft_gone", "zh") in str(el.value) for el in at.toast)


def test_two_sessions_on_one_draft_the_stale_one_is_told_and_can_go_on_under_a_new_link():
    link = draft_id(edited_desk())
    a, b = opened(link), opened(link)
    ok(a.selectbox(key="sb:sample").select("01_guangzhou_ready").run())
    ok(b.segmented_control(key="sb:lang").set_value("zh").run())
    assert t("store_ui.draft_conflict", "zh", when="")[:12] in sidebar_text(b)
    ok(b.button(key="sb:draft_keep_mine").click().run())
    new_link = draft_id(b)
    assert new_link and new_link != link
    assert opened(new_link).session_state["ui.lang"] == "zh"
    assert opened(link).session_state["ui.current"] == "sample:01_guangzhou_ready"


def test_the_stale_session_can_load_the_other_answers():
    link = draft_id(edited_desk())
    a, b = opened(link), opened(link)
    ok(a.selectbox(key="sb:sample").select("01_guangzhou_ready").run())
    ok(b.segmented_control(key="sb:lang").set_value("zh").run())
    ok(b.button(key="sb:draft_load_other").click().run())
    assert b.session_state["ui.current"] == "sample:01_guangzhou_ready"
    assert b.session_state["ui.lang"] == "en"
    assert t("store_ui.draft_conflict", "en", when="")[:12] not in sidebar_text(b)
    assert draft_id(b) == link


def test_drafts_are_not_versions(sqlite_url):
    at = edited_desk()
    ok(at.selectbox(key="sb:company").select("sample:" + CHENGDU).run())
    ok(at.button(key="sb:save").click().run())
    ok(at.segmented_control(key="sb:lang").set_value("zh").run())  # another draft write
    with Store.open(sqlite_url) as s:
        (client,) = s.list_clients()
        assert [v.version for v in s.history(client.id)] == [1]


def test_a_run_that_changes_nothing_writes_nothing_and_every_change_is_written_once(sqlite_url):
    """The draft is written when the desk changed, the page included (a reload opens the same page), also
    on a page that ends early (Gaps of the blank company, whose questions are open), and never by a run
    that changed nothing: a rerun leaves the draft's revision and time as they were."""
    at = edited_desk()
    link = draft_id(at)

    def revision() -> tuple[int, object]:
        with Store.open(sqlite_url) as s:
            draft = s.load_draft(link)
        assert draft is not None
        return draft.revision, draft.updated_at

    first = revision()
    for _ in range(3):
        ok(at.run())  # nothing changed
    assert revision() == first
    ok(at.switch_page("pages/gaps.py").run())
    assert any(i.value.startswith(t("gaps.none_yet", "en", n=1).split("(")[0]) for i in at.info)  # ended there
    assert revision()[0] == first[0] + 1
    ok(at.run())
    assert revision()[0] == first[0] + 1
    ok(at.segmented_control(key="sb:lang").set_value("zh").run())
    assert revision()[0] == first[0] + 2
    with Store.open(sqlite_url) as s:
        draft = s.load_draft(link)
    assert draft is not None and draft.desk.lang == "zh" and draft.desk.page == "gap-analysis"


def test_drafting_pauses_while_the_database_is_down_and_resumes(monkeypatch):
    from ccl.store import StoreUnavailable
    from ui.session import drafts

    at = edited_desk()
    link = draft_id(at)
    real_write = Store.write_draft

    def down(self, *args, **kwargs):
        raise StoreUnavailable("connection refused")

    monkeypatch.setattr(Store, "write_draft", down)
    monkeypatch.setattr(drafts, "RETRY_SECONDS", 0.0)  # try again on every run instead of after 30 s
    ok(at.segmented_control(key="sb:lang").set_value("zh").run())
    assert t("store_ui.draft_paused", "zh") in sidebar_text(at)
    assert not at.error, "a paused draft is a note, not an error"

    monkeypatch.setattr(Store, "write_draft", real_write)
    ok(at.selectbox(key="sb:company").select("sample:" + CHENGDU).run())
    ok(at.run())
    assert t("store_ui.draft_paused", "zh") not in sidebar_text(at)
    again = opened(link)
    assert again.session_state["ui.lang"] == "zh", "the change made during the outage was kept once it ended"
    assert again.session_state["ui.current"] == "sample:" + CHENGDU


def _down(self, *args, **kwargs):
    from ccl.store import StoreUnavailable

    raise StoreUnavailable("connection refused")


def test_a_link_opened_while_the_database_is_down_comes_back_once_it_is_up(monkeypatch):
    from ui.session import drafts

    link = draft_id(edited_desk())
    real_load = Store.load_draft
    monkeypatch.setattr(drafts, "RETRY_SECONDS", 0.0)
    monkeypatch.setattr(Store, "load_draft", _down)
    at = opened(link)
    assert list(at.session_state["ui.companies"]) == ["blank:1"]
    assert draft_id(at) == link, "the link is kept while its draft cannot be read"
    monkeypatch.setattr(Store, "load_draft", real_load)
    ok(at.run())
    assert at.session_state["ui.current"] == "blank:2"
    assert at.session_state["ui.lang"] == "en"


def test_work_done_while_the_draft_could_not_be_read_is_not_overwritten(monkeypatch):
    from ui.session import drafts

    link = draft_id(edited_desk())
    real_load = Store.load_draft
    monkeypatch.setattr(drafts, "RETRY_SECONDS", 0.0)
    monkeypatch.setattr(Store, "load_draft", _down)
    at = opened(link)
    monkeypatch.setattr(Store, "load_draft", real_load)
    ok(at.selectbox(key="sb:sample").select("01_guangzhou_ready").run())
    ok(at.run())
    assert at.session_state["ui.current"] == "sample:01_guangzhou_ready"
    assert draft_id(at) != link, "the new work went on under a new link"
    assert opened(link).session_state["ui.lang"] == "en", "the old draft is untouched"


def test_the_plain_address_offers_the_last_drafts_and_opens_one():
    link = draft_id(edited_desk())
    at = ok(AppTest.from_file(APP, default_timeout=60).run())  # a bookmark: no ?d=
    buttons = [b for b in at.button if b.key == f"sb:resume:{link}"]
    assert buttons and t("store_ui.resume_title", "zh") in [m.value.strip("*") for m in at.markdown]
    ok(buttons[0].click().run())
    assert draft_id(at) == link
    assert at.session_state["ui.lang"] == "en"  # the draft's workspace is back
    assert not [b for b in at.button if b.key.startswith("sb:resume:")]  # offered no more


def test_browser_key_reads_streamlit_s_xsrf_cookie():
    from ui.session.drafts import browser_key

    token = bytes(range(16))
    mask = bytes([7] * 16)
    masked = bytes(a ^ b for a, b in zip(mask, token, strict=True))
    one = browser_key(f"2|{mask.hex()}|{masked.hex()}|1765000000")
    other_mask = bytes([9] * 16)  # the same token, masked differently on another response
    again = browser_key(f"2|{other_mask.hex()}|{bytes(a ^ b for a, b in zip(other_mask, token, strict=True)).hex()}|1")
    assert one == again and one.startswith("browser:")
    assert browser_key(None) == "" and browser_key("2|zz|zz|1") == ""


def test_another_browser_s_draft_link_shows_a_notice_and_opens_a_copy(monkeypatch):
    from ui.session import drafts

    monkeypatch.setattr(drafts, "owner", lambda: "browser:consultant")
    link = draft_id(edited_desk())
    monkeypatch.setattr(drafts, "owner", lambda: "browser:client-phone")
    at = opened(link)
    assert list(at.session_state["ui.companies"]) == ["blank:1"]  # not the consultant's desk
    assert t("store_ui.draft_other_browser", "zh") in [w.value for w in at.sidebar.warning]
    ok(at.button(key="sb:draft_copy").click().run())
    assert "sample:" + CHENGDU in at.session_state["ui.companies"]  # the copy
    copy = draft_id(at)
    assert copy and copy != link
    monkeypatch.setattr(drafts, "owner", lambda: "browser:consultant")
    assert opened(link).session_state["ui.current"] == "blank:2"  # the original is untouched and still theirs


def _open_drafts(at: AppTest) -> list[str]:
    return [b.key.removeprefix("sb:open_draft:") for b in at.button if b.key.startswith("sb:open_draft:")]


def test_open_lists_the_user_s_unsaved_drafts_beside_saved_clients_and_opens_one(monkeypatch, sqlite_url):
    from ui.session import drafts

    monkeypatch.setattr(drafts, "owner", lambda: "browser:consultant")
    first = edited_desk()
    link = draft_id(first)
    at = ok(AppTest.from_file(APP, default_timeout=60).run())  # the plain address, another tab
    ok(at.selectbox(key="sb:sample").select("01_guangzhou_ready").run())  # work of its own
    mine = draft_id(at)
    assert mine and mine != link
    assert _open_drafts(at) == [link], "the other draft is listed, this tab's own is not"
    label = next(b.label for b in at.button if b.key == f"sb:open_draft:{link}")
    with Store.open(sqlite_url) as s:
        written = s.load_draft(link).updated_at  # the real time of its last write, whatever the app's "today"
    assert label == f"{SAMPLES[CHENGDU].load().company.name} · {fmt_saved_at(written, 'zh')}"  # as people read it
    assert t("store_ui.open_drafts", "zh") in [m.value.strip("*") for m in at.sidebar.markdown]

    ok(at.button(key=f"sb:open_draft:{link}").click().run())
    assert draft_id(at) == link and at.session_state["ui.lang"] == "en"
    assert "sample:" + CHENGDU in at.session_state["ui.companies"]
    assert _open_drafts(at) == [mine], "the work left behind is a draft in the list, not lost"
    ok(at.button(key=f"sb:open_draft:{mine}").click().run())
    assert at.session_state["ui.current"] == "sample:01_guangzhou_ready"

    monkeypatch.setattr(drafts, "owner", lambda: "browser:someone-else")
    stranger = ok(AppTest.from_file(APP, default_timeout=60).run())
    assert _open_drafts(stranger) == [], "nobody else's drafts"
