"""``rehabcore retention plan|run`` and ``rehabcore access-log``: gallring and log review (#13).

``retention plan --on DATE`` is a dry run: who is due on the day, under which rule, who is held and why
(text or JSON). ``retention run --on DATE --by STAFF-ID`` destroys the keys of the due records in the vault
and records the proof in each record; it is idempotent, and a run stopped half way (even killed) is finished
by running it again. ``access-log`` lists recorded reads by subject or reader and period.

The vault is ``--vault URL``, else ``$REHABCORE_VAULT``, else the store's own database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from rehabcore.cli.common import (
    EXIT_OK,
    Progress,
    UsageError,
    add_store_option,
    open_existing_store,
    parse_date,
    settle_language,
    store_jurisdiction,
)
from rehabcore.i18n import _, ngettext


def add_vault_option(parser: argparse.ArgumentParser) -> None:
    """``--vault URL``: the identity vault (default: $REHABCORE_VAULT, else the store's database)."""
    parser.add_argument(
        "--vault",
        default=None,
        metavar="URL",
        help="identity vault URL (default: $REHABCORE_VAULT, else the store's own database)",
    )


def vault_url(args: argparse.Namespace) -> str:
    """The vault the command line uses."""
    url = args.vault or os.environ.get("REHABCORE_VAULT") or args.store
    if url.startswith("memory:"):
        raise UsageError(
            _("a memory:// vault lives only inside one process; give --vault sqlite:///… or a server")
        )
    return str(url)


def add_reader_options(parser: argparse.ArgumentParser) -> None:
    """``--vault``, ``--reader`` and ``--purpose`` for a command that reads a case (recorded when named)."""
    add_vault_option(parser)
    parser.add_argument("--reader", metavar="STAFF-ID", help="who reads (recorded in the access log)")
    parser.add_argument("--purpose", metavar="TEXT", help="why (recorded with --reader)")


def open_vault_if_any(args: argparse.Namespace) -> Any:
    """The vault of ``--vault``/``$REHABCORE_VAULT``, else the store's database if a vault is there, else None
    (a vault that was named must open: a usage error says why not)."""
    given = args.vault or os.environ.get("REHABCORE_VAULT")
    try:
        from rehabcore.identity import VaultNotFound, open_vault
    except ImportError:  # without the privacy extra there is no vault to open
        if given:
            raise UsageError(_("--vault needs the privacy extra: pip install 'rehabcore[privacy]'")) from None
        return None
    try:
        return open_vault(given or args.store, must_exist=not given)
    except VaultNotFound:
        if given:
            raise
        return None


def open_audit(
    store: Any, args: argparse.Namespace, rulesets: Sequence[Any] | None = None
) -> tuple[Any, Callable[[], None]]:
    """An Audit that opens sealed text with the vault (if there is one) and records a named reader's reads;
    ``rulesets``, when given, are those its replays may decide under (``replay --ruleset``, #15).

    The vault is ``--vault``/``$REHABCORE_VAULT``, else the store's database if a vault is there; without
    one, sealed text reads as sealed and a named reader is refused (nothing can record the read).
    """
    from rehabcore import sealing
    from rehabcore.access import Reader
    from rehabcore.audit import Audit
    from rehabcore.audit.replay import DEFAULT_RULESETS

    vault = open_vault_if_any(args)
    reader = None
    if args.reader or args.purpose:
        if not (args.reader and args.purpose):
            raise UsageError(_("--reader and --purpose go together: who reads, and why"))
        reader = Reader(id=args.reader, purpose=args.purpose)
    previous = sealing.use(vault) if vault is not None else sealing.installed()

    def close() -> None:
        if vault is not None:
            sealing.use(previous)
            vault.close()

    rulesets = DEFAULT_RULESETS if rulesets is None else rulesets
    return Audit(store, rulesets=rulesets, access_log=vault, reader=reader), close


def leave_out_protected(rows: Iterable[Any], args: argparse.Namespace) -> Iterable[Any]:
    """``rows`` without the cases of people with protected identity, when there is a vault to ask."""
    given = args.vault or os.environ.get("REHABCORE_VAULT")
    try:
        from rehabcore.identity import VaultNotFound, open_vault
        from rehabcore.identity.exports import without_protected
    except ImportError:  # without the privacy extra there is no vault, so nobody is marked protected
        if given:
            raise UsageError(_("--vault needs the privacy extra: pip install 'rehabcore[privacy]'")) from None
        return rows
    try:
        vault = open_vault(given or args.store, must_exist=not given)
    except VaultNotFound:
        if given:
            raise
        return rows
    try:
        protected = vault.protected_subjects()
    finally:
        vault.close()
    return without_protected(rows, protected)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    retention = commands.add_parser(
        "retention", help="plan or run erasure (gallring) under the retention rules"
    )
    actions = retention.add_subparsers(dest="action", metavar="ACTION", required=True)
    plan = actions.add_parser("plan", help="who is due for erasure on a day, who is held and why (dry run)")
    run = actions.add_parser("run", help="destroy the keys of the due records and record the proof")
    for parser in (plan, run):
        add_store_option(parser)
        add_vault_option(parser)
        parser.add_argument("--on", required=True, metavar="DATE", help="the day (YYYY-MM-DD)")
        parser.add_argument("--format", choices=("text", "json"), default="text")
    run.add_argument("--by", required=True, metavar="STAFF-ID", help="who runs the erasure (recorded)")
    plan.set_defaults(run=_plan)
    run.set_defaults(run=_run)

    log = commands.add_parser("access-log", help="who read whose case, when and why (logguppföljning)")
    add_store_option(log)
    add_vault_option(log)
    log.add_argument("--subject", metavar="UUID", help="reads of this person's cases")
    log.add_argument("--reader", metavar="STAFF-ID", help="reads by this reader")
    log.add_argument("--from", dest="start", metavar="DATE", help="from this day (UTC)")
    log.add_argument("--to", dest="end", metavar="DATE", help="up to and including this day (UTC)")
    log.add_argument("--format", choices=("text", "json"), default="text")
    log.set_defaults(run=_access_log)


def _open(args: argparse.Namespace, *, write: bool = False):  # type: ignore[no-untyped-def]
    from rehabcore.identity import open_vault

    store = open_existing_store(args.store, read_only=not write)
    settle_language(args, store_jurisdiction(store))  # --lang, else the locale, else the store's
    return store, open_vault(vault_url(args))


def _plan(args: argparse.Namespace) -> int:
    from rehabcore import retention

    on = parse_date(args.on, "--on")
    store, vault = _open(args)
    try:
        planned = retention.plan(store, vault, on)
    finally:
        vault.close()
        store.close()
    print(json.dumps(planned.to_dict(), indent=2) if args.format == "json" else planned.text(), end="\n")
    return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    from rehabcore import retention

    on = parse_date(args.on, "--on")
    store, vault = _open(args, write=True)
    try:
        todo = retention.plan(store, vault, on)
        bar = Progress(_("retention run"), len(todo.of(retention.Action.ERASE, retention.Action.ARCHIVE)))
        done = retention.run(store, vault, on, by=args.by, progress=bar.advance)
        bar.finish()
    finally:
        vault.close()
        store.close()
    if args.format == "json":
        print(json.dumps(done.to_dict(), indent=2))
    else:
        erased = ngettext("{n} record erased", "{n} records erased", len(done.erased))
        print(
            _(
                "retention run on {on}: {erased}, {archived} archived",
                on=on,
                erased=erased,
                archived=len(done.archived),
            )
        )
        held = done.plan.of(retention.Action.HELD)
        if held:
            listing = f"`rehabcore retention plan --on {on}`"
            print(_("held: {n} (see {command})", n=len(held), command=listing))
    return EXIT_OK


def _access_log(args: argparse.Namespace) -> int:
    from rehabcore.identity import open_vault

    try:
        subject = uuid.UUID(args.subject) if args.subject else None
    except ValueError:
        raise UsageError(_("--subject expects the person's pseudonymous subject id (a UUID)")) from None
    start = _day_start(parse_date(args.start, "--from")) if args.start else None
    end = _day_start(parse_date(args.end, "--to") + dt.timedelta(days=1)) if args.end else None
    vault = open_vault(vault_url(args))
    try:
        rows = vault.accesses(subject_id=subject, reader=args.reader, start=start, end=end)
    finally:
        vault.close()
    if args.format == "json":
        print(
            json.dumps(
                [
                    {
                        "at": a.at.isoformat(),
                        "reader": a.reader,
                        "purpose": a.purpose,
                        "case_id": str(a.case_id),
                        "subject_id": str(a.subject_id) if a.subject_id else None,
                        "via": a.via,
                    }
                    for a in rows
                ],
                indent=2,
            )
        )
    else:
        print(ngettext("{n} read", "{n} reads", len(rows)))
        for a in rows:
            print(
                "  "
                + _(
                    "{at}  {reader} case {case}  subject {subject}  {via}: {purpose}",
                    at=a.at.isoformat(),
                    reader=a.reader.ljust(12),
                    case=a.case_id,
                    subject=a.subject_id,
                    via=a.via,
                    purpose=a.purpose,
                )
            )
    return EXIT_OK


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
