"""The machinery: the allowed fields, structured logging, optional spans, a timer (see the package doc)."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator, Mapping
from typing import Any, Protocol

from rehabcore.errors import InvalidInput, UnknownCase, UnknownUnit

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
    "outcome": "how a step ended: ok, rejected (by a rule), refused (bad input), conflict, intact, tampered",
    "findings": "how many findings verify made",
    "duration_ms": "how long the step took, in milliseconds",
}

_PREFIX = "rehabcore."

try:  # the otel extra; rehabcore runs without it
    from opentelemetry import trace as _trace
except ImportError:  # pragma: no cover - exercised by a test that hides the package
    _trace = None  # type: ignore[assignment]


_provider: Any = None  # None: OpenTelemetry's global tracer provider


def use_tracer_provider(provider: Any) -> None:
    """Send rehabcore's spans to ``provider`` rather than the global one (``None`` goes back to the global).

    For tests and for applications that keep one provider per component; most set the global provider once.
    """
    global _provider
    _provider = provider


_tracers: dict[Any, Any] = {}


def tracer_in_use() -> Any:
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
    A refusal is no error of the system: a rule's gets ``rehabcore.outcome = rejected`` and the rule id, bad
    input (an unknown case, a malformed field) ``refused``, and the span's status stays unset.
    """
    tracer = tracer_in_use()
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
            outcome = refusal(exc)
            if outcome is not None:
                current.set_attribute(_PREFIX + "outcome", outcome)
                if outcome == "rejected":
                    current.set_attribute(_PREFIX + "rule_id", exc.rule_id)  # type: ignore[attr-defined]
            else:
                current.set_attribute("error.type", type(exc).__name__)
                current.set_status(_trace.Status(_trace.StatusCode.ERROR, type(exc).__name__))
            raise


def refusal(exc: BaseException) -> str | None:
    """``rejected`` for a rule's refusal, ``refused`` for bad input, None for a failure of the system."""
    if isinstance(getattr(exc, "rule_id", None), str):
        return "rejected"
    if isinstance(exc, InvalidInput | UnknownCase | UnknownUnit):
        return "refused"
    return None


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
