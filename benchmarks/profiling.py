"""``python -m benchmarks.profiling [memory|sqlite] [CASES]``: where rehabcore's time goes (cProfile).

Prints the top functions by own time for the command cycle and for replay (read_all + decode_event) on a
store of ``CASES`` cases of the benchmark workload. Profiling inflates small functions; read the order, not
the absolute times.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import tempfile
import uuid
from pathlib import Path

from benchmarks import rc_side
from benchmarks import workload as wl
from rehabcore import EventStore, InMemoryStore, open_store


def main() -> None:
    """Profile the command cycle and the replay on one backend."""
    backend = sys.argv[1] if len(sys.argv) > 1 else "memory"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    w = wl.build(n)
    with tempfile.TemporaryDirectory() as tmp:
        store: EventStore = (
            InMemoryStore()
            if backend == "memory"
            else open_store(f"sqlite:///{Path(tmp) / (uuid.uuid4().hex + '.sqlite')}")
        )
        rc_side.register_units(store, w)
        for label, fn in (
            ("command cycle", lambda: rc_side.command_cycle(store, w)),
            ("replay", lambda: rc_side.replay_all(store)),
        ):
            prof = cProfile.Profile()
            prof.enable()
            fn()
            prof.disable()
            print(f"==== {backend}: {label}, {n} cases, by own time")
            pstats.Stats(prof).sort_stats("tottime").print_stats(15)
        store.close()


if __name__ == "__main__":
    main()
