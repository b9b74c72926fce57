"""Downloads are in the audit log: who exported which client, when the file is built for the browser."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from ccl.store import Store

pytestmark = pytest.mark.slow


def _app() -> None:
    import streamlit as st

    from ui import state
    from ui.exports import logged

    state.init()
    st.session_state["built"] = logged(lambda: b"xlsx bytes", "portfolio.xlsx", client=False)


def test_a_download_is_logged_when_it_is_built_not_when_the_button_is_drawn(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'ccl.sqlite3'}"
    monkeypatch.setenv("CCL_DATABASE_URL", url)
    at = AppTest.from_function(_app, default_timeout=60).run()
    assert not at.exception
    with Store.open(url) as store:
        assert store.audit_entries() == []  # drawn: nothing yet
        assert at.session_state["built"]() == b"xlsx bytes"  # what Streamlit calls on the click
        [entry] = store.audit_entries()
        assert (entry.action, entry.client_id, entry.client_name) == ("export", 0, "portfolio.xlsx")
