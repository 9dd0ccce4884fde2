"""A projection that counts events per stream: the simplest witness of "every event exactly once"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from rehabcore.projections import Table
from rehabcore.streams import Recorded


@attrs.frozen
class StreamCount:
    """How many events of a stream were applied, and the version of the last one."""

    stream_id: str
    events: int = 0
    last_version: int = 0


class Counting:
    """Per stream, a :class:`StreamCount`. ``poison`` makes evolve fail on that position (a crash)."""

    types: frozenset[str] | None = None
    tables: tuple[Table, ...] = (Table("test_stream_count", StreamCount, "stream_id", ("stream_id",)),)

    def __init__(self, name: str = "counting", version: int = 1, poison: int | None = None) -> None:
        self.name = name
        self.version = version
        self.poison = poison

    def key(self, recorded: Recorded) -> str | None:
        return recorded.stream_id

    def initial(self, key: str) -> StreamCount:
        return StreamCount(key)

    def evolve(self, value: StreamCount, recorded: Recorded) -> StreamCount:
        if recorded.position == self.poison:
            raise RuntimeError("simulated crash in the middle of a batch")
        return StreamCount(value.stream_id, value.events + 1, recorded.version)

    def to_rows(self, value: StreamCount) -> tuple[tuple[Any, ...], ...]:
        return ((value,),)

    def from_rows(self, key: str, rows: Sequence[Sequence[Any]]) -> StreamCount:
        return rows[0][0] if rows[0] else StreamCount(key)
