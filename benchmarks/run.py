"""``python -m benchmarks.run``: rehabcore vs eventsourcing vs the raw driver, one run, medians to Markdown.

Every repetition runs every backend, and within a backend the three sides in a rotating order, each on
fresh stores, so drift of the machine during the run hits all sides alike. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path
from typing import Any

from benchmarks import es_side, raw_side, rc_side
from benchmarks import workload as wl
from benchmarks.pg import Server

SIDES = ("rehabcore", "eventsourcing", "raw")
SCENARIOS = {
    "cycle": "command cycle, {cases}×{events}: one append per command",
    "bulk": "one append per case, {cases}×{events}",
    "load": "load every case (decode + fold), {cases}×{events}",
    "replay": "replay all events in order, decoded",
    "cycle100": "command cycle, {long_cases}×{long_events}",
}
#: (scenario, minimum rehabcore/eventsourcing ratio) from issue #3.
TARGETS = {"cycle": 1.5, "bulk": 1.5, "load": 1.5, "replay": 2.0, "cycle100": 2.0}
BULK_FLOOR = 0.5


class Backend:
    """Fresh stores of one kind for each side: memory, SQLite files or PostgreSQL schemas."""

    def __init__(self, name: str, tmp: Path, server: Server | None) -> None:
        self.name, self.tmp, self.server = name, tmp, server

    @contextmanager
    def rc(self) -> Iterator[Any]:
        from rehabcore import InMemoryStore, open_store

        if self.name == "memory":
            yield InMemoryStore()
            return
        with self._where() as where:
            store = open_store(f"sqlite:///{where}" if self.name == "sqlite" else self.server.url(where))  # type: ignore[union-attr]
            try:
                yield store
            finally:
                store.close()

    @contextmanager
    def es(self) -> Iterator[es_side.Bench]:
        if self.name == "memory":
            yield es_side.make_app({"PERSISTENCE_MODULE": "eventsourcing.popo"})
            return
        with self._where() as where:
            if self.name == "sqlite":
                env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": where}
            else:
                env = {"PERSISTENCE_MODULE": "eventsourcing.postgres", **self.server.es_env(where)}  # type: ignore[union-attr]
            app = es_side.make_app(env)
            try:
                yield app
            finally:
                app.close()

    @contextmanager
    def raw(self) -> Iterator[raw_side.Raw]:
        with self._where() as where:
            conn = (
                raw_side.open_sqlite(where)
                if self.name == "sqlite"
                else raw_side.open_postgres(
                    self.server.raw_conninfo(where)  # type: ignore[union-attr]
                )
            )
            try:
                yield conn
            finally:
                conn.close()

    @contextmanager
    def _where(self) -> Iterator[str]:
        if self.name == "sqlite":
            path = self.tmp / f"{uuid.uuid4().hex}.sqlite"
            try:
                yield str(path)
            finally:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
        else:
            assert self.server is not None
            schema = self.server.schema()
            try:
                yield schema
            finally:
                self.server.drop(schema)


def timed(fn: Callable[[], int]) -> float:
    """Events per second of one call (``fn`` returns the number of events it handled)."""
    gc.collect()
    start = time.perf_counter()
    n = fn()
    return n / (time.perf_counter() - start)


def run_side(
    side: str, be: Backend, w: wl.Workload, long: wl.Workload, prep: dict[str, Any]
) -> dict[str, float]:
    """All scenarios of one side on one backend, each on fresh stores."""
    out: dict[str, float] = {}
    if side == "rehabcore":
        with be.rc() as store:
            rc_side.register_units(store, w)
            out["cycle"] = timed(lambda: rc_side.command_cycle(store, w))
            out["load"] = timed(lambda: rc_side.load_all(store, w))
            out["replay"] = timed(lambda: rc_side.replay_all(store))
        with be.rc() as store:
            out["bulk"] = timed(lambda: rc_side.bulk_append(store, w))
        with be.rc() as store:
            rc_side.register_units(store, long)
            out["cycle100"] = timed(lambda: rc_side.command_cycle(store, long))
    elif side == "eventsourcing":
        p, pl = prep["es"], prep["es_long"]
        with be.es() as app:
            es_side.register_units(app, p)
            out["cycle"] = timed(lambda: es_side.command_cycle(app, p))
            out["load"] = timed(lambda: es_side.load_all(app, p))
            out["replay"] = timed(lambda: es_side.replay_all(app))
        with be.es() as app:
            out["bulk"] = timed(lambda: es_side.bulk_save(app, p))
        with be.es() as app:
            es_side.register_units(app, pl)
            out["cycle100"] = timed(lambda: es_side.command_cycle(app, pl))
    else:
        if be.name == "memory":
            return out
        p, pl = prep["raw"], prep["raw_long"]
        with be.raw() as conn:
            out["cycle"] = timed(lambda: raw_side.command_cycle(conn, p))
            out["load"] = timed(lambda: raw_side.load_all(conn, p))
            out["replay"] = timed(lambda: raw_side.replay_all(conn))
        with be.raw() as conn:
            out["bulk"] = timed(lambda: raw_side.bulk_append(conn, p))
        with be.raw() as conn:
            out["cycle100"] = timed(lambda: raw_side.command_cycle(conn, pl))
    return out


# --- (6) and (7): a store of a million events -------------------------------------------------------------


def fill(url: str, w: wl.Workload, total: int) -> int:
    """Fill a store with ``total`` case events: the workload's encoded cases under new stream ids."""
    from rehabcore import NewEvent, StreamWrite, codec, open_store

    store = open_store(url)
    rc_side.register_units(store, w)
    encoded = [[codec.encode_event(e) for e in c.events] for c in w.cases]
    n, batch = 0, []
    while n < total:
        for case in encoded:
            events = [NewEvent(uuid.uuid4(), t, v, d) for t, v, d in case]
            batch.append(StreamWrite(f"case-{uuid.uuid4()}", events, 0))
            n += len(events)
            if len(batch) == 100 or n >= total:
                store.append(*batch)
                batch = []
            if n >= total:
                break
    store.close()
    return n


def probe(url: str) -> dict[str, float]:
    """Replay ``url`` in a fresh interpreter and return its report (events, seconds, RSS)."""
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.probe", url],
        check=True,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def big_store(label: str, url_of: Callable[[], str], w: wl.Workload, total: int, reps: int) -> dict[str, Any]:
    """Peak memory of replaying ``total`` events, and append cost on that store vs an empty one."""
    from rehabcore import open_store

    full_url = url_of()
    t = time.perf_counter()
    filled = fill(full_url, w, total)
    fill_s = time.perf_counter() - t
    replay = probe(full_url)
    rates: dict[str, list[float]] = {"cycle_empty": [], "cycle_full": [], "bulk_empty": [], "bulk_full": []}
    for rep in range(reps):
        small = wl.build(100, first=10_000 + rep * 100)
        for which in ("empty", "full") if rep % 2 == 0 else ("full", "empty"):
            if which == "empty":
                store = open_store(url_of())
                rc_side.register_units(store, small)
            else:
                store = open_store(full_url)
            rates[f"cycle_{which}"].append(timed(lambda: rc_side.command_cycle(store, small)))  # noqa: B023
            bulk = wl.build(100, first=20_000 + rep * 100)
            rates[f"bulk_{which}"].append(timed(lambda: rc_side.bulk_append(store, bulk)))  # noqa: B023
            store.close()
    return {
        "label": label,
        "filled": filled,
        "fill_s": fill_s,
        "replay": replay,
        **{k: statistics.median(v) for k, v in rates.items()},
    }


# --- report -----------------------------------------------------------------------------------------------


def _versions() -> dict[str, str]:
    names = [
        "rehabcore",
        "rehabcore-sqlalchemy",
        "eventsourcing",
        "SQLAlchemy",
        "psycopg",
        "orjson",
        "cattrs",
        "attrs",
    ]
    out = {}
    for name in names:
        try:
            out[name] = version(name)
        except Exception:
            out[name] = "not installed"
    return out


def _machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} CPUs, {mem:.0f} GiB RAM, {platform.platform()}"


def _git() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        )
        dirty = subprocess.run(["git", "status", "--porcelain", "src"], capture_output=True, text=True).stdout
        return out.stdout.strip() + (" (src/ modified)" if dirty.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:,.0f}"


def _ratio(a: float | None, b: float | None) -> str:
    return "—" if a is None or b is None else f"{a / b:.2f}×"


def render(
    args: argparse.Namespace,
    med: dict[tuple[str, str, str], float],
    big: list[dict[str, Any]],
    meta: dict[str, Any],
    results: dict[tuple[str, str, str], list[float]] | None = None,
) -> str:
    """The Markdown of docs/performance.md."""
    names = {k: v.format(**vars(args)) for k, v in SCENARIOS.items()}
    lines = [
        "# Performance",
        "",
        "Produced by `make bench` (`benchmarks/`). Numbers are medians of events per second over the",
        "repetitions of one run on one machine; only ratios within this one run mean anything (see",
        "[Reading the numbers](#reading-the-numbers)).",
        "",
        "## The run",
        "",
        f"- Date: {meta['date']}",
        f"- Command: `{meta['command']}`",
        f"- Repetitions: {args.reps} (sides interleaved per repetition, rotating order)",
        f"- Machine: {meta['machine']}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{meta['pg'] or 'PostgreSQL: not run'}",
        "- Versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()),
        f"- rehabcore commit: {meta['git']}",
        f"- Wall time of the run: {meta['wall']:.0f} s",
        "",
        "Durability: SQLite in WAL mode with `synchronous=FULL` for all three sides (the eventsourcing",
        f"SQLite connection reported `synchronous={meta['es_sync']}`). PostgreSQL: the peer in its default",
        "mode (no `POSTGRES_ENABLE_DB_FUNCTIONS`); "
        + (
            "the server at its default durability (fsync on)."
            if args.pg_durable
            else "the throwaway server runs with `fsync=off`, `full_page_writes=off` for every side alike, "
            "so the numbers show the software, not this machine's disk flush (`--pg-durable` keeps the "
            "defaults)."
        ),
        "",
        "## Side by side",
        "",
        "rc = rehabcore, es = eventsourcing 9.5.6, raw = the bare driver (sqlite3 / psycopg) as the floor.",
        "",
        "The last column is rc/es within each repetition (the two sides ran back to back): it shows how",
        "far the machine's drift moves a ratio; the verdict is on the medians.",
        "",
        "| workload | backend | rc ev/s | es ev/s | raw ev/s | rc/es | rc/raw | target | met "
        "| rc/es by repetition |",
        "|---|---|--:|--:|--:|--:|--:|---|---|---|",
    ]
    for sc in SCENARIOS:
        for be in args.backends:
            rc, es, raw = (med.get((sc, be, s)) for s in SIDES)
            if rc is None:
                continue
            target = f"≥{TARGETS[sc]}× es"
            ok = es is not None and rc / es >= TARGETS[sc]
            if sc == "bulk" and raw is not None:
                target += f", ≥{BULK_FLOOR}× raw"
                ok = ok and rc / raw >= BULK_FLOOR
            pairs = zip(
                (results or {}).get((sc, be, "rehabcore"), []),
                (results or {}).get((sc, be, "eventsourcing"), []),
                strict=False,
            )
            by_rep = " / ".join(f"{a / b:.2f}" for a, b in pairs) or "—"
            lines.append(
                f"| {names[sc]} | {be} | {_fmt(rc)} | {_fmt(es)} | {_fmt(raw)} | {_ratio(rc, es)} | "
                f"{_ratio(rc, raw)} | {target} | {'yes' if ok else '**no**'} | {by_rep} |"
            )
    lines += ["", "## A million events", ""]
    if not big:
        lines.append("Not run (`--no-million`).")
    for b in big:
        r = b["replay"]
        lines += [
            f"**{b['label']}**: filled with {b['filled']:,} case events (+ unit registrations) in "
            f"{b['fill_s']:.0f} s through `append` (100 streams per call).",
            "",
            "| measure | value | target | met |",
            "|---|--:|---|---|",
            f"| replay all {r['events']:,} events (read_all + decode_event), ev/s | "
            f"{r['events'] / r['seconds']:,.0f} | | |",
            f"| peak RSS of the replaying process | {r['peak_rss_mib']:.0f} MiB | < 150 MB | "
            f"{'yes' if r['peak_rss_mib'] * 1.048576 < 150 else '**no**'} |",
            f"| RSS before the replay (interpreter, imports, open store) | {r['rss_before_mib']:.0f} MiB "
            "| | |",
            f"| command cycle on an empty store, ev/s | {_fmt(b['cycle_empty'])} | | |",
            f"| command cycle on the full store, ev/s | {_fmt(b['cycle_full'])} | | |",
            f"| append cost, full / empty (command cycle) | {b['cycle_empty'] / b['cycle_full']:.2f}× "
            "| ≤ 1.2× | "
            f"{'yes' if b['cycle_empty'] / b['cycle_full'] <= 1.2 else '**no**'} |",
            f"| one append per case on an empty store, ev/s | {_fmt(b['bulk_empty'])} | | |",
            f"| one append per case on the full store, ev/s | {_fmt(b['bulk_full'])} | | |",
            f"| append cost, full / empty (one append per case) | {b['bulk_empty'] / b['bulk_full']:.2f}× "
            "| ≤ 1.2× | "
            f"{'yes' if b['bulk_empty'] / b['bulk_full'] <= 1.2 else '**no**'} |",
            "",
        ]
    lines += READING.splitlines()
    if args.notes and Path(args.notes).exists():
        lines += ["", *Path(args.notes).read_text().splitlines()]
    return "\n".join(lines) + "\n"


READING = """
## What each side does

- **Command cycle** — rehabcore: `Cases.handle` per command: bring the cached state up to date (a
  `read_stream` after the cached version), `decide` with every rule, fold, build audit metadata (actor,
  tenant, correlation, the full command on the first event), encode, hash-chain, one atomic append to the
  case stream and, when a placement starts or ends, the unit's stream (with both expected versions), then
  `review` for warnings. eventsourcing: `repository.get` of the case (and the unit), `trigger_event` with the
  same field values, one `Application.save`; no rules, metadata or hash. raw: one transaction inserting the
  command's rows. Events counted: case events plus the place events on unit streams (the same on every side).
- **One append per case** — rehabcore: encode the typed events with `codec.encode_event` and one
  `store.append(StreamWrite(stream, events, 0))`, the event ids from `rehabcore.new_event_id()`
  (time-ordered, as `docs/adapters.md` advises for direct appends); eventsourcing: create the aggregate,
  trigger the events, one `save`; raw: one transaction with `executemany`, the same kind of ids.
- **Load every case** — rehabcore: `Cases.get` on a fresh service (nothing cached): read the stream, decode
  each event to its attrs class, fold to `CaseState`. eventsourcing: `repository.get` (no snapshots, no
  cache). raw: select the stream's rows and `orjson.loads` them.
- **Replay** — rehabcore: `read_all()` + `codec.decode_event` for every event (unit registrations and place
  events included); eventsourcing: `recorder.select_notifications` in pages of 1,000 +
  `mapper.to_domain_event`; raw: one streamed `SELECT … ORDER BY position` + `orjson.loads`.
- Payloads: the same events on every side (real rehabcore commands: open, referral, consent, assessment,
  decision, goals, plan, placement start, follow-ups, interruption, resumption, extension decision and
  extension, exit to work), about 230 bytes of JSON each as rehabcore encodes them; the peer stores the same
  field values with its own JSON transcoder (UUIDs and dates typed, enums by value).

## Reading the numbers

- Compare only within one run. This machine is shared and virtualised; absolute events/s move by tens of
  per cent from one run to the next, and more under other load. The sides are interleaved per repetition
  and run on fresh stores so that drift hits all of them alike; the ratio columns are the result, the
  absolute numbers are context.
- A median over few repetitions hides the spread: a ratio within about ±10 % of a target is not a clear pass
  or fail; rerun with `make bench BENCH_ARGS="--reps 7"` before drawing a conclusion from it.
- The raw driver is a floor, not a competitor: it does no concurrency check beyond a unique constraint, no
  hash chain, no typed decoding. "rc/raw" says how much of the driver's speed rehabcore keeps.
- The command cycle is dominated by commits: SQLite with `synchronous=FULL` flushes to disk on every
  commit, so its cycle numbers measure this disk as much as the code. PostgreSQL numbers depend on the
  round trips per command (rehabcore: one to bring the cached case up to date, one for the append when the
  store wrote the stream's head itself, else two; a placement adds one for the unit).
- Numbers from another machine, another day or another run are not comparable with these; rerun both sides.
"""


#: Sections of the report that other benchmarks write (``benchmarks/writers.py``, ``benchmarks/rebuild.py``,
#: ``benchmarks/wakeup.py``); kept as they are.
KEPT = (
    ("<!-- writers:start -->", "<!-- writers:end -->"),
    ("<!-- rebuild:start -->", "<!-- rebuild:end -->"),
    ("<!-- wakeup:start -->", "<!-- wakeup:end -->"),
    ("<!-- scale:start -->", "<!-- scale:end -->"),
)


def _kept_section(out: Path) -> str:
    """The other benchmarks' sections of the existing report, markers included, for the new one."""
    if not out.exists():
        return ""
    text = out.read_text(encoding="utf-8")
    kept = ""
    for start, end in KEPT:
        if start in text and end in text:
            kept += "\n" + start + text.split(start, 1)[1].split(end, 1)[0] + end + "\n"
    return kept


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and write the report."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--events", type=int, default=20)
    ap.add_argument("--long-cases", type=int, default=200)
    ap.add_argument("--long-events", type=int, default=100)
    ap.add_argument("--backends", default="memory,sqlite,postgresql")
    ap.add_argument("--million", type=int, default=1_000_000, help="events in the big store (6, 7)")
    ap.add_argument("--no-million", action="store_true", help="skip (6) and (7)")
    ap.add_argument(
        "--full",
        action="store_true",
        help="also the million-event store on PostgreSQL, then ten million events (benchmarks.scale)",
    )
    ap.add_argument("--pg-durable", action="store_true", help="PostgreSQL with fsync on (much slower)")
    ap.add_argument("--out", default="docs/performance.md")
    ap.add_argument("--notes", default="benchmarks/notes.md", help="Markdown appended to the report")
    args = ap.parse_args(argv)
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    t0 = time.perf_counter()
    meta: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python -m benchmarks.run " + " ".join(sys.argv[1:] if argv is None else argv),
        "machine": _machine(),
        "versions": _versions(),
        "git": _git(),
        "pg": "",
    }
    print("building the workloads …", flush=True)
    w = wl.build(args.cases, args.events)
    long = wl.build(args.long_cases, args.long_events, first=100_000)
    prep = {
        "es": es_side.Prepared(w),
        "es_long": es_side.Prepared(long),
        "raw": raw_side.Prepared(w),
        "raw_long": raw_side.Prepared(long),
    }
    # The prepared workloads are a large, long-lived heap that is no side's own: keep the collector from
    # rescanning it on every full collection, which would tax whichever side allocates most.
    gc.collect()
    gc.freeze()
    tmp = Path(tempfile.mkdtemp(prefix="rehabcore-bench-", dir=os.environ.get("BENCH_TMP")))
    server = None
    results: dict[tuple[str, str, str], list[float]] = {}
    big: list[dict[str, Any]] = []
    try:
        if "postgresql" in args.backends:
            server = Server(durable=args.pg_durable)
            server.start()
            meta["pg"] = server.version
        with (
            Backend("sqlite", tmp, None).es() as app,
            app.recorder.datastore.transaction(commit=False) as cur,
        ):  # type: ignore[attr-defined]
            cur.execute("PRAGMA synchronous")
            meta["es_sync"] = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(cur.fetchone()[0], "?")
        for rep in range(args.reps):
            for be_name in args.backends:
                be = Backend(be_name, tmp, server)
                order = SIDES[rep % 3 :] + SIDES[: rep % 3]
                for side in order:
                    got = run_side(side, be, w, long, prep)
                    for sc, rate in got.items():
                        results.setdefault((sc, be_name, side), []).append(rate)
                    print(
                        f"rep {rep + 1}/{args.reps} {be_name:10} {side:13} "
                        + " ".join(f"{k}={v:,.0f}" for k, v in got.items()),
                        flush=True,
                    )
        if not args.no_million:
            sqlite_be = Backend("sqlite", tmp, None)
            big.append(
                big_store(
                    "SQLite",
                    lambda: f"sqlite:///{tmp / (uuid.uuid4().hex + '.sqlite')}",
                    w,
                    args.million,
                    args.reps,
                )
            )
            print("million, SQLite:", big[-1], flush=True)
            del sqlite_be
            if args.full and server is not None:
                srv = server
                big.append(big_store("PostgreSQL", lambda: srv.url(srv.schema()), w, args.million, args.reps))
                print("million, PostgreSQL:", big[-1], flush=True)
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    med = {k: statistics.median(v) for k, v in results.items()}
    meta["wall"] = time.perf_counter() - t0
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(args, med, big, meta, results) + _kept_section(out))
    print(f"wrote {args.out} ({meta['wall']:.0f} s)")
    if args.full:
        from benchmarks import scale

        scale.main(["--reps", str(args.reps), "--out", args.out])


if __name__ == "__main__":
    main()
