"""Every Python block in ``docs/`` runs as written: each page's blocks in order, in one namespace (a page may
build on its earlier blocks, as a reader does), in a fresh directory so files such as ``cases.sqlite`` start
empty, and in a process of its own, so what a page sets up (hypothesis profiles, say) stays out of this
session."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _python_blocks(path: Path) -> list[str]:
    return re.findall(
        r"^```(?:python|py)\n(.*?)^```", path.read_text(encoding="utf-8"), flags=re.DOTALL | re.MULTILINE
    )


# Pages whose blocks need a set-up of their own (a host app's module, a CLI run between blocks) are run by
# their own test, named here; every other page with code runs below.
OWN_RUNNER = {"embedding.md": "test_embedding_doc.py"}
PAGES = sorted(p for p in DOCS.rglob("*.md") if _python_blocks(p) and p.name not in OWN_RUNNER)


def test_pages_left_out_here_have_their_own_runner() -> None:
    for page, runner in OWN_RUNNER.items():
        assert (DOCS / page).exists() and (Path(__file__).parent / runner).exists()


def test_the_pages_with_code_are_found() -> None:
    names = {p.name for p in PAGES}
    assert {"getting-started.md", "audit.md", "testing.md", "adapters.md", "projections.md"} <= names


def test_no_block_hides_behind_another_fence() -> None:
    # A block fenced as ```python3 or ```pycon would escape the test below (```py marks a block that other
    # tests must not run in their process, such as a conftest that loads hypothesis profiles: it runs here).
    for page in DOCS.rglob("*.md"):
        fences = re.findall(r"^```(\w+)", page.read_text(encoding="utf-8"), flags=re.MULTILINE)
        assert not {f for f in fences if f.startswith("py") and f not in {"python", "py"}}, page.name


# The page runs under the suite's hypothesis settings (tests/conftest.py's ci profile), not the defaults,
# whose too-slow health check fails on a loaded machine.
_RUN_PAGE = """
import re, sys
from pathlib import Path

from hypothesis import HealthCheck, settings

settings.register_profile(
    "docs", derandomize=True, max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("docs")

page = Path(sys.argv[1])
text = page.read_text(encoding="utf-8")
blocks = re.findall(r"^```(?:python|py)\\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE)
namespace = {"__name__": "__main__"}
for number, block in enumerate(blocks, start=1):
    exec(compile(block, f"{page.name} block {number}", "exec"), namespace)
print(len(blocks), "blocks ran")
"""


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_every_python_block_of_the_page_runs(page: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _RUN_PAGE, str(page)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(f"{len(_python_blocks(page))} blocks ran")
