"""What a decider needs from outside the record: the day it is, the rules in force, who acts and for whom.

``decide`` never reads a clock: the service (or a test) builds a :class:`Context` and hands it in, so the
same command decided on the same state under the same context gives the same events.

Pure: imports only the standard library, attrs and the domain.
"""

from __future__ import annotations

import datetime as dt

import attrs

from rehabcore.domain.commands import Actor
from rehabcore.domain.rules import SWEDEN_DEFAULT, Ruleset


@attrs.frozen(kw_only=True)
class Context:
    """The day it is, and the ruleset (parameters and local rules) commands are decided under."""

    today: dt.date
    ruleset: Ruleset = SWEDEN_DEFAULT
    #: The person's birth date, from the identity vault when the service has one: the age checks (B22).
    born_on: dt.date | None = None
    #: Who records the command, and the board or provider it is recorded for: what the ruleset's access
    #: policy checks (``rehabcore.domain.permissions``; #16). None where no policy asks.
    actor: Actor | None = None
    tenant: str | None = None
