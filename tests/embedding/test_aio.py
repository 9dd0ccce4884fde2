"""The asyncio facade keeps the event loop free while rehabcore waits on the database."""

from __future__ import annotations

import asyncio
import threading

from rehabcore_sqlalchemy import SqlEventStore

import rehabcore as rc
from rehabcore.aio import AsyncCases, in_thread

from .helpers import ACTOR, cases_on, open_case


def test_the_loop_keeps_running_while_a_command_waits_for_the_write_lock(sqlite_url: str) -> None:
    store = rc.open_store(sqlite_url)
    assert isinstance(store, SqlEventStore)
    locked, release = threading.Event(), threading.Event()

    def hold_the_write_lock() -> None:
        with store.transaction():
            locked.set()
            release.wait(30)

    holder = threading.Thread(target=hold_the_write_lock)
    holder.start()
    locked.wait(30)

    async def scenario() -> tuple[int, int]:
        ticks = 0
        command = open_case()
        pending = asyncio.ensure_future(AsyncCases(cases_on(store)).handle(command, actor=ACTOR))
        while ticks < 5:  # the loop runs while the command waits for the lock on its thread
            await asyncio.sleep(0.01)
            ticks += 1
        assert not pending.done()
        release.set()
        handled = await pending
        state = await AsyncCases(cases_on(store)).get(command.case_id)
        return ticks, handled.appended[0].position + state.version

    ticks, checks = asyncio.run(scenario())
    holder.join(30)
    assert ticks == 5 and checks == 2
    store.close()


def test_in_thread_runs_a_unit_of_work_on_one_thread(sqlite_url: str) -> None:
    store = rc.open_store(sqlite_url)
    assert isinstance(store, SqlEventStore)
    loop_thread = threading.get_ident()

    def unit_of_work() -> int:
        assert threading.get_ident() != loop_thread
        with store.transaction() as conn:
            return cases_on(store.using(conn)).handle(open_case(), actor=ACTOR).appended[0].position

    assert asyncio.run(in_thread(unit_of_work)) == 1
    store.close()
