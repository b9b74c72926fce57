"""``python -m ccl clients list | import | export``: output, exit status, one-line errors."""

# ruff: noqa: F811  (the db_url and store fixtures are imported from store_support)

from __future__ import annotations

import json
import socket

import openpyxl
import pytest
from store_support import db_url  # noqa: F401  (fixture)

from ccl.cli import main


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_import_list_and_export_round(db_url, samples, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1, "staffing": {"insured_staff": "many"}}', encoding="utf-8")
    code = main(
        [
            "clients",
            "import",
            str(samples[0].path),
            str(samples[1].path),
            str(bad),
            "--saved-by",
            "王经理",
            "--start",
            "2026-11-30",
            "--database",
            db_url,
            "--lang",
            "zh",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 2  # one file failed; the others are saved
    assert out.count("✓") == 2 and "新建客户" in out
    assert "✗ " + str(bad) in err and "staffing.insured_staff" in err
    assert "已保存：2 个文件；失败：1 个。" in err
    assert "Traceback" not in out + err

    assert main(["clients", "list", "--format", "json", "--database", db_url]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["name"] for r in rows} == {samples[0].load().company.name, samples[1].load().company.name}
    assert all(r["version"] == 1 and r["saved_by"] == "王经理" and "dimensions" in r for r in rows)

    assert main(["clients", "import", str(samples[0].path), "--database", db_url, "--lang", "en"]) == 0
    assert "version 2, new version" in capsys.readouterr().out

    assert main(["clients", "list", "--database", db_url, "--lang", "en"]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0].split()[:2] == ["ID", "Company"]
    assert samples[0].load().company.name in table and "Ready" in table

    target = tmp_path / "portfolio.xlsx"
    assert main(["clients", "export", "-o", str(target), "--database", db_url, "--lang", "en"]) == 0
    assert "Exported 2 clients" in capsys.readouterr().out
    assert openpyxl.load_workbook(target).active.max_row == 3


@pytest.mark.postgres  # psycopg against a closed port
def test_unreachable_database_is_one_line_and_exit_2(capsys):
    url = f"postgresql://postgres@127.0.0.1:{_closed_port()}/test"
    for command in (["list"], ["export", "-o", "x.xlsx"], ["import", "nothing.json"]):
        assert main(["clients", *command, "--database", url, "--lang", "zh"]) == 2
        out, err = capsys.readouterr()
        assert out == "" and len(err.strip().splitlines()) == 1
        assert err.startswith("无法连接数据库")


def test_unwritable_export_target_is_a_clear_error(db_url, tmp_path, capsys):
    target = tmp_path / "missing-folder" / "p.xlsx"
    assert main(["clients", "export", "-o", str(target), "--database", db_url, "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"Cannot write {target}") and len(err.strip().splitlines()) == 1


def test_empty_portfolio_says_so(db_url, capsys):
    assert main(["clients", "list", "--database", db_url, "--lang", "zh"]) == 0
    assert capsys.readouterr().out == "还没有已保存的客户。\n"


def test_progress_bar_draws_on_a_terminal_only():
    import io

    from ccl.cli.clients import ProgressBar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    term, log = Terminal(), io.StringIO()
    for stream in (term, log):
        bar = ProgressBar(stream, width=4)
        for done in range(3):
            bar(done, 2)
    assert term.getvalue() == "\r[░░░░] 0/2\r[██░░] 1/2\r[████] 2/2\n"
    assert log.getvalue() == ""


def test_workspace_option_assigns_imports_and_filters_list_and_export(db_url, samples, tmp_path, capsys):
    base = ["--database", db_url, "--lang", "en"]
    assert main(["clients", "import", str(samples[0].path), "--workspace", "beijing", *base]) == 0
    assert main(["clients", "import", str(samples[1].path), "--workspace", "shanghai", *base]) == 0
    # The same company imported into another workspace is a new client there, not an update of Beijing's.
    assert main(["clients", "import", str(samples[0].path), "--workspace", "shanghai", *base]) == 0
    assert "new client" in capsys.readouterr().out.strip().splitlines()[-1]
    assert main(["clients", "list", "--format", "json", "--workspace", "beijing", *base]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["workspace"], r["version"]) for r in rows] == [(samples[0].load().company.name, "beijing", 1)]
    target = tmp_path / "shanghai.xlsx"
    assert main(["clients", "export", "-o", str(target), "--workspace", "shanghai", *base]) == 0
    assert "Exported 2 clients" in capsys.readouterr().out
    assert main(["clients", "list", "--workspace", "nowhere", *base]) == 0
    assert capsys.readouterr().out == "No saved clients yet.\n"


def test_with_a_roles_file_the_cli_runs_as_a_user_with_that_users_rights(
    db_url, samples, tmp_path, capsys, monkeypatch
):
    roles = tmp_path / "roles.toml"
    roles.write_text(
        "[roles]\n"
        'admin = ["wang@example.com"]\nconsultant = ["li@example.com"]\nviewer = ["audit@partner.cn"]\n'
        "[workspaces]\n"
        'beijing = ["wang@example.com", "li@example.com", "audit@partner.cn"]\n'
        'shanghai = ["wang@example.com"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("CCL_ROLES_FILE", str(roles))
    base = ["--database", db_url, "--lang", "en"]
    assert main(["clients", "list", *base]) == 2  # nobody named: refused, with the way to fix it
    assert "--as EMAIL" in capsys.readouterr().err
    assert main(["clients", "import", str(samples[0].path), "--as", "audit@partner.cn", *base]) == 2
    assert "may not run this command (role: viewer)" in capsys.readouterr().err
    assert main(["clients", "import", str(samples[0].path), "--as", "li@example.com", *base]) == 0
    capsys.readouterr()
    assert (
        main(["clients", "import", str(samples[1].path), "--as", "li@example.com", "--workspace", "shanghai", *base])
        == 2
    )
    assert 'not a member of the workspace "shanghai"' in capsys.readouterr().err
    assert (
        main(["clients", "import", str(samples[1].path), "--as", "wang@example.com", "--workspace", "shanghai", *base])
        == 0
    )
    capsys.readouterr()
    assert main(["clients", "list", "--format", "json", "--as", "audit@partner.cn", *base]) == 0  # viewers read
    rows = json.loads(capsys.readouterr().out)
    assert [(r["workspace"], r["saved_by"]) for r in rows] == [("beijing", "li@example.com")]  # not Shanghai's
    assert main(["clients", "list", "--as", "stranger@else.com", *base]) == 2
    assert "may not run this command" in capsys.readouterr().err
