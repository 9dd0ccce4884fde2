"""Import provenance: what an import or a migration writes into each event it appends directly.

``Cases`` records every entry in answer to a command, and ``verify`` checks that each entry's id is the one
its command gave it. Software that appends events itself (an import of an older system's record, a
migration) has no command: it says instead, in every event's metadata, which import batch wrote it, who ran
it and from where (``{"import": {"batch_id": …, "actor": …, "source": …}}``). ``verify`` accepts such an
entry as imported and counts it per batch in its report, so an auditor sees each batch and how many entries
it wrote, and can hold that against the import's own log; ``replay`` shows it as imported instead of a
divergence.

What it does not prove: that the batch is what it says. Anyone who can write the store can write this block
too; a forged entry then shows as one more entry of a batch (or one more batch). Keep the import's log, and
a head digest taken right after it (``rehabcore verify --export-digest``), outside the store.
"""

from __future__ import annotations

import uuid
from typing import Any

import attrs
import orjson

from rehabcore.errors import InvalidInput
from rehabcore.ids import new_event_id
from rehabcore.store import NewEvent

#: The metadata key of an import's provenance.
KEY = "import"


def _text(name: str, limit: int) -> Any:
    def check(_: Any, attribute: Any, value: Any) -> None:
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            raise InvalidInput(name, f"must be non-empty text of at most {limit} characters")
        try:
            value.encode()
        except UnicodeEncodeError:
            raise InvalidInput(name, "must be valid Unicode text (no lone surrogates)") from None

    return check


@attrs.frozen
class ImportBatch:
    """One run of an import: its id, who ran it (a pseudonymous actor id) and where the data came from.

    ``source`` names the system or file the events come from (``"legacy-ame-2019"``), not a person.
    """

    actor: str = attrs.field(validator=_text("actor", 200))
    source: str = attrs.field(validator=_text("source", 200))
    batch_id: uuid.UUID = attrs.field(factory=uuid.uuid4)

    def provenance(self) -> dict[str, str]:
        """The block every event of the batch carries under ``"import"`` in its metadata."""
        return {"batch_id": str(self.batch_id), "actor": self.actor, "source": self.source}

    def metadata(self, **more: Any) -> bytes:
        """Metadata bytes with this batch's provenance (and anything else the importer keeps)."""
        if KEY in more:
            raise InvalidInput("metadata", f"'{KEY}' is the batch's own key")
        return orjson.dumps({KEY: self.provenance(), **more})

    def event(self, type_: str, data: bytes, *, schema_version: int = 1, **more: Any) -> NewEvent:
        """A new event of this batch, with a time-ordered id (see :func:`rehabcore.new_event_id`)."""
        return NewEvent(new_event_id(), type_, schema_version, data, self.metadata(**more))


def import_of(metadata: bytes) -> dict[str, str] | None:
    """The import provenance in an event's metadata, when it is complete and well formed; else None."""
    if b'"import"' not in metadata:
        return None
    try:
        block = orjson.loads(metadata).get(KEY)
        uuid.UUID(block["batch_id"])
    except (orjson.JSONDecodeError, AttributeError, KeyError, TypeError, ValueError):
        return None
    ok = all(isinstance(block.get(k), str) and block[k].strip() for k in ("actor", "source"))
    return {k: block[k] for k in ("batch_id", "actor", "source")} if ok else None
