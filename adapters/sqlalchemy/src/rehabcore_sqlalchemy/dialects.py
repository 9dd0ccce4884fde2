"""What differs between back-ends, behind one small interface the store calls.

A :class:`Dialect` makes the engine, opens the write transaction with whatever lock serialises appends on
its back-end, refuses values the back-end cannot hold exactly, and translates driver errors into
rehabcore's errors. The store itself never names a driver.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc

from rehabcore.errors import PayloadRejected, StoreError
from rehabcore.store import StreamWrite

_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1


class Dialect(abc.ABC):
    """One back-end's engine, write lock, value limits and error translation."""

    #: Execution options for ``read_all``: a back-end that can stream rows sets them here.
    stream_options: dict[str, Any] = {}  # noqa: RUF012 - read-only class default

    @abc.abstractmethod
    def create_engine(self, url: sa.URL) -> sa.Engine:
        """An engine configured for durable, serialised appends."""

    @abc.abstractmethod
    @contextmanager
    def write_transaction(self, conn: sa.Connection) -> Iterator[None]:
        """A transaction on ``conn`` that holds the store-wide append lock until it ends.

        Appends are serialised so that positions are assigned in commit order: a reader that sees
        position ``p`` has already been able to see every position below ``p``.
        """

    def check_values(self, writes: Iterable[StreamWrite]) -> None:
        """Raise :class:`~rehabcore.errors.PayloadRejected` for values the back-end would not keep exactly.

        ``schema_version`` is a 32-bit INTEGER column on every SQL back-end.
        """
        for write in writes:
            if any(not _INT32_MIN <= event.schema_version <= _INT32_MAX for event in write.events):
                raise PayloadRejected("schema_version: must fit a 32-bit signed integer in a SQL store")

    def translate(self, exc: sa_exc.DBAPIError) -> StoreError:
        """Map a driver failure other than a key clash to a :class:`~rehabcore.errors.StoreError`.

        Messages name only the kind of failure, never statement parameters, which may hold case data.
        """
        return StoreError(f"storage back-end failed: {type(exc.orig).__name__}")
