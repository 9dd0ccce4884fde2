"""Test kit shipped to users: given/when/then, hypothesis strategies, the rule machine, the store contract.

Importing this package needs the ``testing`` extra (``pip install 'rehabcore[testing]'``);
``import rehabcore`` never imports it.

    from rehabcore.testing import given, an_id                  # given / when / then over events
    from rehabcore.testing import strategies, case_histories    # hypothesis strategies
    from rehabcore.testing import CaseMachine, run_case_machine # the rule machine, and invariants
    from rehabcore.testing import Steering, Reach               # steer it; what a run reached
    from rehabcore.testing import StoreContract                 # the store contract suite for adapters

See ``docs/testing.md``.
"""

try:
    from rehabcore.testing import strategies
    from rehabcore.testing.contract import StoreContract
    from rehabcore.testing.gwt import Given, GivenUnit, Then, given, given_unit
    from rehabcore.testing.histories import CaseHistory, case_histories
    from rehabcore.testing.invariants import BUILT_IN, per_case
    from rehabcore.testing.machine import (
        CaseMachine,
        RuleTooSlow,
        machine_settings,
        replay_history,
        run_case_machine,
    )
    from rehabcore.testing.reach import NotReached, Reach
    from rehabcore.testing.readable import an_id, short_id, shorten
    from rehabcore.testing.strategies import rule_parameters, rulesets
    from rehabcore.testing.swarm import FITTING, Arm, Steering
    from rehabcore.testing.world import Invariant, InvariantBroken, Step, World
except ModuleNotFoundError as missing:
    # Name the extra, not just the first third-party module that happened to be missing.
    if (missing.name or "").split(".")[0] not in {"hypothesis", "pytest"}:
        raise
    raise ModuleNotFoundError(
        f"rehabcore.testing needs the 'testing' extra ({missing.name} is not installed): "
        "pip install 'rehabcore[testing]'",
        name=missing.name,
    ) from missing

__all__ = [
    "BUILT_IN",
    "FITTING",
    "Arm",
    "CaseHistory",
    "CaseMachine",
    "Given",
    "GivenUnit",
    "Invariant",
    "InvariantBroken",
    "NotReached",
    "Reach",
    "RuleTooSlow",
    "Steering",
    "Step",
    "StoreContract",
    "Then",
    "World",
    "an_id",
    "case_histories",
    "given",
    "given_unit",
    "machine_settings",
    "per_case",
    "replay_history",
    "rule_parameters",
    "rulesets",
    "run_case_machine",
    "short_id",
    "shorten",
    "strategies",
]
