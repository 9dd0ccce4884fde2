"""The rule machine reaches the plan and assessment commands (#18) and accepts each of them, on both
jurisdictions' default rulesets, with every built-in invariant kept."""

import pytest

from rehabcore.domain.rules import DENMARK_DEFAULT, SWEDEN_DEFAULT, Ruleset
from rehabcore.testing import Steering
from rehabcore.testing.machine import run_case_machine

#: Plans and reviews in every run, and decisions often enough that an LSS insats is there to offer a plan on.
TOWARDS_PLANS = Steering(
    weights={"EstablishPlan": 8, "ReviewPlan": 8, "OfferPlan": 4, "AssessNeeds": 2, "MakeDecision": 6}
)


@pytest.mark.parametrize("ruleset", [SWEDEN_DEFAULT, DENMARK_DEFAULT], ids=lambda r: r.ref)
def test_the_machine_accepts_offers_plans_reviews_and_assessments(ruleset: Ruleset) -> None:
    reach = run_case_machine(
        ruleset,
        steering=TOWARDS_PLANS,
        require_reached=["EstablishPlan", "ReviewPlan", "OfferPlan", "AssessNeeds"],
    )
    assert all(
        reach.accepted(name) > 0 for name in ("EstablishPlan", "ReviewPlan", "OfferPlan", "AssessNeeds")
    )
    refused = {
        outcome for (name, outcome), _ in reach.commands.items() if name in ("OfferPlan", "AssessNeeds")
    }
    assert {"rejected by P1", "rejected by V1"} & refused, reach.report()
