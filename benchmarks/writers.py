"""``python -m benchmarks.writers``: several writers at once, short appends, all three sides.

Each configuration (1, 4 and 16 writer threads in one process, 4 writer processes) makes the same number of
appends in all, spread evenly over its writers; each append is two small events on a new stream (expected
version 0). rehabcore: ``store.append``, one store per process, shared by its threads. eventsourcing: its
recorder's ``insert_events`` (the level its own concurrency test measures), one application per process.
raw: one driver connection per writer; on SQLite the writers of a process take a lock of their own before
``BEGIN IMMEDIATE`` (what rehabcore does), on PostgreSQL the rows just go in (a ``BIGSERIAL``, no ordering).
The payload bytes are encoded once, outside the timing, so the sides compare their writing, not encoding.

After every rehabcore run the store is read back: the positions must be exactly 1…n and every stream must
hold its two events at versions 1 and 2 (the run is reported as failed otherwise). Events per second are
events over the wall time from the first writer's start to the last writer's end (``time.monotonic``, one
clock for every process). Writes the section between the ``writers`` markers of ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.pg import Server
from benchmarks.report import DOC, replace_section

START, END = "<!-- writers:start -->", "<!-- writers:end -->"
SIDES = ("rehabcore", "eventsourcing", "raw")
#: (label, threads per process, processes)
MODES = (("1 thread", 1, 1), ("4 threads", 4, 1), ("16 threads", 16, 1), ("4 processes", 1, 4))
EVENTS_PER_APPEND = 2
_TYPE = "rehab.PlacementResumed"
_DATA = b'{"occurred_on":"2026-02-03","placement_id":"0190c8a4-1111-7000-8000-000000000001"}'


Writer = Callable[[], Callable[[], None]]


def _target(
    side: str, backend: str, where: str, port: int, *, create: bool = False
) -> tuple[Writer, Callable[[], None]]:
    """For one process: a factory of per-writer ``append()`` callables, and how to close what they share.

    Only :func:`_prepare` creates the peer's tables (``create``): writer processes starting together would
    otherwise race in PostgreSQL's catalog ("tuple concurrently updated")."""
    if side == "rehabcore":
        from rehabcore import NewEvent, StreamWrite, new_event_id, open_store

        url = f"sqlite:///{where}" if backend == "sqlite" else _pg_url(port, where)
        store = open_store(url)

        def writer() -> Callable[[], None]:
            def append() -> None:
                events = [NewEvent(new_event_id(), _TYPE, 1, _DATA) for _ in range(EVENTS_PER_APPEND)]
                store.append(StreamWrite(f"w-{uuid.uuid4().hex}", events, 0))

            return append

        return writer, store.close
    if side == "eventsourcing":
        from eventsourcing.persistence import StoredEvent

        from benchmarks import es_side

        if backend == "sqlite":
            env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": where}
        else:
            env = {"PERSISTENCE_MODULE": "eventsourcing.postgres", **_es_env(port, where)}
            env["POSTGRES_POOL_SIZE"] = "16"
        env["CREATE_TABLE"] = "yes" if create else "no"
        app = es_side.make_app(env)
        recorder = app.recorder

        def es_writer() -> Callable[[], None]:
            def append() -> None:
                originator = uuid.uuid4()
                recorder.insert_events(
                    [StoredEvent(originator, v, _TYPE, _DATA) for v in range(1, EVENTS_PER_APPEND + 1)]
                )

            return append

        return es_writer, app.close
    from benchmarks import raw_side

    lock = threading.Lock()
    opened: list[Any] = []

    def raw_writer() -> Callable[[], None]:
        if backend == "sqlite":
            raw = raw_side.connect_sqlite(where)
        else:
            raw = raw_side.connect_postgres(f"{_conninfo(port)} options=-csearch_path={where}")
        opened.append(raw)

        def append() -> None:
            stream, now = f"w-{uuid.uuid4().hex}", raw.now()
            rows = [(stream, v, raw.event_id(), _TYPE, _DATA, b"{}", now) for v in (1, 2)]
            if backend == "sqlite":
                with lock:
                    raw.write(rows)
            else:
                raw.write(rows)

        return append

    return raw_writer, lambda: [raw.close() for raw in opened] and None


def _conninfo(port: int) -> str:
    return f"host=127.0.0.1 port={port} user=postgres dbname=postgres"


def _pg_url(port: int, schema: str) -> str:
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres?options=-csearch_path%3D{schema}"


def _es_env(port: int, schema: str) -> dict[str, str]:
    return {
        "POSTGRES_DBNAME": "postgres",
        "POSTGRES_HOST": "127.0.0.1",
        "POSTGRES_PORT": str(port),
        "POSTGRES_USER": "postgres",
        "POSTGRES_PASSWORD": "",
        "POSTGRES_SCHEMA": schema,
    }


def _process(
    side: str, backend: str, where: str, port: int, threads: int, appends: int, go: Any
) -> list[float]:
    """One writer process: ``threads`` writers of ``appends`` appends each; returns (start, end) times."""
    make, close = _target(side, backend, where, port)
    writers = [make() for _ in range(threads)]
    barrier = threading.Barrier(threads)
    spans: list[tuple[float, float]] = []

    def run(append: Callable[[], None]) -> None:
        barrier.wait()
        start = time.monotonic()
        for _ in range(appends):
            append()
        spans.append((start, time.monotonic()))

    if go is not None:
        go.wait()
    workers = [threading.Thread(target=run, args=(w,)) for w in writers]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    close()
    if len(spans) != threads:
        raise SystemExit(f"{side}: a writer failed")
    return [min(s for s, _ in spans), max(e for _, e in spans)]


def _child(
    side: str, backend: str, where: str, port: int, threads: int, appends: int, go: Any, out: Any
) -> None:
    try:
        out.put(_process(side, backend, where, port, threads, appends, go))
    except BaseException:
        out.put(None)
        raise


def _prepare(side: str, backend: str, where: str, port: int) -> None:
    """Create the side's tables once, before any writer starts (no writer pays for DDL)."""
    if side == "raw":
        from benchmarks import raw_side

        if backend == "sqlite":
            raw_side.open_sqlite(where).close()
        else:
            raw_side.open_postgres(f"{_conninfo(port)} options=-csearch_path={where}").close()
    else:
        _target(side, backend, where, port, create=True)[1]()


def one_run(side: str, backend: str, where: str, port: int, threads: int, procs: int, total: int) -> float:
    """Events per second of one configuration on a fresh store."""
    _prepare(side, backend, where, port)
    per_writer = total // (threads * procs)
    if procs == 1:
        start, end = _process(side, backend, where, port, threads, per_writer, None)
    else:
        ctx = mp.get_context("spawn")
        go, out = ctx.Barrier(procs), ctx.Queue()
        children = [
            ctx.Process(target=_child, args=(side, backend, where, port, threads, per_writer, go, out))
            for _ in range(procs)
        ]
        for child in children:
            child.start()
        spans = [out.get(timeout=600) for _ in children]
        for child in children:
            child.join()
        if any(span is None for span in spans):
            raise SystemExit(f"{side}: a writer process failed")
        start, end = min(s for s, _ in spans), max(e for _, e in spans)
    events = per_writer * threads * procs * EVENTS_PER_APPEND
    if side == "rehabcore":
        _check_gap_free(backend, where, port, events)
    return events / (end - start)


def _check_gap_free(backend: str, where: str, port: int, events: int) -> None:
    from rehabcore import open_store

    store = open_store(f"sqlite:///{where}" if backend == "sqlite" else _pg_url(port, where))
    try:
        positions, versions = [], {}
        for e in store.read_all():
            positions.append(e.position)
            versions.setdefault(e.stream_id, []).append(e.version)
        if positions != list(range(1, events + 1)) or any(v != [1, 2] for v in versions.values()):
            raise SystemExit(f"rehabcore positions not gap-free or streams interleaved on {backend}")
    finally:
        store.close()


def render(results: dict[tuple[str, str, str], list[float]], total: int, reps: int, command: str) -> str:
    lines = [
        START,
        "## Concurrent writers",
        "",
        " ".join(
            [
                f"`{command}`: {total:,} appends of {EVENTS_PER_APPEND} small events per configuration,",
                f"each on a new stream, spread over the writers; medians of {reps} repetitions, events per",
                "second from the first writer's start to the last one's end. rehabcore's positions were",
                "checked gap-free (1…n) and every stream's two events adjacent after each run.",
                "`benchmarks/writers.py` says what each side does.",
            ]
        ),
        "",
        "| backend | writers | rc ev/s | es ev/s | raw ev/s | rc/es | rc/raw | target | met |",
        "|---|---|--:|--:|--:|--:|--:|---|---|",
    ]
    for backend in ("sqlite", "postgresql"):
        for label, _, _ in MODES:
            got = {s: results.get((backend, label, s)) for s in SIDES}
            if not all(got.values()):
                continue
            rc, es, raw = (statistics.median(got[s]) for s in SIDES)  # type: ignore[arg-type]
            met = "yes" if rc >= es else "**no**"
            lines.append(
                f"| {'SQLite' if backend == 'sqlite' else 'PostgreSQL'} | {label} | {rc:,.0f} | {es:,.0f} "
                f"| {raw:,.0f} | {rc / es:.2f}× | {rc / raw:.2f}× | ≥1.0× es | {met} |"
            )
    lines += ["", END]
    return "\n".join(lines)


def write_doc(block: str) -> None:
    replace_section(block, START, END, DOC)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.writers", description=__doc__)
    ap.add_argument("--appends", type=int, default=960, help="appends per configuration (all writers)")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--no-write", action="store_true", help="print the table, leave the docs alone")
    args = ap.parse_args(argv)
    backends = args.backends.split(",")
    server = Server() if "postgresql" in backends else None
    results: dict[tuple[str, str, str], list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="rehabcore-writers-") as tmp:
        try:
            if server is not None:
                server.start()
            for rep in range(args.reps):
                for backend in backends:
                    for label, threads, procs in MODES:
                        for i in range(len(SIDES)):
                            side = SIDES[(i + rep) % len(SIDES)]  # rotating order, as benchmarks.run
                            if backend == "sqlite":
                                where, port = str(Path(tmp) / f"{uuid.uuid4().hex}.sqlite"), 0
                            else:
                                assert server is not None
                                where, port = server.schema(), server.port
                            rate = one_run(side, backend, where, port, threads, procs, args.appends)
                            results.setdefault((backend, label, side), []).append(rate)
                            print(f"{rep} {backend} {label} {side}: {rate:,.0f} ev/s", flush=True)
                            if backend != "sqlite":
                                assert server is not None
                                server.drop(where)
        finally:
            if server is not None:
                server.stop()
    command = "python -m benchmarks.writers" + (f" --reps {args.reps}" if args.reps != 3 else "")
    block = render(results, args.appends, args.reps, command)
    print(block)
    if not args.no_write:
        write_doc(block)


if __name__ == "__main__":
    main()
