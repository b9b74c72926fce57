"""The command line: readable text in both languages, documented JSON, exit 2 on bad input, no traceback."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from project import ROOT

from ccl.cli import main

SAMPLES = ROOT / "data" / "samples"


def run(*args: str) -> subprocess.CompletedProcess:
    """``python -m ccl ARGS`` through the same ``main``, in this process (a new process costs a second each)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), contextlib.chdir(ROOT):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse refusing the arguments
            code = exc.code if isinstance(exc.code, int) else 1
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


@pytest.mark.slow  # a real process
def test_python_dash_m_ccl_runs_as_a_program():
    r = subprocess.run(
        [sys.executable, "-m", "ccl", "assess", str(SAMPLES / "01_guangzhou_ready.json"), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout.decode("utf-8"))["status"] == "ready"


def test_text_report_in_chinese_and_english():
    zh = run("assess", str(SAMPLES / "07_shenzhen_cross_regional_capital_gap.json"), "--start", "2026-11-30")
    assert zh.returncode == 0, zh.stderr
    assert "存在障碍，暂不能申请" in zh.stdout and "还差 200 万元（要求不少于 1000 万元）" in zh.stdout
    assert "预计取得许可证" in zh.stdout
    en = run(
        "assess", str(SAMPLES / "07_shenzhen_cross_regional_capital_gap.json"), "--lang", "en", "--start", "2026-11-30"
    )
    assert "Blocked" in en.stdout and "Short by CNY 2,000,000" in en.stdout
    english = en.stdout.replace("深圳鹏程联络科技有限公司", "").replace("(补正)", "")
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in english)


def test_json_output_has_the_documented_keys():
    r = run(
        "assess", str(SAMPLES / "03_chengdu_startup_undercapitalised.json"), "--format", "json", "--start", "2026-11-30"
    )
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["status"] == "blocked" and data["eligible"] is False
    assert set(data["dimensions"]) >= {"legal_entity", "capital", "staffing", "premises_equipment", "technical_plan"}
    assert all("score" in d for d in data["dimensions"].values())
    assert "cap.min_registered" in data["blockers"]
    assert {"rule_id", "dimension", "severity"} <= set(data["gaps"][0])
    stage = data["timeline"]["stages"][0]
    assert {"key", "start", "end", "working_days", "estimate"} <= set(stage)
    assert 0 <= data["overall"] <= 100 and 0 <= data["completion"] <= 100


def test_folder_is_scored_as_a_batch_in_both_languages():
    for lang in ("zh", "en"):
        r = run("assess", str(SAMPLES), "--format", "json", "--lang", lang, "--start", "2026-11-30")
        assert r.returncode == 0, r.stderr
        data = json.loads(r.stdout)
        files = sorted(p.name for p in SAMPLES.glob("*.json"))
        assert [Path(d["file"]).name for d in data] == files
        statuses = {d["status"] for d in data}
        assert {"blocked", "ready", "nearly_ready", "not_ready"} <= statuses
        text = run("assess", str(SAMPLES), "--lang", lang, "--start", "2026-11-30")
        assert text.returncode == 0 and text.stdout.count("━━") >= 2 * len(files)


@pytest.mark.parametrize(
    ("content", "field_hint"),
    [
        (None, ""),  # missing file
        ("{not json", ""),
        ('{"schema_version": 1, "capital": {"registered_cny": "many"}}', "capital.registered_cny"),
        ('{"schema_version": 1, "capital": {"registered_cny": -1}}', "capital.registered_cny"),
        ('{"schema_version": 1, "company": {"scope": "galactic"}}', "company.scope"),
        ('{"schema_version": 9}', "schema_version"),
        ('{"schema_version": 1, "company": {"province": "atlantis"}}', "company.province"),
        ('{"schema_version": 1, "not_applicable": {"capital.registered_cny": "no"}}', "capital.registered_cny"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_file_and_field(tmp_path, content, field_hint):
    path = tmp_path / "client.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    r = run("assess", str(path))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "client.json" in lines[0] and field_hint in lines[0]
    assert "Traceback" not in r.stderr + r.stdout


def test_batch_with_one_bad_file_still_scores_the_others(tmp_path):
    (tmp_path / "a.json").write_text(
        (SAMPLES / "01_guangzhou_ready.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "b.json").write_text('{"schema_version": 1, "staffing": {"insured_staff": -3}}', encoding="utf-8")
    r = run("assess", str(tmp_path), "--format", "json", "--lang", "en")
    assert r.returncode == 2
    data = json.loads(r.stdout)
    assert data[0]["status"] == "ready" and "error" in data[1]
    assert "b.json" in r.stderr and "staffing.insured_staff" in r.stderr


def test_messages_follow_the_language(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"schema_version": 1, "capital": {"registered_cny": -1}}', encoding="utf-8")
    assert "应在 0 万元 到" in run("assess", str(path), "--lang", "zh").stderr
    assert "Must be between CNY 0 and" in run("assess", str(path), "--lang", "en").stderr


def test_bad_arguments_exit_2_without_traceback():
    r = run("assess", str(SAMPLES), "--start", "2026-13-45")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    r = run("assess", str(SAMPLES), "--format", "yaml")
    assert r.returncode == 2


def test_empty_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["assess", str(tmp_path)]) == 2
    assert str(tmp_path) in capsys.readouterr().err


def test_broken_catalog_is_reported_not_raised(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CCL_CATALOG_DIR", str(tmp_path))
    assert main(["assess", str(SAMPLES / "01_guangzhou_ready.json")]) == 2
    assert "catalog.toml" in capsys.readouterr().err
