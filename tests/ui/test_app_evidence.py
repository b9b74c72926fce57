"""Notes and evidence per question (AppTest): recorded under each question, shown with the answer and on
the Materials page; bad rows are named and kept; user text never turns into Markdown or a script link."""

from __future__ import annotations

import re
from datetime import date

import pytest
from project import ROOT
from streamlit.testing.v1 import AppTest
from table_support import static_tables

from ccl.i18n import t
from ccl.profile import Evidence, EvidenceRef
from ccl.samples import list_samples
from ui import evidence
from ui.escape import md_literal

pytestmark = pytest.mark.slow  # drives the app (AppTest)

APP = str(ROOT / "app.py")
SAMPLES = {s.key: s for s in list_samples()}
XIAN = "10_xian_mid_remediation"
LEASE = "materials.lease_contract"


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def profile(at: AppTest):
    return at.session_state["ui.companies"][at.session_state["ui.current"]]


def questionnaire(sample: str | None = None, section: str = "materials", lang: str = "zh") -> AppTest:
    at = ok(AppTest.from_file(APP, default_timeout=60).run())
    if sample:
        at.selectbox(key="sb:sample").select(sample).run()
    if lang != "zh":
        at.segmented_control(key="sb:lang").set_value(lang).run()
    at.switch_page("pages/questionnaire.py").run()
    return ok(at.segmented_control(key="qn:section").set_value(section).run())


def open_editor(at: AppTest, question: str) -> AppTest:
    return ok(at.button(key=f"evb:{question}").click().run())


def table_key(at: AppTest, question: str) -> str:
    editor = at.session_state["ev.editors"][(at.session_state["ui.current"], question)]
    return f"evt:{question}:{editor.ver}"


def type_rows(at: AppTest, question: str, added: list[dict], edited: dict | None = None) -> AppTest:
    """What the browser sends when rows are typed into the documents table."""
    at.session_state[table_key(at, question)] = {
        "edited_rows": edited or {},
        "added_rows": added,
        "deleted_rows": [],
    }
    return ok(at.run())


def summaries(at: AppTest) -> list[str]:
    return [c.value for c in at.caption if c.value.startswith(":material/attach_file:")]


def test_a_document_added_under_a_question_is_in_the_profile_and_shown_with_the_answer():
    at = questionnaire()
    assert at.button(key=f"evb:{LEASE}").label == t("evidence_ui.button", "zh")
    assert not at.data_editor  # no table is drawn until one is opened
    open_editor(at, LEASE)
    assert len(at.data_editor) == 1
    type_rows(at, LEASE, [{"name": "租赁合同", "location": "共享盘/证照", "date": "2026-10-12"}])
    ev = profile(at).evidence[LEASE]
    assert ev.refs == (EvidenceRef(name="租赁合同", location="共享盘/证照", date=date(2026, 10, 12)),)
    assert any("租赁合同（2026年10月12日），存放于 共享盘/证照" in s for s in summaries(at))
    note_key = next(ta.key for ta in at.text_area if ta.key.startswith(f"evn:{LEASE}"))
    ok(at.text_area(key=note_key).input("原件在行政部").run())
    assert profile(at).evidence[LEASE].note == "原件在行政部" and len(profile(at).evidence[LEASE].refs) == 1
    open_editor(at, LEASE)  # closing keeps it and shows the count on the button
    assert not at.data_editor
    assert at.button(key=f"evb:{LEASE}").label == "备注与证据 · 证据 1 · 有备注"
    assert at.session_state["ui.current"] in at.session_state["ui.edited"]  # an edit: the draft is kept


def test_a_bad_row_is_named_and_kept_while_the_good_rows_are_saved():
    at = questionnaire()
    open_editor(at, LEASE)
    rows = [
        {"name": "租赁合同", "location": "共享盘", "date": "2026-10-12"},
        {"location": "行政部抽屉"},  # no name
        {"name": "产权证明", "date": "2150-01-01"},  # after the last date accepted
        {"name": "房屋平面图\x07"},  # a control character
    ]
    type_rows(at, LEASE, rows)
    (message,) = [e.value for e in at.error]  # every problem at once, each naming the question and the row
    lines = message.split("\n\n")
    assert lines[0].startswith("「租赁合同或产权证明」第 2 行：请填写文件名称")
    assert (
        lines[1]
        == "「租赁合同或产权证明」第 3 行的文件日期：日期应在 1950-01-01 到 2099-12-31 之间，当前为 2150-01-01。"
    )
    assert lines[2] == "「租赁合同或产权证明」第 4 行的文件名称：" + t("error.bad_characters", "zh")
    assert [r.name for r in profile(at).evidence[LEASE].refs] == ["租赁合同"]
    # closing and reopening the editor shows every row typed, the bad ones included
    open_editor(at, LEASE)
    assert "有未保存的行" in at.button(key=f"evb:{LEASE}").label
    open_editor(at, LEASE)
    shown = at.data_editor[0].value
    assert list(shown["name"].fillna(""))[:3] == ["租赁合同", "", "产权证明"]
    assert list(shown["location"])[1] == "行政部抽屉" and len(shown) == 4
    # correcting the rows saves them and the message goes
    type_rows(at, LEASE, [], edited={1: {"name": "钥匙交接单"}, 2: {"date": "2026-01-05"}, 3: {"name": "房屋平面图"}})
    assert not at.error
    assert [r.name for r in profile(at).evidence[LEASE].refs] == ["租赁合同", "钥匙交接单", "产权证明", "房屋平面图"]


def test_more_than_fifty_documents_are_refused_from_the_first_one_too_many():
    at = questionnaire(lang="en")
    open_editor(at, LEASE)
    type_rows(at, LEASE, [{"name": f"doc {i}"} for i in range(1, 53)])
    errors = " ".join(e.value for e in at.error)
    assert "at most 50 documents can be recorded, there are 52; row 51 and those after it are not saved" in errors
    assert len(profile(at).evidence[LEASE].refs) == 50


def test_the_materials_page_shows_each_documents_evidence_and_what_is_ready_without_any():
    at = ok(AppTest.from_file(APP, default_timeout=60).run())
    at.selectbox(key="sb:sample").select(XIAN).run()
    ok(at.switch_page("pages/materials.py").run())
    table = static_tables(at, "st-documents-table")[0]
    row = table[table.iloc[:, 0] == "场地租赁合同或产权证明"].iloc[0]
    lease = "租赁合同（续签，至2028年10月）（2026年10月12日），存放于 共享盘/证照/场地"
    assert row["证据"] == f"{lease}；备注：续签后的合同以本公司为承租人。"  # under its document, headed 证据
    pointer = " ".join(i.value for i in at.info)
    assert "有 3 份材料在问卷中标为“已备齐”，但尚未记录证明文件" in pointer
    assert (
        "「股权结构及股东情况（追溯至自然人或国有）」、「证明公司信誉的有关材料」、「依法经营电信业务承诺书」"
        in pointer
    )
    assert "场地租赁合同" not in pointer


HOSTILE_NAME = "[x](javascript:alert(1)) **bold** <script>alert(1)</script>"
HOSTILE_PLACE = "javascript:alert(1)"


def test_hostile_evidence_renders_as_text_and_only_http_links_are_links():
    at = ok(AppTest.from_file(APP, default_timeout=60).run())
    key = at.session_state["ui.current"]
    refs = (
        EvidenceRef(name=HOSTILE_NAME, location=HOSTILE_PLACE),
        EvidenceRef(name="配置截图", location="https://wiki.example.com/ops/a(b)c"),
        EvidenceRef(name="x", location="https://evil.example/x) [y](javascript:alert(1)"),
    )
    prof = SAMPLES[XIAN].load().with_evidence(LEASE, Evidence(note="<img src=x onerror=alert(1)> :red[red]", refs=refs))
    at.session_state["ui.companies"][key] = prof
    at.switch_page("pages/questionnaire.py").run()
    ok(at.segmented_control(key="qn:section").set_value("materials").run())
    line = next(s for s in summaries(at) if "alert" in s)
    assert md_literal(HOSTILE_NAME) in line and md_literal(HOSTILE_PLACE) in line
    for markup in ("](javascript", "<script", "**bold**", "<img", ":red["):
        assert not re.search(r"(?<!\\)" + re.escape(markup), line), markup
    # the one real address is a link (its brackets encoded so they cannot end it); the others are text
    assert "[wiki.example.com/ops/a\\(b\\)c](https://wiki.example.com/ops/a%28b%29c)" in line
    assert line.count("](") == 1
    assert evidence.location_markdown("ftp://files.example.com/a") == md_literal("ftp://files.example.com/a")


def test_a_viewer_sees_the_evidence_but_cannot_change_it(tmp_path, monkeypatch):
    monkeypatch.setenv("CCL_DATABASE_URL", f"sqlite:///{tmp_path / 'ccl.sqlite3'}")
    monkeypatch.setenv("CCL_AUTH", "oidc")
    monkeypatch.delenv("CCL_ROLES_FILE", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "a-test-cookie-secret-of-some-length",
        "client_id": "ccl",
        "client_secret": "secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
    at.secrets["ccl_auth"] = {"roles": {"viewer": ["zhao@partner.cn"]}}
    at.user = {"is_logged_in": True, "email": "zhao@partner.cn", "name": "赵", "email_verified": True}
    ok(at.run())
    at.selectbox(key="sb:sample").select(XIAN).run()
    at.switch_page("pages/questionnaire.py").run()
    ok(at.segmented_control(key="qn:section").set_value("materials").run())
    open_editor(at, LEASE)
    assert at.data_editor[0].proto.disabled
    assert next(ta for ta in at.text_area if ta.key.startswith(f"evn:{LEASE}")).disabled
    assert any("只读" in c.value for c in at.caption)
    assert profile(at).evidence[LEASE] == SAMPLES[XIAN].load().evidence[LEASE]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_history_names_an_evidence_change_in_words(lang):
    from ccl.diff import profile_diff
    from ccl.engine import Engine
    from ui.changes import change_rows

    old = SAMPLES[XIAN].load()
    new = old.with_evidence(LEASE, None)
    rows = change_rows(Engine.load().catalog, profile_diff(old, new), lang)
    (question, before, after) = next(r for r in rows if "2028" in r[1])
    assert question == t("evidence.change", lang, question=Engine.load().catalog.questions[LEASE].label(lang))
    note = t("evidence.note", lang)
    assert before.startswith("租赁合同（续签，至2028年10月）") and before.endswith(
        f"{note}：续签后的合同以本公司为承租人。" if lang == "zh" else f"{note}: 续签后的合同以本公司为承租人。"
    )
    assert after == "—"
