"""Every message id rehabcore speaks, derived from the code: ``make messages`` writes them to the template
catalog, and ``tests/test_i18n.py`` requires sv, en and da text for each.

Three sources, so a rule added anywhere in the domain shows up as a missing translation, never as an English
sentence that slips through:

* the words marked for gettext (``_``, ``ngettext``, ``N_``) in ``rehabcore.cli``, ``rehabcore.domain`` and
  ``rehabcore.audit``, as Babel extracts them;
* every ``raise`` of a rule in ``rehabcore/domain`` (any raised class but the few input and lookup errors
  named in :data:`NOT_RULES`): its first argument is the template, ``plural=`` its plural;
* every ``RuleWarning.of(template=…)``, ``Finding.of(…, template, …)`` and replay's ``Divergence.of(…)``,
  and the nouns a ``fresh(…)`` check puts into its message;
* the words marked in the demo (``rehabcore/demo.py`` and every ``demo_*.py`` beside it) and in
  ``rehabcore/retention.py`` (the plan's text), which print in the language of their user like every command.

A template that is not a plain string (an f-string, a variable) cannot be translated: it is reported as a
problem, with its file and line. ``python tools/message_ids.py OUT.pot`` writes the template catalog.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract, extract_from_dir
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "rehabcore"
MARKED_IN = ("cli", "domain", "audit")
#: What the domain raises that is not a rule: input and lookup errors, whose words are field names and ids,
#: and the errors a developer reads (a local rule that raised, a retention schedule without a policy).
NOT_RULES = frozenset(
    {
        "InvalidInput",
        "PersonalDataInIdentifier",
        "TypeError",
        "ValueError",
        "LookupError",
        "UnknownCase",
        "UnknownUnit",
        "LocalRuleFailed",
    }
)

MessageId = str | tuple[str, str]


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return "<call>"  # ``type(err)(…)``: the class of a rule caught and raised again


def _text(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


class _Finder(ast.NodeVisitor):
    def __init__(self, path: Path, in_domain: bool) -> None:
        self.path, self.in_domain = path, in_domain
        self.found: dict[MessageId, list[str]] = {}
        self.problems: list[str] = []

    def _where(self, node: ast.AST) -> str:
        return f"{self.path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"

    def _template(self, call: ast.Call, node: ast.expr | None, what: str) -> None:
        template = _text(node)
        if template is None:
            self.problems.append(f"{self._where(call)}: the {what} is not a plain string template")
            return
        plural_node = _keyword(call, "plural")
        plural = _text(plural_node)
        if plural_node is not None and plural is None:
            self.problems.append(f"{self._where(call)}: the plural of the {what} is not a plain string")
        key: MessageId = (template, plural) if plural is not None else template
        self.found.setdefault(key, []).append(self._where(call))

    def visit_Raise(self, node: ast.Raise) -> None:
        call = node.exc
        if self.in_domain and isinstance(call, ast.Call) and _name(call.func) not in NOT_RULES:
            self._template(call, call.args[0] if call.args else None, f"message of {_name(call.func)}")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        owner = func.value if isinstance(func, ast.Attribute) else None
        owner_name = owner.id if isinstance(owner, ast.Name) else None
        if owner_name == "RuleWarning" and _name(func) == "of":
            self._template(node, _keyword(node, "template"), "RuleWarning template")
        elif owner_name == "Finding" and _name(func) == "of":
            self._template(node, node.args[3] if len(node.args) > 3 else None, "Finding template")
        elif owner_name == "Divergence" and _name(func) == "of":
            self._template(node, node.args[2] if len(node.args) > 2 else None, "Divergence template")
        elif _name(func) == "Divergence" and _keyword(node, "template") is not None:
            self._template(node, _keyword(node, "template"), "Divergence template")
        elif _name(func) in ("RuleWarning", "Finding"):
            said = (
                _keyword(node, "message") if _name(func) == "RuleWarning" else (node.args[3:4] or [None])[0]
            )
            if isinstance(said, ast.Constant | ast.JoinedStr):  # a variable: a local rule's own words
                self.problems.append(f"{self._where(node)}: use {_name(func)}.of with a template")
        elif self.in_domain and _name(func) == "fresh" and len(node.args) == 3:
            self._template(node, node.args[2], "noun of fresh()")
        self.generic_visit(node)


def derive() -> tuple[dict[MessageId, list[str]], list[str]]:
    """The message ids with where they are used, and the templates that cannot be translated."""
    found: dict[MessageId, list[str]] = {}
    problems: list[str] = []
    for part in MARKED_IN:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            str(PACKAGE / part), [("**.py", "python")]
        ):
            key: MessageId = message if isinstance(message, str) else (message[0], message[1])
            found.setdefault(key, []).append(f"src/rehabcore/{part}/{filename}:{lineno}")
    # The demo and its parts (one module per topic), and the retention plan's text: printed by commands too.
    for path in sorted([*PACKAGE.glob("demo*.py"), PACKAGE / "retention.py"]):
        with path.open("rb") as f:
            for lineno, message, _comments, _context in extract("python", f):
                key = message if isinstance(message, str) else (message[0], message[1])
                found.setdefault(key, []).append(f"src/rehabcore/{path.name}:{lineno}")
    for path in sorted(PACKAGE.rglob("*.py")):
        finder = _Finder(path, in_domain=path.is_relative_to(PACKAGE / "domain"))
        finder.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        for key, where in finder.found.items():
            found.setdefault(key, []).extend(where)
        problems += finder.problems
    return found, problems


def write_template(out: Path) -> None:
    found, problems = derive()
    if problems:
        raise SystemExit("messages that cannot be translated:\n  " + "\n  ".join(problems))
    catalog = Catalog(project="rehabcore", copyright_holder="rehabcore developers")
    for key in sorted(found, key=lambda k: k if isinstance(k, str) else k[0]):
        catalog.add(key, flags=("python-brace-format",))
    with out.open("wb") as f:
        write_po(f, catalog, width=110, omit_header=False, no_location=True, sort_output=False)


if __name__ == "__main__":
    write_template(Path(sys.argv[1]))
