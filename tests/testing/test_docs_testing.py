"""docs/testing.md runs as written: its Python blocks, top to bottom, in one namespace."""

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "testing.md"


def test_the_testing_guide_runs_top_to_bottom(capsys: object) -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert len(blocks) >= 8
    namespace: dict[str, object] = {}
    for n, block in enumerate(blocks):
        exec(compile(block, f"docs/testing.md block {n}", "exec"), namespace)
    assert namespace["ORNSKOLDSVIK"].ref == "ornskoldsvik@2026-03"  # type: ignore[attr-defined]
