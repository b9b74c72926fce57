"""ui.turns: page runs take turns, a slow run lets the next one start, and no run keeps its turn.

No test here waits on a clock (the suite runs under a faked, stopped one): whether a turn is free is read with
a non-blocking acquire, and the budget's timer is joined.
"""

from __future__ import annotations

import threading

import pytest
from project import ROOT
from streamlit.testing.v1 import AppTest

from ui import turns


def free() -> bool:
    """Whether a run asking now would get its turn at once (the turn is given back again)."""
    if turns._slots.acquire(blocking=False):
        turns._slots.release()
        return True
    return False


def test_one_run_at_a_time_and_the_next_gets_its_turn_when_it_ends():
    with turns.turn():
        assert not free()  # a second run would wait
    assert free()


def test_a_turn_is_given_back_however_the_run_ends():
    with pytest.raises(RuntimeError), turns.turn():
        raise RuntimeError("a page failed")  # st.stop and st.rerun end a run by raising too
    assert free()


def test_a_run_over_its_budget_lets_the_next_one_start(monkeypatch):
    monkeypatch.setattr(turns, "BUDGET_S", 0.0)
    with turns.turn() as held:
        assert held._timer is not None
        held._timer.join()  # the budget is spent: the turn is given back while the run goes on
        assert free()
        waiting = threading.Thread(target=lambda: turns.take().end())
        waiting.start()
        waiting.join()  # the next run got its turn and ended; this one is still running
    assert free()  # and its end did not give back a second turn (a BoundedSemaphore would raise)


def test_a_run_that_ends_in_time_stops_its_timer():
    with turns.turn() as held:
        pass
    assert held._timer is not None
    held._timer.join()  # cancelled: returns at once, with the clock stopped
    assert free()


@pytest.mark.slow
def test_app_runs_give_their_turn_back_on_every_page_also_when_a_page_stops():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.selectbox(key="sb:sample").select("10_xian_mid_remediation").run()
    for page in ("plan", "gaps", "overview"):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception
        assert free(), page
    at.query_params["s"] = "not-a-token"  # a share link that is refused: its run stops early
    at.run()
    assert free()
