"""``once``: ``functools.cache`` for loaders that several threads may call at the same moment.

A team server's sessions run in threads. With ``functools.cache``, every thread that asks for a value
not made yet makes it again: on a fresh server the first run parsed the string tables a second time
beside the warm-up (~10 ms with Python's own TOML parser), and two PDF exports each read the same CJK
font file. ``once`` makes a value once per arguments: the first caller makes it while later callers with
the same arguments wait for it; callers with other arguments do not wait. An exception is not kept (the
next call tries again), as with ``functools.cache``.

The rule in ``ccl``: what reads files or a package's tables (strings, the pack template, the PDF font,
the calendar's tables) is made with ``once``; small pure computations keep ``functools.cache``, where
making a value twice costs nothing worth a lock.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Hashable
from typing import Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class _Once(Generic[P, R]):
    def __init__(self, func: Callable[P, R]) -> None:
        self._func = func
        self._values: dict[Hashable, R] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()  # held only to find or make a key's lock, never while making
        functools.update_wrapper(self, func)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        key = (args, tuple(sorted(kwargs.items()))) if kwargs else args
        try:
            return self._values[key]
        except KeyError:
            pass
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._values:  # not made by the caller this one waited for
                self._values[key] = self._func(*args, **kwargs)
            return self._values[key]

    def cache_clear(self) -> None:
        """Forget every value (tests)."""
        with self._guard:
            self._values.clear()
            self._locks.clear()


def once(func: Callable[P, R]) -> _Once[P, R]:
    """Decorate a loader: each distinct call is made once, even when threads ask at the same moment."""
    return _Once(func)
