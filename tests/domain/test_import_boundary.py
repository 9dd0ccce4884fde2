"""The domain's promise, checked: ``rehabcore.domain`` imports only the standard library, attrs, itself and
``rehabcore.errors`` — no clock, no I/O, no codec, no store (COMMON.md, style.md)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import rehabcore.domain

DOMAIN = Path(rehabcore.domain.__file__).parent
ALLOWED = ("attrs", "rehabcore.domain", "rehabcore.errors")


def _imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
    return found


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_a_domain_module_imports_only_the_standard_library_attrs_and_the_domain(path: Path) -> None:
    outside = [
        name
        for name in _imports(path)
        if name.split(".")[0] not in sys.stdlib_module_names
        and name != "__future__"
        and not any(name == a or name.startswith(a + ".") for a in ALLOWED)
    ]
    assert not outside, f"{path.name} imports {outside}"


def test_the_check_would_see_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import orjson\nfrom rehabcore.store import EventStore\nfrom rehabcore import codec\n")
    assert _imports(bad) == ["orjson", "rehabcore.store", "rehabcore"]
