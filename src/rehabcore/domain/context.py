"""What a decider needs from outside the record: the day it is and the rules in force.

``decide`` never reads a clock: the service (or a test) builds a :class:`Context` and hands it in, so the
same command decided on the same state under the same context gives the same events.

Pure: imports only the standard library, attrs and the domain.
"""

from __future__ import annotations

import datetime as dt

import attrs

from rehabcore.domain.rules import SWEDEN_DEFAULT, Ruleset


@attrs.frozen(kw_only=True)
class Context:
    """The day it is, and the ruleset (parameters and local rules) commands are decided under."""

    today: dt.date
    ruleset: Ruleset = SWEDEN_DEFAULT
    #: The person's birth date, from the identity vault when the service has one: the age checks (B22).
    born_on: dt.date | None = None
