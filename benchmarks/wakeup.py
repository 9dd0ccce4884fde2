"""How soon a follower sees a committed event: PostgreSQL LISTEN/NOTIFY against polling; what NOTIFY costs.

``python -m benchmarks.wakeup [--events 200]`` starts a throwaway PostgreSQL server (benchmarks/pg.py) and:

* appends events one at a time, each after the follower has handled the one before, and takes, per event,
  the time from ``append`` returning (committed) to the subscription's handler receiving it; once with the
  follower sleeping on the store's LISTEN waker, once polling every 200 ms, and once polling a SQLite file;
* times single-event appends with the NOTIFY in the append's pipeline and with it replaced by ``SELECT 1``;
* times a one-statement read with and without ``pool_pre_ping``.

It prints a Markdown table for docs/performance.md. No timed assertion anywhere: this script measures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import rehabcore_sqlalchemy.postgres as pg_module

import rehabcore as rc
from benchmarks.pg import Server
from rehabcore.cases import Recorded
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.integration import Subscription, follow, runner
from rehabcore.store import NewEvent, StreamWrite

POLL = 0.2


def _new() -> NewEvent:
    return NewEvent(uuid.uuid4(), "rehab.Benchmark", 1, b"{}")


def wake_latencies(store: Any, events: int, *, listen: bool) -> list[float]:
    """Milliseconds from an append returning to the handler holding its event, one event at a time."""
    seen = threading.Event()
    received: list[float] = []

    def handle(batch: Sequence[Recorded], conn: Any) -> None:
        received.append(time.perf_counter())
        seen.set()

    if not listen:
        store.waker = None  # follow() then sleeps the poll interval between catch-ups
    publisher = runner(store, Subscription("bench", handle, frozenset({"rehab.CaseOpened"})))
    stop = threading.Event()
    follower = threading.Thread(target=follow, args=(publisher, stop), kwargs={"poll_interval": POLL})
    cases = rc.Cases(store)
    actor = rc.Actor(id="bench", role=v.Role.CASE_WORKER)
    follower.start()
    out = []
    try:
        time.sleep(0.3)  # the follower is waiting, as it would be in an idle application
        for _ in range(events):
            seen.clear()
            command = _open_case()
            cases.handle(command, actor=actor)
            committed = time.perf_counter()
            if not seen.wait(10):
                raise RuntimeError("the follower never saw the event")
            out.append((received[-1] - committed) * 1000)
            time.sleep(random.uniform(0.005, POLL))  # land anywhere in the poll interval
    finally:
        stop.set()
        follower.join()
    return out


def _open_case() -> cmd.OpenCase:
    return cmd.OpenCase(
        case_id=rc.new_case_id(),
        subject_id=uuid.uuid4(),
        opened_on=dt.date(2026, 3, 2),
        jurisdiction=v.Jurisdiction.SE,
        municipality_code="2284",
        source=v.ReferralSource.SELF,
    )


def append_micros(store: Any, count: int) -> list[float]:
    """µs of one-event appends to new streams."""
    times = []
    for _ in range(count):
        write = StreamWrite(f"s-{uuid.uuid4().hex}", [_new()], 0)
        started = time.perf_counter()
        store.append(write)
        times.append((time.perf_counter() - started) * 1e6)
    return times


def notify_cost(store: Any, rounds: int = 6, block: int = 300) -> tuple[float, float]:
    """Median µs of an append with the NOTIFY and with ``SELECT 1`` in its place, blocks interleaved."""
    saved = pg_module._NOTIFY
    with_notify: list[float] = []
    without: list[float] = []
    append_micros(store, 200)  # warm up
    try:
        for n in range(rounds * 2):
            quiet = n % 2 == 1
            pg_module._NOTIFY = "SELECT 1" if quiet else saved
            (without if quiet else with_notify).extend(append_micros(store, block))
    finally:
        pg_module._NOTIFY = saved
    return statistics.median(with_notify), statistics.median(without)


def read_micros(url: str, count: int = 2000, **pool: Any) -> float:
    """Median µs of ``head_position()`` (one short read, one checkout) on a store with ``pool`` options."""
    store = rc.open_store(url, **pool)
    try:
        for _ in range(200):
            store.head_position()
        times = []
        for _ in range(count):
            started = time.perf_counter()
            store.head_position()
            times.append((time.perf_counter() - started) * 1e6)
        return statistics.median(times)
    finally:
        store.close()


def _summary(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{statistics.median(values):.1f} | {p95:.1f} | {max(values):.1f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--write", action="store_true", help="write the section of docs/performance.md")
    args = parser.parse_args(argv)
    started_load = os.getloadavg()[0]
    server = Server()
    server.start()
    try:
        url = f"postgresql+psycopg://postgres@127.0.0.1:{server.port}/postgres"
        rows = []
        store = rc.open_store(f"{url}?options=-csearch_path%3D{server.schema()}")
        rows.append(("PostgreSQL, LISTEN/NOTIFY", wake_latencies(store, args.events, listen=True)))
        store.close()
        store = rc.open_store(f"{url}?options=-csearch_path%3D{server.schema()}")
        rows.append(
            (f"PostgreSQL, polling every {POLL * 1000:.0f} ms", wake_latencies(store, 50, listen=False))
        )
        store.close()
        with tempfile.TemporaryDirectory() as tmp:
            store = rc.open_store(f"sqlite:///{Path(tmp) / 'w.sqlite'}")
            rows.append(
                (f"SQLite, polling every {POLL * 1000:.0f} ms", wake_latencies(store, 50, listen=False))
            )
            store.close()
        store = rc.open_store(f"{url}?options=-csearch_path%3D{server.schema()}")
        with_notify, without = notify_cost(store)
        store.close()
        plain = read_micros(url)
        pinged = read_micros(url, pool_pre_ping=True)
    finally:
        server.stop()
    load = (started_load, os.getloadavg()[0])
    report = _report(server.version, rows, with_notify, without, args.events, load)
    report += (
        "\nPre-ping (`pool_pre_ping=true`) checks a connection at every checkout, and the store checks one\n"
        f"out per call: a `head_position()` took {plain:.0f} µs (median of 2,000) without it and\n"
        f"{pinged:.0f} µs with it. Hence it is an option, not the default: the store instead retries a\n"
        "call once when its connection turns out to be dead, and retires every older pooled connection\n"
        "at the same time.\n"
    )
    print(report)
    if args.write:
        _write(report)


def _report(
    version: str,
    rows: list[tuple[str, list[float]]],
    with_notify: float,
    without: float,
    events: int,
    load: tuple[float, float],
) -> str:
    lines = [
        "## Follower wake-up",
        "",
        "How soon a follower (`rehabcore.integration.follow`) hands a committed event to its subscription:",
        "milliseconds from `Cases.handle` returning to the handler holding the event, one event at a time,",
        f"the follower idle for a random 5–{POLL * 1000:.0f} ms in between ({events} events with LISTEN, 50",
        f"polling). {version}; the throwaway server's settings as above. Produced by",
        "`python -m benchmarks.wakeup --write`. A wake-up is a handful of round trips to a server process",
        "that must get a CPU, so on a shared machine the LISTEN figures follow its load: this run's",
        f"load average (1 min) was {load[0]:.1f} at the start and {load[1]:.1f} at the end,",
        f"on {os.cpu_count()} CPUs.",
        "",
        "| follower | median ms | p95 ms | max ms |",
        "| --- | ---: | ---: | ---: |",
        *(f"| {name} | {_summary(values)} |" for name, values in rows),
        "",
        f"What the NOTIFY in each PostgreSQL append costs: a one-event append took {with_notify:.0f} µs",
        f"(median) with it and {without:.0f} µs with `SELECT 1` in its place (blocks of 300 interleaved,",
        "1,800 appends each). Polling costs a query per interval per follower, and waits half an interval",
        "on average.",
    ]
    return "\n".join(lines) + "\n"


DOC = Path(__file__).resolve().parents[1] / "docs" / "performance.md"
START, END = "<!-- wakeup:start -->", "<!-- wakeup:end -->"


def _write(report: str) -> None:
    """Put the report between the wakeup markers of docs/performance.md (appended the first time)."""
    text = DOC.read_text(encoding="utf-8")
    section = f"{START}\n{report}{END}"
    if START in text and END in text:
        text = text.split(START, 1)[0] + section + text.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
