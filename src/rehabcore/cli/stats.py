"""``rehabcore stats`` and ``rehabcore projections rebuild|status``: the read models from a terminal.

``stats`` first brings the read models up to date (unless ``--no-catch-up``), then prints them as tables,
JSON or CSV for a date (``--on``, default today). ``projections rebuild`` forgets them and applies the whole
store again with a progress bar; ``projections follow`` keeps them current until stopped; ``projections
status`` shows each projection's checkpoint against the head.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

import attrs
import orjson

from rehabcore.cli import integrity, stats_outcomes
from rehabcore.cli.common import (
    EXIT_FOUND,
    EXIT_OK,
    Progress,
    add_store_option,
    open_existing_store,
    open_store_to_update,
    parse_count,
    parse_date,
    parse_seconds,
    settle_language,
    store_jurisdiction,
)
from rehabcore.cli.stats_words import decimal, heading, word
from rehabcore.errors import N_
from rehabcore.i18n import _, ngettext, number

#: The tables ``stats`` prints, in order, with their titles (marked for the catalogs, translated when printed;
#: the column headings are in ``cli/stats_words.py``).
MODELS = {
    "caseload": N_("Caseload (now): cases by status, programme, case worker's unit and unit"),
    "occupancy": N_("Occupancy on {on}: places, occupied, free"),
    "waiting": N_("Waiting on {on} for the place a decision grants"),
    "exits": N_("Exits by destination per {period} up to {on}"),
    "shares": N_("Left for work or studies within 6 and 12 months of the first start (as of {on})"),
    "execution_watch": N_("Execution watch on {on}: LSS and SoL decisions not executed for {threshold}"),
    "overdue_follow_ups": N_("Follow-ups overdue on {on}"),
    "ending_without_follow_up": N_("Ending within {notice} days of {on} with no follow-up"),
    "refocus": N_("Refocus worklist on {on}: daily-activity participants of units that stopped offering it"),
}
#: How ``--period`` is said in a title.
PERIODS = {"month": N_("month"), "quarter": N_("quarter"), "year": N_("year")}
MODELS.update(stats_outcomes.MODELS)  # #18: Kolada's measure, people ended, status after the exit


def register(commands: Any) -> None:
    stats: argparse.ArgumentParser = commands.add_parser(
        "stats", help="caseload, occupancy, waiting, outcomes, execution watch and follow-ups, on a date"
    )
    add_store_option(stats)
    stats.add_argument("--on", metavar="DATE", help="the business date the figures are for (default: today)")
    stats.add_argument("--format", choices=("table", "json", "csv"), default="table")
    stats.add_argument("--model", choices=("all", *MODELS), default="all", help="print only this read model")
    stats.add_argument("--period", choices=("month", "quarter", "year"), default="quarter")
    stats.add_argument(
        "--threshold-days",
        type=int,
        default=None,
        help="execution watch: days instead of the law's three calendar months",
    )
    stats.add_argument("--no-catch-up", action="store_true", help="print what the read models hold now")
    stats.add_argument(
        "--skip-verify",
        action="store_true",
        help="do not check the hash chains first (the output then says they were not checked)",
    )
    stats.set_defaults(run=_stats)

    projections: argparse.ArgumentParser = commands.add_parser(
        "projections", help="rebuild the read models from the events, or show how current they are"
    )
    actions = projections.add_subparsers(dest="action", metavar="ACTION", required=True)
    rebuild = actions.add_parser("rebuild", help="forget the read models and apply every event again")
    add_store_option(rebuild)
    rebuild.add_argument("--batch-size", type=int, default=2000, help="events per transaction (2000)")
    rebuild.set_defaults(run=_rebuild)
    follow = actions.add_parser("follow", help="keep the read models current: apply new events as they come")
    add_store_option(follow)
    follow.add_argument("--poll", type=float, default=1.0, metavar="SECONDS", help="wait between polls (1.0)")
    follow.add_argument(
        "--max-seconds", type=float, default=None, help="stop after this long (default: never)"
    )
    follow.set_defaults(run=_follow)
    status = actions.add_parser("status", help="each projection's checkpoint against the store's head")
    add_store_option(status)
    status.add_argument("--format", choices=("table", "json"), default="table")
    status.set_defaults(run=_status)


def _stats(args: argparse.Namespace) -> int:
    from rehabcore.projections import ReadModels, Runner
    from rehabcore.projections.refocus import refocus_worklist

    on = parse_date(args.on, "--on") if args.on else dt.date.today()
    parse_count(args.threshold_days, "--threshold-days", low=1, high=36_500)
    store = open_existing_store(args.store)  # read only: a file that is no store is refused untouched
    settle_language(args, store_jurisdiction(store))  # --lang, else the locale, else the store's
    try:
        # The figures count every stream: every chain is checked before they are shown (#14).
        checked = None if args.skip_verify else integrity.check(store)
        runner = Runner(store)
        head = store.head_position()
        if not args.no_catch_up and any(s.behind for s in runner.status()):
            runner.target.close()
            store.close()
            store = open_existing_store(args.store, read_only=False)
            runner = Runner(store)
            runner.catch_up()
        lag = [s for s in runner.status() if s.checkpoint < head]
        models = ReadModels(runner.target)
        stats = models.stats(on, period=args.period, threshold_days=args.threshold_days)
        tables = _tables(stats)
        tables["refocus"] = [_row(r) for r in refocus_worklist(store, on)]  # read from the store (#12)
        tables.update(stats_outcomes.tables(models, on))  # #18
        if args.model != "all":
            tables = {args.model: tables[args.model]}
        context = {
            "on": on,
            "period": _(PERIODS[args.period]),
            "threshold": (
                ngettext("{n}+ day", "{n}+ days", args.threshold_days)
                if args.threshold_days
                else _("three calendar months")
            ),
            "notice": models.parameters.decision_expiry_notice_days,
        }
        behind = max((s.head - s.checkpoint for s in lag), default=0)
        if args.format == "json":
            found = integrity.as_json(checked) if checked is not None else None
            _json(sys.stdout, on, tables, stats.outcomes.median_days_to_exit, head, behind, found)
        elif args.format == "csv":
            _csv(sys.stdout, tables)
        else:
            sys.stdout.write(
                (integrity.summary(checked) if checked else _("integrity: hash chains not checked")) + "\n"
            )
            if checked is not None and not checked.intact:
                sys.stdout.write("\n".join(integrity.lines(checked)[1:]) + "\n")
            if lag:
                sys.stdout.write(_stale(lag, head) + "\n")
            sys.stdout.write("\n")
            _text(sys.stdout, tables, context, stats.outcomes.median_days_to_exit)
        runner.target.close()
    finally:
        store.close()
    code = EXIT_OK
    if checked is not None and not checked.intact:
        print(f"rehabcore stats: {integrity.summary(checked)}", file=sys.stderr)
        code = EXIT_FOUND
    if lag:
        # Stale figures are a problem in what was asked for: say so where scripts look (exit 1, stderr).
        print(f"rehabcore stats: {_stale(lag, head)}", file=sys.stderr)
        code = EXIT_FOUND
    return code


def _stale(lag: Sequence[Any], head: int) -> str:
    names = ", ".join(_("{name} at {position}", name=s.name, position=number(s.checkpoint)) for s in lag)
    return _(
        "STALE: the read models are behind the log (head position {head}; {names}); "
        "run without --no-catch-up or `rehabcore projections follow`",
        head=number(head),
        names=names,
    )


def _tables(stats: Any) -> dict[str, list[dict[str, Any]]]:
    out = {
        "caseload": stats.caseload,
        "occupancy": stats.occupancy,
        "waiting": stats.waiting,
        "exits": stats.outcomes.exits,
        "shares": stats.outcomes.shares,
        "execution_watch": stats.execution_watch,
        "overdue_follow_ups": stats.overdue_follow_ups,
        "ending_without_follow_up": stats.ending_without_follow_up,
    }
    return {name: [_row(r) for r in rows] for name, rows in out.items()}


def _row(row: Any) -> dict[str, Any]:
    values = attrs.asdict(row, recurse=False)
    if hasattr(row, "share"):
        values["share"] = None if row.share is None else round(row.share, 3)
    return values


def _plain(value: Any, column: str = "") -> str:
    if value is None:
        return "-"
    if column == "share":
        return decimal(f"{value:.1%}")
    if column == "year":
        return str(value)  # a year is a name, not a count: 2026, never 2,026
    if isinstance(value, float):
        return decimal(f"{value:.1f}")
    return word(value)  # a stored value by its word, a number as the language writes it


def _text(out: TextIO, tables: dict[str, list[dict[str, Any]]], context: dict[str, Any], median: Any) -> None:
    for name, rows in tables.items():
        out.write(_(MODELS[name], **context) + "\n")
        if not rows:
            out.write("  " + _("(none)") + "\n\n")
            continue
        columns = [c for c in rows[0] if not (name in ("occupancy", "visits") and c == "unit_id")]
        headings = [heading(c) for c in columns]
        cells = [[_plain(r[c], c) for c in columns] for r in rows]
        widths = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(headings)]
        out.write("  " + "  ".join(h.ljust(w) for h, w in zip(headings, widths, strict=True)).rstrip() + "\n")
        for row in cells:
            out.write("  " + "  ".join(_cell(v, w) for v, w in zip(row, widths, strict=True)).rstrip() + "\n")
        if name == "shares":
            out.write("  " + _("median days from referral to exit: {days}", days=_plain(median)) + "\n")
        out.write("\n")


def _cell(value: str, width: int) -> str:
    digits = value.replace(",", "").replace(".", "").replace("%", "").replace("\u00a0", "").rstrip()
    numeric = digits.lstrip("-").isdigit()
    return value.rjust(width) if numeric else value.ljust(width)


def _default(value: Any) -> Any:
    if isinstance(value, uuid.UUID | dt.date):
        return str(value)
    raise TypeError


def _json(
    out: TextIO,
    on: dt.date,
    tables: dict[str, Any],
    median: Any,
    head: int,
    behind: int,
    checked: dict[str, Any] | None,
) -> None:
    document = {
        "on": on,
        "integrity": checked,
        "head_position": head,
        "behind": behind,
        "stale": behind > 0,
        **tables,
        "median_days_to_exit": median,
    }
    out.write(orjson.dumps(document, default=_default, option=orjson.OPT_INDENT_2).decode() + "\n")


def _csv(out: TextIO, tables: dict[str, list[dict[str, Any]]]) -> None:
    """One section per model: a ``# model`` line, a header, the rows; a blank line between sections."""
    for n, (name, rows) in enumerate(tables.items()):
        if len(tables) > 1:
            out.write(("\n" if n else "") + f"# {name}\n")
        columns = list(rows[0]) if rows else _columns(name)
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else str(v) for k, v in row.items()})


def _columns(name: str) -> list[str]:
    from rehabcore.projections import read_models as rm
    from rehabcore.projections.refocus import RefocusRow

    classes = {
        "caseload": rm.CaseloadRow,
        "occupancy": rm.OccupancyRow,
        "waiting": rm.WaitingRow,
        "exits": rm.ExitCount,
        "shares": rm.ShareRow,
        "execution_watch": rm.WatchRow,
        "overdue_follow_ups": rm.OverdueRow,
        "ending_without_follow_up": rm.EndingRow,
        "refocus": RefocusRow,
        **stats_outcomes.ROWS,  # #18
    }
    names = [f.name for f in attrs.fields(classes[name])]
    return [*names, "share"] if name == "shares" else names


def _rebuild(args: argparse.Namespace) -> int:
    from rehabcore.projections import Runner

    parse_count(args.batch_size, "--batch-size", low=1, high=1_000_000)
    store = open_store_to_update(args.store)
    settle_language(args, store_jurisdiction(store))  # --lang, else the locale, else the store's
    try:
        runner = Runner(store, batch_size=args.batch_size)
        started = time.perf_counter()
        applied = 0
        # One projection at a time, each bar started before its first batch, so its rate is its own.
        for projection in runner.projections:
            one = Runner(store, runner.target, [projection], batch_size=args.batch_size)
            bar = Progress(_("rebuilding {name}", name=projection.name), store.head_position())

            def progress(_name: str, done: int, total: int, bar: Progress = bar) -> None:
                bar.total = total
                bar.advance(done - bar.done)

            applied += one.rebuild(progress=progress)
            bar.finish()
        seconds = time.perf_counter() - started
        rate = applied / seconds if seconds > 0 else 0.0
        count = len(runner.projections)
        print(
            ngettext(
                "rebuilt {n} projection: {events} events, {seconds} s, {rate}/s",
                "rebuilt {n} projections: {events} events, {seconds} s, {rate}/s",
                count,
                events=number(applied),
                seconds=decimal(f"{seconds:.1f}"),
                rate=number(round(rate)),
            )
        )
        runner.target.close()
    finally:
        store.close()
    return EXIT_OK


def _follow(args: argparse.Namespace) -> int:
    from rehabcore.cli.stopping import follow, stop_on_signals
    from rehabcore.projections import Runner

    parse_seconds(args.poll, "--poll", low=0, high=86_400, above=True)
    parse_seconds(args.max_seconds, "--max-seconds", low=0, high=366 * 86_400)
    store = open_store_to_update(args.store)
    settle_language(args, store_jurisdiction(store))  # --lang, else the locale, else the store's
    try:
        runner = Runner(store)
        deadline = None if args.max_seconds is None else time.monotonic() + args.max_seconds
        # Never sleep past the deadline: a poll of an hour must not keep --max-seconds 1 running.
        poll = args.poll if args.max_seconds is None else min(args.poll, max(args.max_seconds, 0.001))
        with stop_on_signals() as stop:
            applied = follow(
                runner, stop, lambda: deadline is not None and time.monotonic() >= deadline, poll
            )
        print(_follow_summary(applied, store.head_position(), stop.signal_name))
        runner.target.close()
    finally:
        store.close()
    return EXIT_OK


def _follow_summary(applied: int, position: int, signal_name: str | None) -> str:
    done = ngettext(
        "applied {count} event; the read models are at position {position}",
        "applied {count} events; the read models are at position {position}",
        applied,
        count=number(applied),
        position=number(position),
    )
    return _("stopped by {signal}: {done}", signal=signal_name, done=done) if signal_name else done


def _status(args: argparse.Namespace) -> int:
    from rehabcore.projections import Runner

    store = open_existing_store(args.store)
    settle_language(args, store_jurisdiction(store))  # --lang, else the locale, else the store's
    try:
        runner = Runner(store)
        rows = runner.status()
        runner.target.close()
    finally:
        store.close()
    if args.format == "json":
        payload = [{**attrs.asdict(r), "behind": r.behind} for r in rows]
        sys.stdout.write(orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode() + "\n")
        return EXIT_OK
    for line in _status_lines(rows):
        print(line)
    return EXIT_OK


def _status_lines(rows: Sequence[Any]) -> Iterator[str]:
    yield f"{_('projection'):<12} {_('checkpoint'):>12} {_('head'):>12} {_('behind'):>8}"
    for r in rows:
        yield f"{r.name:<12} {number(r.checkpoint):>12} {number(r.head):>12} {number(r.behind):>8}"
