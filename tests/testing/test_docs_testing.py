"""docs/testing.md runs as written: its Python blocks, top to bottom, in one namespace; its conftest too."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "testing.md"


def test_the_testing_guide_runs_top_to_bottom(capsys: object) -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert len(blocks) >= 8
    namespace: dict[str, object] = {}
    for n, block in enumerate(blocks):
        exec(compile(block, f"docs/testing.md block {n}", "exec"), namespace)
    assert namespace["ORNSKOLDSVIK"].ref == "ornskoldsvik@2026-03"  # type: ignore[attr-defined]


# Run apart (```py, not ```python): loading a profile here would change the settings of the whole session.
_CONFTEST = re.search(r"```py\n(# conftest\.py\n.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
_PROBE = """
import json, sys
exec(compile(sys.stdin.read(), "docs/testing.md conftest", "exec"), {})
from hypothesis import settings
d = settings.default
print(json.dumps([settings.get_current_profile_name(), d.derandomize, d.database is None, d.max_examples]))
"""


@pytest.mark.parametrize(
    ("env", "profile"),
    [
        ({"CI": "true"}, ["ci", True, True, 40]),
        ({"CI": "true", "HYPOTHESIS_PROFILE": "dev"}, ["ci", True, True, 40]),
        ({}, ["ci", True, True, 40]),
        ({"HYPOTHESIS_PROFILE": "dev"}, ["dev", False, False, 300]),
    ],
)
def test_the_guide_s_conftest_selects_the_profiles_it_says(
    env: dict[str, str], profile: list[object]
) -> None:
    assert _CONFTEST is not None, "docs/testing.md shows a conftest.py in a ```py block"
    clean = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
    out = subprocess.run(
        [sys.executable, "-c", _PROBE],
        input=_CONFTEST.group(1),
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(out) == profile
