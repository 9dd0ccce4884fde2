"""The municipality's register of disclosures (B21, #16): what left the board, to whom, on what basis.

OSL 6 kap. and GDPR art. 30 ask a board to account for what it disclosed; art. 15 gives the person the
recipients. :func:`disclosures` lists every disclosure recorded in the store — read through corrections, so a
retracted one is not listed — with the recipient kind, the categories of data and the basis (the consent it
rested on, or the provision of law cited). No text and no person: case ids only, as every read model.
"""

from __future__ import annotations

import datetime as dt
import uuid

import attrs

from rehabcore.domain.corrections import fold_effective
from rehabcore.domain.vocabulary import ConsentScope, DataCategory, LegalBasis
from rehabcore.store import EventStore
from rehabcore.streams import entries

__all__ = ["DisclosureRow", "disclosures"]


@attrs.frozen
class DisclosureRow:
    """One disclosure: the day, the case, the recipient kind, what was shared and on which basis."""

    disclosed_on: dt.date
    case_id: uuid.UUID
    disclosure_id: uuid.UUID
    recipient: ConsentScope
    categories: tuple[DataCategory, ...]
    #: The consent it rested on, or None when a provision of law was cited instead.
    consent_id: uuid.UUID | None
    provision: LegalBasis | None


def disclosures(
    store: EventStore, *, start: dt.date | None = None, end: dt.date | None = None
) -> list[DisclosureRow]:
    """Every disclosure from ``start`` to ``end`` (inclusive; open ends: all), by day, then case."""
    streams = {s.stream_id for s in store.read_all(types=["rehab.DisclosureRecorded"])}
    rows = []
    for stream in streams:
        state = fold_effective(entries(store.read_stream(stream)))
        if state.case_id is None:
            continue
        for d in state.disclosures.values():
            if (start is None or d.occurred_on >= start) and (end is None or d.occurred_on <= end):
                rows.append(
                    DisclosureRow(
                        d.occurred_on,
                        state.case_id,
                        d.disclosure_id,
                        d.recipient,
                        d.categories,
                        d.consent_id,
                        d.provision,
                    )
                )
    return sorted(rows, key=lambda r: (r.disclosed_on, str(r.case_id), str(r.disclosure_id)))
