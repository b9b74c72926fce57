"""The timed retry of drafting paused by a database outage, on a made-up clock: the timer set when the
paused note is drawn retries on its first tick after the pause, every RETRY_SECONDS, never twice in a run."""

from __future__ import annotations

import pytest

from ui.session import drafts
from ui.session.drafts import FULL_RUN_SECONDS, RETRY_SECONDS, DraftSession, retry_tick


class Clock:
    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    c = Clock(1000.0)
    monkeypatch.setattr(drafts.time, "monotonic", c)
    return c


def _failed_run(sess: DraftSession, clock: Clock, run_seconds: float = 0.8) -> float:
    """A whole run: it starts, draws the paused note (which sets the timer), and its keep() fails at the end.
    Returns when the timer was set."""
    sess.run_started = clock.now
    timer_set = clock.now
    clock.now += run_seconds
    drafts._pause(sess)
    return timer_set


def test_every_tick_of_the_timer_retries_while_the_database_stays_down(clock) -> None:
    sess = DraftSession()
    timer = _failed_run(sess, clock)
    for _ in range(3):  # three periods of the timer, the database down all along
        clock.now = timer + RETRY_SECONDS
        assert retry_tick(sess, clock.now), "the tick after a pause runs the app again"
        assert clock.now >= sess.paused_until, "and that run's keep() writes instead of waiting on"
        timer = _failed_run(sess, clock)  # the retry fails: paused again, the note drawn again


def test_no_retry_before_the_pause_ends_nor_within_a_whole_run_nor_when_nothing_is_paused(clock) -> None:
    sess = DraftSession()
    timer = _failed_run(sess, clock)
    clock.now = timer + RETRY_SECONDS / 2
    assert not retry_tick(sess, clock.now), "half-way through the pause"
    assert sess.paused_until > clock.now
    clock.now = timer + RETRY_SECONDS
    sess.run_started = clock.now - FULL_RUN_SECONDS / 2  # the user's own run is drawing the note
    assert not retry_tick(sess, clock.now), "that run ends with keep() itself"
    sess.run_started, sess.paused = timer, False  # drafting went on meanwhile
    assert not retry_tick(sess, clock.now)
