"""The ``rehabcore`` command line: ``rehabcore <command> --store URL …``.

Every command reads a store given by ``--store`` (default: the demo's SQLite file). Exit codes are part of
the interface so that scripts can trust them: 0 all is well, 1 the command found a problem in the record
(tampering, a divergence, a stored row that does not decode, stale read models asked for), 2 the command was
used wrongly or the storage failed (unknown case, malformed date, missing store, not a store, disk full).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Iterator, Sequence

from rehabcore.cli import audit, db, demo, export, ivo, retention, stats, whatif
from rehabcore.cli.common import EXIT_FOUND, EXIT_USAGE, UsageError
from rehabcore.errors import DecodeError, RehabcoreError

# Each module adds its sub-commands with ``register(subparsers)``; the parser calls ``args.run(args)``.
# whatif comes after audit: it adds to replay.
_COMMAND_MODULES = (demo, audit, stats, db, export, ivo, retention, whatif)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rehabcore", description="Replay, verify, render and count the case record kept by rehabcore."
    )
    parser.add_argument("--version", action="version", version=_version())
    parser.add_argument(
        "--log-level",
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        default=os.environ.get("REHABCORE_LOG_LEVEL") or None,
        metavar="LEVEL",
        help="log rehabcore's records at LEVEL and above to stderr, with their fields "
        "(DEBUG, INFO, WARNING, ERROR; else $REHABCORE_LOG_LEVEL; default: none)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in _COMMAND_MODULES:
        module.register(commands)
    _lang_on_every_command(commands)
    return parser


def _lang_on_every_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``--lang`` on every command and sub-command, one rule for all (``cli.common.settle_language``)."""
    from rehabcore.cli.common import add_lang_option

    for parser in commands.choices.values():
        nested = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        for sub in nested:
            _lang_on_every_command(sub)
        if parser.prog.endswith(" demo"):
            continue  # the demo parses its own options (rehabcore.demo), --lang among them
        if not nested and not any("--lang" in a.option_strings for a in parser._actions):
            add_lang_option(parser)


def _version() -> str:
    """This package's version and the store adapters installed beside it, as a bug report wants them."""
    from importlib.metadata import PackageNotFoundError, version

    from rehabcore import __version__

    found = [__version__]
    with contextlib.suppress(PackageNotFoundError):
        found.append(f"rehabcore-sqlalchemy {version('rehabcore-sqlalchemy')}")
    return "rehabcore " + ", ".join(found)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        code = _main(list(sys.argv[1:] if argv is None else argv))
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return code
    except BrokenPipeError:
        # The reader went away (``rehabcore stats | head``): stop quietly, as Unix tools do, and keep the
        # interpreter from complaining about the closed stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        return 130


def _main(argv: list[str]) -> int:
    for arg in argv:
        try:
            arg.encode()
        except UnicodeEncodeError:
            # Bytes that are not UTF-8 (or a lone surrogate): no path, URL or id of ours is spelt so.
            from rehabcore.i18n import _, default_language, using

            with using(default_language()):  # --lang cannot be read yet: the locale decides
                print(_("rehabcore: error: an argument is not valid UTF-8 text"), file=sys.stderr)
            return EXIT_USAGE
    if argv[:1] == ["demo"]:  # the demo parses its own options
        from rehabcore import demo as demo_job

        return demo_job.main(argv[1:])
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on usage errors and 0 on --help
        return int(exit_.code or 0)
    from rehabcore.i18n import default_language, using

    # Until a command knows its jurisdiction (a case's, the store's), its messages follow --lang, else the
    # locale; cli.common.settle_language then applies the whole rule.
    with using(default_language(getattr(args, "lang", None))):
        return _run(args)


@contextlib.contextmanager
def _log_to_stderr(level: str | None) -> Iterator[None]:
    """Operators of ``projections follow`` and ``verify`` see what rehabcore logs (docs/operations.md)."""
    if not level:
        yield
        return
    from rehabcore.observability import FieldsFormatter

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(FieldsFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("rehabcore")
    before = logger.level
    logger.addHandler(handler)
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(before)


def _run(args: argparse.Namespace) -> int:
    with _log_to_stderr(args.log_level):
        return _run_command(args)


def _run_command(args: argparse.Namespace) -> int:
    from rehabcore.cli.store_url import resolve_args
    from rehabcore.i18n import _

    try:
        resolve_args(args)
        return int(args.run(args))
    except DecodeError as error:
        # A stored row that does not decode is a problem found in the record, in every command alike.
        print(f"rehabcore {args.command}: {error}", file=sys.stderr)
        return EXIT_FOUND
    except (UsageError, RehabcoreError) as error:
        # Typed errors carry no personal data by construction, so they can be shown as they are.
        print(_("rehabcore {command}: error: {error}", command=args.command, error=error), file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    raise SystemExit(main())
