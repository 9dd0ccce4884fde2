"""The call sites' decorators: one line at each instrumented function, so the code they wrap stays as it is.

``traced_handle`` on ``Cases.handle``, ``traced_append`` on each event store's ``append``, ``traced_catch_up``
and ``traced_batch`` on ``Runner.catch_up`` and ``Runner.step``, ``traced_verify`` on ``audit.verify``. They
read what they log from the wrapped call's arguments and result by name, so they import nothing from rehabcore
outside this package but its errors.
"""

from __future__ import annotations

import contextvars
import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from rehabcore.observability.core import Timer, log, refusal, span, stream_kind, tracer_in_use

P = ParamSpec("P")
R = TypeVar("R")

_cases_log = logging.getLogger("rehabcore.cases")
_store_log = logging.getLogger("rehabcore.store")
_projections_log = logging.getLogger("rehabcore.projections")
_audit_log = logging.getLogger("rehabcore.audit")

# Conflicts met by appends while one command is handled (its attempts), and batches within one catch-up.
_conflicts: contextvars.ContextVar[int | None] = contextvars.ContextVar("rehabcore_conflicts", default=None)
_batches: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("rehabcore_batches", default=None)


def traced_handle(method: Callable[P, R]) -> Callable[P, R]:
    """Around ``Cases.handle(command, …)``: a ``handle`` span, and a DEBUG record of what was written.

    The attempts are the appends' conflicts plus one, counted by :func:`traced_append` below it.
    """

    @functools.wraps(method)
    def handle(*args: P.args, **kwargs: P.kwargs) -> R:
        if not _cases_log.isEnabledFor(logging.DEBUG) and tracer_in_use() is None:
            return method(*args, **kwargs)  # nothing would record it: keep the hot path bare
        command = type(args[1] if len(args) > 1 else kwargs.get("command")).__name__
        token = _conflicts.set(0)
        timer = Timer()
        try:
            with span("handle", command=command) as current:
                try:
                    handled = method(*args, **kwargs)
                except Exception as exc:
                    attempts = (_conflicts.get() or 0) + 1
                    current.set_attribute("attempt", attempts)
                    refused = refusal(exc)
                    rule_id = getattr(exc, "rule_id", None) if refused == "rejected" else None
                    level = logging.DEBUG if refused else logging.WARNING
                    outcome = refused or "error"
                    log(
                        _cases_log,
                        level,
                        "command not recorded",
                        command=command,
                        rule_id=rule_id,
                        attempt=attempts,
                        outcome=outcome,
                        duration_ms=timer.ms,
                    )
                    raise
                attempts = (_conflicts.get() or 0) + 1
                appended = list(getattr(handled, "appended", ()))
                first = appended[0] if appended else None
                kind = stream_kind(first.stream_id) if first is not None else None
                events = len(getattr(handled, "events", ()))
                current.set_attribute("attempt", attempts)
                current.set_attribute("events", events)
                if kind is not None:
                    current.set_attribute("stream_kind", kind)
                log(
                    _cases_log,
                    logging.DEBUG,
                    "command handled",
                    command=command,
                    stream_kind=kind,
                    version=first.version if first is not None else None,
                    position=appended[-1].position if appended else None,
                    events=events,
                    attempt=attempts,
                    outcome="ok",
                    duration_ms=timer.ms,
                )
                return handled
        finally:
            _conflicts.reset(token)

    return handle


def traced_append(method: Callable[P, R]) -> Callable[P, R]:
    """Around an event store's ``append(*writes)``: an ``append`` span, its latency, and its conflicts."""

    @functools.wraps(method)
    def append(*args: P.args, **kwargs: P.kwargs) -> R:
        if _conflicts.get() is None and not _store_log.isEnabledFor(logging.INFO) and tracer_in_use() is None:
            return method(*args, **kwargs)  # nothing would record it: keep the hot path bare
        writes = args[1:]
        kinds = ",".join(sorted({stream_kind(str(getattr(w, "stream_id", ""))) for w in writes}))
        events = sum(len(getattr(w, "events", ())) for w in writes)
        timer = Timer()
        with span("append", stream_kind=kinds, streams=len(writes), events=events) as current:
            try:
                results = method(*args, **kwargs)
            except Exception as exc:
                if type(exc).__name__ == "ConcurrencyError":
                    seen = _conflicts.get()
                    if seen is not None:
                        _conflicts.set(seen + 1)
                    current.set_attribute("outcome", "conflict")
                    log(
                        _store_log,
                        logging.INFO,
                        "append met a concurrent write",
                        stream_kind=kinds,
                        streams=len(writes),
                        events=events,
                        outcome="conflict",
                        duration_ms=timer.ms,
                    )
                raise
            last = list(results)[-1:] if isinstance(results, list | tuple) else []
            position = getattr(last[0], "position", None) if last else None
            if position is not None:
                current.set_attribute("position", position)
            log(
                _store_log,
                logging.DEBUG,
                "appended",
                stream_kind=kinds,
                streams=len(writes),
                events=events,
                position=position,
                outcome="ok",
                duration_ms=timer.ms,
            )
            return results

    return append


def traced_catch_up(method: Callable[P, R]) -> Callable[P, R]:
    """Around ``Runner.catch_up``: a ``catch_up`` span, and an INFO record when it applied events."""

    @functools.wraps(method)
    def catch_up(*args: P.args, **kwargs: P.kwargs) -> R:
        token = _batches.set([0, 0])  # batches applied, last position reached
        timer = Timer()
        try:
            with span("catch_up") as current:
                applied = method(*args, **kwargs)
                batches, position = _batches.get() or [0, 0]
                current.set_attribute("events", applied)
                current.set_attribute("batch", batches)
                if applied:
                    log(
                        _projections_log,
                        logging.INFO,
                        "catch-up applied",
                        events=applied,
                        batch=batches,
                        position=position or None,
                        duration_ms=timer.ms,
                    )
                return applied
        finally:
            _batches.reset(token)

    return catch_up


def traced_batch(method: Callable[P, R]) -> Callable[P, R]:
    """Around ``Runner.step(projection)``, one batch: a DEBUG record with projection, batch and position."""

    @functools.wraps(method)
    def step(*args: P.args, **kwargs: P.kwargs) -> R:
        runner, projection = args[0], args[1]
        timer = Timer()
        result = method(*args, **kwargs)
        read, moved = result if isinstance(result, tuple) else (0, 0)
        if moved:
            name = str(getattr(projection, "name", "?"))
            counts = _batches.get()
            number = None
            position = None
            target = getattr(runner, "target", None)
            if _projections_log.isEnabledFor(logging.DEBUG) or counts is not None:
                position = target.checkpoint(name) if target is not None else None
            if counts is not None:
                counts[0] += 1
                number = counts[0]
                counts[1] = max(counts[1], position or 0)
            log(
                _projections_log,
                logging.DEBUG,
                "batch applied",
                projection=name,
                batch=number,
                events=read,
                position=position,
                duration_ms=timer.ms,
            )
        return result

    return step


def traced_verify(function: Callable[P, R]) -> Callable[P, R]:
    """Around ``verify(store, …)``: a ``verify`` span, and an INFO record (WARNING when tampering found)."""

    @functools.wraps(function)
    def verify(*args: P.args, **kwargs: P.kwargs) -> R:
        timer = Timer()
        with span("verify") as current:
            report = function(*args, **kwargs)
            findings = len(getattr(report, "findings", ()))
            events = getattr(report, "events", None)
            position = getattr(report, "head_position", None)
            outcome = "tampered" if findings else "intact"
            current.set_attribute("events", events)
            current.set_attribute("findings", findings)
            current.set_attribute("outcome", outcome)
            log(
                _audit_log,
                logging.WARNING if findings else logging.INFO,
                "verify finished",
                events=events,
                position=position,
                findings=findings,
                outcome=outcome,
                duration_ms=timer.ms,
            )
            return report

    return verify
