"""A thin asyncio facade: rehabcore's blocking calls run on worker threads, never on the event loop.

rehabcore's API is synchronous (every call blocks its thread while the database works). In ``async def``
code, call it through :class:`AsyncCases`, or run a whole unit of work with :func:`in_thread`: one function
that opens the transaction, writes the application's rows and handles the command, run on one thread, since
a connection must not move between threads in the middle of a transaction.

The loop only awaits: each call is handed to the default executor (or the one given), so other requests
are served while the database works. Size the executor and the connection pool together
(``docs/embedding.md``, "Threads, asyncio and the size of the pool").
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import uuid
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any, ParamSpec, TypeVar

from rehabcore.cases import Cases, Handled
from rehabcore.domain import commands as cmd
from rehabcore.domain.state import CaseState, UnitState

P = ParamSpec("P")
T = TypeVar("T")


async def in_thread(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``function(*args, **kwargs)`` on a worker thread of the loop's default executor, awaited."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, functools.partial(function, *args, **kwargs))


class AsyncCases:
    """:class:`~rehabcore.Cases` for ``async def`` code: the same calls, awaited, run on worker threads."""

    def __init__(self, cases: Cases, *, executor: Executor | None = None) -> None:
        self.cases = cases
        self._executor = executor

    async def _run(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(function, *args, **kwargs))

    async def handle(
        self,
        command: cmd.Command,
        *,
        actor: cmd.Actor,
        correlation_id: uuid.UUID | None = None,
        causation_id: uuid.UUID | None = None,
    ) -> Handled:
        """:meth:`Cases.handle`, awaited."""
        return await self._run(
            self.cases.handle, command, actor=actor, correlation_id=correlation_id, causation_id=causation_id
        )

    async def get(self, case_id: uuid.UUID, *, as_known_at: dt.datetime | None = None) -> CaseState:
        """:meth:`Cases.get`, awaited."""
        return await self._run(self.cases.get, case_id, as_known_at=as_known_at)

    async def unit(self, unit_id: uuid.UUID) -> UnitState:
        """:meth:`Cases.unit`, awaited."""
        return await self._run(self.cases.unit, unit_id)
