"""Idempotency reports the truth (#14): of two processes handling the same command at once exactly one gets
``duplicate=False``; a command id reused with other content is a typed error naming the id, not a silent
duplicate (``attrs.evolve`` copies ``command_id``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import attrs
import pytest

import rehabcore as rc
from rehabcore.errors import CommandIdReused
from tests.audit.story import CASE, CASE_WORKER, TODAY, goal, open_case


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def url(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "memory":
        yield "memory://"
    else:
        yield request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


def test_of_two_racing_handlers_exactly_one_reports_not_a_duplicate(url: str) -> None:
    # Two services on one database, each with its own cache, as two processes would have.
    stores = [rc.InMemoryStore()] * 2 if url == "memory://" else [rc.open_store(url), rc.open_store(url)]
    services = [rc.Cases(s, today=lambda: TODAY) for s in stores]
    try:
        services[0].handle(open_case(), actor=CASE_WORKER)
        for n in range(8):
            command = attrs.evolve(goal(f"Mål {n}"), goal_id=rc.new_event_id(), command_id=rc.new_event_id())
            flags: list[bool] = []
            barrier = threading.Barrier(2)

            def run(
                cases: rc.Cases,
                command: object = command,
                barrier: threading.Barrier = barrier,
                flags: list[bool] = flags,
            ) -> None:
                barrier.wait()
                flags.append(cases.handle(command, actor=CASE_WORKER).duplicate)  # type: ignore[arg-type]

            threads = [threading.Thread(target=run, args=(c,)) for c in services]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert sorted(flags) == [False, True], n
        assert len(services[0].get(CASE).goals) == 8
    finally:
        for s in {id(s): s for s in stores}.values():
            s.close()


def test_a_command_id_reused_with_other_content_is_refused_naming_the_id() -> None:
    cases = rc.Cases(rc.InMemoryStore(), today=lambda: TODAY)
    cases.handle(open_case(), actor=CASE_WORKER)
    first = goal("Jobba med trä igen")
    cases.handle(first, actor=CASE_WORKER)
    assert cases.handle(first, actor=CASE_WORKER).duplicate  # the same command again: a retry
    head = cases.store.head_position()
    copied = attrs.evolve(first, citizen_words="Laga mat")  # evolve keeps the command_id
    with pytest.raises(CommandIdReused) as caught:
        cases.handle(copied, actor=CASE_WORKER)
    assert str(first.command_id) in str(caught.value) and "Laga mat" not in str(caught.value)
    assert cases.store.head_position() == head
    # A fresh service (no cache) refuses it the same way.
    with pytest.raises(CommandIdReused):
        rc.Cases(cases.store, today=lambda: TODAY).handle(copied, actor=CASE_WORKER)
