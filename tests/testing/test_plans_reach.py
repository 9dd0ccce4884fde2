"""The rule machine reaches the plan and assessment commands (#18) and accepts each of them, on both
jurisdictions' default rulesets, with every built-in invariant kept. (Their refusals, P1 and V1, come from
the blind arms of the default runs.)"""

import pytest

from rehabcore.domain.rules import DENMARK_DEFAULT, SWEDEN_DEFAULT, Ruleset
from rehabcore.testing import Steering
from rehabcore.testing.fitting_plans import plan_arms
from rehabcore.testing.machine import run_case_machine

#: Plans, reviews, offers and assessments in shapes the rules accept, in every run; decisions often enough
#: that an LSS insats is there to offer a plan on.
TOWARDS_PLANS = Steering(
    arms=plan_arms(), weights={"MakeDecision": 8, "ReceiveApplication": 4, "AssessNeeds": 1, "OfferPlan": 6}
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
