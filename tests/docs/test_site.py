"""The docs site builds with ``mkdocs build --strict`` (material theme, mkdocstrings) from the installed
packages, offline, and its API reference documents every public name of the public modules."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Page of the reference -> the modules it documents in full (by their __all__ or their own classes).
REFERENCE = {
    "rehabcore": ["rehabcore", "rehabcore.domain.rules", "rehabcore.observability", "rehabcore.i18n"],
    "commands": ["rehabcore.domain.commands"],
    "events": ["rehabcore.domain.events"],
    "vocabulary": ["rehabcore.domain.vocabulary"],
    "audit": ["rehabcore.audit"],
    "projections": ["rehabcore.projections"],
    "testing": ["rehabcore.testing"],
    "sqlalchemy": ["rehabcore_sqlalchemy"],
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(out)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return out


def _public(module_name: str) -> list[str]:
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n, v in vars(module).items() if getattr(v, "__module__", None) == module_name]
    return [n for n in names if not n.startswith("_") and not _is_module(getattr(module, n))]


def _is_module(value: object) -> bool:
    return type(value).__name__ == "module"


@pytest.mark.parametrize("page", sorted(REFERENCE))
def test_the_reference_documents_every_public_name(site: Path, page: str) -> None:
    html = (site / "reference" / page / "index.html").read_text(encoding="utf-8")
    anchors = set(re.findall(r'id="([^"]+)"', html))
    for module_name in REFERENCE[page]:
        names = _public(module_name)
        assert names
        # A function re-exported under its own module's name is documented from that module.
        missing = [
            n
            for n in names
            if f"{module_name}.{n}" not in anchors and f"{module_name}.{n}.{n}" not in anchors
        ]
        assert not missing, f"{page}: {module_name} lacks {missing}"


def test_every_guide_is_in_the_site_and_the_index_links_inside_it(site: Path) -> None:
    for guide in (ROOT / "docs").glob("*.md"):
        built = site / ("" if guide.stem == "index" else guide.stem) / "index.html"
        assert built.is_file(), guide.name
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "README" not in index and 'href="getting-started/"' in index
    # Nothing is fetched from a third party when a page is read (fonts, scripts).
    assert "fonts.googleapis.com" not in index
