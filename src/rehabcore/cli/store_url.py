"""Where a command finds its store URL, so a PostgreSQL password never has to go on the command line.

In order: ``--store URL``, ``--store-file FILE``, the environment variable ``REHABCORE_STORE``, the variable
``REHABCORE_STORE_FILE``, and last the demo's SQLite file. A URL on the command line is visible to every
user of the machine (``ps``) and lands in shell history; a file readable only by its owner, or the service's
environment, is not. As libpq does with ``.pgpass``, a store file its group or others may read is refused.
A URL without a password works too: psycopg then asks libpq, which reads ``PGPASSWORD`` or ``~/.pgpass``.

Nothing here prints a URL: it may hold the password.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from collections.abc import Mapping
from pathlib import Path

from rehabcore.errors import RehabcoreError
from rehabcore.i18n import _

ENV_STORE = "REHABCORE_STORE"
ENV_STORE_FILE = "REHABCORE_STORE_FILE"
DEFAULT_STORE = "sqlite:///rehabcore-demo.sqlite"


class StoreUrlError(RehabcoreError):
    """The store URL could not be read from where the command was told to look; the message says why."""


def add_store_file_option(parser: argparse.ArgumentParser) -> None:
    """``--store-file``, beside ``--store``: a file holding the URL on its first line."""
    parser.add_argument(
        "--store-file",
        metavar="FILE",
        help=f"read the store URL from FILE (mode 600), keeping a password out of argv; "
        f"else ${ENV_STORE} or ${ENV_STORE_FILE}",
    )


def resolve(store: str | None, store_file: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The store URL a command should open, from the option given, else the environment, else the default."""
    env = os.environ if environ is None else environ
    if store:
        return store
    if store_file:
        return read_store_file(Path(store_file), "--store-file")
    if env.get(ENV_STORE):
        return env[ENV_STORE]
    if env.get(ENV_STORE_FILE):
        return read_store_file(Path(env[ENV_STORE_FILE]), ENV_STORE_FILE)
    return DEFAULT_STORE


def read_store_file(path: Path, source: str) -> str:
    """The first line of ``path`` that is neither blank nor a ``#`` comment."""
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise StoreUrlError(
            _("{source}: cannot read {path}; give a file holding the store URL", source=source, path=path)
        ) from None
    if sys.platform != "win32" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise StoreUrlError(
            _(
                "{source}: others may read {path}; make it private with `chmod 600 {path}`",
                source=source,
                path=path,
            )
        )
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return line.strip()
    raise StoreUrlError(
        _("{source}: {path} holds no store URL; write it on the first line", source=source, path=path)
    )


def resolve_args(args: argparse.Namespace) -> None:
    """Settle ``args.store`` for a command that takes the store options (others are left alone)."""
    if hasattr(args, "store"):
        args.store = resolve(args.store, getattr(args, "store_file", None))
