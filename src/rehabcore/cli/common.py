"""What every command shares: the store option, date parsing, exit codes and a progress bar."""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import time
import zoneinfo
from pathlib import Path
from typing import TextIO

import orjson

from rehabcore.cli.store_url import DEFAULT_STORE, ENV_STORE, add_store_file_option
from rehabcore.codec import EVENT_PREFIX
from rehabcore.domain.vocabulary import Jurisdiction
from rehabcore.errors import RehabcoreError
from rehabcore.i18n import LANGUAGES, _, default_language, number, set_language
from rehabcore.store import EventStore, open_store
from rehabcore.streams import ZONES

CASE_OPENED = EVENT_PREFIX + "CaseOpened"  # the stored type name (rehabcore.codec's name table)

EXIT_OK = 0
EXIT_FOUND = 1  # the command found a problem in the record: tampering, divergence
EXIT_USAGE = 2  # the command was used wrongly: unknown case, malformed date, missing store


class UsageError(RehabcoreError):
    """The command line asked for something that cannot be done; the message says what to change."""


def add_store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        default=None,  # settled by cli.store_url: --store-file, $REHABCORE_STORE, then DEFAULT_STORE
        metavar="URL",
        help=f"store URL: sqlite:///file.sqlite, postgresql+psycopg://… "
        f"(else ${ENV_STORE}; default: {DEFAULT_STORE})",
    )
    add_store_file_option(parser)


def add_tenant_option(parser: argparse.ArgumentParser) -> None:
    """``--tenant ID``: read as one board or provider, only the entries that name it (#16)."""
    parser.add_argument(
        "--tenant",
        default=None,
        metavar="ID",
        help="read as this board or provider: only the entries that name it (docs/access.md)",
    )


def as_tenant(store: EventStore, tenant: str | None) -> EventStore:
    """``store`` as ``tenant`` reads it (the whole store without a tenant)."""
    if tenant is None:
        return store
    from rehabcore.tenancy import TenantView

    return TenantView(store, tenant)


def open_existing_store(url: str, *, read_only: bool = True) -> EventStore:
    """Open a store that must already exist, for reading only: a reading command never creates a table,
    never switches a journal mode and never writes a byte; a file that is not a rehabcore store is refused."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///").split("?", 1)[0])
        if not path.exists():
            raise UsageError(
                _(
                    "no store at {path}; name yours with --store URL, --store-file FILE or ${env} "
                    "(`rehabcore demo` records a synthetic one here)",
                    path=path,
                    env=ENV_STORE,
                )
            )
        if path.is_dir():
            raise UsageError(_("{path} is a directory; --store expects a SQLite file", path=path))
    return open_store(url, read_only=read_only)


def open_store_to_update(url: str) -> EventStore:
    """Open an existing store to write its read models: first read only, so that a file that is not a
    rehabcore store is refused before anything could create tables in it."""
    open_existing_store(url).close()
    return open_existing_store(url, read_only=False)


def read_file(name: str, option: str, limit: int = 64 * 1024 * 1024) -> bytes:
    """The bytes of a file named on the command line, or a :class:`UsageError` saying why not."""
    path = Path(name)
    if not path.is_file():
        raise UsageError(_("{option}: no file {path}", option=option, path=path))
    try:
        with path.open("rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise UsageError(
            _("{option}: cannot read {path}: {why}", option=option, path=path, why=_why(exc))
        ) from None
    if len(data) > limit:
        raise UsageError(
            _("{option}: {path} is larger than {limit} bytes", option=option, path=path, limit=number(limit))
        )
    return data


def write_file(name: str, text: str, option: str) -> None:
    """Write a file named on the command line, or raise a :class:`UsageError` saying why it cannot be."""
    path = Path(name)
    try:
        with path.open("w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
    except OSError as exc:
        raise UsageError(
            _("{option}: cannot write {path}: {why}", option=option, path=path, why=_why(exc))
        ) from None


def _why(exc: OSError) -> str:
    """The system's reason (as the system words it: its own locale decides)."""
    return exc.strerror or type(exc).__name__


#: Dates and moments a command accepts: wide enough for any case record, narrow enough that date arithmetic
#: (a notice period, a UTC offset) can never leave the years Python can hold.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def parse_date(text: str, option: str) -> dt.date:
    """A business date, ``YYYY-MM-DD``."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            _("{option} expects a date as YYYY-MM-DD, for example 2025-10-01", option=option)
        ) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise UsageError(
            _(
                "{option} expects a date between {first} and {last}",
                option=option,
                first=FIRST_YEAR,
                last=LAST_YEAR,
            )
        )
    return day


def parse_seconds(value: float | None, option: str, *, low: float, high: float, above: bool = False) -> None:
    """Refuse a number of seconds that is not finite or out of range (``nan`` compares false to all)."""
    if value is None:
        return
    if not math.isfinite(value) or value < low or (above and value <= low) or value > high:
        if above:
            said = _(
                "{option} expects a finite number of seconds above {low} and at most {high}",
                option=option,
                low=format(low, "g"),
                high=format(high, "g"),
            )
        else:
            said = _(
                "{option} expects a finite number of seconds at least {low} and at most {high}",
                option=option,
                low=format(low, "g"),
                high=format(high, "g"),
            )
        raise UsageError(said)


def parse_count(value: int | None, option: str, *, low: int, high: int) -> None:
    """Refuse a count out of range."""
    if value is not None and not low <= value <= high:
        raise UsageError(
            _(
                "{option} expects a whole number from {low} to {high}",
                option=option,
                low=number(low),
                high=number(high),
            )
        )


def parse_moment(text: str, option: str, zone: dt.tzinfo = dt.UTC) -> dt.datetime:
    """A moment in recording time: ISO 8601 with an offset, or in ``zone`` (the jurisdiction's) when none
    is given.

    A bare date means the end of that day in ``zone``, so ``--as-known-at 2025-10-01`` includes everything
    recorded on the first of October, Stockholm time.
    """
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return dt.datetime.combine(day, dt.time.max, tzinfo=zone)
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            _(
                "{option} expects YYYY-MM-DD or an ISO 8601 time such as 2025-10-01T12:00:00+02:00",
                option=option,
            )
        ) from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise UsageError(
            _(
                "{option} expects a time between {first} and {last}",
                option=option,
                first=FIRST_YEAR,
                last=LAST_YEAR,
            )
        )
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def add_lang_option(parser: argparse.ArgumentParser) -> None:
    """``--lang`` for one command; :func:`settle_language` applies the one rule when it is not given."""
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help="sv, en or da (default: the locale's (LANG), else the jurisdiction's, else en)",
    )


def store_jurisdiction(store: EventStore) -> Jurisdiction | None:
    """The jurisdiction of the store's first case (a store serves one municipality), None when it has none."""
    for e in store.read_all(types=[CASE_OPENED], limit=1):
        try:
            return Jurisdiction(orjson.loads(e.data)["jurisdiction"])
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            return None
    return None


def settle_language(args: argparse.Namespace, jurisdiction: Jurisdiction | None) -> str:
    """The one rule for every command: ``--lang``, else the locale, else the jurisdiction's, else en.
    Sets ``args.lang`` and the language of the messages for the rest of the command."""
    args.lang = default_language(args.lang, jurisdiction=jurisdiction.value if jurisdiction else None)
    set_language(args.lang)
    return str(args.lang)


def zone_of(jurisdiction: Jurisdiction | None) -> zoneinfo.ZoneInfo:
    """The zone times are shown and read in: the jurisdiction's (Europe/Stockholm, Europe/Copenhagen)."""
    return ZONES[jurisdiction] if jurisdiction is not None else zoneinfo.ZoneInfo("UTC")


class Progress:
    """A one-line progress bar on a terminal; silent when the output is not a terminal (scripts, CI logs)."""

    def __init__(self, label: str, total: int, stream: TextIO | None = None, *, force: bool = False) -> None:
        self.label = label
        self.total = max(total, 0)
        self.stream = stream or sys.stderr
        self.enabled = force or self.stream.isatty()
        self.done = 0
        self._shown_at = 0.0
        self._started = time.perf_counter()

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.perf_counter()
        if self.enabled and (now - self._shown_at > 0.1 or self.done >= self.total):
            self._shown_at = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        width = 30
        share = min(self.done / self.total, 1.0) if self.total else 1.0
        bar = "#" * int(share * width)
        rate = self.done / max(now - self._started, 1e-9)
        self.stream.write(f"\r{self.label} [{bar:<{width}}] {self.done:,}/{self.total:,} ({rate:,.0f}/s)")
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self._draw(time.perf_counter())
            self.stream.write("\n")
            self.stream.flush()
