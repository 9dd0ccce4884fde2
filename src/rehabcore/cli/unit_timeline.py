"""``rehabcore timeline --unit UNIT``: a unit's own timeline (#18), as text or JSON, in sv, en or da.

Hooked into ``rehabcore timeline`` (``cli/audit.py``): with ``--unit`` (and no CASE) the unit's stream is
shown instead of a case's. Its chain is checked first, as a case's is: a broken one is said first.
"""

from __future__ import annotations

import argparse
import sys
import uuid

from rehabcore.cli import integrity
from rehabcore.cli.common import (
    EXIT_FOUND,
    EXIT_OK,
    UsageError,
    as_tenant,
    open_existing_store,
    settle_language,
)


def run(args: argparse.Namespace) -> int:
    """Print the unit's timeline; exit 1 when its chain is broken."""
    from rehabcore.audit.unit_timeline import unit_timeline, unit_timeline_json, unit_timeline_text
    from rehabcore.streams import unit_stream

    unit_id = _unit_id(args)
    store = open_existing_store(args.store)
    try:
        checked = integrity.check(store, [unit_stream(unit_id)])
        t = unit_timeline(as_tenant(store, args.tenant), unit_id)
    finally:
        store.close()
    lang = settle_language(args, t.jurisdiction)  # --lang, else the locale, else the unit's country's
    if args.format == "json":
        sys.stdout.write(integrity.into_json(unit_timeline_json(t, lang), checked))
    else:
        sys.stdout.write(integrity.into_text(unit_timeline_text(t, lang), checked))
    return EXIT_OK if checked.intact else EXIT_FOUND


def _unit_id(args: argparse.Namespace) -> uuid.UUID:
    """The unit asked for; the case-only options refused before any store is opened."""
    if args.unit is None:
        raise UsageError("timeline expects CASE, or --unit UNIT for a unit's own timeline")
    if args.case is not None:
        raise UsageError("give CASE or --unit UNIT, not both")
    for given, option in ((args.as_known_at, "--as-known-at"), (args.on, "--on")):
        if given:
            raise UsageError(f"{option} reads a case's record; a unit's timeline shows every entry")
    if args.view != "staff" or args.format == "html":
        raise UsageError("a unit's timeline is a staff view, as text or JSON")
    try:
        return uuid.UUID(args.unit)
    except ValueError:
        raise UsageError("--unit expects a unit id such as 0b7c6a2e-5d1f-4c38-9a61-2f0e8d4b7c10") from None
