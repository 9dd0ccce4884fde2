"""The kit's surface (the store contract among it) and the hypothesis profiles its tests run under."""

import json
import os
import subprocess
import sys
import types
from pathlib import Path

import rehabcore.testing
from rehabcore.testing import contract

CONFTEST = Path(__file__).resolve().parents[1] / "conftest.py"


def test_the_store_contract_suite_is_re_exported_from_the_kit() -> None:
    assert rehabcore.testing.StoreContract is contract.StoreContract
    assert "StoreContract" in rehabcore.testing.__all__
    tests = [name for name in vars(contract.StoreContract) if name.startswith("test_")]
    assert "test_matches_the_memory_store" in tests and len(tests) > 10


def test_the_kit_s_public_surface_is_exactly_all() -> None:
    public = {
        name
        for name, value in vars(rehabcore.testing).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert set(rehabcore.testing.__all__) == public | {"strategies"}


_PROBE = """
import json, runpy, sys
runpy.run_path(sys.argv[1])
from hypothesis import settings
d = settings.default
print(json.dumps([settings.get_current_profile_name(), d.derandomize, d.database is None,
                  d.deadline is None, d.max_examples, d.print_blob]))
"""


def _profile_selected(**env: str) -> tuple[str, bool, bool, bool, int, bool]:
    """What a fresh ``tests/conftest.py`` loads under ``env``: name, derandomize, no database, no deadline,
    max_examples, print_blob."""
    clean = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(CONFTEST)],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    name, derandomize, no_database, no_deadline, examples, blob = json.loads(out)
    return name, derandomize, no_database, no_deadline, examples, blob


def test_ci_true_selects_the_bounded_derandomized_profile_and_dev_runs_longer() -> None:
    ci = _profile_selected(CI="true", HYPOTHESIS_PROFILE="dev")
    assert ci[0] == "ci", "CI=true must win over HYPOTHESIS_PROFILE"
    assert ci[1:4] == (True, True, True) and ci[4] <= 100 and ci[5], ci
    assert _profile_selected() == ci, "without CI or a profile asked for, the same ci profile"
    dev = _profile_selected(HYPOTHESIS_PROFILE="dev")
    assert dev[0] == "dev" and not dev[1] and dev[3], dev
    assert dev[4] >= 5 * ci[4], (dev, ci)
