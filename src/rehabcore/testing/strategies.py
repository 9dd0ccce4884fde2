"""Hypothesis strategies for rehabcore's events, commands and case histories.

``events()`` and ``commands()`` draw any event or command type with valid field values; ``case_scripts()``
draws sequences of commands against one case and two units, with ids taken from small pools so that the
commands often meet (and often break) the rules. Feed a script through :class:`rehabcore.Cases` to get a
history that obeys the rules by construction.

Needs the ``testing`` extra (hypothesis).
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
import uuid
from typing import Any

import attrs
from hypothesis import strategies as st

from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import vocabulary as v

BASE_DATE = dt.date(2025, 1, 1)

#: Range checks that the annotations cannot tell.
_INT_FIELDS = {"hours_per_week": (1, 60), "extent_pct": (1, 100), "capacity": (0, 40)}

_text = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöæø ÅÄÖ", min_size=1, max_size=40).filter(str.strip)
_legal_bases = st.sampled_from(
    [value for name, value in vars(v.LegalBases).items() if isinstance(value, v.LegalBasis)]
)


def dates(days: int = 730) -> st.SearchStrategy[dt.date]:
    """Dates from ``BASE_DATE`` over ``days`` days."""
    return st.integers(0, days).map(lambda n: BASE_DATE + dt.timedelta(days=n))


def _for(tp: Any, name: str, pools: dict[Any, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    if tp in pools:
        return pools[tp]
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        inner = st.one_of(*(_for(a, name, pools) for a in options))
        return st.none() | inner if type(None) in typing.get_args(tp) else inner
    if origin is tuple:
        return st.lists(_for(typing.get_args(tp)[0], name, pools), max_size=3).map(tuple)
    if tp is int:
        low, high = _INT_FIELDS.get(name, (0, 1000))
        return st.integers(low, high)
    if tp is str:
        return _text
    if tp is dt.date:
        return dates()
    if tp is uuid.UUID:
        return st.uuids()
    if tp is v.LegalBasis:
        return _legal_bases
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(list(tp))
    if attrs.has(tp):
        return builds(tp, pools)
    raise TypeError(f"no strategy for {tp!r} ({name})")


def builds(cls: type[Any], pools: dict[Any, st.SearchStrategy[Any]] | None = None) -> st.SearchStrategy[Any]:
    """Any attrs event, command or value, every field drawn from its annotation (``pools`` override types)."""
    hints = typing.get_type_hints(cls)
    fields = {
        f.name: _for(hints[f.name], f.name, pools or {}) for f in attrs.fields(cls) if f.name != "command_id"
    }
    return st.builds(cls, **fields)


def events() -> st.SearchStrategy[ev.Event]:
    """Any event type, with valid field values."""
    return st.one_of(*(builds(cls) for cls in (*ev.CASE_EVENT_TYPES, *ev.UNIT_EVENT_TYPES)))


def commands() -> st.SearchStrategy[cmd.Command]:
    """Any command type, with valid field values."""
    return st.one_of(*(builds(cls) for cls in (*cmd.CASE_COMMAND_TYPES, *cmd.UNIT_COMMAND_TYPES)))


@attrs.frozen
class Pools:
    """The ids a generated script draws from: one case, two units and a few of everything else."""

    case_id: uuid.UUID
    units: tuple[uuid.UUID, ...]
    others: tuple[uuid.UUID, ...]

    @classmethod
    def fresh(cls) -> Pools:
        """Deterministic pools, so shrunk examples read the same every time."""
        ids = [uuid.UUID(int=n + 1) for n in range(8)]
        return cls(ids[0], (ids[1], ids[2]), tuple(ids[3:]))


def case_scripts(pools: Pools, max_size: int = 30) -> st.SearchStrategy[list[cmd.Command]]:
    """Commands against one case: it is opened first, the units registered; the rest is drawn at random."""
    known = st.sampled_from(pools.others)
    overrides: dict[Any, st.SearchStrategy[Any]] = {uuid.UUID: known, dt.date: dates(400)}
    case_types = [c for c in cmd.CASE_COMMAND_TYPES if c is not cmd.OpenCase]
    drawn = st.one_of(
        *(builds(c, overrides).map(lambda c: attrs.evolve(c, case_id=pools.case_id)) for c in case_types),
        *(_unit_cmd(c, pools, overrides) for c in (cmd.StartPlacement, cmd.TransferToLssDailyActivity)),
        _decisions(pools, overrides),
        _placements(pools, overrides),
        _placements(pools, overrides),
    )
    return st.lists(drawn, max_size=max_size).map(lambda rest: [*_setup(pools), *rest])


def _unit_cmd(
    cls: type[Any], pools: Pools, overrides: dict[Any, st.SearchStrategy[Any]]
) -> st.SearchStrategy[Any]:
    field = "unit_id" if cls is cmd.StartPlacement else "to_unit_id"
    return st.tuples(builds(cls, overrides), st.sampled_from(pools.units)).map(
        lambda pair: attrs.evolve(pair[0], case_id=pools.case_id, **{field: pair[1]})
    )


def _decisions(
    pools: Pools, overrides: dict[Any, st.SearchStrategy[Any]]
) -> st.SearchStrategy[cmd.MakeDecision]:
    """Decisions that fit their legal basis often enough to be granted and used."""
    lss = st.builds(
        cmd.MakeDecision,
        case_id=st.just(pools.case_id),
        decision_id=overrides[uuid.UUID],
        decided_on=dates(60),
        outcome=st.sampled_from([v.DecisionOutcome.GRANT, v.DecisionOutcome.GRANT, v.DecisionOutcome.REJECT]),
        legal_basis=st.just(v.LegalBases.LSS_DAILY_ACTIVITY),
        service=st.just(v.ServiceKind.LSS_DAILY_ACTIVITY),
        valid_from=dates(60),
        valid_to=st.none() | dates(400),
        personkrets=st.sampled_from(list(v.Personkrets)),
    )
    sol = lss.map(
        lambda d: attrs.evolve(
            d, legal_basis=v.LegalBases.SOL_ASSISTANCE_2001, service=v.ServiceKind.WORK_REHABILITATION
        )
    )
    return lss | sol


@st.composite
def _placements(
    draw: st.DrawFn, pools: Pools, overrides: dict[Any, st.SearchStrategy[Any]]
) -> cmd.StartPlacement:
    """Placements whose kind, basis and planned end fit together often enough to be accepted."""
    kind = draw(st.sampled_from(list(v.PlacementKind)))
    decision = draw(overrides[uuid.UUID])
    if kind is v.PlacementKind.DAILY_ACTIVITY:
        basis = v.Basis.lss(decision)
    else:
        basis = draw(
            st.sampled_from([v.Basis.voluntary(), v.Basis.required_activity(), v.Basis.sol(decision)])
        )
    start = draw(dates(300))
    weeks = draw(st.integers(2, 30)) if kind.is_work_rehabilitation else draw(st.none() | st.integers(2, 60))
    return cmd.StartPlacement(
        case_id=pools.case_id,
        placement_id=draw(overrides[uuid.UUID]),
        unit_id=draw(st.sampled_from(pools.units)),
        kind=kind,
        basis=basis,
        start_on=start,
        hours_per_week=draw(st.integers(1, 40)),
        planned_end_on=None if weeks is None else start + dt.timedelta(weeks=weeks),
    )


def _setup(pools: Pools) -> list[cmd.Command]:
    opened = BASE_DATE
    every_kind = tuple(v.PlacementKind)
    units: list[cmd.Command] = [
        cmd.RegisterUnit(
            unit_id=unit_id,
            registered_on=opened,
            name=f"Enhet {n}",
            kind=v.UnitKind.WORK_REHABILITATION,
            jurisdiction=v.Jurisdiction.SE,
            capacity=1 + n,
            offers=every_kind,
        )
        for n, unit_id in enumerate(pools.units)
    ]
    return [
        *units,
        cmd.OpenCase(
            case_id=pools.case_id,
            subject_id=uuid.UUID(int=99),
            opened_on=opened,
            jurisdiction=v.Jurisdiction.SE,
            municipality_code="2284",
            source=v.ReferralSource.INCOME_SUPPORT,
        ),
    ]
