"""What the rule machine draws, and how you steer it: arms, swarms and :class:`Steering`.

An *arm* is one kind of step: a command type, a command "about" what a case holds (extend its placement,
execute its decision …), a unit change, or time passing. Every command in the recording table
(``rehabcore.domain.recording.RECORDINGS``) gets an arm of its own, named after its class, drawn field by
field from its annotations — so a command added to the table is generated without a strategy written for it.
Where blind values would nearly always be refused, :data:`FITTING` holds a strategy that draws the command in
shapes the rules accept (decisions that fit their basis, goals with the reason B12 asks for); add yours there:

    from rehabcore.testing.swarm import FITTING
    FITTING[MyCommand] = lambda pools, jurisdiction: my_strategy(pools)

*Swarm* generation: each run of the machine first draws which arms it uses and the set-up — the referral
source of each case and the goal, if any, it starts with (in each ``FormulatedBy``). A run with five arms
goes deep into what those five reach; forty runs with different arms go wide. (Groce et al., "Swarm
testing", ISSTA 2012: leaving features out of a run finds more than always drawing all of them.)

:class:`Steering` changes the weights, adds arms (your own commands, or your own strategies for one of
ours), overrides field strategies by field name or type, and limits the set-up.
"""

from __future__ import annotations

import datetime as dt
import typing
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import attrs
from hypothesis import strategies as st

from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.domain.recording import RECORDINGS
from rehabcore.testing import strategies as rs
from rehabcore.testing.readable import an_id, line
from rehabcore.testing.referring import About, Act, about

#: ``(pools, jurisdiction) -> strategy``: how an arm draws, given the run's ids and jurisdiction.
Draw = Callable[[rs.Pools, v.Jurisdiction], st.SearchStrategy[Any]]


@attrs.frozen(repr=False)
class Shown:
    """A generated command that prints as one readable line in hypothesis's steps."""

    command: cmd.Command

    def __repr__(self) -> str:
        return f"<{line(self.command)}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # hypothesis prints steps with this
        printer.text(repr(self))


@attrs.frozen(repr=False)
class Wait:
    """Time passes: today moves on by ``days``."""

    days: int

    def __repr__(self) -> str:
        return f"<{self.days} days pass>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


#: One step the machine can take.
Action = Shown | About | Wait


@attrs.frozen
class Arm:
    """One kind of step: its name (how :class:`Steering` refers to it), how it draws, how often."""

    name: str
    draw: Draw
    weight: int = 2
    #: The command class a derived arm draws (its fields follow ``Steering.fields``); None for the others.
    command: type[Any] | None = None


def arms_of(fitting: Mapping[type[Any], Draw], weight: int) -> tuple[Arm, ...]:
    """Arms to steer with, one per command of ``fitting`` (command class → its strategy), each step shown
    as one readable line: how ``plan_arms`` and ``outcome_arms`` are made."""

    def shown(draw: Draw) -> Draw:
        return lambda pools, jurisdiction: draw(pools, jurisdiction).map(Shown)

    return tuple(Arm(command.__name__, shown(draw), weight, command) for command, draw in fitting.items())


# --- commands in shapes the rules accept (the extension point for new commands) ---------------------------


def _goals(pools: rs.Pools, jurisdiction: v.Jurisdiction) -> st.SearchStrategy[cmd.SetGoal]:
    """Goals in every ``formulated_by``, early in the case, the reason B12 asks for mostly given."""

    def goal(case_id: uuid.UUID, goal_id: uuid.UUID, by: v.FormulatedBy, on: dt.date, why: bool) -> Any:
        needs = by in (v.FormulatedBy.PROXY, v.FormulatedBy.PROFESSIONAL)
        return cmd.SetGoal(
            case_id=case_id,
            goal_id=goal_id,
            set_on=on,
            life_area=v.LifeArea.WORK_AND_EDUCATION,
            citizen_words="arbeta",
            formulated_by=by,
            goal_type=v.GoalType.DEVELOP,
            proxy_reason="ställföreträdare" if needs and why else None,
        )

    return st.builds(
        goal,
        st.sampled_from(pools.case_ids),
        st.sampled_from(pools.others),
        st.sampled_from(list(v.FormulatedBy)),
        rs.dates(60),
        st.integers(0, 4).map(bool),
    )


#: Command class → ``(pools, jurisdiction) -> strategy`` drawing it in shapes the rules accept. Its arm draws
#: these three times in four, and the blind, annotation-derived shape the fourth time.
FITTING: dict[type[Any], Draw] = {
    cmd.MakeDecision: lambda p, j: rs.fitting_decisions(p, j),
    cmd.StartPlacement: lambda p, j: rs.fitting_placements(p, j),
    cmd.TransferToLssDailyActivity: lambda p, j: rs.fitting_transfers(p),
    cmd.SetGoal: _goals,
    # --- #18 Danish practice
    cmd.AssessOtherLegislation: lambda p, j: rs.fitting_other_legislation(p),
}

#: Arms drawn less often by default: an ending leaves little to test; a refocused unit takes few placements.
_RARE = {
    cmd.CloseCase: 1,
    cmd.ExitToWork: 1,
    cmd.ExitToStudies: 1,
    cmd.ReopenCase: 1,
    cmd.ChangeUnitCapacity: 1,
    cmd.ChangeUnitPurpose: 1,
    # Retention bookkeeping (#13): blind, a release names no placed hold and an erasure the wrong subject;
    # ``about:retain`` draws them on what the case holds.
    **dict.fromkeys(typing.get_args(cmd.RetentionCommand), 1),
    # Disclosure bookkeeping (#16): blind, it names no consent of the case and is mostly refused (B21).
    cmd.RecordDisclosure: 1,
    # --- #18: an exit elsewhere ends the story as the other exits do; a status follows an exit only; a
    # blind week of attendance is mostly refused (a Monday, within a placement of the case).
    cmd.ExitElsewhere: 1,
    cmd.RecordOutcomeStatus: 1,
    cmd.RecordAttendance: 1,
    # --- #18 open activities and unit changes: a closed unit takes nothing more for the rest of the run
    cmd.CountVisits: 1,
    cmd.CloseUnit: 1,
    cmd.MoveUnit: 1,
    cmd.ChangeUnitOwner: 1,
    # --- #18: the § 103 assessment is Danish only; in a Swedish run it is refused (B16)
    cmd.AssessOtherLegislation: 1,
}
#: Arms drawn more often by default: where the hard rules and most local rules live.
_OFTEN = {cmd.MakeDecision: 4, cmd.StartPlacement: 4, cmd.SetGoal: 3}
_ABOUT_WEIGHTS = {
    Act.EXTEND: 8,
    Act.EXECUTE: 4,
    Act.INTERRUPT: 4,
    Act.END: 2,
    Act.CORRECT: 2,
    Act.RETRACT: 2,
    Act.RETAIN: 1,
}
#: Commands the set-up makes; the machine does not draw them.
_SET_UP = (cmd.OpenCase, cmd.RegisterUnit)


def _derived(
    command: type[Any], pools: rs.Pools, jurisdiction: v.Jurisdiction, fields: Mapping[Any, Any]
) -> st.SearchStrategy[Any]:
    blind = rs.against_pools(command, pools, fields=fields)
    fitting = FITTING.get(command)
    inner = blind if fitting is None else rs.weighted((3, fitting(pools, jurisdiction)), (1, blind))
    return inner.map(Shown)


def _command_arm(command: type[Any]) -> Arm:
    weight = _RARE.get(command, _OFTEN.get(command, 2))
    return Arm(command.__name__, lambda p, j: _derived(command, p, j, {}), weight, command)


def _about_arm(act: Act) -> Draw:
    return lambda pools, jurisdiction: about(act)


def built_in_arms() -> tuple[Arm, ...]:
    """An arm per command of the recording table (but the set-up's), one per :class:`Act`, and waiting."""
    commands = [r.command for r in RECORDINGS if r.command not in _SET_UP]
    abouts = [Arm(f"about:{act.name.lower()}", _about_arm(act), _ABOUT_WEIGHTS.get(act, 2)) for act in Act]
    waits = Arm("wait", lambda p, j: st.integers(1, 120).map(Wait), 2)
    return (*(_command_arm(c) for c in commands), *abouts, waits)


# --- steering and the swarm ---------------------------------------------------------------------------------


@attrs.frozen(kw_only=True, eq=False)
class Steering:
    """How you steer the machine (all optional; see ``docs/testing.md``).

    ``weights`` maps an arm's name (a command class name such as ``"ExtendPlacement"``, ``"about:extend"``,
    ``"wait"``) to its weight, 0 to leave it out. ``arms`` adds arms: your own commands, or your own strategy
    for one of ours. ``fields`` overrides the strategy of a field, by name or by type, in every derived arm.
    Arms named in ``weights`` or added in ``arms`` are in every run; the others are swarmed.
    ``sources`` and ``goals`` limit the set-up (the referral source each case is opened from; the goal it
    starts with, ``None`` for none). ``swarm=False`` uses every arm in every run.
    """

    weights: Mapping[str, int] = attrs.field(factory=dict)
    arms: tuple[Arm, ...] = ()
    fields: Mapping[Any, st.SearchStrategy[Any]] = attrs.field(factory=dict)
    sources: tuple[v.ReferralSource, ...] = tuple(v.ReferralSource)
    goals: tuple[v.FormulatedBy | None, ...] = (None, *v.FormulatedBy)
    swarm: bool = True

    def arms_in_play(self) -> tuple[Arm, ...]:
        """The built-in arms and the added ones, weighted as steered; unknown names are an error."""
        added = {a.name: a for a in self.arms}
        arms = [added.pop(a.name, a) for a in built_in_arms()] + list(added.values())
        names = {a.name for a in arms}
        unknown = sorted(set(self.weights) - names)
        if unknown:
            raise ValueError(f"Steering.weights names no arm: {unknown}; the arms are {sorted(names)}")
        weighted = [attrs.evolve(a, weight=self.weights.get(a.name, a.weight)) for a in arms]
        return tuple(a for a in weighted if a.weight > 0)


DEFAULT_STEERING = Steering()


@attrs.frozen(repr=False)
class Swarm:
    """One run's draw: the arms it uses, and the set-up of each case (referral source, first goal)."""

    arms: tuple[str, ...]
    sources: tuple[v.ReferralSource, ...]
    goals: tuple[v.FormulatedBy | None, ...]

    def __repr__(self) -> str:
        cases = ", ".join(
            f"case-{n + 1} from {s.value}" + (f" with a goal by {g.value}" if g else "")
            for n, (s, g) in enumerate(zip(self.sources, self.goals, strict=True))
        )
        return f"<swarm: {cases}; arms {', '.join(self.arms)}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def set_up(self, pools: rs.Pools, jurisdiction: v.Jurisdiction) -> list[cmd.Command]:
        """Register the units, open each case from its source and give it its first goal."""
        commands = rs.setup(pools, jurisdiction, sources=self.sources)
        for n, (case_id, by) in enumerate(zip(pools.case_ids, self.goals, strict=True)):
            if by is not None:
                commands.append(
                    cmd.SetGoal(
                        case_id=case_id,
                        goal_id=an_id(f"goal-{n + 1}"),
                        set_on=rs.BASE_DATE,
                        life_area=v.LifeArea.WORK_AND_EDUCATION,
                        citizen_words="arbeta",
                        formulated_by=by,
                        goal_type=v.GoalType.DEVELOP,
                        proxy_reason=None
                        if by in (v.FormulatedBy.CITIZEN, v.FormulatedBy.JOINTLY)
                        else "ombud",
                    )
                )
        return commands


def swarms(steering: Steering, cases: int) -> st.SearchStrategy[Swarm]:
    """Which arms a run uses (each in or out; none in means all) and how its cases are set up."""
    names = tuple(a.name for a in steering.arms_in_play())
    # Arms you weighted or added are in every run: you asked for them.
    kept = {*steering.weights, *(a.name for a in steering.arms)}
    if steering.swarm:
        chosen = st.lists(st.booleans(), min_size=len(names), max_size=len(names)).map(
            lambda picks: tuple(n for n, on in zip(names, picks, strict=True) if on or n in kept) or names
        )
    else:
        chosen = st.just(names)
    # Half the cases come from income support (most cases do, and many local rules are about them), the
    # rest from any source.
    common = [s for s in steering.sources if s is v.ReferralSource.INCOME_SUPPORT]
    sources = (
        rs.weighted((1, st.sampled_from(common)), (1, st.sampled_from(steering.sources)))
        if common
        else st.sampled_from(steering.sources)
    )
    per_case = st.lists(
        st.tuples(sources, st.sampled_from(steering.goals)),
        min_size=cases,
        max_size=cases,
    )
    return st.builds(
        lambda arms, set_up: Swarm(arms, tuple(s for s, _ in set_up), tuple(g for _, g in set_up)),
        chosen,
        per_case,
    )


#: Keyed by the steering itself (hashed by identity), never by ``id(steering)``: the key keeps the object
#: alive, so a later Steering cannot reuse a collected one's id and be handed its arms (an order-dependent
#: failure in the suite).
_ACTIONS: dict[tuple[Steering, tuple[str, ...], rs.Pools, v.Jurisdiction], st.SearchStrategy[Action]] = {}


def actions(
    steering: Steering, swarm: Swarm, pools: rs.Pools, jurisdiction: v.Jurisdiction
) -> st.SearchStrategy[Action]:
    """The steps a run draws from: its arms, each in proportion to its weight (built once per setting).

    The draw never depends on the state (an :class:`About` is resolved when it runs), so hypothesis and the
    kit's own shrinking can drop any step of a failing history and keep the rest as it was.
    """
    key = (steering, swarm.arms, pools, jurisdiction)
    if key not in _ACTIONS:
        by_name = {a.name: a for a in steering.arms_in_play()}
        chosen = [by_name[n] for n in swarm.arms]
        _ACTIONS[key] = rs.weighted(*((a.weight, _drawn(a, pools, jurisdiction, steering)) for a in chosen))
    return _ACTIONS[key]


def _drawn(arm: Arm, pools: rs.Pools, jurisdiction: v.Jurisdiction, steering: Steering) -> Any:
    if arm.command is not None and steering.fields:  # a derived arm: the field overrides apply
        return _derived(arm.command, pools, jurisdiction, steering.fields)
    return arm.draw(pools, jurisdiction)
