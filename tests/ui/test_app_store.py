"""AppTest of saved assessments: sidebar save/open, conflicts, outages, the History and Portfolio pages.

Every test gets its own database through $CCL_DATABASE_URL: a temporary SQLite file and, for the tests
parametrised over ``db_url``, also a fresh PostgreSQL schema when $CCL_TEST_DATABASE_URL is set.
"""

# ruff: noqa: F811  (db_url is a fixture imported from store_support)

from __future__ import annotations

import tomllib
from string import Formatter

import pytest
from project import ROOT
from store_support import db_url  # noqa: F401  (fixture)
from streamlit.testing.v1 import AppTest

from ccl import clock
from ccl.catalog.objects import DIMENSIONS
from ccl.engine import Engine
from ccl.i18n import t
from ccl.samples import list_samples
from ccl.store import Store, summary_of
from tests.chart_support import plotted

APP = str(ROOT / "app.py")
SAMPLES = {s.key: s for s in list_samples()}
CHENGDU = "03_chengdu_startup_undercapitalised"  # registered capital 50 万元: short of the 100 万元 minimum
GUANGZHOU = "01_guangzhou_ready"
CHENGDU_NAME, GUANGZHOU_NAME = (SAMPLES[k].load().company.name for k in (CHENGDU, GUANGZHOU))
ENGINE = Engine.load()


@pytest.fixture
def sqlite_url(tmp_path, monkeypatch) -> str:
    (tmp_path / "data").mkdir()
    url = f"sqlite:///{tmp_path / 'data' / 'ccl.sqlite3'}"
    monkeypatch.setenv("CCL_DATABASE_URL", url)
    return url


@pytest.fixture
def any_url(db_url, monkeypatch) -> str:
    """SQLite, and PostgreSQL too when $CCL_TEST_DATABASE_URL is set."""
    monkeypatch.setenv("CCL_DATABASE_URL", db_url)
    return db_url


@pytest.fixture
def store(sqlite_url):
    with Store.open(sqlite_url) as s:
        yield s


def start(sample: str | None = None, lang: str = "zh") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    if sample:
        at.selectbox(key="sb:sample").select(sample).run()
    if lang != "zh":
        at.segmented_control(key="sb:lang").set_value(lang).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def visit(at: AppTest, page: str) -> AppTest:
    return ok(at.switch_page(f"pages/{page}.py").run())


def profile(at: AppTest):
    return at.session_state["ui.companies"][at.session_state["ui.current"]]


def sidebar_text(at: AppTest) -> str:
    return "\n".join(
        str(el.value) for kind in ("markdown", "warning", "error", "caption") for el in getattr(at.sidebar, kind)
    )


def main_text(at: AppTest) -> str:
    return "\n".join(
        str(el.value)
        for kind in ("markdown", "caption", "info", "warning", "error", "success", "subheader")
        for el in getattr(at.main, kind)
    )


def save(at: AppTest) -> AppTest:
    return ok(at.button(key="sb:save").click().run())


def set_capital(at: AppTest, wan: float) -> AppTest:
    """Answer the registered capital on the questionnaire (in 万元, as a Chinese user types it)."""
    visit(at, "questionnaire")
    at.segmented_control(key="qn:section").set_value("capital").run()
    return ok(at.number_input(key="q:capital.registered_cny").set_value(wan).run())


def save_directly(store: Store, sample_key: str, client_id: int | None = None, **changes) -> object:
    prof = SAMPLES[sample_key].load()
    for field, value in changes.items():
        prof = prof.with_answer(field.replace("__", "."), value)
    ev = ENGINE.evaluate(prof, clock.today())
    latest = store.latest(client_id).version if client_id else None
    return store.save(client_id, prof, summary_of(ev), "同事", expected_version=latest)


def outage_detail(at: AppTest) -> str:
    """The full outage message, in the tooltip of the sidebar's "why" caption."""
    label = t("store_ui.outage_details", "zh")
    return next(c.proto.help for c in at.sidebar.caption if c.value == label)


def table(at: AppTest, column: str):
    """The table that has a column headed ``column`` (plain tables carry no key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def plotly_count(at: AppTest) -> int:
    return len(at.get("plotly_chart"))


# --- sidebar: save, unsaved changes, open again ------------------------------------------------------


@pytest.mark.slow  # drives the app (AppTest)
def test_save_from_the_sidebar_and_find_it_again_in_a_new_session(any_url):
    at = start(CHENGDU)
    assert t("store_ui.not_saved", "zh") in sidebar_text(at)
    at.text_input(key="sb:saved_by").input("王经理").run()
    save(at)
    assert [x.value for x in at.toast] == [t("store.saved", "zh", version=1)]
    assert t("store_ui.saved", "zh") in sidebar_text(at)
    assert at.button(key="sb:save").disabled  # nothing new to save
    with Store.open(any_url) as s:
        [client] = s.list_clients()
        assert (client.name, client.latest.version, client.latest.saved_by) == (CHENGDU_NAME, 1, "王经理")

    fresh = start()  # the browser was closed: a new session with only a blank company
    fresh.selectbox(key="sb:open_client").select(client.id).run()
    ok(fresh)
    assert fresh.session_state["ui.current"] == f"client:{client.id}"
    assert profile(fresh) == SAMPLES[CHENGDU].load()
    assert t("store_ui.saved", "zh") in sidebar_text(fresh)


@pytest.mark.slow  # drives the app (AppTest)
def test_unsaved_changes_are_visible_and_switching_back_reuses_the_open_company(sqlite_url):
    at = save(start(CHENGDU))
    set_capital(at, 200.0)
    assert t("store_ui.unsaved", "zh") in sidebar_text(at)
    assert not at.button(key="sb:save").disabled
    at.selectbox(key="sb:sample").select(GUANGZHOU).run()
    client_id = at.session_state["store.links"][f"sample:{CHENGDU}"].client_id
    at.selectbox(key="sb:open_client").select(client_id).run()
    ok(at)
    assert at.session_state["ui.current"] == f"sample:{CHENGDU}"  # switched back, not opened twice
    assert profile(at).capital.registered_cny == 2_000_000  # the unsaved answer is still there


@pytest.mark.slow  # drives the app (AppTest)
def test_save_as_creates_a_second_client(store):
    at = save(start(CHENGDU))
    at.text_input(key="sb:save_as_name").input("成都蓉信（集团二号）").run()
    ok(at.button(key="sb:save_as").click().run())
    names = sorted(c.name for c in store.list_clients())
    assert names == [CHENGDU_NAME, "成都蓉信（集团二号）"]


# --- conflicts -----------------------------------------------------------------------------------------


def _conflicted(url: str) -> tuple[AppTest, Store, int]:
    """The app saved version 1, someone saved version 2 behind its back, the app changed an answer."""
    at = save(start(CHENGDU))
    client_id = at.session_state["store.links"][f"sample:{CHENGDU}"].client_id
    s = Store.open(url)
    save_directly(s, CHENGDU, client_id, staffing__insured_staff=42)
    set_capital(at, 300.0)
    save(at)
    return at, s, client_id


@pytest.mark.slow  # drives the app (AppTest)
def test_a_conflict_shows_the_choice_and_never_overwrites(any_url):
    at, s, client_id = _conflicted(any_url)
    try:
        assert [h.version for h in s.history(client_id)] == [1, 2]  # nothing saved on top of version 2
        warning = "\n".join(w.value for w in at.warning)
        assert "第 2 版" in warning and "同事" in warning
        diff = table(at, t("store_ui.col_yours", "zh"))  # question, latest version, yours
        rows = {q: (theirs, mine) for q, theirs, mine in diff.itertuples(index=False)}
        assert rows["注册资本（认缴）"] == ("50 万元", "300 万元")  # our own change …
        assert any("参保" in q and theirs == "42 名" for q, (theirs, _) in rows.items())  # … and theirs
        assert at.button(key="sb:save_anyway") and at.button(key="sb:load_latest")

        ok(at.button(key="sb:save_anyway").click().run())
        history = s.history(client_id)
        assert [h.version for h in history] == [1, 2, 3]
        assert s.latest(client_id).profile.capital.registered_cny == 3_000_000
        assert s.load_snapshot(history[1].id).profile.staffing.insured_staff == 42  # theirs is kept
        assert not at.warning  # the dialog is closed
        assert t("store_ui.saved", "zh") in sidebar_text(at)
    finally:
        s.close()


@pytest.mark.slow  # drives the app (AppTest)
def test_a_conflict_can_load_the_latest_version(sqlite_url):
    at, s, client_id = _conflicted(sqlite_url)
    try:
        ok(at.button(key="sb:load_latest").click().run())
        assert profile(at).staffing.insured_staff == 42
        assert profile(at).capital.registered_cny == SAMPLES[CHENGDU].load().capital.registered_cny
        assert [h.version for h in s.history(client_id)] == [1, 2]
        assert t("store_ui.saved", "zh") in sidebar_text(at)
    finally:
        s.close()


# --- outages ---------------------------------------------------------------------------------------------


@pytest.mark.slow  # drives the app (AppTest)
@pytest.mark.postgres  # psycopg against an address nothing answers on
def test_unreachable_database_keeps_the_answers_and_the_other_pages_working(monkeypatch):
    monkeypatch.setenv("CCL_DATABASE_URL", "postgresql://postgres@127.0.0.1:1/x")
    monkeypatch.setenv("CCL_DB_TIMEOUT", "1")
    at = start(CHENGDU)
    assert [w.value for w in at.sidebar.warning] == [t("store_ui.outage_short", "zh")]
    assert "无法连接数据库" in outage_detail(at)
    assert {b.key for b in at.sidebar.get("download_button")} >= {"sb:download_json", "sb:download_xlsx"}
    set_capital(at, 200.0)
    assert profile(at).capital.registered_cny == 2_000_000
    for page in ("overview", "gaps", "timeline"):
        visit(at, page)
        assert plotly_count(at) >= 1
    for page in ("history", "portfolio"):
        visit(at, page)
        text = main_text(at)
        assert "无法连接数据库" in text and t("store.keep_working", "zh") in text
        assert at.main.get("download_button")
    assert profile(at).capital.registered_cny == 2_000_000


@pytest.mark.slow  # drives the app (AppTest)
def test_database_going_away_mid_session_is_reported_on_save(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setenv("CCL_DATABASE_URL", f"sqlite:///{data / 'ccl.sqlite3'}")
    at = save(start(CHENGDU))
    for f in data.iterdir():  # the data folder was unmounted or deleted
        f.unlink()
    data.rmdir()
    set_capital(at, 200.0)
    save(at)
    assert [w.value for w in at.sidebar.warning] == [t("store_ui.outage_short", "zh")]
    assert "无法连接数据库" in outage_detail(at)
    assert profile(at).capital.registered_cny == 2_000_000
    assert t("store_ui.unsaved", "zh") in sidebar_text(at)


# --- history -------------------------------------------------------------------------------------------


@pytest.mark.slow  # drives the app (AppTest)
def test_history_shows_the_trend_and_what_changed(sqlite_url):
    at = save(start(CHENGDU))
    visit(at, "history")
    assert plotly_count(at) == 2  # the trends of the score and of the plan, of the one version
    assert t("history_page.compare_single", "zh") in main_text(at)
    set_capital(at, 200.0)
    save(at)
    visit(at, "history")
    assert at.title[0].value == t("history_page.title", "zh")
    assert plotly_count(at) == 3  # the two trends and the radar of the two versions
    changes = table(at, t("store_ui.col_question", "zh"))
    assert changes.iloc[:, 0].tolist() == ["注册资本（认缴）"]
    assert changes.iloc[0, 1:].tolist() == ["50 万元", "200 万元"]
    closed = ENGINE.catalog.rule_by_id["cap.min_registered"].title("zh")
    assert closed in main_text(at)
    versions = table(at, "version")
    assert versions["version"].tolist() == [2, 1]


@pytest.mark.slow  # drives the app (AppTest)
def test_history_in_english_compares_unsaved_answers(sqlite_url):
    at = save(start(CHENGDU, lang="en"))
    at.segmented_control(key="sb:lang").set_value("zh").run()
    set_capital(at, 200.0)  # typed in 万元
    at.segmented_control(key="sb:lang").set_value("en").run()
    visit(at, "history")
    assert at.selectbox(key="hist:to").value == 0  # the current, unsaved answers
    changes = table(at, "Question")
    assert changes.iloc[0].tolist() == ["Registered (subscribed) capital", "CNY 500,000", "CNY 2,000,000"]
    assert "Gaps closed (1)" in main_text(at)


# --- portfolio -----------------------------------------------------------------------------------------


@pytest.mark.slow  # drives the app (AppTest)
def test_portfolio_lists_the_clients_and_one_click_opens_one(store):
    chengdu = save_directly(store, CHENGDU)
    save_directly(store, GUANGZHOU)
    at = visit(start(), "portfolio")
    assert at.title[0].value == t("portfolio.title", "zh")
    table = at.dataframe[0]
    assert set(table.value[t("portfolio.col.company", "zh")]) == {CHENGDU_NAME, GUANGZHOU_NAME}
    assert plotly_count(at) == 1  # the heatmap
    row = list(table.value.index).index(chengdu.client_id)
    at.session_state[table.key] = {"selection": {"rows": [row], "columns": []}}
    ok(at.run())
    assert at.session_state["ui.current"] == f"client:{chengdu.client_id}"
    assert profile(at) == SAMPLES[CHENGDU].load()
    assert CHENGDU_NAME in at.caption[0].value  # the page names the current company
    assert at.selectbox(key="sb:company").value == f"client:{chengdu.client_id}"


@pytest.mark.slow  # drives the app (AppTest)
def test_portfolio_filters(store):
    save_directly(store, CHENGDU)
    save_directly(store, GUANGZHOU)
    at = visit(start(), "portfolio")
    ok(at.pills(key="pf:status").set_value(["ready"]).run())
    assert at.dataframe[0].value[t("portfolio.col.company", "zh")].tolist() == [GUANGZHOU_NAME]
    at.pills(key="pf:status").set_value([]).run()
    ok(at.text_input(key="pf:search").input("蓉信").run())
    assert at.dataframe[0].value[t("portfolio.col.company", "zh")].tolist() == [CHENGDU_NAME]
    ok(at.text_input(key="pf:search").input("没有这家").run())
    assert t("portfolio_page.none_match", "zh") in main_text(at)


@pytest.mark.slow  # drives the app (AppTest)
def test_delete_needs_confirmation(store):
    victim = save_directly(store, CHENGDU)
    save_directly(store, GUANGZHOU)
    at = visit(start(), "portfolio")
    at.selectbox(key="pf:delete_pick").select(victim.client_id).run()
    ok(at.button(key="pf:delete").click().run())
    assert len(store.list_clients()) == 2  # asking is not deleting
    assert any(CHENGDU_NAME in w.value for w in at.warning)
    ok(at.button(key="pf:delete_no").click().run())
    assert len(store.list_clients()) == 2
    at.selectbox(key="pf:delete_pick").select(victim.client_id).run()
    at.button(key="pf:delete").click().run()
    ok(at.button(key="pf:delete_yes").click().run())
    assert [c.name for c in store.list_clients()] == [GUANGZHOU_NAME]
    assert len(at.dataframe[0].value) == 1


@pytest.mark.slow  # drives the app (AppTest)
def test_deleting_an_open_client_keeps_its_answers_unlinked(store):
    at = save(start(CHENGDU))
    client_id = at.session_state["store.links"][f"sample:{CHENGDU}"].client_id
    visit(at, "portfolio")
    at.selectbox(key="pf:delete_pick").select(client_id).run()
    at.button(key="pf:delete").click().run()
    ok(at.button(key="pf:delete_yes").click().run())
    assert profile(at) == SAMPLES[CHENGDU].load()
    assert t("store_ui.not_saved", "zh") in sidebar_text(at)


@pytest.mark.slow  # drives the app (AppTest)
def test_batch_import_saves_the_good_file_and_lists_the_bad_one(store):
    at = visit(start(), "portfolio")
    good = SAMPLES[GUANGZHOU].path.read_bytes()
    at.file_uploader[0].set_value(
        [("guangzhou.json", good, "application/json"), ("broken.json", b"{not json", "application/json")]
    ).run()
    ok(at.button(key="pf:import").click().run())
    assert [c.name for c in store.list_clients()] == [GUANGZHOU_NAME]
    text = main_text(at)
    assert t("batch.summary", "zh", saved=1, failed=1) in text
    assert "guangzhou.json" in text and "broken.json" in text
    assert len(at.dataframe[0].value) == 1  # the table shows the imported client
    assert not at.file_uploader[0].value  # emptied for the next batch
    at.segmented_control(key="sb:lang").set_value("en").run()
    [failed] = [e.value for e in at.error]
    assert "broken.json" in failed and not has_chinese(failed)  # the reason in English too


@pytest.mark.slow  # drives the app (AppTest)
def test_batch_import_lists_every_problem_inline_in_either_language(store):
    at = visit(start(), "portfolio")
    files = [
        ("list.json", b"[]"),
        ("null.json", b"null"),
        ("many.json", b'{"schema_version": 1, "staffing": {"insured_staff": true, "planned_agents": -2}}'),
    ]
    at.file_uploader[0].set_value([(name, data, "application/json") for name, data in files]).run()
    ok(at.button(key="pf:import").click().run())
    assert not at.exception
    assert store.list_clients() == []
    [failed] = [e.value.replace("\\", "") for e in at.error]  # shown literally: markdown characters escaped
    assert failed.count(t("error.not_object", "zh", value="")) == 2
    assert "staffing.insured_staff" in failed and "staffing.planned_agents" in failed  # both problems of one file
    at.segmented_control(key="sb:lang").set_value("en").run()
    [failed] = [e.value.replace("\\", "") for e in at.error]
    assert failed.count(t("error.not_object", "en", value="")) == 2 and not has_chinese(failed)
    assert "between 0 and 1,000,000" in failed


@pytest.mark.slow  # drives the app (AppTest)
def test_pages_in_english_have_no_raw_keys(store):
    save_directly(store, CHENGDU)
    at = start(CHENGDU, lang="en")
    save(at)
    for page in ("history", "portfolio"):
        visit(at, page)
        text = main_text(at) + sidebar_text(at)
        assert "store_ui." not in text and "history_page." not in text and "portfolio_page." not in text
        assert not has_chinese(at.title[0].value)


# --- strings and pure helpers ----------------------------------------------------------------------------


def _flat(data: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out |= _flat(value, f"{prefix}{key}.")
        else:
            out[f"{prefix}{key}"] = value
    return out


def _placeholders(lang: str) -> dict[str, set[str]]:
    data = tomllib.loads((ROOT / f"data/locales/{lang}/ui_store.toml").read_text(encoding="utf-8"))
    return {key: {f for _, f, _, _ in Formatter().parse(text) if f} for key, text in _flat(data).items()}


def test_store_ui_locales_match():
    zh, en = _placeholders("zh"), _placeholders("en")
    assert zh == en  # the same keys with the same placeholders
    assert {k.split(".")[0] for k in zh} == {"store_ui", "history_page", "portfolio_page"}


def test_filter_clients(store):
    from ui.views.portfolio import filter_clients

    save_directly(store, CHENGDU)
    save_directly(store, GUANGZHOU)
    clients = store.list_clients()
    assert len(filter_clients(clients)) == 2
    assert [c.name for c in filter_clients(clients, provinces=["guangdong"])] == [GUANGZHOU_NAME]
    assert [c.name for c in filter_clients(clients, text=" 蓉 信 ")] == [CHENGDU_NAME]
    assert filter_clients(clients, statuses=["ready"], provinces=["sichuan"]) == []


def test_radar_compare_overlays_two_versions():
    from ui.charts.history import radar_compare

    before = {d: 40.0 for d in DIMENSIONS}
    after = {d: 80.0 for d in DIMENSIONS}
    fig = plotted(radar_compare(ENGINE.catalog, ("v1", before), ("v2", after), "en"))
    assert [tr.name for tr in fig.data if tr.showlegend is not False][1:] == ["v1", "v2"]
    assert list(fig.data[3].marker.color) == [d.colour for d in ENGINE.catalog.dimensions]
    assert list(fig.data[2].r[:-1]) == [80.0] * len(DIMENSIONS)
    assert fig.data[1].line.dash == "dash" and fig.data[2].fill == "toself"
    assert radar_compare(ENGINE.catalog, ("v1", dict.fromkeys(DIMENSIONS, 0.0)), ("v2", {}), "zh") is None


def test_a_failed_open_is_not_retried_on_every_rerun(tmp_path, monkeypatch):
    from ccl.store import StoreUnavailable
    from ui import cache

    monkeypatch.setenv("CCL_DATABASE_URL", f"sqlite:///{tmp_path / 'ccl.sqlite3'}")
    calls = []

    def down(url, timeout=None):
        calls.append(url)
        raise StoreUnavailable("connection refused")

    monkeypatch.setattr(cache.Store, "open", down)
    clock = [1000.0]
    monkeypatch.setattr(cache.time, "monotonic", lambda: clock[0])
    for _ in range(3):
        with pytest.raises(StoreUnavailable):
            cache.get_store()
    assert len(calls) == 1  # the next runs get the remembered error at once
    clock[0] += cache.STORE_RETRY_SECONDS + 1
    with pytest.raises(StoreUnavailable):
        cache.get_store()
    with pytest.raises(StoreUnavailable):
        cache.get_store(retry=True)  # the user asked to try again
    assert len(calls) == 3
    monkeypatch.undo()
    monkeypatch.setenv("CCL_DATABASE_URL", f"sqlite:///{tmp_path / 'ccl.sqlite3'}")
    assert cache.get_store(retry=True).where.startswith("SQLite")  # back: opened and cached


@pytest.mark.slow  # drives the app (AppTest)
def test_batch_import_states_and_enforces_its_limits(store):
    from ccl.batch import MAX_FILES, batch_limits

    at = visit(start(), "portfolio")
    assert batch_limits("zh") in at.file_uploader[0].label
    many = [(f"{i}.json", b"{}", "application/json") for i in range(MAX_FILES + 1)]
    at.file_uploader[0].set_value(many).run()
    assert t("batch.too_many_files", "zh", n=MAX_FILES + 1, max=MAX_FILES) in [e.value for e in at.error]
    assert at.button(key="pf:import").disabled and store.list_clients() == []
