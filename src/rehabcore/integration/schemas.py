"""JSON Schemas (draft 2020-12) for every event and command, derived from their attrs classes.

Nothing here lists fields: each schema is built from ``attrs.fields`` and the type hints of the class the
codec names (:data:`rehabcore.codec.EVENT_TYPES`, :data:`~rehabcore.codec.COMMAND_TYPES`), so a new field or
type appears in its schema the moment it appears in the domain. The schema describes exactly what the codec
writes and accepts: every field, ``additionalProperties: false``, enums by value, UUIDs, dates and
datetimes as formatted strings, a correction's replacement as ``{type, schema_version, data}``.

Personal data is marked on the field, with ``x-personal-data``:

* ``"pseudonym"``: the link to a person (``subject_id``), pseudonymous here, identifying in the embedding
  system, which holds the key;
* ``"free-text"``: words a case worker or the citizen wrote, which may name or describe a person.

The generated files ship in the package (``rehabcore/integration/schema_files/``) and in ``docs/schemas/``;
``python -m rehabcore.integration.schemas`` writes both again (a test checks they are current).
"""

from __future__ import annotations

import datetime as dt
import enum
import sys
import types
import typing
import uuid
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import orjson

from rehabcore import codec

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_BASE = "urn:rehabcore:schema"

_SIMPLE: dict[Any, dict[str, Any]] = {
    uuid.UUID: {"type": "string", "format": "uuid"},
    dt.date: {"type": "string", "format": "date"},
    dt.datetime: {"type": "string", "format": "date-time"},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    str: {"type": "string"},
}


def event_schema_id(name: str, version: int) -> str:
    """The ``$id`` (and a CloudEvent's ``dataschema``) of an event type at a schema version."""
    return f"{_BASE}:event:{name}:{version}"


def command_schema_id(name: str) -> str:
    """The ``$id`` of a command type's schema."""
    return f"{_BASE}:command:{name}"


def personal_data(field: str, annotation: Any) -> str | None:
    """How a field holds personal data, derived from its name and type (see the module docstring)."""
    if field == "subject_id":
        return "pseudonym"
    text = annotation is str or str in _members(annotation)
    if text and not field.endswith("_code"):  # a code (municipality, …) is a code, not words
        return "free-text"
    return None


def _members(annotation: Any) -> tuple[Any, ...]:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, tuple):
        return tuple(a for a in typing.get_args(annotation) if a is not Ellipsis)
    return ()


class _Builder:
    """One schema's ``$defs`` (nested value classes), filled as fields refer to them."""

    def __init__(self) -> None:
        self.defs: dict[str, dict[str, Any]] = {}

    def of(self, annotation: Any) -> dict[str, Any]:
        if annotation in _SIMPLE:
            return dict(_SIMPLE[annotation])
        if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
            values = [m.value for m in annotation]
            kind = "string" if all(isinstance(v, str) for v in values) else "integer"
            return {"type": kind, "enum": values}
        if isinstance(annotation, type) and attrs.has(annotation):
            name = annotation.__name__
            if name not in self.defs:
                self.defs[name] = {}  # recursion guard, filled below
                self.defs[name] = self.object(annotation)
            return {"$ref": f"#/$defs/{name}"}
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": self.of(args[0])}
        if origin in (typing.Union, types.UnionType):
            present = [a for a in args if a is not type(None)]
            if len(present) > 1 and all(attrs.has(a) for a in present):
                inner: dict[str, Any] = self.replacement(present)
            else:
                inner = self.of(present[0]) if len(present) == 1 else {"anyOf": [self.of(a) for a in present]}
            return {"anyOf": [inner, {"type": "null"}]} if type(None) in args else inner
        raise TypeError(f"no JSON Schema for {annotation!r}")

    def replacement(self, classes: list[type[Any]]) -> dict[str, Any]:
        """A union of event classes, as the codec writes it: the stable name, its version, its data."""
        names = {cls: name for name, (cls, _) in codec.EVENT_TYPES.items()}
        return {
            "type": "object",
            "additionalProperties": False,
            "required": ["type", "schema_version", "data"],
            "properties": {
                "type": {"type": "string", "enum": [names[c] for c in classes]},
                "schema_version": {"type": "integer"},
                "data": {"anyOf": [self.of(c) for c in classes]},
            },
        }

    def object(self, cls: type[Any]) -> dict[str, Any]:
        hints = typing.get_type_hints(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in attrs.fields(cls):
            annotation = hints[field.name]
            described = self.of(annotation)
            marked = personal_data(field.name, annotation)
            if marked:
                described = {**described, "x-personal-data": marked}
            properties[field.name] = described
            if field.default is attrs.NOTHING:
                required.append(field.name)
        out: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": properties}
        if required:
            out["required"] = required
        return out


def _document(cls: type[Any], schema_id: str, title: str) -> dict[str, Any]:
    builder = _Builder()
    body = builder.object(cls)
    doc = (cls.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
    out: dict[str, Any] = {"$schema": DIALECT, "$id": schema_id, "title": title, "description": doc, **body}
    if builder.defs:
        out["$defs"] = dict(sorted(builder.defs.items()))
    return out


def event_schemas() -> dict[str, dict[str, Any]]:
    """Every event type's schema at its current version, by stable name."""
    return {
        name: _document(cls, event_schema_id(name, version), name)
        for name, (cls, version) in codec.EVENT_TYPES.items()
    }


def command_schemas() -> dict[str, dict[str, Any]]:
    """Every command type's schema, by stable name."""
    return {name: _document(cls, command_schema_id(name), name) for name, cls in codec.COMMAND_TYPES.items()}


def all_schemas() -> dict[str, dict[str, Any]]:
    """File name → schema, as shipped: ``events/<name>.json`` and ``commands/<name>.json``."""
    files = {f"events/{name}.json": s for name, s in event_schemas().items()}
    files.update({f"commands/{name}.json": s for name, s in command_schemas().items()})
    return files


def render(schema: dict[str, Any]) -> bytes:
    """A schema as the shipped file holds it: indented, keys in order, a final newline."""
    return orjson.dumps(schema, option=orjson.OPT_INDENT_2) + b"\n"


def shipped(relative: str) -> dict[str, Any]:
    """A schema as shipped in the installed package (``events/rehab.CaseOpened.json`` …)."""
    folder, name = relative.split("/", 1)
    data = resources.files("rehabcore.integration").joinpath("schema_files", folder, name).read_bytes()
    return orjson.loads(data)  # type: ignore[no-any-return]


def write(root: Path) -> list[Path]:
    """Write every schema under ``root`` (``events/…``, ``commands/…``), removing stale files."""
    written = []
    wanted = all_schemas()
    for folder in ("events", "commands"):
        for old in (root / folder).glob("*.json"):
            if f"{folder}/{old.name}" not in wanted:
                old.unlink()
    for relative, schema in wanted.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render(schema))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Write the package's and the docs' copies again (run from a source checkout)."""
    args = sys.argv[1:] if argv is None else argv
    package = Path(__file__).parent / "schema_files"
    targets = [Path(a) for a in args] or [package, Path(__file__).parents[3] / "docs" / "schemas"]
    for target in targets:
        print(f"{len(write(target))} schemas written to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
