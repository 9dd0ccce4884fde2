"""What every command shares: the store option, date parsing, exit codes and a progress bar."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path
from typing import TextIO

from rehabcore.cli.store_url import DEFAULT_STORE, ENV_STORE, add_store_file_option
from rehabcore.errors import RehabcoreError
from rehabcore.i18n import _
from rehabcore.store import EventStore, open_store

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


def open_existing_store(url: str) -> EventStore:
    """Open a store that must already exist: a reading command never creates an empty SQLite file."""
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
    return open_store(url)


def parse_date(text: str, option: str) -> dt.date:
    """A business date, ``YYYY-MM-DD``."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            _("{option} expects a date as YYYY-MM-DD, for example 2025-10-01", option=option)
        ) from None


def parse_moment(text: str, option: str) -> dt.datetime:
    """A moment in recording time: ISO 8601 with an offset, or UTC when none is given.

    A bare date means the end of that day (UTC), so ``--as-known-at 2025-10-01`` includes everything recorded
    on the first of October.
    """
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return dt.datetime.combine(day, dt.time.max, tzinfo=dt.UTC)
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            _(
                "{option} expects YYYY-MM-DD or an ISO 8601 time such as 2025-10-01T12:00:00+02:00",
                option=option,
            )
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


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
