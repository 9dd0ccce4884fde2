"""Run in a subprocess by ``benchmarks.run``: replay a whole store and report time and peak memory.

``python -m benchmarks.probe URL`` prints one JSON line: events, seconds, the process's peak RSS and its RSS
before the replay started (after imports and opening the store), in MiB. The peak is ``VmHWM`` of
``/proc/self/status`` (Linux).
"""

from __future__ import annotations

import json
import sys
import time


def _status_mib(field: str) -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _rss_mib() -> float:
    return _status_mib("VmRSS")


def _peak_rss_mib() -> float:
    # VmHWM, the high-water mark of this process's own address space. Not getrusage's ru_maxrss: Linux
    # carries that across fork + exec, so a child of a big parent (the benchmark runner holds the prepared
    # workloads, ~600 MiB) would report the parent's size, whatever the replay itself used.
    return _status_mib("VmHWM")


def main() -> None:
    """Replay ``sys.argv[1]`` through ``read_all`` + ``decode_event``."""
    from rehabcore import codec, open_store

    store = open_store(sys.argv[1])
    before = _rss_mib()
    decode = codec.decode_event
    n = 0
    start = time.perf_counter()
    for stored in store.read_all():
        decode(stored.type, stored.schema_version, stored.data)
        n += 1
    seconds = time.perf_counter() - start
    peak = _peak_rss_mib()
    store.close()
    print(json.dumps({"events": n, "seconds": seconds, "peak_rss_mib": peak, "rss_before_mib": before}))


if __name__ == "__main__":
    main()
