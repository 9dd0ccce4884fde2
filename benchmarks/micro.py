"""``python -m benchmarks.micro WHAT``: the small measurements behind docs/performance.md's notes.

Each runs in one process, alternating the variants it compares, and prints medians. On this shared machine
read them as ratios and orders of magnitude, like the main benchmark.

- ``decode``: µs per event for ``codec.decode_event`` and for eventsourcing's ``mapper.to_domain_event``.
- ``decode-options``: µs per event for the options #20 weighed, side by side on the same payloads: the codec
  (generated functions), cattrs' own generated structuring of the same classes, msgspec decoding the attrs
  classes (when installed), ``orjson.loads`` alone (the floor), and the peer; and which stored payloads
  each option wrongly accepts (an unknown key, an id without hyphens).
- ``copy``: µs per ``CaseState`` copy with ``attrs.evolve`` and with ``rehabcore.domain.replace``.
- ``read-path sqlite|postgresql``: µs per event for the driver's rows, the rows as ``StoredEvent``s,
  ``store.read_all()`` and ``read_all()`` + decoding.
- ``append-cases sqlite v4|v7 [type-index]``: 100 one-append cases into a fresh SQLite file, with random or
  time-ordered event ids, optionally with the old type index; run it under
  ``strace -f -e trace=pwrite64,fdatasync -o trace`` to count the bytes written (``es`` appends the same
  cases through eventsourcing).
- ``pg-values``: the PostgreSQL command cycle with ``VALUES`` appends and with one array per column.
- ``short-appends``: µs of CPU per short SQLite append (two events, a new stream), rehabcore's
  ``store.append`` against the bare driver's ``BEGIN IMMEDIATE`` / ``executemany`` / ``COMMIT`` on the same
  indexes, both with ``synchronous=OFF`` so that the disk's flush (the same for both) does not hide the code.
"""

from __future__ import annotations

import contextlib
import gc
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from typing import Any

import attrs

from benchmarks import es_side, rc_side
from benchmarks import workload as wl
from benchmarks.pg import Server
from rehabcore import EventStore, InMemoryStore, NewEvent, StreamWrite, case_stream, codec, open_store


def _median_us(fn: Callable[[], int], runs: int = 7) -> float:
    """Median µs per item of ``fn`` (which returns how many items it handled)."""
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        n = fn()
        times.append((time.perf_counter() - start) / n * 1e6)
    return statistics.median(times)


def decode() -> None:
    w = wl.build(300)
    store = InMemoryStore()
    rc_side.register_units(store, w)
    rc_side.bulk_append(store, w)
    rows = [(e.type, e.schema_version, e.data) for e in store.read_all()]
    prep = es_side.Prepared(w)
    app = es_side.make_app({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    es_side.register_units(app, prep)
    es_side.bulk_save(app, prep)
    notes = app.recorder.select_notifications(start=1, limit=len(rows) + 1)  # type: ignore[attr-defined]
    to_domain = app.mapper.to_domain_event

    def rc() -> int:
        for row in rows:
            codec.decode_event(*row)
        return len(rows)

    def es() -> int:
        for note in notes:
            to_domain(note)
        return len(notes)

    print(
        f"decode, {len(rows)} events: rehabcore {_median_us(rc):.2f} µs, "
        f"eventsourcing {_median_us(es):.2f} µs"
    )


def decode_options() -> None:
    import orjson

    w = wl.build(300)
    store = InMemoryStore()
    rc_side.register_units(store, w)
    rc_side.bulk_append(store, w)
    rows = [(e.type, e.schema_version, e.data) for e in store.read_all()]
    classes = {name: cls for name, (cls, _) in codec.EVENT_TYPES.items()}
    cattrs_hooks = {name: codec._fast.get_structure_hook(cls) for name, cls in classes.items()}
    loads = orjson.loads
    options: dict[str, Callable[[], int]] = {}

    def generated() -> int:
        for row in rows:
            codec.decode_event(*row)
        return len(rows)

    def cattrs_own() -> int:
        for name, _, data in rows:
            cattrs_hooks[name](loads(data), classes[name])
        return len(rows)

    def orjson_only() -> int:
        for _, _, data in rows:
            loads(data)
        return len(rows)

    options = {
        "codec (generated)": generated,
        "cattrs generated": cattrs_own,
        "orjson.loads only": orjson_only,
    }
    lax: dict[str, list[str]] = {}
    try:
        import msgspec
    except ImportError:
        print("msgspec is not installed: pip install msgspec to compare it")
    else:
        decoders = {}
        for name, cls in classes.items():
            # msgspec refuses a union of attrs classes (a correction's replaced entry).
            with contextlib.suppress(TypeError):
                decoders[name] = msgspec.json.Decoder(cls)

        def msgspec_decode() -> int:
            for name, _, data in rows:
                decoders[name].decode(data)
            return len(rows)

        options["msgspec"] = msgspec_decode
        name, _, data = next(r for r in rows if r[0] == "rehab.GoalSet")
        raw = orjson.loads(data)
        probes = {
            "an unknown key": {**raw, "unexpected": 1},
            "an id without hyphens": {**raw, "goal_id": raw["goal_id"].replace("-", "")},
        }
        for what, bad in probes.items():
            for option, decode in (
                ("codec", lambda b: codec.decode_event(name, 1, b)),
                ("msgspec", decoders[name].decode),
            ):
                try:
                    decode(orjson.dumps(bad))
                    lax.setdefault(option, []).append(what)
                except Exception:
                    pass
        print(f"msgspec cannot decode {len(classes) - len(decoders)} of {len(classes)} event classes")
    prep = es_side.Prepared(w)
    app = es_side.make_app({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    es_side.register_units(app, prep)
    es_side.bulk_save(app, prep)
    notes = app.recorder.select_notifications(start=1, limit=len(rows) + 1)  # type: ignore[attr-defined]
    to_domain = app.mapper.to_domain_event

    def peer() -> int:
        for note in notes:
            to_domain(note)
        return len(notes)

    options["eventsourcing mapper"] = peer
    times: dict[str, list[float]] = {k: [] for k in options}
    for _ in range(5):  # alternated, so drift hits every option alike
        for option, fn in options.items():
            times[option].append(_median_us(fn, runs=3))
    print(f"decode, {len(rows)} events, µs per event (median of 5 alternations):")
    for option, got in times.items():
        print(f"  {option:22} {statistics.median(got):.2f}")
    for option, accepted in lax.items():
        print(f"  {option} accepts {', '.join(accepted)}")


def copy() -> None:
    from rehabcore.domain.replace import replace
    from rehabcore.domain.state import CaseState, CaseStatus

    state, n = CaseState(), 100_000

    def evolve() -> int:
        for _ in range(n):
            attrs.evolve(state, status=CaseStatus.ACTIVE)
        return n

    def generated() -> int:
        for _ in range(n):
            replace(state, status=CaseStatus.ACTIVE)
        return n

    print(f"CaseState copy: attrs.evolve {_median_us(evolve):.2f} µs, replace {_median_us(generated):.2f} µs")


def read_path(backend: str) -> None:
    w = wl.build(500)
    server = None
    if backend == "postgresql":
        server = Server()
        server.start()
        schema = server.schema()
        store = open_store(server.url(schema))
    else:
        path = f"{tempfile.mkdtemp()}/read.sqlite"
        store = open_store(f"sqlite:///{path}")
    try:
        rc_side.register_units(store, w)
        rc_side.command_cycle(store, w)
        n = sum(1 for _ in store.read_all())
        dialect: Any = store._dialect  # type: ignore[attr-defined]
        sql = "SELECT position, stream_id, version, event_id, type, schema_version, data, metadata, "
        sql += "recorded_at, hash FROM rehabcore_events ORDER BY position"
        if server is not None:
            import psycopg

            conn: Any = psycopg.connect(server.raw_conninfo(schema), autocommit=True)

            def rows() -> list[Any]:
                return conn.cursor(binary=True).execute(sql).fetchall()  # type: ignore[no-any-return]
        else:
            conn = sqlite3.connect(path)

            def rows() -> list[Any]:
                return conn.execute(sql).fetchall()  # type: ignore[no-any-return]

        def raw() -> int:
            return len(rows())

        def stored() -> int:
            return len([dialect.stored(r) for r in rows()])

        def read_all() -> int:
            return sum(1 for _ in store.read_all())

        def replay() -> int:
            return rc_side.replay_all(store)

        parts = [("rows", raw), ("as StoredEvent", stored), ("read_all", read_all), ("+ decode", replay)]
        print(
            f"read path, {backend}, {n} events:", ", ".join(f"{k} {_median_us(f):.2f} µs" for k, f in parts)
        )
        conn.close()
    finally:
        store.close()
        if server is not None:
            server.stop()


def append_cases(backend: str, ids: str, type_index: bool) -> None:
    w = wl.build(100)
    path = f"{tempfile.mkdtemp()}/append.sqlite"
    if ids == "es":
        prep = es_side.Prepared(w)
        app = es_side.make_app({"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": path})
        es_side.register_units(app, prep)
        es_side.bulk_save(app, prep)
        return
    assert backend == "sqlite"
    store: EventStore = open_store(f"sqlite:///{path}")
    if type_index:
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE INDEX ix_rehabcore_events_type ON rehabcore_events (type, position)")
    rc_side.register_units(store, w)
    make = uuid.uuid4 if ids == "v4" else __import__("rehabcore").new_event_id
    for case in w.cases:
        events = [NewEvent(make(), *codec.encode_event(e)) for e in case.events]
        store.append(StreamWrite(case_stream(case.case_id), events, 0))
    store.close()


def pg_values() -> None:
    import rehabcore_sqlalchemy.postgres as pg

    server = Server()
    server.start()
    w = wl.build(200)
    rates: dict[str, list[float]] = {"VALUES": [], "arrays": []}
    try:
        for _ in range(5):
            for mode in rates:
                pg._SCALAR_ROWS = 16 if mode == "VALUES" else 0
                store = open_store(server.url(server.schema()))
                rc_side.register_units(store, w)
                gc.collect()
                start = time.perf_counter()
                n = rc_side.command_cycle(store, w)
                rates[mode].append(n / (time.perf_counter() - start))
                store.close()
    finally:
        pg._SCALAR_ROWS = 16
        server.stop()
    print(
        "PostgreSQL command cycle, 200 cases, ev/s:",
        ", ".join(f"{k} {statistics.median(v):,.0f}" for k, v in rates.items()),
    )


def short_appends(count: int = 2000) -> None:
    import sqlalchemy as sa

    from rehabcore import new_event_id

    data = b'{"occurred_on":"2026-02-03","placement_id":"0190c8a4-1111-7000-8000-000000000001"}'
    tmp = tempfile.mkdtemp()

    def rc() -> float:
        store = open_store(f"sqlite:///{tmp}/{uuid.uuid4().hex}.sqlite")
        engine: sa.Engine = store.engine  # type: ignore[attr-defined]
        sa.event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA synchronous=OFF"))
        engine.dispose()
        writes = [
            StreamWrite(f"w-{uuid.uuid4().hex}", [NewEvent(new_event_id(), "t.T", 1, data) for _ in "ab"], 0)
            for _ in range(count)
        ]
        gc.collect()
        start = time.perf_counter()
        for write in writes:
            store.append(write)
        took = time.perf_counter() - start
        store.close()
        return took / count * 1e6

    def raw() -> float:
        conn = sqlite3.connect(f"{tmp}/{uuid.uuid4().hex}.raw", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute(
            "CREATE TABLE e (position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, "
            "version INTEGER NOT NULL, event_id BLOB NOT NULL UNIQUE, type TEXT NOT NULL, "
            "data BLOB NOT NULL, metadata BLOB NOT NULL, recorded_at INTEGER NOT NULL, "
            "UNIQUE (stream_id, version))"
        )
        insert = "INSERT INTO e (stream_id, version, event_id, type, data, metadata, recorded_at) VALUES "
        insert += "(?, ?, ?, ?, ?, ?, ?)"
        batches = [
            [(f"w-{uuid.uuid4().hex}", v, new_event_id().bytes, "t.T", data, b"{}", 0) for v in (1, 2)]
            for _ in range(count)
        ]
        gc.collect()
        start = time.perf_counter()
        for rows in batches:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(insert, rows)
            conn.execute("COMMIT")
        took = time.perf_counter() - start
        conn.close()
        return took / count * 1e6

    got: dict[str, list[float]] = {"rehabcore": [], "raw driver": []}
    for _ in range(5):  # alternated
        got["rehabcore"].append(rc())
        got["raw driver"].append(raw())
    print(
        f"short appends (2 events, synchronous=OFF), µs each, median of 5 × {count}:",
        ", ".join(f"{k} {statistics.median(v):.1f}" for k, v in got.items()),
    )


def main() -> None:
    what, *args = sys.argv[1:] or ["decode"]
    if what == "decode":
        decode()
    elif what == "decode-options":
        decode_options()
    elif what == "copy":
        copy()
    elif what == "read-path":
        read_path(args[0] if args else "sqlite")
    elif what == "append-cases":
        append_cases(args[0], args[1], "type-index" in args[2:])
    elif what == "pg-values":
        pg_values()
    elif what == "short-appends":
        short_appends()
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
