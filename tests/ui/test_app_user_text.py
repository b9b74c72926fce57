"""User text (company names, who saved, file names) is always shown as text, never as Markdown or HTML.

A name like ``**x** :red[y] $\\KaTeX$ ![](http://evil/x.png)`` must not turn bold, coloured or into a
formula, and above all must not load an image from an outside host.
"""

from __future__ import annotations

import re

import pytest
from project import ROOT
from streamlit.testing.v1 import AppTest

from ccl import clock
from ccl.engine import Engine
from ccl.samples import list_samples
from ccl.store import Store, summary_of
from ui.escape import md_literal

pytestmark = pytest.mark.slow  # drives the app (AppTest)

APP = str(ROOT / "app.py")
HOSTILE = "**x** :red[y] $\\KaTeX$ ![](http://evil/x.png) <a href='http://evil'>z</a> :smile:\n# big"
SAMPLE = list_samples()[0]
SHOWN = HOSTILE.replace("\n", " ")  # a name is one line: its line break is kept as a space


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def hostile_session() -> AppTest:
    at = ok(AppTest.from_file(APP, default_timeout=60).run())
    key = at.session_state["ui.current"]
    at.session_state["ui.companies"][key] = SAMPLE.load().with_answer("company.name", HOSTILE)
    return ok(at.run())


def assert_literal(body: str) -> None:
    assert md_literal(SHOWN) in body
    for markup in ("![", "**x**", ":red[", "$\\KaTeX$", "<a ", ":smile:", "\n# "):
        assert not re.search(r"(?<!\\)" + re.escape(markup), body), markup  # only its escaped form


def rendered(at: AppTest) -> list[str]:
    """Every Markdown body the script produced (main area and sidebar), with the popovers' content."""
    kinds = ("markdown", "caption", "info", "warning", "error", "success", "toast")
    return [str(el.value) for kind in kinds for el in getattr(at, kind)]


def test_md_literal_leaves_nothing_for_markdown_to_interpret() -> None:
    shown = md_literal(HOSTILE)
    assert "\n" not in shown
    assert "\\!\\[\\]\\(http" in shown and "\\*\\*x\\*\\*" in shown and "\\$" in shown and "\\<a" in shown
    assert ":smile:" not in shown and ":red[" not in shown  # Streamlit's emoji and colour syntax is broken up
    assert md_literal("广州粤声通信 Ltd") == "广州粤声通信 Ltd"  # ordinary names are untouched


def test_a_hostile_company_name_is_shown_as_text_in_the_header_and_the_reset_popover() -> None:
    at = hostile_session()
    bodies = rendered(at)
    header = [b for b in bodies if "KaTeX" in b]
    assert header, bodies  # the page header names the company …
    for body in header:  # … literally, everywhere (header caption, reset confirmation)
        assert_literal(body)


def test_who_saved_is_shown_as_text_in_the_conflict_dialog(tmp_path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'ccl.sqlite3'}"
    monkeypatch.setenv("CCL_DATABASE_URL", url)
    at = ok(AppTest.from_file(APP, default_timeout=60).run())
    at.selectbox(key="sb:sample").select(SAMPLE.key).run()
    ok(at.button(key="sb:save").click().run())
    client_id = at.session_state["store.links"][f"sample:{SAMPLE.key}"].client_id
    engine = Engine.load()
    with Store.open(url) as s:
        theirs = SAMPLE.load().with_answer("staffing.insured_staff", 42)
        s.save(client_id, theirs, summary_of(engine.evaluate(theirs, clock.today())), HOSTILE, expected_version=1)
    at.switch_page("pages/questionnaire.py").run()
    at.segmented_control(key="qn:section").set_value("capital").run()
    ok(at.number_input(key="q:capital.registered_cny").set_value(777.0).run())
    ok(at.button(key="sb:save").click().run())
    warnings = [w.value for w in at.warning if "KaTeX" in w.value]
    assert warnings, [w.value for w in at.warning]
    for body in warnings:
        assert_literal(body)


def test_a_nul_in_the_company_name_is_a_field_error_not_an_outage(tmp_path, monkeypatch) -> None:
    from ccl.i18n import t

    monkeypatch.setenv("CCL_DATABASE_URL", f"sqlite:///{tmp_path / 'ccl.sqlite3'}")
    at = ok(AppTest.from_file(APP, default_timeout=60).run())
    at.switch_page("pages/questionnaire.py").run()
    ok(at.text_input(key="q:company.name").input("广州\x00粤声").run())
    assert t("error.bad_characters", "zh") in [e.value for e in at.error]
    assert not at.session_state["store.outage"]
    assert at.session_state["ui.companies"][at.session_state["ui.current"]].company.name != "广州\x00粤声"


def _autolinked(text: str) -> bool:
    """Whether GitHub-flavoured Markdown (remark-gfm, as Streamlit renders) would make a link of the
    text once its escapes are removed: a bare www. domain, an e-mail address or a scheme."""
    plain = re.sub(r"\\(.)", r"\1", text)
    return bool(
        re.search(r"(?:^|[\s*_~(])www\.[\w-]", plain, re.IGNORECASE)
        or re.search(r"[\w.+-]@[\w-]+\.\w", plain)
        or re.search(r"https?://\w", plain, re.IGNORECASE)
    )


def test_addresses_in_user_text_do_not_become_links() -> None:
    for text in ("见 www.evil.test 下载", "wang@evil.test", "http://evil.test/x", "(WWW.evil.test)"):
        assert _autolinked(text)  # the check itself sees the link …
        assert not _autolinked(md_literal(text)), text  # … which the escaped text no longer is


@pytest.mark.slow
def test_an_answer_one_character_too_long_is_a_message_not_an_exception() -> None:
    from ccl.i18n import t

    at = ok(AppTest.from_file(APP, default_timeout=60).run())
    at.switch_page("pages/questionnaire.py").run()
    # The box stops at 200 characters; a rejected answer of 201 (a forged message, an older page) is
    # remembered as the field's error, which the questionnaire then draws with its limit.
    at.session_state["ui.errors"] = {at.session_state["ui.current"]: {"company.name": ("too_long", "名" * 201)}}
    ok(at.run())
    assert t("error.too_long", "zh", max=200) in [e.value for e in at.error]
