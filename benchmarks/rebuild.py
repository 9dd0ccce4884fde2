"""Rebuild every read model from a big store: events per second and peak memory, SQLite and PostgreSQL.

``python -m benchmarks.rebuild`` (run by ``make bench``) fills a store with ``--events`` events (default one
million): the benchmark workload's cases, each copy with fresh ids, written as ``Cases`` writes them (case
streams, and the unit streams whose places they take). Then a fresh interpreter rebuilds the ``cases``,
``units`` and ``places`` projections into SQL tables in the same database and reports the time and its peak
RSS. A second, ten times smaller store shows that memory does not grow with the store. The figures go into
``docs/performance.md`` between the ``rebuild`` markers.

``python -m benchmarks.rebuild --probe URL`` is the measuring child (one JSON line).
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import orjson

from benchmarks import workload as wl
from benchmarks.pg import Server
from benchmarks.probe import _peak_rss_mib, _rss_mib
from benchmarks.report import replace_section

START, END = "<!-- rebuild:start -->", "<!-- rebuild:end -->"
_UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_METADATA = orjson.dumps(
    {"actor": {"id": "staff-4711", "role": "case_worker", "unit": "amc-nord"}, "tenant": None}
)


def _encoded(events: Any) -> list[tuple[str, int, bytes]]:
    from rehabcore import codec

    return [codec.encode_event(e) for e in events]


def _new(type_: str, version: int, data: bytes) -> Any:
    from rehabcore import NewEvent

    return NewEvent(uuid.uuid4(), type_, version, data, _METADATA)


def fill(url: str, total: int, *, register_units: bool = True, units: int = wl.N_UNITS) -> tuple[int, float]:
    """Append about ``total`` events (after registering ``units`` units, unless the store has them); return
    the store's head position and the seconds it took.

    The workload's 50 units are cloned up to ``units`` (a multiple of 50; the clones of unit *i* register as
    it does, under new ids) and the copies of the cases spread over them, so that a unit's stream holds
    about as many place events as a real unit's: a country's ten million events a year go to thousands
    of units, not fifty.
    """
    from rehabcore import NewEvent, StreamWrite, codec, open_store
    from rehabcore.streams import unit_stream

    started = time.perf_counter()
    w = wl.build(20)
    store = open_store(url)
    clones = max(1, units // wl.N_UNITS)
    originals = [wl.unit_id(n) for n in range(wl.N_UNITS)]
    # Clone 0 is the unit itself, so the workload's own units (the benchmarks' commands) exist here too.
    unit_ids = {u: [u, *(uuid.uuid5(u, str(k)) for k in range(1, clones))] for u in originals}
    unit_text = {str(u).encode(): [str(c).encode() for c in cs] for u, cs in unit_ids.items()}
    registrations = []
    for event in w.unit_events if register_units else ():
        name, version, data = codec.encode_event(event)
        for clone, text in zip(unit_ids[event.unit_id], unit_text[str(event.unit_id).encode()], strict=True):
            copied = data.replace(str(event.unit_id).encode(), text)
            registrations.append(
                StreamWrite(unit_stream(clone), [NewEvent(uuid.uuid4(), name, version, copied)])
            )
    for start in range(0, len(registrations), 500):
        store.append(*registrations[start : start + 500])
    cases = [
        (
            str(case.case_id).encode(),
            [(_encoded(step.case_events), step.unit_id, _encoded(step.unit_events)) for step in case.steps],
        )
        for case in w.cases
    ]
    n, copy = len(registrations), 0
    while n < total:
        merged: dict[str, list[Any]] = {}
        for _ in range(100):  # copies per append
            original, steps = cases[copy % len(cases)]
            clone = (copy // len(cases)) % clones
            copy += 1
            fresh: dict[bytes, bytes] = {}

            def renew(m: re.Match[bytes], fresh: dict[bytes, bytes] = fresh, clone: int = clone) -> bytes:
                # A unit id becomes this copy's clone of the unit; every other id of the case is new.
                old = m.group(0)
                text = unit_text.get(old)
                return text[clone] if text is not None else fresh.setdefault(old, str(uuid.uuid4()).encode())

            case_events: list[Any] = []
            for step_case, unit, step_unit in steps:
                case_events += [_new(t, v, _UUID.sub(renew, d)) for t, v, d in step_case]
                if unit is not None and step_unit:
                    events = [_new(t, v, _UUID.sub(renew, d)) for t, v, d in step_unit]
                    merged.setdefault(unit_stream(unit_ids[unit][clone]), []).extend(events)
                    n += len(events)
            merged[f"case-{fresh[original].decode()}"] = case_events
            n += len(case_events)
        # One write per stream per append; several copies share a unit stream.
        store.append(*(StreamWrite(stream, events) for stream, events in merged.items()))
    head = store.head_position()
    store.close()
    return head, time.perf_counter() - started


def probe(url: str) -> None:
    """The child: rebuild every read model of ``url`` and print one JSON line."""
    from rehabcore import open_store
    from rehabcore.projections import Runner

    store = open_store(url)
    runner = Runner(store, batch_size=2000)
    before = _rss_mib()
    started = time.perf_counter()
    applied = runner.rebuild()
    seconds = time.perf_counter() - started
    status = runner.status()
    rows = sum(1 for _ in runner.target.values(runner.projections[0]))
    print(
        json.dumps(
            {
                "events": store.head_position(),
                "applied": applied,
                "seconds": seconds,
                "rate": store.head_position() / seconds,
                "peak_rss_mib": _peak_rss_mib(),
                "rss_before_mib": before,
                "current": all(s.checkpoint == s.head for s in status),
                "cases": rows,
            }
        )
    )
    runner.target.close()
    store.close()


def measure(url: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.rebuild", "--probe", url],
        check=True,
        capture_output=True,
        text=True,
        timeout=7200,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def render(results: list[dict[str, Any]], command: str) -> str:
    lines = [
        START,
        "## Rebuilding the read models",
        "",
        "`rehabcore projections rebuild` (here `Runner(store, batch_size=2000).rebuild()` in a fresh",
        "interpreter): the `cases`, `units` and `places` projections from event 1, into SQL tables in the",
        "same database, each batch and its checkpoint in one transaction. The store holds the benchmark",
        "workload's cases (20 case events, and 2 unit events for the place taken and given back), copied",
        "with fresh ids. Peak RSS is the rebuilding process's `VmHWM`; the store ten times smaller shows",
        f"that it does not grow with the store. Produced by `{command}`.",
        "",
        "| back-end | events | filled in | rebuilt in | events/s | peak RSS | RSS before | cases projected |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r['label']} | {r['events']:,} | {r['fill_s']:.0f} s | {r['seconds']:.1f} s "
            f"| {r['rate']:,.0f} | {r['peak_rss_mib']:.0f} MiB | {r['rss_before_mib']:.0f} MiB "
            f"| {r['cases']:,} |"
        )
    lines += ["", END]
    return "\n".join(lines)


def write_doc(block: str) -> None:
    replace_section(block, START, END)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.rebuild")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--no-write", action="store_true", help="print the figures, leave the docs alone")
    parser.add_argument("--probe", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    # Stopped from outside: still stop the PostgreSQL server and remove the temporary stores.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.probe:
        probe(args.probe)
        return
    backends = args.backends.split(",")
    results: list[dict[str, Any]] = []
    server = Server() if "postgresql" in backends else None
    with tempfile.TemporaryDirectory(prefix="rehabcore-rebuild-") as tmp:
        try:
            if server is not None:
                server.start()
            for backend in backends:
                for size in (args.events // 10, args.events):
                    url = (
                        f"sqlite:///{Path(tmp) / f'rebuild-{size}.sqlite'}"
                        if backend == "sqlite"
                        else server.url(server.schema())  # type: ignore[union-attr]
                    )
                    _, fill_s = fill(url, size)
                    result = {"label": "SQLite" if backend == "sqlite" else "PostgreSQL", **measure(url)}
                    result["fill_s"] = fill_s
                    results.append(result)
                    print(json.dumps(result), flush=True)
        finally:
            if server is not None:
                server.stop()
    command = "python -m benchmarks.rebuild" + (
        "" if args.events == 1_000_000 else f" --events {args.events}"
    )
    block = render(results, command)
    print(block)
    if not args.no_write:
        write_doc(block)


if __name__ == "__main__":
    main()
