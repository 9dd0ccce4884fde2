"""``rehabcore db status`` and ``rehabcore db upgrade [--sql]``: the SQL schema under the operator's control.

``status`` prints the schema version of the database and the upgrade steps pending (exit 1 when there are
some, so a deploy script can stop). ``upgrade`` applies them under the store's write lock; with ``--sql``
it prints the statements for a DBA to review and changes nothing. Opening a store with ``create=False``
never writes DDL, so a database managed this way is only ever changed here.
"""

from __future__ import annotations

import argparse
from typing import Any

from rehabcore.cli.common import (
    EXIT_FOUND,
    EXIT_OK,
    UsageError,
    add_store_option,
    settle_language,
    store_jurisdiction,
)
from rehabcore.domain.vocabulary import Jurisdiction
from rehabcore.errors import RehabcoreError
from rehabcore.i18n import _
from rehabcore.store import open_store


def register(commands: Any) -> None:
    db: argparse.ArgumentParser = commands.add_parser(
        "db", help="the SQL schema: its version and pending upgrades, or apply (or print) them"
    )
    actions = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    status = actions.add_parser("status", help="schema version and pending upgrades (exit 1 if any)")
    add_store_option(status)
    status.set_defaults(run=_status)
    upgrade = actions.add_parser("upgrade", help="apply pending upgrades, or print their SQL with --sql")
    add_store_option(upgrade)
    upgrade.add_argument("--sql", action="store_true", help="print the SQL for review; change nothing")
    upgrade.set_defaults(run=_upgrade)


def _admin(args: argparse.Namespace) -> Any:
    url = args.store
    if not url.lower().startswith(("sqlite", "postgresql", "postgres")):
        raise UsageError(_("db works on SQL stores only: pass --store sqlite:///… or postgresql+psycopg://…"))
    try:
        from rehabcore_sqlalchemy import admin
    except ImportError:
        raise UsageError(
            _("install the SQL adapter: pip install 'rehabcore-sqlalchemy[postgresql]'")
        ) from None
    settle_language(args, _jurisdiction(url))  # --lang, else the locale, else the store's
    return admin


def _jurisdiction(url: str) -> Jurisdiction | None:
    """The store's jurisdiction, when its schema is current (an older one is what ``db`` is for: then the
    locale decides, else English). Opened with ``create=False``, so looking writes no DDL and no file."""
    try:
        store = open_store(url, create=False, read_only=True)
    except RehabcoreError:
        return None
    try:
        return store_jurisdiction(store)
    except RehabcoreError:
        return None
    finally:
        store.close()


def _status(args: argparse.Namespace) -> int:
    found = _admin(args).schema_status(args.store)
    print(
        _(
            "schema version: {found} (this rehabcore: {supported})",
            found=found.version,
            supported=found.supported,
        )
    )
    if found.pending:
        print(_("pending upgrades: {steps}", steps=", ".join(str(v) for v in found.pending)))
        print(
            _("apply with `rehabcore db upgrade`, or review the SQL first with `rehabcore db upgrade --sql`")
        )
        return EXIT_FOUND
    print(_("pending upgrades: none"))
    return EXIT_OK


def _upgrade(args: argparse.Namespace) -> int:
    admin = _admin(args)
    if args.sql:
        statements = admin.pending_sql(args.store)
        if not statements:
            print("-- " + _("the schema is current: nothing to do"))
        for statement in statements:
            print(f"{statement};")
        return EXIT_OK
    before, after = admin.apply_upgrade(args.store)
    if after != before:
        print(_("schema version {before} -> {after}", before=before, after=after))
    else:
        print(_("schema version {after}: current", after=after))
    return EXIT_OK
