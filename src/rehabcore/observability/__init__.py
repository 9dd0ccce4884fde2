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

This package imports nothing from the rest of rehabcore but its errors: every layer may use it. ``core``
holds the fields, logging and spans; ``sites`` the decorators placed on the instrumented functions.
"""

from rehabcore.observability.core import (
    FIELDS,
    FieldsFormatter,
    Timer,
    fields,
    get_logger,
    log,
    span,
    stream_kind,
    tracing_available,
    use_tracer_provider,
)
from rehabcore.observability.sites import (
    traced_append,
    traced_batch,
    traced_catch_up,
    traced_handle,
    traced_verify,
)

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
