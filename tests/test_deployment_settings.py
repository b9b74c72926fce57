"""Settings that keep a deployment safe and offline: checked so that nobody turns them off unnoticed."""

from __future__ import annotations

import ast
import tomllib

from project import ROOT

from ui import speedups


def test_xsrf_protection_and_cors_stay_on() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["enableCORS"] is True
    assert config["browser"]["gatherUsageStats"] is False


def test_the_favicon_is_drawn_locally_never_fetched() -> None:
    """A ":material/…" page icon makes the browser fetch an SVG from a font host; an emoji does not."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    icons = [
        ast.unparse(kw.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "set_page_config"
        for kw in node.keywords
        if kw.arg == "page_icon"
    ]
    assert icons == ["speedups.PAGE_ICON"]
    assert not speedups.PAGE_ICON.startswith(":") and "://" not in speedups.PAGE_ICON


def test_make_run_listens_on_this_machine_only() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "ADDRESS ?= 127.0.0.1" in makefile and "--server.address $(ADDRESS)" in makefile
    assert "streamlit run serve.py" in makefile, "through the front that adds the security headers (ui/hardening.py)"


def test_no_english_app_menu_and_no_error_details_for_users() -> None:
    """Streamlit's ⋮ menu (System/Light/Dark, Print, Record screen) exists in English only: it is hidden."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["toolbarMode"] == "minimal"
    assert config["client"]["showErrorDetails"] == "none"
