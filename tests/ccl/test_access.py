"""Roles and workspaces of a team deployment: who gets which role, which workspaces, what each may do."""

from __future__ import annotations

import pytest

from ccl.access import AccessPolicy, PolicyError, can, load_policy, parse_policy

POLICY = """
restore_days = 14

[roles]
admin = ["Wang@Example.com"]
consultant = ["@example.com"]
viewer = ["auditor@partner.cn", "zhao@example.com"]

[workspaces]
beijing = ["@example.com", "auditor@partner.cn"]
shanghai = ["li@example.com", "wang@example.com"]
"""


@pytest.fixture
def policy(tmp_path) -> AccessPolicy:
    path = tmp_path / "roles.toml"
    path.write_text(POLICY, encoding="utf-8")
    return load_policy(path)


def test_roles_come_from_addresses_before_domains_and_ignore_case(policy):
    assert policy.role_of("wang@example.com") == "admin"
    assert policy.role_of("LI@example.com") == "consultant"  # by domain
    assert policy.role_of("zhao@example.com") == "viewer"  # an address beats the consultant domain
    assert policy.role_of("auditor@partner.cn") == "viewer"
    assert policy.role_of("someone@partner.cn") is None
    assert policy.role_of("") is None and policy.role_of(None) is None
    assert policy.restore_days == 14


def test_workspaces_are_every_matching_one_in_file_order(policy):
    assert policy.workspaces_of("wang@example.com") == ("beijing", "shanghai")
    assert policy.workspaces_of("auditor@partner.cn") == ("beijing",)
    assert policy.workspaces_of("x@elsewhere.org") == ()
    assert AccessPolicy().workspaces_of("x@elsewhere.org") is None  # no workspaces: one shared space


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", {"read", "save", "import", "delete", "restore", "audit"}),
        ("consultant", {"read", "save", "import"}),
        ("viewer", {"read"}),
        (None, set()),
    ],
)
def test_each_role_may_do_exactly_its_actions(role, allowed):
    actions = ("read", "save", "import", "delete", "restore", "audit")
    assert {a for a in actions if can(role, a)} == allowed


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"roles": {"owner": ["a@b.cn"]}}, "roles.owner"),
        ({"roles": {"admin": ["not an address"]}}, "roles.admin"),
        ({"roles": {"admin": ["@localhost"]}}, "roles.admin"),
        ({"workspaces": {"": ["a@b.cn"]}}, "workspaces"),
        ({"restore_days": 0}, "restore_days"),
        ({"role": {}}, "role"),
    ],
)
def test_a_bad_policy_names_the_source_and_the_field(data, field):
    with pytest.raises(PolicyError) as err:
        parse_policy(data, "roles.toml")
    assert str(err.value).startswith(f"roles.toml: {field}")


def test_a_missing_or_malformed_file_names_the_file(tmp_path):
    with pytest.raises(PolicyError, match=r"nowhere\.toml"):
        load_policy(tmp_path / "nowhere.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[roles\nadmin = 1", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"bad\.toml"):
        load_policy(bad)
