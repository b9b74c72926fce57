"""In a real browser: a hostile company name stays text and loads nothing, and nothing at all is
fetched from another host (the favicon included)."""

from __future__ import annotations

from urllib.parse import urlparse

from conftest import go, open_app, settle

HOSTILE = "**x** :red[y] $\\KaTeX$ ![](http://evil.invalid/x.png) <img src=http://evil.invalid/y.png>"


def test_hostile_name_is_text_and_nothing_comes_from_outside(page, app_url):
    outside = []
    page.on("request", lambda r: urlparse(r.url).hostname not in (None, "127.0.0.1") and outside.append(r.url))
    open_app(page, app_url)
    go(page, "questionnaire", "zh")
    page.wait_for_selector(".st-key-q-company-name input")
    name = page.locator(".st-key-q-company-name input")
    name.fill(HOSTILE)
    name.press("Enter")
    go(page, "overview", "zh")
    settle(page, "s => document.querySelector('[data-testid=\"stMain\"]').innerText.includes(s)", "**x**")
    main = page.locator('[data-testid="stMain"]')
    assert main.locator("img[src*='evil']").count() == 0 and main.locator(".katex").count() == 0
    shown = main.inner_text().replace("\u2060", "")  # the invisible joiner that breaks ":red[…]"
    assert "**x** :red[y] $\\KaTeX$ ![](http://evil.invalid/x.png)" in shown
    page.wait_for_timeout(1000)
    assert outside == [], outside  # no image, no favicon, no font from another host
