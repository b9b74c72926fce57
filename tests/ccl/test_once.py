"""``ccl.once``: a loader that several sessions ask for at the same moment runs once, not once per session."""

import sys
import threading

import pytest

from ccl.calendar.sources import _stored_lunar_dates, package_schedules
from ccl.i18n import strings
from ccl.once import once
from ccl.pack.template import load_template
from ccl.pdf.fonts import register_font


def _in(thread: threading.Thread, name: str) -> bool:
    """The thread's innermost Python frame is the function ``name``."""
    frame = sys._current_frames().get(thread.ident or -1)
    return frame is not None and frame.f_code.co_name == name


def test_callers_asking_while_the_value_is_being_made_wait_for_it_instead_of_making_it_again():
    started, release, calls = threading.Event(), threading.Event(), []

    @once
    def load(lang: str) -> dict[str, str]:
        calls.append(lang)
        started.set()
        release.wait()
        return {"lang": lang}

    got: list[dict[str, str]] = []
    first = threading.Thread(target=lambda: got.append(load("zh")))
    first.start()
    started.wait()  # the first caller is making the value
    second = threading.Thread(target=lambda: got.append(load("zh")))
    second.start()
    # the second caller is queued in the wrapper, or (functools.cache) making the value a second time
    while not (_in(second, "__call__") or len(calls) > 1):  # a spin: no timed wait under a faked clock
        pass
    release.set()
    first.join()
    second.join()
    assert calls == ["zh"]
    assert got[0] is got[1], "both callers get the one value made"


def test_callers_with_other_arguments_do_not_wait_for_a_value_being_made():
    started, release = threading.Event(), threading.Event()

    @once
    def load(lang: str) -> str:
        if lang == "zh":
            started.set()
            release.wait()
        return lang

    slow = threading.Thread(target=load, args=("zh",))
    slow.start()
    started.wait()
    try:
        assert load("en") == "en"  # would hang here if every argument shared one lock
    finally:
        release.set()
        slow.join()


def test_a_failure_is_not_kept_the_next_call_tries_again():
    attempts = []

    @once
    def load() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("disk hiccup")
        return "ok"

    with pytest.raises(OSError):
        load()
    assert load() == "ok"
    assert load() == "ok"
    assert len(attempts) == 2


@pytest.mark.parametrize(
    "loader",
    [strings, load_template, register_font, package_schedules, _stored_lunar_dates],
    ids=lambda f: f.__name__,
)
def test_the_loaders_sessions_share_are_made_once(loader):
    """The product strings (every run), the pack template and the PDF font (exports), the calendar's tables
    (evaluations of years past the official ones) are what concurrent sessions of a fresh server ask for at once."""
    assert hasattr(loader, "cache_clear") and type(loader).__module__ == "ccl.once"
