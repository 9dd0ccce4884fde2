"""``python -m benchmarks.profiling BACKEND [CASES] [SCENARIOS]``: where rehabcore's time goes (cProfile).

``BACKEND`` is ``memory``, ``sqlite`` or a ``postgresql+psycopg://`` URL (a fresh schema is not made: use an
empty database). ``SCENARIOS`` is a comma-separated subset of ``cycle,bulk,load,replay`` (default
``cycle,replay``). Prints the top functions by own time for each, on a store of ``CASES`` cases of the
benchmark workload. Profiling inflates small functions; read the order, not the absolute times.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import tempfile
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path

from benchmarks import rc_side
from benchmarks import workload as wl
from rehabcore import EventStore, InMemoryStore, open_store


def main() -> None:
    """Profile the chosen scenarios on one backend."""
    backend = sys.argv[1] if len(sys.argv) > 1 else "memory"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    chosen = (sys.argv[3] if len(sys.argv) > 3 else "cycle,replay").split(",")
    sort = sys.argv[4] if len(sys.argv) > 4 else "tottime"
    w = wl.build(n)
    with tempfile.TemporaryDirectory() as tmp:

        def fresh() -> EventStore:
            if backend == "memory":
                return InMemoryStore()
            if backend == "sqlite":
                return open_store(f"sqlite:///{Path(tmp) / (uuid.uuid4().hex + '.sqlite')}")
            return open_store(backend)

        store = fresh()
        rc_side.register_units(store, w)
        scenarios: dict[str, Callable[[], int]] = {
            "cycle": lambda: rc_side.command_cycle(store, w),
            "load": lambda: rc_side.load_all(store, w),
            "replay": lambda: rc_side.replay_all(store),
        }
        if "load" in chosen and "cycle" not in chosen:
            rc_side.command_cycle(store, w)  # load and replay need the cases written
        for label in ("cycle", "load", "replay", "bulk"):
            if label not in chosen:
                continue
            if label == "bulk":
                store.close()
                store = fresh()
                fn: Callable[[], int] = partial(rc_side.bulk_append, store, w)
            else:
                fn = scenarios[label]
            prof = cProfile.Profile()
            prof.enable()
            fn()
            prof.disable()
            print(f"==== {backend}: {label}, {n} cases, by {sort}")
            pstats.Stats(prof).sort_stats(sort).print_stats(25)
        store.close()


if __name__ == "__main__":
    main()
