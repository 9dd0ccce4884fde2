"""The README's code blocks and every script in examples/ run as they are written."""

import importlib.util
import re
import types
from pathlib import Path

import pytest

import rehabcore

ROOT = Path(__file__).resolve().parents[2]


def _python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_readme_has_a_python_example() -> None:
    assert _python_blocks(ROOT / "README.md")


@pytest.mark.parametrize("block", _python_blocks(ROOT / "README.md"))
def test_readme_block_runs(block: str) -> None:
    exec(compile(block, "README.md", "exec"), {})


@pytest.mark.parametrize("script", sorted((ROOT / "examples").glob("*.py")), ids=lambda p: p.name)
def test_example_runs(script: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location(script.stem, script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main()
    assert capsys.readouterr().out.strip()


def test_quickstart_shows_the_rule_that_rejects_an_unauthorised_extension(
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec = importlib.util.spec_from_file_location("quickstart", ROOT / "examples" / "quickstart.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    state = module.main()
    assert state.status is rehabcore.CaseStatus.ACTIVE
    assert "B6" in capsys.readouterr().out


def test_public_surface_is_exactly_all() -> None:
    public = {
        name
        for name, value in vars(rehabcore).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert set(rehabcore.__all__) == public | {"__version__", "rulesets"}
