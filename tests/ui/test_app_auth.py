"""Sign-in for a team deployment (AppTest): off by default; when on, sign-in page, refusal, roles,
workspaces, the signed-in identity as "saved by", soft delete with restore and the audit log."""

from __future__ import annotations

import tomllib
from string import Formatter

import pytest
from project import ROOT
from streamlit.testing.v1 import AppTest

from ccl import clock
from ccl.access import AccessPolicy
from ccl.engine import Engine
from ccl.i18n import t
from ccl.samples import list_samples
from ccl.store import Store, summary_of
from ui.auth import decide
from ui.escape import md_literal

pytestmark = pytest.mark.slow  # drives the app (AppTest)

APP = str(ROOT / "app.py")
SAMPLES = {s.key: s for s in list_samples()}
GUANGZHOU, CHENGDU = "01_guangzhou_ready", "03_chengdu_startup_undercapitalised"
ENGINE = Engine.load()
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret-of-some-length",
    "client_id": "ccl",
    "client_secret": "secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ROLES = {
    "roles": {"admin": ["wang@example.com"], "consultant": ["@example.com"], "viewer": ["zhao@partner.cn"]},
    "workspaces": {"beijing": ["@example.com", "zhao@partner.cn"], "shanghai": ["li@example.com"]},
}
WANG = {"is_logged_in": True, "email": "wang@example.com", "name": "王经理", "email_verified": True}
LI = {"is_logged_in": True, "email": "li@example.com", "name": "Li"}
ZHAO = {"is_logged_in": True, "email": "zhao@partner.cn", "name": "赵"}
STRANGER = {"is_logged_in": True, "email": "x@elsewhere.org", "name": "X"}


@pytest.fixture
def store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'ccl.sqlite3'}"
    monkeypatch.setenv("CCL_DATABASE_URL", url)
    with Store.open(url) as s:
        yield s


@pytest.fixture
def signin(monkeypatch):
    monkeypatch.setenv("CCL_AUTH", "oidc")
    monkeypatch.delenv("CCL_ROLES_FILE", raising=False)


def app(user: dict | None, roles: dict | None = ROLES) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    if roles is not None:
        at.secrets["ccl_auth"] = roles
    at.user = user or {"is_logged_in": False}
    return at.run()


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest, *kinds: str) -> str:
    return "\n".join(str(el.value) for kind in kinds for el in getattr(at, kind))


def save_directly(store: Store, sample: str, workspace: str | None) -> int:
    prof = SAMPLES[sample].load()
    ev = ENGINE.evaluate(prof, clock.today())
    return store.save(None, prof, summary_of(ev), "同事", workspace=workspace).client_id


# --- the decision, with a stubbed identity ------------------------------------------------------------


def test_decide_gives_role_and_workspaces_and_refuses_the_rest():
    policy = AccessPolicy.model_validate(ROLES)
    wang = decide(WANG, policy)
    assert (wang.role, wang.workspaces, wang.label, wang.home) == (
        "admin",
        ("beijing",),
        "王经理 <wang@example.com>",
        "beijing",
    )
    assert decide(ZHAO, policy).role == "viewer" and not decide(ZHAO, policy).can("save")
    assert decide(STRANGER, policy) is None
    assert decide({**STRANGER, "email": "new@example.com"}, policy).role == "consultant"
    assert decide(LI, AccessPolicy.model_validate({**ROLES, "workspaces": {"x": ["a@b.cn"]}})) is None  # no team
    assert decide({**LI, "email_verified": False}, policy) is None  # a domain rule must not trust it
    assert decide(None, policy) is None and decide({"name": "no e-mail"}, policy) is None


# --- the app -----------------------------------------------------------------------------------------


def test_without_configuration_there_is_no_sign_in(store, monkeypatch):
    monkeypatch.delenv("CCL_AUTH", raising=False)
    at = ok(AppTest.from_file(APP, default_timeout=60).run())
    assert not [b for b in at.button if b.key == "auth:login"]
    assert at.text_input(key="sb:saved_by") is not None  # the free-text "saved by" is still there


def test_signed_out_user_sees_only_the_sign_in_page(store, signin):
    at = ok(app(None))
    assert at.button(key="auth:login").label == t("auth.sign_in", "zh")
    assert t("auth.sign_in_intro", "zh") in texts(at, "info")
    assert not at.sidebar.button  # nothing of the app


def test_user_without_a_role_is_refused_politely(store, signin):
    at = ok(app(STRANGER))
    assert md_literal("x@elsewhere.org") in texts(at, "warning")  # markdown source: shown as plain text
    assert at.button(key="auth:logout_refused")
    assert not [b for b in at.button if b.key == "sb:save"]


def test_missing_roles_let_nobody_in(store, signin):
    at = ok(app(WANG, roles=None))
    assert t("auth.misconfigured", "zh") in texts(at, "error")
    assert not [b for b in at.button if b.key == "sb:save"]


def test_viewer_reads_but_cannot_save_import_or_delete(store, signin):
    save_directly(store, GUANGZHOU, "beijing")
    at = ok(app(ZHAO))
    at.selectbox(key="sb:sample").select(CHENGDU).run()
    save_button = at.button(key="sb:save")
    assert save_button.disabled and "只读用户" in save_button.help
    assert at.button(key="sb:save_as").disabled
    ok(at.switch_page("pages/portfolio.py").run())
    assert len(at.dataframe[0].value) == 1  # reads the workspace's clients
    assert at.button(key="pf:import").disabled and at.button(key="pf:delete").disabled
    assert not [e for e in at.expander if e.label == t("audit.title", "zh")]


def test_consultant_saves_as_themself_into_their_workspace_and_sees_only_it(store, signin):
    save_directly(store, GUANGZHOU, "guangzhou")  # a team Li is not in
    at = ok(app(LI))
    assert md_literal("li@example.com") in texts(at.sidebar, "caption")
    assert not [w for w in at.text_input if w.key == "sb:saved_by"]  # never typed
    at.selectbox(key="sb:sample").select(CHENGDU).run()
    ok(at.button(key="sb:save").click().run())
    [mine] = store.list_clients(["beijing"])  # Li's first workspace
    assert mine.latest.saved_by == "Li <li@example.com>"
    ok(at.switch_page("pages/portfolio.py").run())
    assert len(at.dataframe[0].value) == 1  # only their own workspaces' clients
    assert at.button(key="pf:delete").disabled
    assert not [e for e in at.expander if e.label == t("trash.title", "zh")]


def test_admin_deletes_restores_and_reads_the_audit_log(store, signin):
    victim = save_directly(store, CHENGDU, "beijing")
    save_directly(store, GUANGZHOU, "shanghai")  # another team's client: invisible to Wang
    at = ok(app(WANG))
    ok(at.switch_page("pages/portfolio.py").run())
    assert len(at.dataframe[0].value) == 1
    at.selectbox(key="pf:delete_pick").select(victim).run()
    at.button(key="pf:delete").click().run()
    ok(at.button(key="pf:delete_yes").click().run())
    assert [c.workspace for c in store.list_clients()] == ["shanghai"]
    assert not [b for b in at.button if b.key == f"pf:restore:{victim}"]  # closed: not even read
    at.session_state["pf:trash"] = True
    at.session_state["pf:audit"] = True
    ok(at.run())
    ok(at.button(key=f"pf:restore:{victim}").click().run())
    assert {c.id for c in store.list_clients(["beijing"])} == {victim}
    actions = [(e.action, e.who) for e in store.audit_entries(["beijing"])]
    assert actions[:2] == [("restore", "王经理 <wang@example.com>"), ("delete", "王经理 <wang@example.com>")]
    log = next(d.value for d in at.dataframe if t("audit.col_who", "zh") in d.value.columns)
    assert list(log[t("audit.col_action", "zh")])[:4] == ["恢复", "删除", "登录", "保存"]  # Wang's sign-in too
    assert "shanghai" not in set(log[t("audit.col_workspace", "zh")])


def _placeholders(lang: str) -> dict[str, set[str]]:
    def flat(data: dict, prefix: str = "") -> dict[str, str]:
        out: dict[str, str] = {}
        for key, value in data.items():
            out |= flat(value, f"{prefix}{key}.") if isinstance(value, dict) else {f"{prefix}{key}": value}
        return out

    data = tomllib.loads((ROOT / f"data/locales/{lang}/auth.toml").read_text(encoding="utf-8"))
    return {key: {f for _, f, _, _ in Formatter().parse(text) if f} for key, text in flat(data).items()}


def test_auth_locales_match():
    assert _placeholders("zh") == _placeholders("en")


def _draft_link(at: AppTest) -> str | None:
    value = at.query_params.get("d")
    return value[0] if isinstance(value, list) else value


def _open_link(user: dict, link: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.secrets["ccl_auth"] = ROLES
    at.user = user
    at.query_params["d"] = link
    return ok(at.run())


def test_a_draft_link_opens_only_for_the_user_whose_work_it_is(store, signin):
    wang = ok(app(WANG))
    ok(wang.selectbox(key="sb:sample").select("03_chengdu_startup_undercapitalised").run())
    link = _draft_link(wang)
    assert link, "the change was kept as a draft"
    company = SAMPLES["03_chengdu_startup_undercapitalised"].load().company.name
    again = _open_link(WANG, link)
    assert company in [o for o in again.selectbox(key="sb:company").options]
    other = _open_link(LI, link)  # a colleague given the link (or a guessed one) gets nothing of it
    assert company not in [o for o in other.selectbox(key="sb:company").options]
    assert t("store_ui.draft_not_yours", "zh") in [toast.value for toast in other.toast]


def test_after_sign_out_the_same_cookie_opens_nothing(store, signin):
    at = ok(app(WANG))
    assert at.button(key="auth:logout")
    at.button(key="auth:logout").click().run()  # signs out here (st.logout) and ends the sign-in in the store
    copied = ok(app(WANG))  # the identity cookie as it was, e.g. copied before, or another tab
    assert t("auth.ended", "zh") in texts(copied, "info")
    assert not [w for w in (*copied.button, *copied.selectbox) if w.key in ("auth:logout", "sb:company")]
    assert [e.action for e in store.audit_entries()][:2] == ["sign_out", "sign_in"]


def test_an_admin_ends_every_sign_in_of_a_user(store, signin):
    ok(app(LI))
    assert [s.email for s in store.running_sign_ins()] == ["li@example.com"]
    admin = ok(app(WANG))
    ok(admin.switch_page("pages/portfolio.py").run())
    admin.session_state["pf:sign_ins"] = True
    ok(admin.run())
    ok(admin.button(key="pf:end_sign_ins:li@example.com").click().run())
    assert t("auth.ended", "zh") in texts(ok(app(LI)), "info")
    assert ok(app(WANG)).button(key="auth:logout")  # others go on
    assert ("session_ended", "wang@example.com → li@example.com") in [(e.action, e.who) for e in store.audit_entries()]


def test_a_refused_sign_in_is_in_the_audit_log(store, signin):
    ok(app(STRANGER))
    assert [(e.action, e.who) for e in store.audit_entries()] == [("sign_in_refused", "x@elsewhere.org")]
