"""``python -m ccl share create | list | revoke``: a link printed once, listed, revoked; roles and workspaces."""

# ruff: noqa: F811  (the db_url fixture is imported from store_support)

from __future__ import annotations

import json

from store_support import db_url  # noqa: F401  (fixture)

from ccl.cli import main
from ccl.store import Store
from ccl.store.shares import token_from


def _import(db_url, samples, *extra):
    for sample in samples:
        assert main(["clients", "import", str(sample.path), "--database", db_url, *extra]) == 0


def test_create_list_and_revoke(db_url, samples, capsys):
    _import(db_url, samples[:2])
    capsys.readouterr()
    name = samples[0].load().company.name
    assert main(["share", "create", "--client", name, "--mode", "contribute", "--days", "3", "--database", db_url]) == 0
    out = capsys.readouterr()
    link = out.out.strip()
    assert link.startswith("http://localhost:8501/?s=") and "有效期至" in out.err
    with Store.open(db_url) as store:
        opened = store.open_share(token_from(link))
        assert opened.client_id == store.find_clients(name)[0].id and opened.mode == "contribute"
    assert main(["share", "list", "--format", "json", "--database", db_url]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["client_name"], row["mode"], row["uses"]) == (name, "contribute", 1)
    assert main(["share", "list", "--lang", "en", "--database", db_url]) == 0
    assert "may answer" in capsys.readouterr().out
    assert main(["share", "revoke", link, "--database", db_url]) == 0
    assert main(["share", "revoke", link, "--database", db_url]) == 2  # nothing left to revoke
    with Store.open(db_url) as store:
        assert store.open_share(token_from(link)) is None


def test_an_unknown_client_or_bad_days_is_one_line(db_url, samples, capsys):
    _import(db_url, samples[:1])
    capsys.readouterr()
    assert main(["share", "create", "--client", "没有这家", "--mode", "view", "--database", db_url]) == 2
    assert "找不到客户" in capsys.readouterr().err
    assert main(["share", "create", "--client", "1", "--mode", "view", "--days", "0", "--database", db_url]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_with_roles_a_viewer_cannot_share_and_nobody_shares_outside_their_workspaces(
    db_url, samples, tmp_path, monkeypatch, capsys
):
    roles = tmp_path / "roles.toml"
    roles.write_text(
        '[roles]\nconsultant = ["wang@a.cn", "li@b.cn"]\nviewer = ["zhao@a.cn"]\n'
        '[workspaces]\nwsA = ["wang@a.cn", "zhao@a.cn"]\nwsB = ["li@b.cn"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("CCL_ROLES_FILE", str(roles))
    _import(db_url, samples[:1], "--as", "wang@a.cn")
    capsys.readouterr()
    base = ["share", "create", "--client", "1", "--mode", "view", "--database", db_url]
    assert main([*base, "--as", "zhao@a.cn"]) == 2  # a viewer
    assert main([*base, "--as", "li@b.cn"]) == 2  # another workspace
    assert "找不到客户" in capsys.readouterr().err
    assert main([*base, "--as", "wang@a.cn"]) == 0
    link = capsys.readouterr().out.strip()
    assert main(["share", "list", "--database", db_url, "--as", "li@b.cn"]) == 0
    assert "还没有共享链接" in capsys.readouterr().out
    assert main(["share", "revoke", link, "--database", db_url, "--as", "li@b.cn"]) == 2
    with Store.open(db_url) as store:
        [entry] = [e for e in store.audit_entries() if e.action == "share_create"]
        assert entry.who == "wang@a.cn"
