"""``rehabcore ivo-report``: IVO's quarterly report of favourable decisions not executed (#11).

    rehabcore ivo-report --quarter 2026Q2 [--municipality 2284] [--format text|json|csv]
                         [--mark-submitted 2026-07-10 --actor ID | --as-known-at MOMENT]

Prints the quarter's report from the read models (caught up first). ``--mark-submitted`` records that the
report printed was sent to IVO on that day (``MarkIvoReportSubmitted``): the next quarter's report then shows
what changed for each decision it listed. ``--as-known-at`` prints the report as the record stood at a
moment (entries recorded later left out: what could have been sent then), read without writing anything;
a moment without an offset is read in the municipality's zone. Exit codes as every command: 0 printed, 2 used
wrongly (a quarter not written as 2026Q2, a missing store, a report already marked sent).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import enum
import sys
import uuid
from collections.abc import Callable
from typing import Any, TextIO

import attrs
import orjson

from rehabcore.audit.labels import member_label
from rehabcore.cli.common import (
    EXIT_OK,
    UsageError,
    add_store_option,
    open_existing_store,
    open_store_to_update,
    parse_date,
    parse_moment,
    settle_language,
    store_jurisdiction,
    zone_of,
)
from rehabcore.cli.retention import add_vault_option, open_vault_if_any
from rehabcore.domain.ivo import Change, DelayReason
from rehabcore.domain.vocabulary import DutyEndReason, ReportedState, ServiceKind
from rehabcore.errors import InvalidInput
from rehabcore.i18n import _, current_language

COLUMNS = (
    "case_ref",
    "decision_id",
    "decided_on",
    "law",
    "section",
    "insats",
    "reached_on",
    "state",
    "since",
    "executed_on",
    "ended_on",
    "end_reason",
    "offers",
    "interim_support",
    "delay_reason",
    "change",
    "previously_reported",
    "birth_year",
    "sex",
    "birth_date",
    "protected",
)


def register(commands: Any) -> None:
    report: argparse.ArgumentParser = commands.add_parser(
        "ivo-report", help="IVO's quarterly report of favourable decisions not executed within three months"
    )
    add_store_option(report)
    report.add_argument("--quarter", required=True, metavar="YYYYQn", help="the quarter, e.g. 2026Q2")
    report.add_argument(
        "--municipality", metavar="CODE", help="municipality code (when the store has several)"
    )
    report.add_argument("--format", choices=("text", "json", "csv"), default="text")
    report.add_argument(
        "--mark-submitted", metavar="DATE", help="record that this report was sent to IVO on DATE"
    )
    report.add_argument("--actor", default="cli", metavar="ID", help="who marks it sent (a staff id)")
    report.add_argument(
        "--as-known-at",
        metavar="MOMENT",
        help="the report as the record stood at MOMENT (ISO 8601; no offset: the municipality's zone)",
    )
    add_vault_option(report)  # birth date and sex, as IVO identifies the person (#13's vault)
    report.set_defaults(run=_run)


def _quarter(text: str) -> Any:
    from rehabcore.domain.vocabulary import Quarter

    try:
        return Quarter.parse(text)
    except InvalidInput:
        raise UsageError(_("--quarter expects a quarter as YYYYQn, for example 2026Q2")) from None


def _run(args: argparse.Namespace) -> int:
    from rehabcore.cases import Cases
    from rehabcore.domain.commands import Actor
    from rehabcore.domain.vocabulary import Role
    from rehabcore.projections import ReadModels, Runner

    quarter = _quarter(args.quarter)
    submitted_on = parse_date(args.mark_submitted, "--mark-submitted") if args.mark_submitted else None
    if args.as_known_at:
        if submitted_on is not None:
            raise UsageError("--mark-submitted records today's report; it cannot go with --as-known-at")
        parse_moment(args.as_known_at, "--as-known-at")  # refused before the store is opened
        return _run_as_known_at(args, quarter)
    # The report is read from the read models, caught up first: that writes them (never the event log).
    store = open_store_to_update(args.store)
    try:
        settle_language(args, store_jurisdiction(store))  # --lang, else the locale, else the store's
        runner = Runner(store)
        runner.catch_up()
        report = ReadModels(runner.target).ivo_report(quarter, args.municipality)
        if submitted_on is not None:
            command = report.submission(submitted_on)
            Cases(store, today=lambda: submitted_on).handle(
                command, actor=Actor(id=args.actor, role=Role.MANAGER)
            )
            runner.catch_up()
            report = ReadModels(runner.target).ivo_report(quarter, report.municipality_code)
        _print(args, store, report)
        runner.target.close()
    finally:
        store.close()
    return EXIT_OK


def _run_as_known_at(args: argparse.Namespace, quarter: Any) -> int:
    """The report from read models built in memory over the entries recorded up to the moment."""
    from rehabcore.known import KnownAtView
    from rehabcore.projections import MemoryProjectionStore, ReadModels, Runner

    store = open_existing_store(args.store)
    try:
        jurisdiction = store_jurisdiction(store)
        settle_language(args, jurisdiction)
        moment = parse_moment(args.as_known_at, "--as-known-at", zone_of(jurisdiction))
        runner = Runner(KnownAtView(store, moment), MemoryProjectionStore())
        runner.catch_up()
        _print(args, store, ReadModels(runner.target).ivo_report(quarter, args.municipality))
    finally:
        store.close()
    return EXIT_OK


def _print(args: argparse.Namespace, store: Any, report: Any) -> None:
    """The report in the format asked for, with IVO's identification from the vault when there is one."""
    from rehabcore.projections.ivo_report import with_identities

    vault = open_vault_if_any(args)
    if vault is not None:
        try:
            report = with_identities(report, _people(store, vault))
        finally:
            vault.close()
    {"json": _json, "csv": _csv}.get(args.format, _text)(sys.stdout, report)


def _people(store: Any, vault: Any) -> Callable[[uuid.UUID], Any]:
    """The person of a case, from the subject its opening names, as the vault knows them (or None)."""
    from rehabcore.streams import case_stream, decode

    def person_of(case_id: uuid.UUID) -> Any:
        for stored in store.read_stream(case_stream(case_id), limit=1):
            subject_id = getattr(decode(stored), "subject_id", None)
            return vault.person(subject_id) if subject_id is not None else None
        return None

    return person_of


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | uuid.UUID):
        return str(value)
    return value


def _values(row: Any) -> dict[str, Any]:
    values = attrs.asdict(row, recurse=False)
    return {name: _plain(values[name]) for name in COLUMNS}


def _json(out: TextIO, report: Any) -> None:
    doc = {
        "quarter": str(report.quarter),
        "municipality_code": report.municipality_code,
        "previous_report": (
            {"quarter": str(report.previous[0]), "submitted_on": str(report.previous[1])}
            if report.previous
            else None
        ),
        "submitted_on": _plain(report.submitted_on),
        "note": report.note,
        "decisions": [_values(r) for r in report.rows],
    }
    out.write(orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n")


def _csv(out: TextIO, report: Any) -> None:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in report.rows:
        writer.writerow({k: "" if v is None else v for k, v in _values(row).items()})


def _text(out: TextIO, report: Any) -> None:
    """The report as a case worker sends it, in the command's language (IVO's own terms in Swedish)."""
    lang = current_language()
    out.write(
        _(
            "IVO report of favourable decisions not executed, {quarter}, municipality {code}",
            quarter=report.quarter,
            code=report.municipality_code,
        )
        + "\n"
    )
    if report.previous:
        previous, sent = report.previous
        out.write(
            _("Compared with the report for {quarter}, marked sent on {day}", quarter=previous, day=sent)
        )
        out.write("\n")
    else:
        out.write(_("No earlier report marked sent") + "\n")
    if report.submitted_on:
        out.write(_("This report was marked sent on {day}", day=report.submitted_on) + "\n")
    filled = any(r.birth_date is not None for r in report.rows)
    if filled:
        note = _(
            "birth date and sex are the identity vault's; a person with protected identity is reported too, "
            "marked protected"
        )
    else:
        note = _(
            "birth date and sex are left empty: no identity vault was found; fill them in before sending"
        )
    out.write(_("Note: {note}", note=note) + "\n\n")
    if not report.rows:
        out.write(_("No decision to report.") + "\n")
    for n, r in enumerate(report.rows, 1):
        _write_row(out, n, r, lang)


def _write_row(out: TextIO, n: int, r: Any, lang: str) -> None:
    def word(kind: type[enum.Enum], value: str | None) -> str:
        return "-" if value is None else member_label(kind(value), lang)

    out.write(_("{n}. case {case}, decision {decision}", n=n, case=r.case_ref, decision=r.decision_id) + "\n")
    insats = word(ServiceKind, r.insats)
    basis = f"{r.law} {r.section} ({r.version})"
    out.write(
        "   "
        + _("decided {day} under {basis}, insats {insats}", day=r.decided_on, basis=basis, insats=insats)
    )
    out.write(", " + _("extent {extent}", extent=r.extent) + "\n" if r.extent else "\n")
    out.write(
        "   "
        + _(
            "three months reached {reached} (counted from {since}); reported under {provision}",
            reached=r.reached_on,
            since=r.since,
            provision=r.reported_under,
        )
        + "\n"
    )
    out.write("   " + _("at the quarter's end: {state}", state=word(ReportedState, r.state)))
    if r.executed_on:
        out.write(", " + _("executed on {day}", day=r.executed_on))
    if r.ended_on:
        reason = word(DutyEndReason, r.end_reason)
        out.write(", " + _("ended on {day}, reason {reason}", day=r.ended_on, reason=reason))
    out.write("\n")
    none = _("none")
    out.write(
        "   "
        + _(
            "offers made: {offers}; interim support: {support}",
            offers=r.offers or none,
            support=r.interim_support or none,
        )
        + "\n"
    )
    since = word(Change, r.change)
    delay = word(DelayReason, r.delay_reason)
    out.write(
        "   " + _("reason for the delay: {delay}; since the last report: {change}", delay=delay, change=since)
    )
    if r.previously_reported:
        out.write(" " + _("(then {state})", state=word(ReportedState, r.previously_reported)))
    out.write("\n")
    if r.birth_date is None:
        out.write("   " + _("birth date: -, sex: - (see note)") + "\n")
    else:
        sex = {"female": _("female"), "male": _("male")}.get(r.sex or "", "-")
        line = _("born {day}, sex {sex}", day=r.birth_date, sex=sex)
        shielded = "; " + _("protected identity") if r.protected else ""
        out.write(f"   {line}{shielded}\n")
