"""``rehabcore demo``: record the synthetic municipality (the same job as ``python -m rehabcore.demo``)."""

from __future__ import annotations

import argparse
from typing import Any


def register(commands: Any) -> None:
    # Listed here for --help; ``rehabcore demo …`` is handed to ``rehabcore.demo.main`` before parsing.
    parser: argparse.ArgumentParser = commands.add_parser(
        "demo",
        help="record a synthetic municipality into a store and replay one case, in --lang (demo --help)",
    )
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from rehabcore import demo

    return demo.main([])
