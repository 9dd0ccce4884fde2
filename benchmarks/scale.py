"""Ten million events on PostgreSQL (#20): append cost, replay, rebuild and size as the store grows.

``python -m benchmarks.scale`` (``make bench BENCH_ARGS=--full`` runs it after the main benchmark) fills one
PostgreSQL store with ``--events`` events (default ten million, a whole country's case work for about a
year) the way :mod:`benchmarks.rebuild` fills its stores: the benchmark workload's cases copied with fresh
ids, case streams and the unit streams whose places they take, with the actor metadata ``Cases`` writes. At
each checkpoint (a tenth, then the whole) it measures, on the store as it then stands:

- **append cost**: the command cycle and one append per case on this store against an empty schema of the
  same server, interleaved, medians of ``--reps``;
- **replay**: every event through ``read_all`` + ``decode_event`` in a fresh interpreter, its time and
  peak RSS (:mod:`benchmarks.probe`);
- **rebuild** (the whole store only): the ``cases``, ``units`` and ``places`` read models rebuilt from
  event 1 in a fresh interpreter, time and peak RSS (:func:`benchmarks.rebuild.measure`);
- **size**: the events table and each of its indexes, bytes per event.

The figures go into ``docs/performance.md`` between the ``scale`` markers; ``docs/scale.md`` reads them.
It is not run in CI: at ten million events it takes the better part of an hour on two cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import rc_side
from benchmarks import workload as wl
from benchmarks.pg import Server
from benchmarks.rebuild import fill, measure
from benchmarks.report import DOC, replace_section
from benchmarks.run import _git, probe

START, END = "<!-- scale:start -->", "<!-- scale:end -->"


def append_cost(
    full_url: str, empty_url: Callable[[], str], reps: int, first: int, cases: int = 100
) -> dict[str, float]:
    """Events per second of 100 cases' command cycles and one-append cases, on the full store and on an
    empty one (``empty_url()`` makes a fresh schema), alternating which goes first; medians. The cases are
    numbered from ``first`` (new to the full store)."""
    from rehabcore import open_store

    rates: dict[str, list[float]] = {"cycle_empty": [], "cycle_full": [], "bulk_empty": [], "bulk_full": []}
    for rep in range(reps):
        for which in ("empty", "full") if rep % 2 == 0 else ("full", "empty"):
            store = open_store(empty_url() if which == "empty" else full_url)
            small = wl.build(cases, first=first + rep * 1000 + (which == "full") * 500)
            if which == "empty":
                rc_side.register_units(store, small)  # the full store has them from the fill
            rates[f"cycle_{which}"].append(_rate(lambda: rc_side.command_cycle(store, small)))  # noqa: B023
            bulk = wl.build(cases, first=first + 100_000 + rep * 1000 + (which == "full") * 500)
            rates[f"bulk_{which}"].append(_rate(lambda: rc_side.bulk_append(store, bulk)))  # noqa: B023
            store.close()
    return {k: statistics.median(v) for k, v in rates.items()}


def _rate(fn: Any) -> float:
    start = time.perf_counter()
    n = fn()
    return float(n / (time.perf_counter() - start))


def sizes(url: str) -> dict[str, int]:
    """Bytes of the events table's heap and of each of its indexes."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            heap = conn.exec_driver_sql("SELECT pg_table_size('rehabcore_events'::regclass)").scalar_one()
            rows = conn.exec_driver_sql(
                "SELECT indexrelid::regclass::text, pg_relation_size(indexrelid) FROM pg_index "
                "WHERE indrelid = 'rehabcore_events'::regclass ORDER BY 1"
            ).all()
    finally:
        engine.dispose()
    return {"table (heap and TOAST)": int(heap), **{str(name): int(size) for name, size in rows}}


def run(
    events: int, reps: int, fresh_url: Callable[[], str] | None = None, cases: int = 100
) -> dict[str, Any]:
    """The measurements, on a throwaway server of its own, or in new schemas from ``fresh_url()``."""
    if fresh_url is not None:
        return _measure(events, reps, fresh_url, "the server given", cases)
    server = Server()
    server.start()
    try:
        return _measure(events, reps, lambda: server.url(server.schema()), server.version, cases)
    finally:
        server.stop()


def _measure(
    events: int, reps: int, fresh_url: Callable[[], str], version: str, cases: int
) -> dict[str, Any]:
    started = time.perf_counter()
    url = fresh_url()
    steps: list[dict[str, Any]] = []
    filled, fill_s = 0, 0.0
    # A unit per 2,000 events: a unit's stream ends with about 180 place events, a busy unit's year.
    units = _units(events)
    for n, target in enumerate((events // 10, events)):
        t = time.perf_counter()
        filled, _ = fill_more(url, target, filled, units)
        fill_s += time.perf_counter() - t
        step: dict[str, Any] = {"events": filled, "fill_s": fill_s}
        print(f"filled {filled:,} in {fill_s:.0f} s", flush=True)
        step["replay"] = probe(url)
        print("replay", step["replay"], flush=True)
        step.update(append_cost(url, fresh_url, reps, 10_000_000 * (n + 1), cases))
        print("append", {k: round(v) for k, v in step.items() if k[:5] in ("cycle", "bulk_")}, flush=True)
        step["sizes"] = sizes(url)
        if target == events:
            step["rebuild"] = measure(url)
            print("rebuild", step["rebuild"], flush=True)
        steps.append(step)
    return {
        "units": units,
        "steps": steps,
        "pg": version,
        "wall": time.perf_counter() - started,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def fill_more(url: str, target: int, have: int, units: int) -> tuple[int, float]:
    """Append until the store holds about ``target`` events (it holds ``have``)."""
    if target <= have:
        return have, 0.0
    head, seconds = fill(url, target - have, register_units=have == 0, units=units)
    return head, seconds


def _units(events: int) -> int:
    return max(wl.N_UNITS, events // 2000 // wl.N_UNITS * wl.N_UNITS)


def render(result: dict[str, Any], command: str, commit: str) -> str:
    steps = result["steps"]
    lines = [
        START,
        "## Ten million events on PostgreSQL",
        "",
        f"`{command}` at commit {commit}, {result['date']}, {result['pg']} (the throwaway server as above),",
        f"{result['wall'] / 60:.0f} minutes. One store filled as `benchmarks.rebuild` fills its stores (case",
        "streams and the unit streams whose places they take, with the actor metadata), the cases spread",
        f"over {result['units']:,} units (about 180 place events a unit at the end), measured when it",
        "held a tenth of the events and again when full. Append cost: 100 cases' command cycles and 100",
        "one-append cases on this store against an empty schema of the same server, interleaved, medians.",
        "Replay and rebuild each ran in a fresh interpreter; peak RSS is its `VmHWM`.",
        "",
        "| measure | " + " | ".join(f"{s['events']:,} events" for s in steps) + " | target |",
        "|---|" + "--:|" * len(steps) + "---|",
    ]

    def row(label: str, cells: list[str], target: str = "") -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")

    row("filled in (cumulative)", [f"{s['fill_s'] / 60:.1f} min" for s in steps])
    row("command cycle, full store, ev/s", [f"{s['cycle_full']:,.0f}" for s in steps])
    row("command cycle, empty store, ev/s", [f"{s['cycle_empty']:,.0f}" for s in steps])
    row(
        "append cost, full / empty (command cycle)",
        [f"{s['cycle_empty'] / s['cycle_full']:.2f}×" for s in steps],
        "≤ 1.2×",
    )
    row("one append per case, full store, ev/s", [f"{s['bulk_full']:,.0f}" for s in steps])
    row("one append per case, empty store, ev/s", [f"{s['bulk_empty']:,.0f}" for s in steps])
    row(
        "append cost, full / empty (one append per case)",
        [f"{s['bulk_empty'] / s['bulk_full']:.2f}×" for s in steps],
        "≤ 1.2×",
    )
    row(
        "replay (read_all + decode_event), ev/s",
        [f"{s['replay']['events'] / s['replay']['seconds']:,.0f}" for s in steps],
    )
    row("replay, minutes", [f"{s['replay']['seconds'] / 60:.1f}" for s in steps])
    row("replay, peak RSS", [f"{s['replay']['peak_rss_mib']:.0f} MiB" for s in steps], "flat")
    last = steps[-1]
    if "rebuild" in last:
        r = last["rebuild"]
        cells = ["—"] * (len(steps) - 1)
        row("rebuild of three read models, ev/s", [*cells, f"{r['rate']:,.0f}"])
        row("rebuild, minutes", [*cells, f"{r['seconds'] / 60:.1f}"])
        row("rebuild, peak RSS", [*cells, f"{r['peak_rss_mib']:.0f} MiB"], "flat")
    total = [sum(s["sizes"].values()) for s in steps]
    row(
        "table and indexes, bytes per event",
        [f"{t / s['events']:,.0f}" for t, s in zip(total, steps, strict=True)],
    )
    row("table and indexes", [f"{t / 2**30:.1f} GiB" for t in total])
    lines += ["", "Per part, at the full store:", "", "| part | bytes per event |", "|---|--:|"]
    for name, size in last["sizes"].items():
        lines.append(f"| {name} | {size / last['events']:,.0f} |")
    lines += ["", END]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print the figures, leave the docs alone")
    parser.add_argument("--out", type=Path, default=DOC, help="the report whose scale section is replaced")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # still stop the server
    result = run(args.events, args.reps)
    command = "python -m benchmarks.scale" + ("" if args.events == 10_000_000 else f" --events {args.events}")
    block = render(result, command, _git())
    print(block)
    if not args.no_write:
        replace_section(block, START, END, args.out)


if __name__ == "__main__":
    main()
