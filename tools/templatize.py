"""Rewrite rule raises whose message is an f-string into a template with typed keyword values.

    python tools/templatize.py src/rehabcore/domain/*.py && ruff format src/rehabcore/domain

For a branch that adds rules with f-string messages (``tests/test_i18n.py`` names them): run it, rename the
``value`` fields it could not name, then ``make messages`` and translate the new ids.

Each ``raise Rule(f"… {c.end_on} …")`` in the files becomes ``raise Rule("… {end_on} …", end_on=c.end_on)``:
a field is named after the last name of its expression (``c.end_on`` → ``end_on``), with a number added when
two different expressions would share a name; an expression with a format spec or a conversion, or one that is
no plain name or attribute (``{q.start_on - _DAY}``), gets a name ``value``, ``value2`` … to rename by hand.
Warnings (``RuleWarning(…, message=f"…")`` → ``RuleWarning.of(…, template="…", …)``) are rewritten by hand.
"""

from __future__ import annotations

import ast
import json
import sys
import textwrap
from pathlib import Path

NOT_RULES = {
    "InvalidInput",
    "PersonalDataInIdentifier",
    "TypeError",
    "ValueError",
    "UnknownCase",
    "UnknownUnit",
}


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else "<call>"


def _flatten(node: ast.expr) -> list[ast.expr] | None:
    """The parts of an f-string, or of implicitly joined strings and f-strings (already one JoinedStr)."""
    if isinstance(node, ast.JoinedStr):
        return list(node.values)
    return None


def _template(parts: list[ast.expr], source: str) -> tuple[str, list[tuple[str, str]]]:
    text: list[str] = []
    fields: dict[str, str] = {}
    spare = 0
    for part in parts:
        if isinstance(part, ast.Constant):
            text.append(str(part.value).replace("{", "{{").replace("}", "}}"))
            continue
        assert isinstance(part, ast.FormattedValue)
        expr = ast.get_source_segment(source, part.value) or ast.unparse(part.value)
        plain = part.conversion == -1 and part.format_spec is None
        base = _name(part.value) if plain and isinstance(part.value, ast.Name | ast.Attribute) else ""
        if not base:
            spare += 1
            base = "value" if spare == 1 else f"value{spare}"
            if not plain:
                expr = f"f{ast.unparse(ast.JoinedStr([part]))[1:]}"
        name, n = base, 1
        while name in fields and fields[name] != expr:
            n += 1
            name = f"{base}{n}"
        fields[name] = expr
        text.append("{" + name + "}")
    return "".join(text), list(fields.items())


def _literal(template: str, indent: int) -> str:
    lines = textwrap.wrap(template, width=100 - indent, drop_whitespace=False, break_long_words=False)
    return "\n".join(" " * indent + json.dumps(line, ensure_ascii=False) for line in lines).lstrip()


def rewrite(path: Path) -> int:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    edits: list[tuple[int, int, str]] = []
    offsets = [0]
    for line in source.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))

    def at(lineno: int, col: int) -> int:
        return offsets[lineno - 1] + len(source.splitlines(keepends=True)[lineno - 1].encode()[:col].decode())

    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Raise)
            and isinstance(node.exc, ast.Call)
            and _name(node.exc.func) not in NOT_RULES
        ):
            call = node.exc
            if not call.args:
                continue
            parts = _flatten(call.args[0])
            if parts is None:
                continue
            template, fields = _template(parts, source)
            indent = call.args[0].col_offset
            new = _literal(template, indent) + "".join(f", {k}={v}" for k, v in fields)
            start = at(call.args[0].lineno, call.args[0].col_offset)
            end = at(call.args[0].end_lineno or 0, call.args[0].end_col_offset or 0)
            edits.append((start, end, new))
    for start, end, new in sorted(edits, reverse=True):
        source = source[:start] + new + source[end:]
    path.write_text(source, encoding="utf-8")
    return len(edits)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(name, rewrite(Path(name)))
