"""AppTest: the plan in saved assessments: History shows its progress between versions, Portfolio its pressure."""

# ruff: noqa: F811  (fixtures imported from test_app_store)

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from test_app_store import ENGINE, SAMPLES, main_text, ok, plotly_count, sqlite_url, start, store, visit  # noqa: F401

from ccl import clock
from ccl.i18n import t
from ccl.plan import update_action
from ccl.portfolio import column_header
from ccl.store import summary_of
from ui.escape import md_literal

XIAN = "10_xian_mid_remediation"
TRUNK = "pe.trunk_contract"  # in progress, overdue: signing the trunk contract closes its gap
SECURITY = "mat.security_measures"  # due 25 Dec 2026: moved to 15 Jan 2027 in version 2


def save_profile(store, profile, client_id=None):
    ev = ENGINE.evaluate(profile, clock.today())
    latest = store.latest(client_id).version if client_id else None
    return store.save(client_id, ev.profile, summary_of(ev), "王经理", expected_version=latest)


def two_versions(store) -> int:
    """西安 saved twice: in version 2 the trunk contract is signed (done) and one action slips."""
    first = SAMPLES[XIAN].load()
    info = save_profile(store, first)
    second = first.with_answer("premises_equipment.trunk_contract", True)
    second = second.with_plan(update_action(second.plan, SECURITY, clock.today(), due=date(2027, 1, 15)))
    save_profile(store, second, info.client_id)
    return info.client_id


def plan_lines(at) -> list[str]:
    """The list of the plan's changes: one Markdown line per action, each starting with its badges."""
    text = "\n".join(m.value for m in at.markdown)
    return [line[2:] for line in text.splitlines() if line.startswith("- :") and "-badge[" in line]


def action_title(action_id: str, lang: str) -> str:
    from ccl.plan import spec_by_id

    return spec_by_id(ENGINE.catalog)[action_id].title(lang)


@pytest.mark.slow  # drives the app (AppTest)
def test_history_shows_the_plan_progress_between_two_versions(store):
    client_id = two_versions(store)
    at = visit(start(), "history")
    ok(at.selectbox(key="hist:client").select(client_id).run())
    assert plotly_count(at) == 3  # score trend, plan progress, radar
    lines = plan_lines(at)
    assert lines == [
        f":green-badge[已完成] **{action_title(TRUNK, 'zh')}** — 负责人：王磊（行政部） · 截止日期：2026年11月20日",
        f":orange-badge[推迟] **{action_title(SECURITY, 'zh')}** — 负责人：李娜（技术部）"
        " · 截止日期：2026年12月25日 → 2027年1月15日",
    ]
    text = main_text(at)
    assert t("store_plan.history.title", "zh", n=2) in text
    assert "已完成 1 项 · 推迟 1 项 · 新增 0 项 · 重新打开 0 项 · 豁免 0 项" in text
    # the answers table lists the answer; every edit of the plan is listed apart, under the plan
    question = t("store_ui.col_question", "zh")
    answers, edits = (d.value for d in at.dataframe if question in d.value.columns)
    assert answers[question].tolist() == [ENGINE.catalog.questions["premises_equipment.trunk_contract"].label("zh")]
    assert f"{action_title(SECURITY, 'zh')}：截止日期" in edits[question].tolist()
    assert f"{action_title(TRUNK, 'zh')}：状态" in edits[question].tolist()
    ok(at.segmented_control(key="sb:lang").set_value("en").run())
    lines = plan_lines(at)
    assert [line.split("]")[0] for line in lines] == [":green-badge[Done", ":orange-badge[Slipped"]
    assert f"**{md_literal(action_title(TRUNK, 'en'))}** — owner: 王磊（行政部） · due 20 Nov 2026" in lines[0]
    assert lines[1].endswith("due 25 Dec 2026 → 15 Jan 2027")
    # the same version on both sides: nothing to compare, no plan list
    at.selectbox(key="hist:from").select(2).run()
    assert not plan_lines(at)


@pytest.mark.slow  # drives the app (AppTest)
def test_history_of_unchanged_plans_says_so(store):
    info = save_profile(store, SAMPLES[XIAN].load())
    save_profile(store, SAMPLES[XIAN].load().with_answer("staffing.planned_agents", 12), info.client_id)
    at = visit(start(), "history")
    ok(at.selectbox(key="hist:client").select(info.client_id).run())
    assert t("store_plan.history.none", "zh") in main_text(at)


@pytest.mark.slow  # drives the app (AppTest)
def test_portfolio_shows_open_and_overdue_actions_and_puts_pressing_clients_first(store):
    today = clock.today()
    profile = SAMPLES[XIAN].load()  # its trunk contract overdue whatever the day the test runs
    xian = save_profile(
        store, profile.with_plan(update_action(profile.plan, TRUNK, today, due=today - timedelta(days=5)))
    )
    for key in ("01_guangzhou_ready", "03_chengdu_startup_undercapitalised"):
        save_profile(store, SAMPLES[key].load())
    at = visit(start(), "portfolio")
    # the score as every surface writes it: 100 for Guangzhou, never "100.0" (a fixed one-decimal format)
    config = json.loads(at.dataframe[0].proto.columns)[column_header("overall", "zh")]
    assert (
        config["type_config"]["format"] == "%.4g"
        and 100 in at.dataframe[0].value[column_header("overall", "zh")].tolist()
    )
    ok(at.segmented_control(key="pf:view").set_value("plan").run())
    frame = at.dataframe[0].value
    for key in ("plan_open", "plan_overdue", "plan_next_due"):
        assert column_header(key, "zh") in frame.columns
    # the deadline, then its date in a column of its own (the grid may cut an English deadline before it)
    shown = list(at.dataframe[0].proto.column_order)
    assert shown[:3] == [column_header(k, "zh") for k in ("company", "next_deadline", "next_deadline_due")]
    s = xian.summary
    row = frame.loc[xian.client_id]
    assert row[column_header("plan_open", "zh")] == 18
    assert frame.loc[frame.index != xian.client_id, column_header("plan_overdue", "zh")].tolist() == [0, 0]
    assert row[column_header("plan_overdue", "zh")] == s.plan_overdue(today)
    assert frame.index[0] != xian.client_id  # most recently saved first
    assert row[column_header("plan_overdue", "zh")] >= 1
    ok(at.toggle(key="pf:attention").set_value(True).run())
    assert at.dataframe[0].value.index[0] == xian.client_id
    ok(at.segmented_control(key="sb:lang").set_value("en").run())
    table = at.dataframe[0]
    assert "To do" in table.value.columns
    # a row of the plan view opens its client, as in the readiness view
    at.session_state[table.key] = {"selection": {"rows": [0], "columns": []}}
    ok(at.run())
    assert at.session_state["ui.current"] == f"client:{xian.client_id}"
