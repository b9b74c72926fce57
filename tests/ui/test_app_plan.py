"""AppTest of the Plan page and the plan progress on the Overview.

The table is an ``st.data_editor``: AppTest hands it edits through the session state (the browser's
edit state), which the page applies before drawing, as the editor's callback does in a browser. The
projection starts on START, so "overdue" does not depend on the day the tests run.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from project import ROOT
from streamlit.testing.v1 import AppTest
from table_support import static_tables

from ccl.engine import Engine
from ccl.headline import comparison_text, licence_value
from ccl.i18n import fmt_date, plan_status_label, t
from ccl.plan import gap_plans, spec_by_id
from ccl.samples import list_samples
from ui.escape import md_literal

APP = str(ROOT / "app.py")
START = date(2026, 11, 30)  # tests/conftest.py's start day: sample 10 then has two overdue actions
SAMPLES = {s.key: s for s in list_samples()}
XIAN, CHENGDU, HOLDER = "10_xian_mid_remediation", "03_chengdu_startup_undercapitalised", "09_suzhou_licence_holder"
ENGINE = Engine.load()
RAW_KEY = re.compile(r"[a-z_]+(\.[a-z0-9_]+)+")  # a locale key shown instead of its text


def evaluation(sample: str):
    return ENGINE.evaluate(SAMPLES[sample].load(), START)


def start(sample: str | None = None, lang: str = "zh") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["ui.start_date"] = START
    at.run()
    if sample:
        at.selectbox(key="sb:sample").select(sample).run()
    if lang != "zh":
        at.segmented_control(key="sb:lang").set_value(lang).run()
    return ok(at)


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def visit(at: AppTest, page: str) -> AppTest:
    return ok(at.switch_page(f"pages/{page}.py").run())


def profile(at: AppTest):
    return at.session_state["ui.companies"][at.session_state["ui.current"]]


def action(at: AppTest, action_id: str):
    return next(a for a in profile(at).plan if a.id == action_id)


def table(at: AppTest):
    assert len(at.data_editor) == 1
    return at.data_editor[0].value


def edit(at: AppTest, rows: dict[str, dict]) -> AppTest:
    """Edit cells of the plan table as the browser reports them: row position → column → value."""
    editor = at.data_editor[0]
    ids = list(editor.value.index)
    state = {"edited_rows": {ids.index(a): cells for a, cells in rows.items()}, "added_rows": [], "deleted_rows": []}
    at.session_state[editor.key] = state
    return ok(at.run())


def submit(at: AppTest):
    return next(b for b in at.button if b.label == t("plan_ui.add_submit", "zh"))


def texts(at: AppTest, *kinds: str) -> str:
    return "\n".join(str(el.value) for kind in kinds for el in getattr(at, kind))


def metric(at: AppTest, key: str, lang: str = "zh") -> str:
    return next(m.value for m in at.metric if m.label == t(key, lang))


# --- every sample, both languages ------------------------------------------------------------------


# Every sample in both languages: tests/ui/test_app_pages.py walks the page (one app boot per sample).


# --- editing ---------------------------------------------------------------------------------------


@pytest.mark.slow  # drives the app (AppTest)
def test_editing_owner_due_and_status_changes_the_profile():
    at = visit(start(XIAN), "plan")
    edit(
        at,
        {
            "pe.seats": {
                "owner": "  刘洋（行政部） ",
                "due": "2027-01-08T00:00:00",
                "status": plan_status_label("in_progress", "zh"),
            }
        },
    )
    seats = action(at, "pe.seats")
    assert (seats.owner, seats.due, seats.status) == ("刘洋（行政部）", date(2027, 1, 8), "in_progress")
    assert at.session_state["ui.current"] in at.session_state["ui.edited"]  # an edit: "unsaved changes"
    row = table(at).loc["pe.seats"]
    assert (row["owner"], row["status"]) == ("刘洋（行政部）", plan_status_label("in_progress", "zh"))

    rows_before = list(table(at).index)
    edit(at, {"pe.server_ip_list": {"status": plan_status_label("done", "zh")}})
    assert list(table(at).index) == rows_before  # the edited row stays where the user is working
    done = action(at, "pe.server_ip_list")
    assert (done.status, done.done_on) == ("done", START)  # marked done today
    # the answers still show its gap: a conflict, not counted done, and the grid says which answer to correct
    assert metric(at, "plan_ui.metric_done") == "13 / 32"
    assert t("plan.flag.conflict_word", "zh") in table(at).loc["pe.server_ip_list", "flags"]

    edit(at, {"pe.seats": {"owner": None}})  # a cleared cell: nobody owns it
    assert action(at, "pe.seats").owner is None
    assert metric(at, "plan_ui.metric_unowned") == "1"


@pytest.mark.slow  # drives the app (AppTest)
def test_the_gaps_table_shows_who_clears_each_gap_by_when_as_edited_on_the_plan_page():
    at = visit(start(XIAN), "plan")
    edit(at, {"pe.seats": {"owner": "刘洋（行政部）", "status": plan_status_label("in_progress", "zh")}})
    visit(at, "gaps")
    gaps = static_tables(at, "st-gaps-table")[0].set_index(t("gaps.col_rule", "zh"))
    plan = t("gaps.col_plan", "zh")
    rules = Engine.load().catalog.rule_by_id
    seats = action(at, "pe.seats")
    assert gaps.loc[rules["pe.seats"].title("zh"), plan] == f"进行中 · 刘洋（行政部） · {fmt_date(seats.due, 'zh')}"
    # overdue (sample 10's trunk contract was due before START) and waived actions say so
    assert gaps.loc[rules["pe.trunk_contract"].title("zh"), plan].endswith("（已逾期）")
    assert gaps.loc[rules["pe.office_area"].title("zh"), plan] == plan_status_label("waived", "zh")


@pytest.mark.slow  # drives the app (AppTest)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_waiving_without_a_reason_names_the_action_and_keeps_the_other_edits(lang):
    at = visit(start(XIAN, lang), "plan")
    waived = plan_status_label("waived", lang)
    edit(at, {"pe.trunk_contract": {"status": waived, "owner": "新负责人", "notes": "运营商推迟"}})
    trunk = action(at, "pe.trunk_contract")
    assert trunk.status == "in_progress"  # refused: a waived action needs a reason
    assert (trunk.owner, trunk.notes) == ("新负责人", "运营商推迟")  # the rest of the row is saved
    name = next(i for i in evaluation(XIAN).plan if i.id == "pe.trunk_contract").label(lang)
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and md_literal(name) in errors[0] and t("plan.col.reason", lang) in errors[0]
    assert table(at).loc["pe.trunk_contract", "status"] == waived  # what the user chose stays on screen

    visit(at, "gaps")  # the refused choice survives a page switch
    visit(at, "plan")
    assert table(at).loc["pe.trunk_contract", "status"] == waived and at.error

    edit(at, {"pe.trunk_contract": {"reason": "省局确认可在许可证下发后再签"}})
    trunk = action(at, "pe.trunk_contract")
    assert (trunk.status, trunk.reason, trunk.owner) == ("waived", "省局确认可在许可证下发后再签", "新负责人")
    assert not at.error


@pytest.mark.slow  # drives the app (AppTest)
def test_an_edit_is_applied_once_and_a_reset_shows_again():
    at = visit(start(XIAN), "plan")
    key = at.data_editor[0].key
    edit(at, {"pe.seats": {"owner": "刘洋"}})
    assert at.data_editor[0].key != key  # the editor restarts from the profile, which now holds the edit
    ok(at.run())
    assert action(at, "pe.seats").owner == "刘洋"
    at.session_state["ui.companies"][at.session_state["ui.current"]] = SAMPLES[XIAN].load()  # as "reset" does
    ok(at.run())
    assert table(at).loc["pe.seats", "owner"] == "王磊（行政部）"  # no stale edit shown over the profile


# --- filters, steps, custom actions ----------------------------------------------------------------


@pytest.mark.slow  # drives the app (AppTest)
def test_filters():
    ev = evaluation(XIAN)
    at = visit(start(XIAN), "plan")
    ok(at.pills(key="plan:owner").set_value(["李娜（技术部）"]).run())
    assert set(table(at).index) == {i.id for i in ev.plan if i.owner == "李娜（技术部）"}
    ok(at.pills(key="plan:owner").set_value([]).run())
    ok(at.toggle(key="plan:overdue").set_value(True).run())
    assert set(table(at).index) == {"pe.trunk_contract", "pe.platform_functions"}
    assert all(flag.startswith("⚠") for flag in table(at)["flags"])
    ok(at.toggle(key="plan:overdue").set_value(False).run())
    ok(at.pills(key="plan:status").set_value(["waived"]).run())
    assert list(table(at).index) == ["pe.office_area"]
    ok(at.pills(key="plan:dimension").set_value(["capital"]).run())  # waived and capital: none
    assert not at.data_editor and t("plan_ui.none_shown", "zh") in texts(at, "info")
    assert t("plan_ui.shown", "zh", n=0, total=len(ev.plan)) in texts(at, "caption")


@pytest.mark.slow  # drives the app (AppTest)
def test_steps_of_a_split_action_read_as_one_job():
    at = visit(start(CHENGDU), "plan")
    rows = table(at)
    ids = list(rows.index)
    steps = [i for i in ids if i.startswith("capital_increase.")]
    assert steps == ["capital_increase.resolution", "capital_increase.registration", "capital_increase.publication"]
    first = ids.index(steps[0])
    assert ids[first : first + 3] == steps  # together, in order
    parent = spec_by_id(ENGINE.catalog)[steps[0]].parent_title("zh")
    assert parent in rows.loc[steps[0], "action"]
    assert all(rows.loc[s, "action"].lstrip().startswith("↳") for s in steps[1:])


@pytest.mark.slow  # drives the app (AppTest)
def test_adding_a_custom_action():
    at = visit(start(XIAN), "plan")
    at.text_input(key="plan:add_owner").input("王磊（行政部）")
    submit(at).click().run()
    assert t("plan_ui.add_missing", "zh") in texts(at, "error")  # no name: nothing added, nothing lost
    assert at.text_input(key="plan:add_owner").value == "王磊（行政部）"
    assert not [a for a in profile(at).plan if a.id.startswith("custom.")]

    at.text_input(key="plan:add_name").input("内部审批：总经理签批申请材料")
    at.date_input(key="plan:add_due").set_value(date(2027, 1, 20))
    ok(submit(at).click().run())
    custom = action(at, "custom.1")
    assert (custom.title, custom.owner, custom.due, custom.added_on) == (
        "内部审批：总经理签批申请材料",
        "王磊（行政部）",
        date(2027, 1, 20),
        START,
    )
    assert "内部审批：总经理签批申请材料" in table(at).loc["custom.1", "action"]
    assert t("plan.custom", "zh") in table(at).loc["custom.1", "flags"]


# --- the licence date ------------------------------------------------------------------------------


@pytest.mark.slow  # drives the app (AppTest)
def test_licence_date_by_the_plan_beside_the_catalog_estimate():
    ev = evaluation(XIAN)
    at = visit(start(XIAN), "plan")
    why = texts(at, "markdown")
    captions = texts(at, "caption")
    # the headline: the plan's date (its due dates decide it), the catalog's as a labelled comparison
    assert ev.headline.licence_date_basis == "plan"
    assert md_literal(licence_value(ev.headline, "zh")) in why
    assert comparison_text(ev.headline, "zh") in captions
    assert fmt_date(ev.plan_timeline.submission_date, "zh") in why
    assert "确定保护等级并向公安机关备案" in why  # the action that ends last before submission
    assert t("plan_ui.rescheduled", "zh", n=2, actions="").split("——")[0] in why  # the two overdue ones
    assert "与基础电信运营商签订语音中继或号码使用合同" in why

    # a later due date on the last action moves the plan's licence date, not the catalog's
    edit(at, {"mat.application_form": {"due": "2027-02-26"}})
    later = ENGINE.evaluate(profile(at), START)
    assert later.plan_timeline.licence_date > ev.plan_timeline.licence_date
    assert later.expected.licence_date == ev.expected.licence_date
    assert fmt_date(later.headline.licence_date, "zh") in texts(at, "markdown")


# --- who may edit ----------------------------------------------------------------------------------

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret-of-some-length",
    "client_id": "ccl",
    "client_secret": "secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ROLES = {"roles": {"consultant": ["@example.com"], "viewer": ["zhao@partner.cn"]}}


@pytest.mark.slow  # drives the app (AppTest)
def test_a_viewer_sees_the_plan_but_cannot_change_it(monkeypatch):
    monkeypatch.setenv("CCL_AUTH", "oidc")
    monkeypatch.delenv("CCL_ROLES_FILE", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.secrets["ccl_auth"] = ROLES
    at.user = {"is_logged_in": True, "email": "zhao@partner.cn", "name": "赵"}
    at.session_state["ui.start_date"] = START
    ok(at.run())
    ok(at.selectbox(key="sb:sample").select(XIAN).run())
    visit(at, "plan")
    assert at.data_editor[0].proto.disabled
    assert t("plan_ui.read_only", "zh", role=t("auth.role.viewer", "zh")) in texts(at, "info")
    assert not [b for b in at.button if b.key and "plan:add" in b.key]  # no add-action form
    before = profile(at).plan
    edit(at, {"pe.seats": {"owner": "某人"}})  # even a crafted edit is not applied
    assert profile(at).plan == before
    ok(at.selectbox(key="plan:pick").set_value("pe.office_area").run())  # the panel reads, without a form
    assert not [b for b in at.button if b.label == t("plan_ui.edit_submit", "zh")]
    reason = next(a.reason for a in before if a.id == "pe.office_area")
    assert any(reason in m.value for m in at.markdown)  # the waived action's reason, whole


# --- the Overview ----------------------------------------------------------------------------------


@pytest.mark.slow  # drives the app (AppTest)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_shows_plan_progress_with_a_link(lang):
    p = evaluation(XIAN).plan_progress
    at = visit(start(XIAN, lang), "overview")
    progress = at.get("progress")
    assert len(progress) == 1
    assert t("overview_plan.title", lang) in progress[0].proto.text
    assert f"{p.done}" in progress[0].proto.text and f"{p.overdue}" in progress[0].proto.text
    badges = texts(at, "markdown")
    assert t("overview_plan.next_due", lang, date=fmt_date(p.next_due, lang)) in badges
    assert any(link.proto.page == "action-plan" for link in at.get("page_link"))
    # each of the next best actions says who is on it and by when, as the plan says
    ev = evaluation(XIAN)
    first = gap_plans(ev.plan)[ev.assessment.actions[0].rule_id]
    assert first.owners and first.owners[0] in texts(at, "caption")
    assert fmt_date(first.due, lang) in texts(at, "caption")


@pytest.mark.slow  # drives the app (AppTest)
def test_a_licence_holders_overview_has_nothing_of_the_plan():
    at = visit(start(HOLDER), "overview")
    assert not at.get("progress")
    assert t("overview_plan.title", "zh") not in texts(at, "markdown", "caption")
    assert not any(link.proto.page == "action-plan" for link in at.get("page_link"))


@pytest.mark.slow  # drives the app (AppTest)
def test_the_plan_page_offers_its_due_dates_as_a_calendar():
    at = visit(start(XIAN), "plan")
    [button] = [b for b in at.get("download_button") if t("ics.download", "zh") in b.proto.label]
    assert button.proto.help == t("store_plan.ics.download_help", "zh")


@pytest.mark.slow  # drives the app (AppTest)
def test_reopening_an_action_the_answers_close_keeps_it_done_and_says_why():
    at = visit(start(XIAN), "plan")
    before = action(at, "le.business_scope")  # done: the business scope now includes telecom services
    assert before.status == "done" and before.done_on == date(2026, 10, 9)
    edit(at, {"le.business_scope": {"status": plan_status_label("open", "zh"), "notes": "再核对一次执照"}})
    after = action(at, "le.business_scope")
    assert (after.status, after.done_on, after.notes) == ("done", date(2026, 10, 9), "再核对一次执照")
    name = md_literal(next(i for i in evaluation(XIAN).plan if i.id == "le.business_scope").label("zh"))
    assert t("plan_ui.kept_done", "zh", action=name) in texts(at, "warning")
    # an action whose gap is still open reopens as asked
    edit(at, {"pe.seats": {"status": plan_status_label("done", "zh")}})
    edit(at, {"pe.seats": {"status": plan_status_label("open", "zh")}})
    assert action(at, "pe.seats").status == "open"
    assert not texts(at, "warning")


# --- one action whole: the panel under the table (and on a phone, under the cards) ----------------------


def panel(at: AppTest, action_id: str, field: str) -> str:
    version = at.session_state["plan:editor_version"] if "plan:editor_version" in at.session_state else 0  # noqa: SIM401 (AppTest state has no get)
    return f"plan:form:{version}:{action_id}:{field}"


def save_panel(at: AppTest) -> AppTest:
    return ok(next(b for b in at.button if b.label == t("plan_ui.edit_submit", "zh")).click().run())


@pytest.mark.slow  # drives the app (AppTest)
def test_the_action_panel_edits_an_action_the_tables_way_and_a_waiver_waits_for_its_reason():
    at = visit(start(XIAN), "plan")
    at.selectbox(key="plan:pick").set_value("pe.seats").run()
    assert "王磊（行政部）" in [i.value for i in at.text_input]  # the panel starts from the action as it is
    at.text_input(key=panel(at, "pe.seats", "owner")).input("刘洋（行政部）")
    at.selectbox(key=panel(at, "pe.seats", "status")).set_value("waived")
    save_panel(at)
    seats = action(at, "pe.seats")
    assert (seats.owner, seats.status) == ("刘洋（行政部）", "open")  # the owner is saved, the waiver waits
    name = next(i.label("zh") for i in evaluation(XIAN).plan if i.id == "pe.seats")
    assert t("plan_ui.problem_waived", "zh", action=md_literal(name)) in [e.value for e in at.error]
    assert at.selectbox(key=panel(at, "pe.seats", "status")).value == "waived"  # what was chosen stays
    assert table(at).loc["pe.seats", "status"] == plan_status_label("waived", "zh")  # in the grid too

    at.text_area(key=panel(at, "pe.seats", "reason")).input("坐席由外包方提供，无需自建")
    save_panel(at)
    seats = action(at, "pe.seats")
    assert (seats.status, seats.reason) == ("waived", "坐席由外包方提供，无需自建")
    assert not at.error
    assert table(at).loc["pe.seats", "reason"] == "坐席由外包方提供，无需自建"  # the grid starts from the profile
