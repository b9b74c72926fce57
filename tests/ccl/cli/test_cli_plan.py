"""``python -m ccl plan FILE``: the action plan as text or JSON, in zh and en; bad files exit 2 in one line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from project import ROOT
from test_cli import SAMPLES, run

XIAN = str(SAMPLES / "10_xian_mid_remediation.json")
START = "2026-11-30"


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_text_lists_every_action_with_owner_due_date_and_overdue_marked_in_chinese():
    r = run("plan", XIAN, "--start", START, "--lang", "zh")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("━━ 西安秦声客户服务有限公司 ━━")
    assert lines[1] == "行动计划：共 32 项：已完成 13 项，待办 18 项（其中逾期 2 项），已豁免 1 项"
    assert lines[2] == "今后最早截止日：2026年12月11日"
    header = lines[4].split()
    assert header == ["状态", "截止日期", "负责人", "行动"]
    # the two overdue actions come first, marked, with their owners and due dates
    trunk, platform = lines[5], lines[6]
    assert trunk.startswith("⚠ 进行中 · 已逾期") and "2026年11月20日" in trunk and "王磊（行政部）" in trunk
    assert "中继" in trunk
    assert platform.startswith("⚠ 待办 · 已逾期") and "2026年11月25日" in platform
    assert sum(line.startswith("⚠") for line in lines) == 2
    assert sum("已完成" in line for line in lines[5:]) == 13 and any("已豁免" in line for line in lines)
    assert "（未指定）" in r.stdout  # the waived action has no owner
    # the headline: the plan's date (its due dates decide it), the catalog's only as a comparison
    assert "预计发证日期：2027年6月21日*（按行动计划）" in r.stdout
    assert "若按目录工期，预计2027年5月19日取得许可证，可提前33天。" in r.stdout


def test_text_in_english_has_no_chinese_but_the_users_own_words():
    r = run("plan", XIAN, "--start", START, "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "Action plan: 32 actions: 13 done, 18 to do (2 overdue), 1 waived" in r.stdout
    assert "Upcoming due date: 11 Dec 2026" in r.stdout
    overdue = [line for line in r.stdout.splitlines() if line.startswith("⚠")]
    assert [line.split("  ")[0] for line in overdue] == ["⚠ In progress · Overdue", "⚠ Open · Overdue"]
    assert "With the catalog's durations the licence would come on 19 May 2027, 33 days earlier." in r.stdout
    english = r.stdout.replace("西安秦声客户服务有限公司", "")
    for owner in ("王磊（行政部）", "李娜（技术部）", "张伟（财务部）", "赵敏（人事部）", "陈静（客服部）"):
        english = english.replace(owner, "")
    assert not has_chinese(english)


def test_a_plan_whose_dated_actions_are_all_overdue_has_no_upcoming_due_date_rather_than_none_set():
    # two years on, every dated action still to do is overdue: none lies ahead, though each has a date
    for lang, line in (("zh", "今后最早截止日：无"), ("en", "Upcoming due date: None")):
        r = run("plan", XIAN, "--start", "2028-11-30", "--lang", lang)
        assert r.returncode == 0, r.stderr
        lines = r.stdout.splitlines()
        assert ("（其中逾期 17 项）" if lang == "zh" else "(17 overdue)") in lines[1]
        assert lines[2] == line


def test_json_is_the_plan_of_assess_json():
    plan = run("plan", XIAN, "--start", START, "--format", "json")
    assess = run("assess", XIAN, "--start", START, "--format", "json")
    assert plan.returncode == assess.returncode == 0
    p, a = json.loads(plan.stdout), json.loads(assess.stdout)
    for key in ("headline", "plan", "plan_progress", "plan_timeline", "company", "start", "file"):
        assert p[key] == a[key], key
    assert p["expected_licence_date"] == a["timeline"]["licence_date"] == "2027-05-19"
    first = p["plan"][0]
    assert {"id", "rule_ids", "title", "owner", "due", "status", "overdue", "reopened", "after"} <= set(first)
    trunk = next(x for x in p["plan"] if x["id"] == "pe.trunk_contract")
    assert trunk == trunk | {
        "owner": "王磊（行政部）",
        "due": "2026-11-20",
        "status": "in_progress",
        "overdue": True,
        "rule_ids": ["pe.trunk_contract"],
    }
    assert sum(x["overdue"] for x in p["plan"]) == p["plan_progress"]["overdue"] == 2
    assert (
        p["plan_timeline"]["days_vs_expected"] == 33
    )  # the graded-protection filing (due 2027-01-29) precedes submission


def test_a_company_without_gaps_has_an_empty_plan():
    r = run("plan", str(SAMPLES / "01_guangzhou_ready.json"), "--start", START, "--lang", "en")
    assert r.returncode == 0 and "No gap needs remedying: the action plan is empty." in r.stdout
    data = json.loads(run("plan", str(SAMPLES / "01_guangzhou_ready.json"), "--format", "json").stdout)
    assert data["plan"] == [] and data["plan_progress"] is None


def test_a_licence_holder_reads_that_the_plan_moves_no_licence_date(tmp_path):
    data = json.loads((SAMPLES / "10_xian_mid_remediation.json").read_text(encoding="utf-8"))
    data["licence"] |= {"held": True, "number": "陕B2-20250101", "issued_on": "2025-01-01"}
    path = tmp_path / "holder.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    r = run("plan", str(path), "--start", START, "--lang", "zh")
    assert r.returncode == 0, r.stderr
    assert "已持有许可证：行动计划不影响发证日期。" in r.stdout and "预计取得许可证" not in r.stdout


def test_a_blank_company_has_no_licence_date_to_compare():
    r = run("plan", str(SAMPLES / "08_wuhan_branch_blank.json"), "--start", START, "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "No licence date can be given until they are answered." in r.stdout


@pytest.mark.parametrize(
    ("content", "zh", "en"),
    [
        (None, "找不到文件", "not found"),
        ("{not json", "JSON", "Not valid JSON"),
        ('{"schema_version": 3, "plan": [{"id": "x", "status": "waived"}]}', "plan.0", "plan.0"),
    ],
)
def test_a_bad_file_exits_2_with_one_translated_line(tmp_path, content, zh, en):
    path = tmp_path / "client.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    for lang, expected in (("zh", zh), ("en", en)):
        r = run("plan", str(path), "--lang", lang)
        assert r.returncode == 2 and r.stdout == ""
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and "client.json" in lines[0] and expected in lines[0], r.stderr
        assert "Traceback" not in r.stderr
    assert has_chinese(run("plan", str(path), "--lang", "zh").stderr)
    assert not has_chinese(run("plan", str(path), "--lang", "en").stderr)


def test_bad_arguments_exit_2():
    assert run("plan", XIAN, "--start", "2026-13-01").returncode == 2
    assert run("plan", XIAN, "--format", "yaml").returncode == 2
    assert run("plan").returncode == 2


def test_help_lists_the_plan_command():
    r = run("--help")
    assert r.returncode == 0 and "plan" in r.stdout and "due dates" in r.stdout


@pytest.mark.slow  # a real process
def test_plan_runs_without_the_heavy_libraries():
    code = (
        "import sys, io, contextlib; from ccl.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['plan', {XIAN!r}, '--start', '{START}']) == 0\n"
        "    assert main(['plan', " + repr(XIAN) + ", '--format', 'json']) == 0\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'pandas', 'numpy', 'plotly', 'openpyxl', "
        "'sqlalchemy', 'streamlit', 'icalendar'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
