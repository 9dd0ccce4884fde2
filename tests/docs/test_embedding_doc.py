"""docs/embedding.md runs as written: its Python blocks in order in one namespace, its commands through the
CLI, its install line checked against what is installed (the ``migrations/env.py`` block runs in a real
Alembic project in tests/embedding/test_schema_control.py)."""

from __future__ import annotations

import importlib.metadata
import io
import re
import shlex
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from rehabcore.cli import main

DOC = Path(__file__).resolve().parents[2] / "docs" / "embedding.md"
ENV_MARK = "# migrations/env.py"


def _blocks() -> list[tuple[str, str]]:
    return re.findall(r"```(python|sh)\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)


def _command(line: str) -> None:
    words = shlex.split(line, comments=True)
    if not words:
        return
    if words[0] == "pip":
        # Not re-run here: check that what it installs is what the tests run with.
        extra = re.search(r"\[(\w+)\]", line)
        assert extra and extra.group(1) in {"postgresql", "sqlite"}
        importlib.metadata.version("rehabcore-sqlalchemy")
        importlib.metadata.version("psycopg")
        return
    assert words[0] == "rehabcore", line
    argv = words[1 : words.index(">")] if ">" in words else words[1:]
    out = io.StringIO()
    with (
        redirect_stdout(io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
        if "export" in argv
        else redirect_stdout(out)
    ):
        code = main(argv)
    assert code in ((0, 1) if "status" in argv else (0,)), (line, code, out.getvalue())


def test_embedding_doc_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # sqlite:///app.sqlite lands here
    namespace: dict[str, object] = {"__name__": "embedding_doc"}
    ran = 0
    for kind, block in _blocks():
        if kind == "python" and not block.startswith(ENV_MARK):
            exec(compile(block, str(DOC), "exec"), namespace)
            ran += 1
        elif kind == "sh":
            for line in block.splitlines():
                _command(line)
    assert ran >= 6
    assert (tmp_path / "app.sqlite").exists()
