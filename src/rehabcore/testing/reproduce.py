"""What a reproduction printed by the rule machine imports: ``from rehabcore.testing.reproduce import *``.

The names the printed Python uses (``cmd``, ``ev``, ``v``, ``dt``, ``uuid``, ``an_id``) and
:func:`replay_history`, which replays the printed steps after the printed set-up and raises the same
:class:`~rehabcore.testing.world.InvariantBroken`.
"""

import datetime as dt
import uuid

from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import vocabulary as v
from rehabcore.testing.machine import replay_history
from rehabcore.testing.readable import an_id

__all__ = ["an_id", "cmd", "dt", "ev", "replay_history", "uuid", "v"]
