"""Both distributions name the same addresses, and only real ones: the documentation address, when there is
one, is the one the docs site is built for (mkdocs.yml's ``site_url``), never a guessed repository page."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _urls(pyproject: Path) -> dict[str, str]:
    return dict(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"].get("urls", {}))


def _site_url() -> str | None:
    # mkdocs.yml may carry python/name tags; only the plain keys are read here.
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    plain = "\n".join(line for line in text.splitlines() if "!!" not in line)
    value = yaml.safe_load(plain).get("site_url")
    return str(value) if value else None


def test_both_distributions_name_the_same_home_and_the_docs_where_they_are_built() -> None:
    core = _urls(ROOT / "pyproject.toml")
    adapter = _urls(ROOT / "adapters" / "sqlalchemy" / "pyproject.toml")
    assert core.keys() == adapter.keys()
    for urls in (core, adapter):
        assert urls.get("Documentation") in (None, _site_url()) or str(urls["Documentation"]).startswith(
            str(_site_url())
        )
        assert all(url.startswith("https://") for url in urls.values())
