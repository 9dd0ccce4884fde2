"""``rehabcore impact --ruleset module:NAME`` and ``rehabcore replay CASE --ruleset/--under module:NAME``.

A ruleset with local rules is Python, so the command line loads it by name from an importable module (the
current directory is importable): ``--ruleset kommun_rules:ORNSKOLDSVIK_2026_04``.

- ``replay --ruleset X`` lets the replay decide again the commands recorded under ``X``'s ref (repeatable);
  ``replay --under X`` decides every command of the case under ``X`` instead: what a new version would say.
- ``impact --ruleset X`` does that for every case in the store and lists the commands ``X`` would reject or
  decide differently, and why; exit 1 when there is any.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Callable
from typing import Any

from rehabcore.cli.common import (
    EXIT_FOUND,
    EXIT_OK,
    UsageError,
    add_store_option,
    open_existing_store,
    settle_language,
    store_jurisdiction,
    zone_of,
)
from rehabcore.cli.retention import add_reader_options, open_audit
from rehabcore.domain.rules import Ruleset
from rehabcore.i18n import _


def load_ruleset(spec: str) -> Ruleset:
    """The :class:`Ruleset` named by ``module:NAME``; a usage error says what is wrong with the name."""
    module_name, _colon, name = spec.partition(":")
    if not module_name or not name:
        raise UsageError(
            _("--ruleset expects module:NAME (e.g. kommun_rules:RULESET), got {spec}", spec=repr(spec))
        )
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as err:
        raise UsageError(
            _("--ruleset: cannot import module {module} ({error})", module=repr(module_name), error=err)
        ) from None
    found = getattr(module, name, None)
    if not isinstance(found, Ruleset):
        raise UsageError(
            _("--ruleset: {module}.{name} is not a rehabcore Ruleset", module=module_name, name=name)
        )
    return found


def register(commands: Any) -> None:
    impact = commands.add_parser(
        "impact", help="which recorded commands a ruleset would reject or decide differently; exit 1 if any"
    )
    add_store_option(impact)
    impact.add_argument("--ruleset", metavar="MODULE:NAME", required=True, help="the ruleset to ask about")
    impact.add_argument(
        "--known", metavar="MODULE:NAME", action="append", default=[], help="a ruleset the record names"
    )
    impact.add_argument("--format", choices=("text", "json"), default="text")
    impact.add_argument("--limit", type=int, default=20, help="findings shown in the text (default: 20)")
    add_reader_options(impact)  # the vault opens sealed text; a named reader's reads are logged (#13)
    impact.set_defaults(run=_impact)

    replay = commands.choices.get("replay")  # ``rehabcore replay`` (cli/audit.py) learns two options
    if replay is not None:
        replay.add_argument(
            "--ruleset",
            metavar="MODULE:NAME",
            action="append",
            default=[],
            help="a ruleset the record names by its ref, to decide its commands again (repeatable)",
        )
        replay.add_argument(
            "--under", metavar="MODULE:NAME", help="decide every command under this ruleset instead (what if)"
        )
        replay.set_defaults(run=_with_rulesets(replay.get_default("run")))


def _rulesets(specs: list[str]) -> tuple[Ruleset, ...]:
    from rehabcore.audit.replay import DEFAULT_RULESETS

    return (*DEFAULT_RULESETS, *(load_ruleset(s) for s in specs))


def _impact(args: argparse.Namespace) -> int:
    from rehabcore.audit.impact import impact, impact_text

    ruleset = load_ruleset(args.ruleset)
    store = open_existing_store(args.store)
    settle_language(args, store_jurisdiction(store))
    rulesets = _rulesets(args.known)
    audit, close = open_audit(store, args, rulesets)
    try:
        report = impact(store, ruleset, rulesets=rulesets, read=audit.record)
    finally:
        close()
        store.close()
    if args.format == "json":
        print(json.dumps(report.to_dict(), indent=1, ensure_ascii=False))
    else:
        sys.stdout.write(impact_text(report, args.limit, args.lang))
    return EXIT_FOUND if report.findings else EXIT_OK


def _with_rulesets(plain: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """``replay`` as before when neither option is given; else a replay under the rulesets loaded."""

    def run(args: argparse.Namespace) -> int:
        if not args.ruleset and not args.under:
            return plain(args)
        import uuid

        from rehabcore.audit import replay_json, replay_text

        try:
            case_id = uuid.UUID(args.case)
        except ValueError:
            raise UsageError(
                _("CASE expects a case id such as {example}", example="0b7c6a2e-5d1f-4c38-9a61-2f0e8d4b7c10")
            ) from None
        under = load_ruleset(args.under) if args.under else None
        store = open_existing_store(args.store)
        jurisdiction = store_jurisdiction(store)
        settle_language(args, jurisdiction)  # --lang, else the locale, else the store's
        # The vault opens sealed text, and a named reader's read is logged, as in a plain replay (#13).
        audit, close = open_audit(store, args, _rulesets(args.ruleset))
        try:
            report = audit.replay(case_id, under=under)
        finally:
            close()
            store.close()
        text = (
            replay_json(report, None, args.lang)
            if args.format == "json"
            else replay_text(report, args.lang, zone=zone_of(jurisdiction))
        )
        sys.stdout.write(text)
        return EXIT_FOUND if report.divergences else EXIT_OK

    return run
