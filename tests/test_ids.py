"""``new_event_id``: RFC 9562 version 7 UUIDs that increase within one process."""

from __future__ import annotations

import threading
import time
import uuid

import rehabcore as rc


def test_ids_are_version_7_with_the_rfc_variant_and_the_time_they_were_made() -> None:
    before = time.time_ns() // 1_000_000
    made = rc.new_event_id()
    after = time.time_ns() // 1_000_000
    assert made.version == 7
    assert made.variant == uuid.RFC_4122
    assert before <= made.int >> 80 <= after + 1


def test_ids_increase_even_many_within_one_millisecond() -> None:
    ids = [rc.new_event_id() for _ in range(20_000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_threads_never_get_the_same_id() -> None:
    made: list[uuid.UUID] = []

    def make() -> None:
        made.extend(rc.new_event_id() for _ in range(2_000))

    threads = [threading.Thread(target=make) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(made)) == 8_000
