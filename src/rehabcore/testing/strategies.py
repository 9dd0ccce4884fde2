"""Hypothesis strategies for rehabcore's events, commands, rulesets and case scripts.

``events()`` and ``commands()`` draw any event or command type in the catalogue with valid field values;
``case_commands()`` and ``unit_commands()`` draw commands against a few cases and two units, with ids taken
from small pools so that the commands often meet (and often break) the rules; ``case_scripts()`` puts a
``setup()`` before them. ``rulesets()`` draws valid rulesets. For histories that obey the rules, see
:func:`rehabcore.testing.histories.case_histories`, which runs the commands through ``decide``.

Needs the ``testing`` extra (hypothesis).
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
import uuid
from collections.abc import Mapping
from typing import Any

import attrs
from hypothesis import strategies as st

from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import vocabulary as v
from rehabcore.domain.local_rules import LocalRule
from rehabcore.domain.rules import ProcessingDeadline, RuleParameters, Ruleset
from rehabcore.testing.readable import an_id

BASE_DATE = dt.date(2025, 1, 1)

#: Range checks that the annotations cannot tell.
_INT_FIELDS = {
    "hours_per_week": (1, 60),
    "extent_pct": (1, 100),
    "capacity": (0, 40),
    "days_per_week": (1, 7),
    # --- #18 assessment: IBIC's and VUM 2.0's levels
    "level": (0, 4),
}
# --- #18 open activities: visitors counted on a day
_INT_FIELDS["count"] = (1, 60)

_text = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöæø ÅÄÖ", min_size=1, max_size=40).filter(str.strip)
_legal_bases = st.sampled_from(
    [value for name, value in vars(v.LegalBases).items() if isinstance(value, v.LegalBasis)]
)


def extents() -> st.SearchStrategy[v.Extent]:
    """Extents a decision grants (#11): mostly hours, which placements measure, sometimes days."""
    return st.integers(1, 40).map(v.Extent.hours) | st.integers(1, 5).map(v.Extent.days)


def dates(days: int = 730) -> st.SearchStrategy[dt.date]:
    """Dates from ``BASE_DATE`` over ``days`` days, half of them in the first six weeks.

    Cases are opened on ``BASE_DATE``; crowding dates near it makes placements, decisions and transfers meet
    each other (and rules about a case's first weeks) far more often than dates spread over years would.
    """
    early = st.integers(0, min(days, 42))
    return (early | st.integers(0, days)).map(lambda n: BASE_DATE + dt.timedelta(days=n))


#: Örnsköldsvik, Stockholm and Esbjerg (kommunkod / kommunenummer).
_MUNICIPALITY_CODES = st.sampled_from(("2284", "0180", "561"))


def _for(tp: Any, name: str, pools: dict[Any, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    if name in pools:  # a strategy for the field by its name wins over one for its type
        return pools[name]
    if tp in pools:
        return pools[tp]
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        inner = st.one_of(*(_for(a, name, pools) for a in options))
        return st.none() | inner if type(None) in typing.get_args(tp) else inner
    if origin is tuple:
        return st.lists(_for(typing.get_args(tp)[0], name, pools), max_size=3).map(tuple)
    if tp is bool:
        return st.booleans()
    if tp is int:
        low, high = _INT_FIELDS.get(name, (0, 1000))
        return st.integers(low, high)
    if tp is str:
        # A code has its own format, checked when the command is built: text of any kind would not build.
        return _MUNICIPALITY_CODES if name == "municipality_code" else _text
    if tp is dt.date:
        return dates()
    if tp is dt.datetime:  # an erasure's key_destroyed_at (#13)
        return st.datetimes(min_value=dt.datetime(2025, 1, 1), timezones=st.just(dt.UTC))
    if tp is uuid.UUID:
        return st.uuids()
    if tp is v.LegalBasis:
        return _legal_bases
    if tp is v.Extent:
        return extents()
    if tp is v.Quarter:
        return st.builds(v.Quarter, st.integers(2024, 2027), st.integers(1, 4))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(list(tp))
    if attrs.has(tp):
        return builds(tp, pools)
    raise TypeError(f"no strategy for {tp!r} ({name})")


def builds(cls: type[Any], pools: dict[Any, st.SearchStrategy[Any]] | None = None) -> st.SearchStrategy[Any]:
    """Any attrs event, command or value, every field drawn from its annotation.

    ``pools`` maps a type, or a field name, to the strategy to use instead (a name wins over a type).
    """
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


def _ids(value: uuid.UUID | tuple[uuid.UUID, ...]) -> tuple[uuid.UUID, ...]:
    return (value,) if isinstance(value, uuid.UUID) else tuple(value)


@attrs.frozen
class Pools:
    """The ids generated commands draw from: a few cases, two units and a few of everything else.

    Ids are made with :func:`~rehabcore.testing.an_id`, so histories print ``case-1``, ``unit-A``, ``id-3``.
    """

    #: One id (as ``Pools(case_id, units, others)`` was first written) or several.
    case_ids: tuple[uuid.UUID, ...] = attrs.field(converter=_ids)
    units: tuple[uuid.UUID, ...]
    others: tuple[uuid.UUID, ...]

    @property
    def case_id(self) -> uuid.UUID:
        """The first case."""
        return self.case_ids[0]

    @classmethod
    def fresh(cls, cases: int = 1, others: int = 5) -> Pools:
        """Deterministic pools, so shrunk examples read the same every time."""
        return cls(
            tuple(an_id(f"case-{n + 1}") for n in range(cases)),
            (an_id("unit-A"), an_id("unit-B")),
            tuple(an_id(f"id-{n + 1}") for n in range(others)),
        )


#: The kinds the scripts place and units offer: the activities and work. Housing support (#16) is given at
#: home, beside them, and has tests of its own (``tests/access/test_coordination.py``); ``events()`` and
#: ``commands()`` draw every kind.
_PLACED_KINDS = st.sampled_from([k for k in v.PlacementKind if k is not v.PlacementKind.HOUSING_SUPPORT])


def case_commands(
    pools: Pools, jurisdiction: v.Jurisdiction = v.Jurisdiction.SE, days: int = 400
) -> st.SearchStrategy[cmd.CaseCommand]:
    """Any case command but OpenCase against the pools' cases, ids from the pools.

    Every type in ``CASE_COMMAND_TYPES`` is drawn; decisions and placements also come in shapes that fit the
    jurisdiction's rules, so that they are often accepted and the rest of a history can build on them.
    """
    overrides: dict[Any, st.SearchStrategy[Any]] = {
        uuid.UUID: st.sampled_from(pools.others),
        dt.date: dates(days),
        v.PlacementKind: _PLACED_KINDS,
    }
    case_ids = st.sampled_from(pools.case_ids)
    generic = {
        c: st.tuples(builds(c, overrides), case_ids).map(lambda pair: attrs.evolve(pair[0], case_id=pair[1]))
        for c in cmd.CASE_COMMAND_TYPES
        if c is not cmd.OpenCase
    }
    generic[cmd.MakeOffer] = _unit_cmd(cmd.MakeOffer, pools, overrides)  # at the pools' registered units
    # Endings are drawn less often than the rest: a history that closes early has little left to test.
    endings = [generic.pop(c) for c in _ENDINGS if c in generic]
    # Bookkeeping around the story (retention, the execution duty, appeals) is drawn as rarely as endings.
    rare = [generic.pop(c) for c in _BOOKKEEPING if c in generic]
    fitting = [
        _decisions(pools, overrides, jurisdiction),
        _applications(pools, overrides),
        _extensions(pools, overrides),
        _placements(pools, overrides, jurisdiction),
        *(_unit_cmd(c, pools, overrides) for c in (cmd.StartPlacement, cmd.TransferToLssDailyActivity)),
    ]
    # The fitting shapes carry the story (decide, place, extend); the generic arm grows with every command
    # added to the catalogue, so it is weighted as a whole, not per command.
    return weighted(
        (10, st.one_of(*fitting)),
        (5, st.one_of(*generic.values())),
        (1, st.one_of(*endings)),
        (1, st.one_of(*rare)),
    )


#: Commands that name a unit, and the field they name it in: drawn with the pools' (registered) units.
_AT_UNITS = {
    cmd.StartPlacement: "unit_id",
    cmd.TransferToLssDailyActivity: "to_unit_id",
    cmd.MakeOffer: "unit_id",
}

_ENDINGS = (cmd.CloseCase, cmd.ExitToWork, cmd.ExitToStudies, cmd.ReopenCase, cmd.ExitElsewhere)  # + #18
_BOOKKEEPING = (
    *typing.get_args(cmd.RetentionCommand),
    cmd.EndExecutionDuty,
    cmd.GiveInterimSupport,
    cmd.AppealDecision,
    cmd.ResolveAppeal,
    cmd.RestrictAccess,
    cmd.RecordOutcomeStatus,  # #18: after an exit only
)


def weighted(*choices: tuple[int, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """One of ``choices``, each drawn in proportion to its weight."""
    expanded = [strategy for weight, strategy in sorted(choices, key=lambda c: -c[0]) for _ in range(weight)]
    # Hypothesis favours the ends of an integer range: keep the heaviest choices there, the light ones inside.
    table = expanded[0::2] + expanded[1::2][::-1]
    return st.integers(0, len(table) - 1).flatmap(lambda i: table[i])


def unit_commands(pools: Pools, days: int = 400) -> st.SearchStrategy[cmd.UnitCommand]:
    """Capacity and purpose changes of the pools' units (registration is part of :func:`setup`)."""
    overrides: dict[Any, st.SearchStrategy[Any]] = {
        uuid.UUID: st.sampled_from(pools.units),
        dt.date: dates(days),
        v.PlacementKind: _PLACED_KINDS,
    }
    changes = [c for c in cmd.UNIT_COMMAND_TYPES if c is not cmd.RegisterUnit]
    return st.one_of(*(builds(c, overrides) for c in changes))


def case_scripts(pools: Pools, max_size: int = 30) -> st.SearchStrategy[list[cmd.Command]]:
    """Commands against the pools' cases: they are opened first, the units registered; the rest is random."""
    return st.lists(case_commands(pools), max_size=max_size).map(lambda rest: [*setup(pools), *rest])


def _unit_cmd(
    cls: type[Any], pools: Pools, overrides: dict[Any, st.SearchStrategy[Any]]
) -> st.SearchStrategy[Any]:
    field = _AT_UNITS[cls]
    return st.tuples(
        builds(cls, overrides), st.sampled_from(pools.units), st.sampled_from(pools.case_ids)
    ).map(lambda t: attrs.evolve(t[0], case_id=t[2], **{field: t[1]}))


_SE_DECIDED = [
    (v.LegalBases.LSS_DAILY_ACTIVITY, v.ServiceKind.LSS_DAILY_ACTIVITY),
    (v.LegalBases.SOL_ASSISTANCE_2001, v.ServiceKind.WORK_REHABILITATION),
]
_DK_DECIDED = [
    (v.LegalBases.DK_PROTECTED_EMPLOYMENT, v.ServiceKind.DK_PROTECTED_EMPLOYMENT),
    (v.LegalBases.DK_ACTIVITY, v.ServiceKind.DK_ACTIVITY),
    # --- #18 Danish practice: § 85
    (v.LegalBases.DK_DAILY_LIFE_SUPPORT, v.ServiceKind.DK_DAILY_LIFE_SUPPORT),
]


@st.composite
def _decisions(
    draw: st.DrawFn, pools: Pools, overrides: dict[Any, st.SearchStrategy[Any]], jurisdiction: v.Jurisdiction
) -> cmd.MakeDecision:
    """Decisions that fit their legal basis often enough to be granted and used."""
    basis, service = draw(st.sampled_from(_DK_DECIDED if jurisdiction is v.Jurisdiction.DK else _SE_DECIDED))
    outcome = draw(st.sampled_from([v.DecisionOutcome.GRANT] * 3 + [v.DecisionOutcome.REJECT]))
    decided_on = draw(dates(60))
    if basis.cites(v.LegalBases.SOL_ASSISTANCE_2001) or basis.cites(v.LegalBases.SOL_ASSISTANCE_2025):
        basis = v.LegalBases.sol_assistance(decided_on)  # #18: the version in force that day (B16)
    return cmd.MakeDecision(
        case_id=draw(st.sampled_from(pools.case_ids)),
        decision_id=draw(overrides[uuid.UUID]),
        decided_on=decided_on,
        outcome=outcome,
        legal_basis=basis,
        service=service,
        valid_from=draw(dates(60)),
        valid_to=draw(st.none() | dates(400)),
        # Mostly a group LSS 9 § 10 is for, so that daily activity can follow; sometimes not (B8).
        personkrets=draw(st.sampled_from([v.Personkrets.GROUP_1, v.Personkrets.GROUP_2, *v.Personkrets])),
        extent=draw(st.none() | extents()),
        # Reasons for what goes against the person (D1); an LSS insats answers an application (D2, #12).
        reasons="Behovet tillgodoses på annat sätt" if outcome is v.DecisionOutcome.REJECT else None,
        application_id=draw(_application_ids(pools)) if service is v.ServiceKind.LSS_DAILY_ACTIVITY else None,
    )


@st.composite
def _extensions(
    draw: st.DrawFn, pools: Pools, overrides: dict[Any, st.SearchStrategy[Any]]
) -> cmd.ExtendPlacement:
    """Extensions a few weeks on, on a decision of the pools, so that some fit B6 and are accepted."""
    on = draw(dates(300))
    return cmd.ExtendPlacement(
        case_id=draw(st.sampled_from(pools.case_ids)),
        placement_id=draw(overrides[uuid.UUID]),
        extended_on=on,
        new_planned_end_on=on + dt.timedelta(weeks=draw(st.integers(4, 26))),
        authorising_decision_id=draw(overrides[uuid.UUID]),
    )


def _application_ids(pools: Pools) -> st.SearchStrategy[uuid.UUID]:
    """The ids applications are received under: the set-up's (``pools.others[0]``) and one more, so that a
    decision drawn apart mostly answers one."""
    return st.sampled_from(pools.others[:2])


@st.composite
def _applications(
    draw: st.DrawFn, pools: Pools, overrides: dict[Any, st.SearchStrategy[Any]]
) -> cmd.ReceiveApplication:
    """Applications for LSS daily activity, early, so that decisions can answer them (LSS 8 §)."""
    return cmd.ReceiveApplication(
        case_id=draw(st.sampled_from(pools.case_ids)),
        application_id=draw(_application_ids(pools)),
        received_on=draw(dates(20)),
        applicant=draw(st.sampled_from(list(v.Applicant))),
        requested_service=v.ServiceKind.LSS_DAILY_ACTIVITY,
        form=draw(st.sampled_from(list(v.ApplicationForm))),
    )


_SE_KINDS = [
    k for k in v.PlacementKind if not k.value.startswith("dk_") and k is not v.PlacementKind.HOUSING_SUPPORT
]
_DK_KINDS = [v.PlacementKind.DK_PROTECTED_EMPLOYMENT, v.PlacementKind.DK_ACTIVITY]


@st.composite
def _placements(
    draw: st.DrawFn, pools: Pools, overrides: dict[Any, st.SearchStrategy[Any]], jurisdiction: v.Jurisdiction
) -> cmd.StartPlacement:
    """Placements whose kind, basis and planned end fit together often enough to be accepted."""
    dk = jurisdiction is v.Jurisdiction.DK
    kind = draw(st.sampled_from(_DK_KINDS if dk else _SE_KINDS))
    decision = draw(overrides[uuid.UUID])
    if dk:
        basis = v.Basis.dk(decision)  # serviceloven placements stand on a decision of their section (B19)
    elif kind is v.PlacementKind.DAILY_ACTIVITY:
        basis = v.Basis.lss(decision)
    else:
        # Bases that need no decision are accepted on their own; a SoL basis only if its decision exists.
        bases = [v.Basis.voluntary(), v.Basis.required_activity(), v.Basis.voluntary(), v.Basis.sol(decision)]
        basis = draw(st.sampled_from(bases))
    start = draw(dates(300))
    # Mostly within three months, so that a stricter ruleset still accepts most work training (B5).
    span = st.integers(1, 12) | st.integers(1, 30)
    weeks = draw(span) if kind.is_work_rehabilitation else draw(st.none() | st.integers(2, 60))
    return cmd.StartPlacement(
        case_id=draw(st.sampled_from(pools.case_ids)),
        placement_id=draw(overrides[uuid.UUID]),
        unit_id=draw(st.sampled_from(pools.units)),
        kind=kind,
        basis=basis,
        start_on=start,
        hours_per_week=draw(st.integers(1, 40)),
        planned_end_on=None if weeks is None else start + dt.timedelta(weeks=weeks),
        days_per_week=draw(st.none() | st.integers(1, 5)),
    )


def against_pools(
    command: type[Any], pools: Pools, *, days: int = 400, fields: Mapping[Any, st.SearchStrategy[Any]] = {}
) -> st.SearchStrategy[Any]:
    """``command`` with every field drawn from its annotation, its ids from ``pools``: the case (or unit) it
    goes to, the unit a placement names, and any other id from the few ``pools.others``.

    ``fields`` overrides the strategy of a field by name or by type. Any command class of the catalogue
    works, so a new command is generated as soon as it is in the recording table.
    """
    names = {f.name for f in attrs.fields(command)}
    overrides: dict[Any, st.SearchStrategy[Any]] = {
        uuid.UUID: st.sampled_from(pools.others),
        dt.date: dates(days),
        "case_id": st.sampled_from(pools.case_ids),
        "unit_id": st.sampled_from(pools.units),
        "to_unit_id": st.sampled_from(pools.units),
    }
    if "case_id" not in names:  # a unit command: its unit is the stream
        overrides["unit_id"] = st.sampled_from(pools.units)
    overrides.update(fields)
    return builds(command, overrides)


def fitting_decisions(pools: Pools, jurisdiction: v.Jurisdiction) -> st.SearchStrategy[cmd.MakeDecision]:
    """Decisions that fit their legal basis, in force for a while or long; granted three times in four."""
    overrides: dict[Any, st.SearchStrategy[Any]] = {uuid.UUID: st.sampled_from(pools.others)}
    # In force for good, for a while (out of force before a placement ends), or for a few days only.
    validity = st.none() | st.integers(0, 400) | st.integers(0, 20)
    return st.tuples(_decisions(pools, overrides, jurisdiction), validity).map(
        lambda pair: attrs.evolve(
            pair[0],
            valid_to=None if pair[1] is None else pair[0].valid_from + dt.timedelta(days=pair[1]),
        )
    )


def fitting_placements(pools: Pools, jurisdiction: v.Jurisdiction) -> st.SearchStrategy[cmd.StartPlacement]:
    """Placements whose kind, basis and planned end fit together often enough to be accepted."""
    overrides: dict[Any, st.SearchStrategy[Any]] = {uuid.UUID: st.sampled_from(pools.others)}
    return _placements(pools, overrides, jurisdiction)


def fitting_transfers(pools: Pools) -> st.SearchStrategy[cmd.TransferToLssDailyActivity]:
    """Transfers to the pools' units, for the pools' cases."""
    overrides: dict[Any, st.SearchStrategy[Any]] = {
        uuid.UUID: st.sampled_from(pools.others),
        dt.date: dates(400),
    }
    return _unit_cmd(cmd.TransferToLssDailyActivity, pools, overrides)


def setup(
    pools: Pools,
    jurisdiction: v.Jurisdiction = v.Jurisdiction.SE,
    *,
    sources: tuple[v.ReferralSource, ...] = (),
) -> list[cmd.Command]:
    """Register the pools' units (every placement kind, 2 and 4 places) and open the pools' cases.

    Case ``n`` is opened from ``sources[n]`` (income support when not given).
    """
    opened = BASE_DATE
    every_kind = tuple(v.PlacementKind)
    units: list[cmd.Command] = [
        cmd.RegisterUnit(
            unit_id=unit_id,
            registered_on=opened,
            name=f"Enhet {n}",
            kind=v.UnitKind.WORK_REHABILITATION,
            jurisdiction=jurisdiction,
            capacity=2 + 2 * n,
            offers=every_kind,
        )
        for n, unit_id in enumerate(pools.units)
    ]
    cases: list[cmd.Command] = [
        cmd.OpenCase(
            case_id=case_id,
            subject_id=an_id(f"subject-{n + 1}"),
            opened_on=opened,
            jurisdiction=jurisdiction,
            municipality_code="2284",
            source=sources[n] if n < len(sources) else v.ReferralSource.INCOME_SUPPORT,
        )
        for n, case_id in enumerate(pools.case_ids)
    ]
    # A Swedish case holds an application for LSS daily activity from the start, so that an LSS decision
    # drawn later can answer it (D2: an LSS insats is granted on the person's request).
    applications: list[cmd.Command] = [
        cmd.ReceiveApplication(
            case_id=case_id,
            application_id=pools.others[0],
            received_on=opened,
            applicant=v.Applicant.PERSON,
            requested_service=v.ServiceKind.LSS_DAILY_ACTIVITY,
            form=v.ApplicationForm.WRITTEN,
        )
        for case_id in pools.case_ids
        if jurisdiction is v.Jurisdiction.SE
    ]
    return [*units, *cases, *applications]


# --- rulesets ----------------------------------------------------------------------------------------------


@st.composite
def rule_parameters(draw: st.DrawFn) -> RuleParameters:
    """Any valid :class:`RuleParameters`: each within bounds, the notice within twice the longest training."""
    longest = draw(st.integers(1, 730))
    return RuleParameters(
        max_work_training_days=longest,
        follow_up_interval_days=draw(st.integers(1, 730)),
        decision_expiry_notice_days=draw(st.integers(1, min(365, 2 * longest))),
        future_tolerance_days=draw(st.integers(1, 366)),
        # --- #18: processing deadlines per area (B26), one per service
        processing_deadlines=draw(processing_deadlines()),
    )


def processing_deadlines() -> st.SearchStrategy[tuple[ProcessingDeadline, ...]]:
    """Deadlines from application to decision for a few services, one each (#18, B26)."""
    return st.dictionaries(st.sampled_from(list(v.ServiceKind)), st.integers(1, 120), max_size=3).map(
        lambda by_service: tuple(ProcessingDeadline(service=k, days=d) for k, d in by_service.items())
    )


def rulesets(
    jurisdiction: v.Jurisdiction | None = None, local_rules: tuple[LocalRule, ...] = ()
) -> st.SearchStrategy[Ruleset]:
    """Valid rulesets: any parameters, the given local rules, for ``jurisdiction`` (or either)."""
    return st.builds(
        Ruleset,
        name=st.sampled_from(["generated", "kommun", "kommune"]),
        version=st.integers(1, 99).map(str),
        jurisdiction=st.just(jurisdiction) if jurisdiction else st.sampled_from(list(v.Jurisdiction)),
        parameters=rule_parameters(),
        local_rules=st.just(local_rules),
    )


# --- #18 Danish practice ----------------------------------------------------------------------------------


def fitting_other_legislation(pools: Pools) -> st.SearchStrategy[cmd.AssessOtherLegislation]:
    """§ 103 "other legislation first" assessments the rules accept on a Danish case: early (so a § 103
    decision drawn later rests on one), naming each offer weighed once; mostly finding none usable."""
    return st.builds(
        cmd.AssessOtherLegislation,
        case_id=st.sampled_from(pools.case_ids),
        assessment_id=st.sampled_from(pools.others),
        assessed_on=dates(30),
        considered=st.lists(
            st.sampled_from(list(v.OtherLegislationOffer)), min_size=1, max_size=3, unique=True
        ).map(tuple),
        finding=st.sampled_from(
            [v.OtherLegislationFinding.NONE_USABLE] * 3 + [v.OtherLegislationFinding.USABLE]
        ),
        reasons=st.none() | st.just("Fleksjob og ressourceforløb er afprøvet uden resultat"),
    )
