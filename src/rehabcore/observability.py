"""Logging and tracing for operators: what rehabcore does, how long it takes, and nothing about the person.

Logging is the standard library's, under the ``rehabcore.*`` loggers (``rehabcore.cases``,
``rehabcore.store``, ``rehabcore.projections``, ``rehabcore.audit``); the application configures handlers,
rehabcore never does. Each record carries structured fields in ``extra`` (see :data:`FIELDS`), so a JSON
formatter or a log shipper gets them as keys. Tracing is OpenTelemetry's, and optional: with
``opentelemetry-api`` installed (the ``otel`` extra) :func:`span` opens a span on the tracer ``rehabcore``;
without it, :func:`span` costs a function call. An application that installs the API but no SDK gets
OpenTelemetry's no-op tracer.

What may be logged or put on a span is fixed here, by name: kinds of stream (``case``, ``unit``), versions,
positions, counts, attempts, projection names, command and event type names, rule ids, durations. Never a
stream id, a case or subject id, an actor id, a name, a date of the case or free text: a log line travels to
systems and people that have no right to the case record. :func:`fields` refuses any other key, so a call site
cannot slip one in.

This module must import nothing from the rest of rehabcore: every layer may use it.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any, ParamSpec, Protocol, TypeVar

__all__ = [
    "FIELDS",
    "FieldsFormatter",
    "Timer",
    "fields",
    "get_logger",
    "log",
    "span",
    "stream_kind",
    "traced_append",
    "traced_batch",
    "traced_catch_up",
    "traced_handle",
    "traced_verify",
    "tracing_available",
    "use_tracer_provider",
]

P = ParamSpec("P")
R = TypeVar("R")

#: The structured fields a record or span may carry, with what each holds. Nothing else is allowed.
FIELDS: Mapping[str, str] = {
    "command": "the command's type name, e.g. StartPlacement",
    "stream_kind": "the kind of stream: case, unit, or other (a stream id is never logged)",
    "streams": "how many streams one append wrote",
    "events": "how many events a step wrote, read or applied",
    "version": "a stream version (the last one written)",
    "position": "a global store position (head, checkpoint)",
    "attempt": "the attempt number of a command retried after a concurrent write (1 = first)",
    "projection": "a projection's name, e.g. cases",
    "batch": "the number of a batch within one catch-up (1, 2, …)",
    "rule_id": "the id of the rule that refused a command, e.g. B6",
    "outcome": "how a step ended: ok, rejected, conflict, intact, tampered",
    "findings": "how many findings verify made",
    "duration_ms": "how long the step took, in milliseconds",
}

_PREFIX = "rehabcore."

try:  # the otel extra; rehabcore runs without it
    from opentelemetry import trace as _trace
except ImportError:  # pragma: no cover - exercised by a test that hides the package
    _trace = None  # type: ignore[assignment]

_cases_log = logging.getLogger("rehabcore.cases")
_store_log = logging.getLogger("rehabcore.store")
_projections_log = logging.getLogger("rehabcore.projections")
_audit_log = logging.getLogger("rehabcore.audit")

# Conflicts met by appends while one command is handled (its attempts), and batches within one catch-up.
_conflicts: contextvars.ContextVar[int | None] = contextvars.ContextVar("rehabcore_conflicts", default=None)
_batches: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("rehabcore_batches", default=None)


_provider: Any = None  # None: OpenTelemetry's global tracer provider


def use_tracer_provider(provider: Any) -> None:
    """Send rehabcore's spans to ``provider`` rather than the global one (``None`` goes back to the global).

    For tests and for applications that keep one provider per component; most set the global provider once.
    """
    global _provider
    _provider = provider


_tracers: dict[Any, Any] = {}


def _tracer() -> Any:
    """rehabcore's tracer on the provider in use, or None when nothing would record a span.

    Until an application sets a provider, OpenTelemetry's API hands out a proxy whose spans record nothing yet
    cost microseconds each through several context managers; on the hot path of ``handle`` and ``append``
    that is skipped.
    """
    if _trace is None:
        return None
    provider = _provider if _provider is not None else _trace.get_tracer_provider()
    if isinstance(provider, _trace.ProxyTracerProvider | _trace.NoOpTracerProvider):
        return None
    tracer = _tracers.get(provider)
    if tracer is None:
        tracer = _tracers[provider] = _trace.get_tracer("rehabcore", tracer_provider=provider)
    return tracer


def tracing_available() -> bool:
    """Whether ``opentelemetry-api`` is installed, so that :func:`span` records spans."""
    return _trace is not None


def get_logger(area: str) -> logging.Logger:
    """The logger of one area: ``get_logger("cases")`` is ``logging.getLogger("rehabcore.cases")``."""
    return logging.getLogger(area if area.startswith(_PREFIX) else _PREFIX + area)


def fields(**values: Any) -> dict[str, Any]:
    """``extra`` for a log record: the allowed fields only (see :data:`FIELDS`), refusing any other key."""
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise KeyError(
            f"not an observability field: {', '.join(unknown)}; see rehabcore.observability.FIELDS"
        )
    return {k: v for k, v in values.items() if v is not None}


def log(logger: logging.Logger, level: int, message: str, **values: Any) -> None:
    """Log a fixed ``message`` with the allowed fields in ``extra``; nothing is built when the level's off."""
    if logger.isEnabledFor(level):
        logger.log(level, message, extra=fields(**values))


def stream_kind(stream_id: str) -> str:
    """``case`` for ``case-…``, ``unit`` for ``unit-…``, else ``other``: what may be said about a stream."""
    head = stream_id.split("-", 1)[0]
    return head if head in {"case", "unit"} else "other"


class FieldsFormatter(logging.Formatter):
    """A text formatter that appends a record's structured fields as ``key=value``, in :data:`FIELDS` order.

    ``rehabcore --log-level INFO …`` logs with it to stderr; an application may use it or its own.
    """

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        pairs = [f"{k}={getattr(record, k)}" for k in FIELDS if hasattr(record, k)]
        return " ".join([text, *pairs]) if pairs else text


class _Span(Protocol):
    def set_attribute(self, key: str, value: Any) -> object: ...


class _NoSpan:
    """What :func:`span` yields without OpenTelemetry: attributes go nowhere."""

    def set_attribute(self, key: str, value: Any) -> object:
        return self


_NO_SPAN = _NoSpan()


@contextlib.contextmanager
def span(name: str, **attributes: Any) -> Iterator[_Span]:
    """A span ``rehabcore.<name>`` around the block, with the allowed fields as ``rehabcore.*`` attributes.

    An exception leaving the block marks the span as an error with the exception's type name only
    (``error.type``): its message may quote a driver's detail with a stored value, so it is not recorded.
    A rule's refusal is no error of the system: the span gets ``rehabcore.outcome = rejected`` and the rule.
    """
    tracer = _tracer()
    if tracer is None:
        yield _NO_SPAN
        return
    attrs = {_PREFIX + k: v for k, v in fields(**attributes).items()}
    with tracer.start_as_current_span(
        _PREFIX + name, attributes=attrs, record_exception=False, set_status_on_exception=False
    ) as current:
        try:
            yield _Attributes(current)
        except BaseException as exc:
            rule_id = getattr(exc, "rule_id", None)
            if isinstance(rule_id, str):
                current.set_attribute(_PREFIX + "outcome", "rejected")
                current.set_attribute(_PREFIX + "rule_id", rule_id)
            else:
                current.set_attribute("error.type", type(exc).__name__)
                current.set_status(_trace.Status(_trace.StatusCode.ERROR, type(exc).__name__))
            raise


class _Attributes:
    """A span that takes the allowed field names and prefixes them, so no call site names its own keys."""

    def __init__(self, current: Any) -> None:
        self._span = current

    def set_attribute(self, key: str, value: Any) -> object:
        fields(**{key: value})
        self._span.set_attribute(_PREFIX + key, value)
        return self


class Timer:
    """Milliseconds since it was made, for ``duration_ms``."""

    __slots__ = ("_started",)

    def __init__(self) -> None:
        self._started = time.perf_counter()

    @property
    def ms(self) -> float:
        return round((time.perf_counter() - self._started) * 1000, 3)


# --- the call sites' decorators: one line at each instrumented function ------------------------------------


def traced_handle(method: Callable[P, R]) -> Callable[P, R]:
    """Around ``Cases.handle(command, …)``: a ``handle`` span, and a DEBUG record of what was written.

    The attempts are the appends' conflicts plus one, counted by :func:`traced_append` below it.
    """

    @functools.wraps(method)
    def handle(*args: P.args, **kwargs: P.kwargs) -> R:
        if not _cases_log.isEnabledFor(logging.DEBUG) and _tracer() is None:
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
                    rule_id = getattr(exc, "rule_id", None)
                    level = logging.DEBUG if rule_id else logging.WARNING
                    outcome = "rejected" if rule_id else "error"
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
        if _conflicts.get() is None and not _store_log.isEnabledFor(logging.INFO) and _tracer() is None:
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
    """Around ``Runner.catch_up``: a ``catch_up`` span and an INFO record when events were applied."""

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
                        "caught up",
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
