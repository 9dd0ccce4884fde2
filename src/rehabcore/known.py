"""A store as the record stood at a moment: only the entries recorded up to then (the first clock).

``Cases.get(…, as_known_at=…)`` and the audit views answer "what did the record say at T" for one case;
:class:`KnownAtView` answers it for anything that reads a whole store — the projection
:class:`~rehabcore.projections.runner.Runner` and so every read model, e.g. the IVO report as the
municipality could have sent it on a given day (``rehabcore ivo-report --as-known-at``). Entries recorded
later are left out wherever they sit, so a correction recorded after the moment is not applied either.

The view is for reading (:class:`~rehabcore.views.ReadOnlyView`), like :class:`~rehabcore.tenancy.TenantView`.
"""

from __future__ import annotations

import datetime as dt

from rehabcore.errors import InvalidInput
from rehabcore.store import EventStore, StoredEvent
from rehabcore.views import ReadOnlyView

__all__ = ["KnownAtView"]


class KnownAtView(ReadOnlyView):
    """``store`` as it stood at ``moment``: the entries with ``recorded_at <= moment``."""

    refusal = "the record as it stood at a moment is for reading"

    def __init__(self, store: EventStore, moment: dt.datetime) -> None:
        if not isinstance(moment, dt.datetime) or moment.tzinfo is None:
            raise InvalidInput("as_known_at", "must be a moment with a time zone: 2026-04-07T12:00+02:00")
        super().__init__(store)
        self.moment = moment

    def shows(self, stored: StoredEvent) -> bool:
        """Recorded up to the moment."""
        return stored.recorded_at <= self.moment
