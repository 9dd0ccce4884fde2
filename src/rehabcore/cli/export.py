"""``rehabcore export --format cloudevents``: every event of a store, one CloudEvents 1.0 JSON per line.

The output is JSON Lines in CloudEvents' structured mode (``application/cloudevents+json`` per line), in
position order, for a broker bridge or another system's import. See :mod:`rehabcore.integration.cloudevents`.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import orjson

from rehabcore.cli.common import (
    EXIT_OK,
    add_store_option,
    add_tenant_option,
    as_tenant,
    open_existing_store,
    parse_count,
    settle_language,
    store_jurisdiction,
)
from rehabcore.cli.retention import add_vault_option, leave_out_protected


def register(commands: Any) -> None:
    export: argparse.ArgumentParser = commands.add_parser(
        "export", help="every event as CloudEvents 1.0 JSON, one per line"
    )
    add_store_option(export)
    add_tenant_option(export)
    export.add_argument("--format", choices=("cloudevents",), default="cloudevents")
    export.add_argument("--after", type=int, default=0, metavar="POSITION", help="only events after this")
    export.add_argument("--source", default=None, help="the CloudEvents source (default: /rehabcore)")
    add_vault_option(export)  # people with protected identity are left out (#13)
    export.set_defaults(run=_export)


def _export(args: argparse.Namespace) -> int:
    from rehabcore.integration.cloudevents import DEFAULT_SOURCE, to_cloudevent

    store = open_existing_store(args.store)
    out = sys.stdout.buffer
    try:
        settle_language(args, store_jurisdiction(store))  # --lang, else the locale, else the store's
        parse_count(args.after, "--after", low=0, high=2**63 - 1)
        for stored in leave_out_protected(as_tenant(store, args.tenant).read_all(after=args.after), args):
            out.write(orjson.dumps(to_cloudevent(stored, source=args.source or DEFAULT_SOURCE)))
            out.write(b"\n")
    finally:
        store.close()
    return EXIT_OK
