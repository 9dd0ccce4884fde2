"""Stopping a long-running command gracefully: SIGTERM (a service manager, ``docker stop``) and SIGINT
(Ctrl-C) set an event the command polls, so it finishes the batch it is in, commits its checkpoint, reports.

A second signal while stopping is not special: the command is already on its way out within one poll.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Protocol

_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class StopRequest(threading.Event):
    """Set when a stop signal arrived; ``signal_name`` says which (``SIGTERM``), for the summary line."""

    signal_name: str | None = None


@contextmanager
def stop_on_signals() -> Iterator[StopRequest]:
    """Trap SIGTERM and SIGINT while the block runs; the previous handlers come back afterwards.

    Signals only reach the main thread; from any other thread this yields an event nothing sets.
    """
    request = StopRequest()
    if threading.current_thread() is not threading.main_thread():
        yield request
        return

    def handle(signum: int, _frame: FrameType | None) -> None:
        request.signal_name = signal.Signals(signum).name
        request.set()

    previous = {sig: signal.signal(sig, handle) for sig in _SIGNALS}
    try:
        yield request
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class _CatchesUp(Protocol):
    def catch_up(self, *, max_batches: int | None = None) -> int: ...


def follow(runner: _CatchesUp, stop: StopRequest, deadline_passed: Callable[[], bool], poll: float) -> int:
    """``Runner.follow``, batch by batch, so that a signal stops it after the batch in hand.

    ``Runner.follow`` checks its stop only between whole catch-ups, and a catch-up after a long pause (or a
    rebuild's worth of events) runs for minutes: a service manager's stop would wait, then kill. Here each
    batch commits with its checkpoint, the signal is checked after each, and the wait between polls wakes at
    once. When the deadline passes, what was written before it is still applied, as ``Runner.follow`` does.
    """
    applied = 0
    while not stop.is_set():
        done = deadline_passed()
        got = runner.catch_up(max_batches=1)
        applied += got
        if got:
            continue  # more may be waiting: no pause between batches
        if done:
            break
        stop.wait(poll)
    return applied
