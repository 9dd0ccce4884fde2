"""``rehabcore stats``: the outcomes as municipalities report them (#18).

Three tables beside the others: Kolada's "Resultat vid avslut i kommunens arbetsmarknadsverksamhet" for the
year of ``--on`` and the year before, the exits of the people ended in the year of ``--on`` by destination,
and their status one, six and twelve months after; and a fourth, the open activities' visits per unit and
month of that year (counts, never a person). ``stats`` (``cli/stats.py``) adds them with one call.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from rehabcore.errors import N_
from rehabcore.i18n import _
from rehabcore.projections.outcome_reports import EndedRow, KoladaResult, StatusRow
from rehabcore.projections.visits import VisitMonthRow


class Heading(str):
    """A table title in the catalogue: ``stats`` formats its titles with ``.format(on=…, …)``, and this one
    is translated into the language asked for as it is formatted."""

    __slots__ = ()

    def format(self, *args: object, **values: Any) -> str:
        return _(str(self), **values)


#: The tables, in order, with their titles (``--model`` takes their names).
MODELS: dict[str, str] = {
    "kolada": Heading(
        N_(
            "Kolada, result at the end of the municipal labour-market programme: of the people ended in the "
            "year (up to {on}), the share who went to work lasting at least a month (not a municipal "
            "labour-market employment) or to studies with student aid"
        )
    ),
    "ended": Heading(
        N_("People ended in the year of {on}, by destination (extent in per cent of full time)")
    ),
    "after_exit": Heading(
        N_("People ended in the year of {on}: what they did one, six and twelve months after (as of {on})")
    ),
    "visits": Heading(
        N_(
            "Open activities in the year of {on}: visits per unit and month, by form "
            "(counts, no personal case)"
        )
    ),
}


#: The row class of each table, for the header of an empty CSV section.
ROWS: dict[str, type] = {
    "kolada": KoladaResult,
    "ended": EndedRow,
    "after_exit": StatusRow,
    "visits": VisitMonthRow,
}


def tables(models: Any, on: dt.date) -> dict[str, list[dict[str, Any]]]:
    """The four tables for ``on``, as rows of plain values (``share`` rounded as ``stats`` rounds it)."""
    first, last = dt.date(on.year, 1, 1), min(on, dt.date(on.year, 12, 31))
    kolada = [_kolada(models.kolada_result(year)) for year in (on.year - 1, on.year)]
    return {
        "kolada": kolada,
        "ended": [attrs.asdict(r) for r in models.ended(first, last)],
        "after_exit": [attrs.asdict(r) for r in models.status_after_exit(first, last, on)],
        "visits": [attrs.asdict(r) for r in models.visits(year=on.year)],
    }


def _kolada(result: Any) -> dict[str, Any]:
    values = attrs.asdict(result)
    values["share"] = None if result.share is None else round(result.share, 3)
    return values
