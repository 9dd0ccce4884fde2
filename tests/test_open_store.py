"""``open_store`` finds adapters by URL scheme, and says what to install when none is found."""

from __future__ import annotations

import pytest

import rehabcore as rc


def test_a_scheme_with_no_adapter_names_the_entry_point_group_and_not_the_url() -> None:
    with pytest.raises(rc.AdapterNotInstalled) as raised:
        rc.open_store("mysql://user@localhost/cases")
    message = str(raised.value)
    assert "mysql" in message
    assert "rehabcore.stores" in message
    assert "user@localhost" not in message  # the URL may carry credentials: never repeated


@pytest.mark.parametrize("url", ["", "cases.sqlite", "memory", ":memory:"])
def test_something_that_is_not_a_store_url_is_refused(url: str) -> None:
    with pytest.raises(rc.InvalidInput, match="store URL"):
        rc.open_store(url)


def test_the_memory_scheme_is_the_core_s_own() -> None:
    assert isinstance(rc.open_store("memory://"), rc.InMemoryStore)
