"""Page runs take turns: one session's run draws at a time, first come first served, on a shared server.

Streamlit runs every session's script in its own thread, and Python runs one thread at a time (the GIL).
When 20 sessions rerun at once, their threads and the server's event loop (which sends what the runs draw)
pass the interpreter around every few milliseconds: nothing finishes sooner for it, every run finishes
late, and the switching itself costs. Measured with ``bench/bench_load.py`` (20 sessions switching pages on
sample 10): one run at a time did as many runs a second, and its slowest runs (p95) came ~30% sooner, with
about the same median (each session still waits for the 19 runs ahead of it).

A turn is held for the whole of ``app.py``'s run, the draft's write at its end included (given back before
it, the write ran beside the next turn's run and the slowest runs came back). A run that takes longer than
``BUDGET_S`` (an export, a first import of pandas, a database that does not answer) lets the next run start
and goes on beside it, so a slow run never holds the others up by more than that. A fragment's rerun (an
answer on the questionnaire) takes no turn: it is short, and runs at once.

The order is the semaphore's: a turn given back wakes the run that has waited longest, though a run asking
at that very moment can take it first.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

TURNS = 1  # runs drawing at once: the interpreter runs one thread at a time anyway
BUDGET_S = 0.25  # a run longer than this lets the next one start (a page run alone takes 10–40 ms)
WAIT_S = 10.0  # never wait longer than this for a turn (a safety net: the budget already bounds the wait)


class Turn:
    """One run's turn: ``end()`` gives it back (at most once; the budget's timer may have done it already)."""

    def __init__(self, slots: threading.Semaphore | None) -> None:
        self._slots = slots
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        if slots is not None:
            self._timer = threading.Timer(BUDGET_S, self.end)
            self._timer.daemon = True
            self._timer.start()

    def end(self) -> None:
        with self._lock:
            slots, self._slots = self._slots, None
        if self._timer is not None:
            self._timer.cancel()  # also from the timer's own thread: it only marks it finished
        if slots is not None:
            slots.release()


_slots = threading.BoundedSemaphore(TURNS)


def take() -> Turn:
    """Wait for a turn (up to ``WAIT_S``, then go on without one) and hold it until ``Turn.end``."""
    got = _slots.acquire(timeout=WAIT_S)
    return Turn(_slots if got else None)


@contextmanager
def turn() -> Iterator[Turn]:
    """A turn for the block; given back when it ends, however it ends (``st.stop``, ``st.rerun``, an error)."""
    held = take()
    try:
        yield held
    finally:
        held.end()
