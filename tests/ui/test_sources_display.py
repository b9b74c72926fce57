"""Where a rule's source can be read, as the Rules page shows it: official links by name, practice labelled."""

from __future__ import annotations

import pytest

from ccl.profile import Profile
from tests.conftest import START
from ui.blocks import source_links
from ui.context import PageContext


@pytest.fixture
def ctx(engine):
    def make(lang: str) -> PageContext:
        profile = Profile()
        return PageContext(engine, lang, profile, engine.evaluate(profile, START))

    return make


def test_official_source_links_by_document_name(ctx, catalog):
    md = source_links(ctx("zh"), catalog.rule_by_id["cap.min_registered"].source)
    assert "- [《电信业务经营许可管理办法》](https://www.miit.gov.cn/zwgk/zcwj/flfg/art/2020/" in md
    assert "国务院公报 2017年第32号" in md
    md_en = source_links(ctx("en"), catalog.rule_by_id["cap.min_registered"].source)
    assert "- [Measures for the Administration of Telecommunications Business Operating Licences](https://" in md_en


def test_practice_pages_are_labelled_as_practice(ctx, catalog):
    md = source_links(ctx("zh"), catalog.rule_by_id["st.technical_lead"].source)
    lines = md.splitlines()
    assert lines and all(line.startswith("- 实践做法页面（非官方）：[") for line in lines)
    assert "[qhhyzx.cn](http://qhhyzx.cn/shows/47/20234.html)" in md


def test_official_document_without_online_copy_says_so(ctx, catalog):
    outbound = next(r for r in catalog.rules if r.source.doc == "S11" and r.source.confidence == "official")
    md = source_links(ctx("en"), outbound.source)
    assert "](" not in md and "No official online copy found" in md
