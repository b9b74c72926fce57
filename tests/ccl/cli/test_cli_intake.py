"""Every command that reads answers goes through the one intake: bad files are one translated line per
problem and exit 2, never "internal error"; absurd arguments are refused with the allowed range."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from project import ROOT

from ccl.cli import main
from ccl.i18n import t
from ccl.limits import MAX_UPLOAD_BYTES

SAMPLE = ROOT / "data" / "samples" / "01_guangzhou_ready.json"
NOT_OBJECTS = ["[]", '"x"', "42", "null"]


def _commands(path, tmp_path) -> list[list[str]]:
    db = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    return [
        ["assess", str(path)],
        ["assess", str(path), "--format", "json"],
        ["report", str(path), "-o", str(tmp_path / "r.xlsx")],
        ["template", "--prefill", str(path), "-o", str(tmp_path / "t.xlsx")],
        ["clients", "import", str(path), "--database", db],
    ]


@pytest.mark.parametrize("content", NOT_OBJECTS)
def test_json_that_is_not_an_object_is_one_clear_line_in_every_command(content, tmp_path, capsys):
    path = tmp_path / "answers.json"
    path.write_text(content, encoding="utf-8")
    message = t("error.not_object", "en", value="")
    for argv in _commands(path, tmp_path):
        assert main([*argv, "--lang", "en"]) == 2, argv
        err = capsys.readouterr().err
        assert message in err and "answers.json" in err, (argv, err)
        assert t("error.internal", "en") not in err
    assert not (tmp_path / "r.xlsx").exists() and not (tmp_path / "t.xlsx").exists()


def test_a_lone_surrogate_in_a_name_is_refused_as_bad_input(tmp_path, capsys):
    path = tmp_path / "answers.json"
    path.write_text('{"schema_version": 1, "company": {"name": "\\ud800"}}', encoding="utf-8")
    assert main(["assess", str(path), "--format", "json", "--lang", "zh"]) == 2
    out = capsys.readouterr()
    result = json.loads(out.out)  # the output stays valid JSON
    assert result["error"]["code"] == "bad_characters" and result["error"]["field"] == "company.name"
    assert out.err.count("\n") == 1 and t("error.bad_characters", "zh", value="") in out.err


def test_every_bad_answer_is_one_line(tmp_path, capsys):
    path = tmp_path / "answers.json"
    bad = {
        "schema_version": 1,
        "company": {"name": "#REF!"},
        "staffing": {"insured_staff": True, "planned_agents": 3.5},
        "legal_entity": {"foreign_ownership_pct": 101},
    }
    path.write_text(json.dumps(bad), encoding="utf-8")
    assert main(["report", str(path), "-o", str(tmp_path / "r.xlsx"), "--lang", "en"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 4, lines
    assert all(line.startswith(f"{path}: Field ") for line in lines)
    assert any("foreign_ownership_pct" in line and "between 0 and 100" in line for line in lines)
    assert any("insured_staff" in line and "whole number" in line and "true" in line for line in lines)


def test_every_bad_cell_of_a_workbook_is_one_line(tmp_path, capsys):
    assert main(["template", "--prefill", str(SAMPLE), "-o", str(tmp_path / "q.xlsx"), "--lang", "en"]) == 0
    wb = load_workbook(tmp_path / "q.xlsx")
    meta = wb["_ccl"]
    cells = {}
    for row in meta.iter_rows(values_only=True):
        if row and isinstance(row[0], str) and row[0] in ("staffing.insured_staff", "company.name") and not row[1]:
            cells[row[0]] = (row[2], row[3])
    for path, value in (("staffing.insured_staff", 3.5), ("company.name", "#REF!")):
        sheet, coordinate = cells[path]
        wb[sheet][coordinate] = value
    wb.save(tmp_path / "q.xlsx")
    capsys.readouterr()
    assert main(["assess", str(tmp_path / "q.xlsx"), "--lang", "en"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2, lines
    assert any("staffing.insured_staff" in line and "whole number" in line for line in lines)
    assert any("company.name" in line and "#REF!" in line for line in lines)


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01", "1999-12-31", "2100-01-01"])
def test_an_absurd_start_date_is_refused_with_the_range(start, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["assess", str(SAMPLE), "--start", start])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "2000-01-01" in err and "2099-12-31" in err and "Traceback" not in err


def test_json_over_the_upload_limit_is_refused_by_assess_and_report(tmp_path, capsys):
    path = tmp_path / "big.json"
    path.write_bytes(b'{"schema_version": 1}' + b" " * MAX_UPLOAD_BYTES)
    for argv in (["assess", str(path)], ["report", str(path), "-o", str(tmp_path / "r.xlsx")]):
        assert main([*argv, "--lang", "en"]) == 2
        assert "too large" in capsys.readouterr().err


def _fifo_with_answers(path, seconds: float):
    """A named pipe that holds a valid answers file and is closed (end of file) after ``seconds``."""
    import os
    import threading

    os.mkfifo(path)
    fd = os.open(path, os.O_RDWR)  # never waits for a reader
    os.write(fd, SAMPLE.read_bytes()[:60_000])
    timer = threading.Timer(seconds, os.close, (fd,))
    timer.start()
    return timer


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_or_a_device_is_refused_without_reading_it(tmp_path, capsys):
    import os

    pipe = tmp_path / "answers.json"
    timer = _fifo_with_answers(pipe, 3.0)
    try:
        for argv in _commands(pipe, tmp_path):
            assert main([*argv, "--lang", "en"]) == 2, argv  # before: read the pipe to its end and went on
            err = capsys.readouterr().err
            assert "answers.json" in err and t("error.unreadable", "en") in err, (argv, err)
    finally:
        timer.cancel()
        with __import__("contextlib").suppress(OSError):
            os.close(timer.args[0])
    if os.path.exists("/dev/zero"):
        assert main(["assess", "/dev/zero", "--lang", "en"]) == 2  # before: gigabytes read in seconds
        assert t("error.unreadable", "en") in capsys.readouterr().err


def test_action_ids_neither_in_the_catalog_nor_custom_are_all_refused_in_every_command(tmp_path, capsys):
    answers = json.loads(SAMPLE.read_text(encoding="utf-8"))
    answers["plan"] = [
        {"id": "capital.registered_minimum", "rule_ids": ["capital.registered_minimum"]},  # a typo of a rule id
        {"id": "custom.1", "title": "请律师审阅章程"},  # the user's own: kept
        {"id": "staffing.insured_typo"},
    ]
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    for argv in _commands(path, tmp_path):
        assert main([*argv, "--lang", "zh"]) == 2, argv
        err = capsys.readouterr().err
        lines = [line for line in err.splitlines() if "既不是行动目录中的行动" in line]
        assert len(lines) == 2, (argv, err)  # both at once, each with its place
        assert "plan.0.id" in lines[0] and "capital.registered_minimum" in lines[0]
        assert "plan.2.id" in lines[1] and "staffing.insured_typo" in lines[1]
    assert not (tmp_path / "r.xlsx").exists()
