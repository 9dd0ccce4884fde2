"""Hypothesis over the command line (#14): whatever the arguments (strings, numbers, nan, inf, paths, URLs),
every run ends with exit 0, 1 or 2 and a message, never a traceback."""

from __future__ import annotations

import contextlib
import io
import math
import socket
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rehabcore as rc
from rehabcore import demo
from rehabcore.cli import main


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cli") / "store.sqlite"
    store = rc.open_store(f"sqlite:///{path}")
    demo.build(store, people=2)
    store.close()
    return f"sqlite:///{path}"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["nan", "inf", "-inf", "-1", "0", "1e308", "1e-9", "abc", "", "9" * 40, "0x10"]),
    st.integers(-(10**20), 10**20).map(str),
)
dates = st.one_of(
    st.sampled_from(
        ["2025-10-01", "0001-01-01", "9999-12-31", "2025-13-01", "yesterday", "2025-10-01T25:00"]
    ),
    st.sampled_from(["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2025-10-01T12:00:00+02:00"]),
    st.text(max_size=12),
)
texts = st.one_of(st.text(max_size=20), st.sampled_from(["\udcff", "\ud800", "\x00", "-", "--", "-h"]))


def _urls(store_url: str, tmp: str) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(
            [
                store_url,
                f"{store_url}?timeout=abc",
                f"{store_url}?mode=rw",
                "memory://",
                "sqlite:///",
                f"sqlite:///{tmp}",
                f"sqlite:///{tmp}/missing.sqlite",
                "sqlite:////dev/null",
                f"postgresql+psycopg://u:pw@127.0.0.1:{_closed_port()}/db",
                "postgresql+psycopg://u@127.0.0.1:notaport/db",
                "mysql://x/y",
                "http://example.invalid/",
                "no-scheme",
                "",
            ]
        ),
        texts,
    )


def _command(store_url: str, tmp: str) -> st.SearchStrategy[list[str]]:
    case = st.one_of(st.uuids().map(str), texts)
    store = st.lists(st.tuples(st.just("--store"), _urls(store_url, tmp)), max_size=1)
    value = st.one_of(numbers, dates, texts)
    options = {
        "verify": ["--format", "--as-known-at", "--lang", "--export-digest", "--check-digest", "--sign-key"],
        "timeline": ["--format", "--as-known-at", "--on", "--lang", "--view"],
        "replay": ["--format", "--as-known-at", "--on", "--lang"],
        "stats": ["--on", "--format", "--model", "--period", "--threshold-days"],
        "projections status": ["--format"],
        "projections rebuild": ["--batch-size"],
        "projections follow": ["--poll"],
    }

    @st.composite
    def build(draw: st.DrawFn) -> list[str]:
        name = draw(st.sampled_from(sorted(options)))
        argv = name.split()
        if name in ("timeline", "replay"):
            argv.append(draw(case))
        for option in draw(st.lists(st.sampled_from(options[name]), max_size=3, unique=True)):
            argv += [option, draw(value)]
        for option, url in draw(store):
            argv += [option, url]
        if name == "projections follow":
            # Any value, but a run that would rightly go on for long is not what this test is about.
            seconds = draw(st.one_of(numbers, st.floats(0, 0.05).map(repr)))
            with contextlib.suppress(ValueError):
                if math.isfinite(float(seconds)) and float(seconds) > 0.05:
                    seconds = "0.05"
            argv += ["--max-seconds", seconds]
        return argv

    return build()


@settings(max_examples=60)
@given(data=st.data())
def test_every_run_ends_with_0_1_or_2_and_no_traceback(
    store_url: str, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    tmp = str(tmp_path_factory.getbasetemp())
    argv = data.draw(_command(store_url, tmp))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    assert code in (0, 1, 2), (argv, code, err.getvalue()[-500:])
    assert "Traceback" not in err.getvalue()
    if code == 2:
        assert err.getvalue().strip(), argv  # a message saying what to change


@pytest.mark.parametrize(
    "argv",
    [
        ["projections", "follow", "--max-seconds", "nan"],
        ["projections", "follow", "--max-seconds", "inf"],
        ["projections", "follow", "--poll", "nan", "--max-seconds", "1"],
        ["projections", "follow", "--poll", "inf", "--max-seconds", "1"],
        ["projections", "follow", "--poll", "1e308", "--max-seconds", "1"],
        ["stats", "--threshold-days", "99999999999999999999"],
        ["projections", "rebuild", "--batch-size", "99999999999999999999"],
        ["stats", "--on", "9999-12-31"],
        ["verify", "--as-known-at", "0001-01-01T00:00:00+14:00"],
        ["verify", "--store", "{url}?timeout=abc"],
        ["verify", "--export-digest", "/dev/full", "--lang", "en"],
        ["timeline", "\udcff"],
    ],
)
def test_the_reported_inputs_are_exit_2_with_a_message(
    store_url: str, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [a.format(url=store_url) for a in argv]
    if "--store" not in argv:
        argv += ["--store", store_url]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "error" in err and "Traceback" not in err


def test_a_stats_run_on_a_deleted_path_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--store", f"sqlite:///{tmp_path}/nothing.sqlite"]) == 2
    assert "no store" in capsys.readouterr().err
