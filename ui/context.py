"""What every page needs, gathered once per run: engine, catalog, language, profile, evaluation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from ccl.catalog.load import Catalog
from ccl.engine import Engine, Evaluation
from ccl.i18n import Lang, strings, t
from ccl.profile import Profile
from ui import state
from ui.cache import evaluate, get_engine, profile_key


@dataclass(frozen=True, slots=True)
class PageContext:
    engine: Engine
    lang: Lang
    profile: Profile
    ev: Evaluation

    @property
    def catalog(self) -> Catalog:
        return self.engine.catalog

    def tr(self, key: str, **kwargs: Any) -> str:
        return t(key, self.lang, **kwargs)

    def tr_n(self, key: str, n: int, **kwargs: Any) -> str:
        """A counted string: ``<key>_one`` when n is 1 and the language has it (English plurals)."""
        one = f"{key}_one"
        return t(one if n == 1 and one in strings(self.lang) else key, self.lang, n=n, **kwargs)

    @property
    def date_input_format(self) -> str:
        """How a date box shows its date: year first in Chinese (年/月/日 order), day first in English."""
        return "YYYY/MM/DD" if self.lang == "zh" else "DD/MM/YYYY"

    def dim_name(self, dim: str) -> str:
        return self.catalog.dimension_by_id[dim].name(self.lang)

    def rule_title(self, rule_id: str) -> str:
        return self.catalog.rule_by_id[rule_id].title(self.lang)


def page_context() -> PageContext:
    """The context of the current run (the evaluation comes from the cache).

    A page script run without app.py (Streamlit's pages-folder route on a fresh server) draws nothing:
    no sign-in gate or share-link check ran, so it only offers the way in through the front door (in both
    languages: no language was chosen yet).
    """
    if not state.is_framed():
        st.markdown(f"[{t('common.open_front_door', 'zh')} · {t('common.open_front_door', 'en')}](/)")
        st.stop()
    prof = state.profile()
    ev = evaluate(prof, state.start_date(), state.review_anchor())
    # The engine added actions for new gaps or closed done ones: keep its plan. Compared by JSON, which both
    # already have (made once per profile): not a walk of the two profiles on every run.
    if profile_key(ev.profile) != profile_key(prof):
        state.adopt(ev.profile)
        prof = ev.profile
    return PageContext(get_engine(), state.lang(), prof, ev)
