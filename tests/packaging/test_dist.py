"""The packages as a user gets them: both sdists and wheels built, checked as PyPI would, and installed into a
clean venv where the README's first example runs against a SQLite file.

The builds run without isolation (hatchling comes from the ``release`` dependency group) and the clean venv
has no pip of its own: the test venv's pip installs into it with ``--python``, from the same registry and pip
cache ``make install`` uses, so the whole module takes seconds, not minutes.
"""

from __future__ import annotations

import email.parser
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import rehabcore

ROOT = Path(__file__).resolve().parents[2]
ADAPTER = ROOT / "adapters" / "sqlalchemy"
VERSION_RANGE = ">=0.1.0,<0.2"

pytestmark = pytest.mark.packaging


def _run(*args: str | Path, cwd: Path | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    for project in (ROOT, ADAPTER):
        _run(sys.executable, "-m", "build", "--no-isolation", "--outdir", out, project)
    return out


def _one(dist: Path, pattern: str) -> Path:
    (found,) = dist.glob(pattern)
    return found


def _wheel_metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return email.parser.Parser().parsestr(archive.read(name).decode())


def test_twine_check_passes(dist: Path) -> None:
    out = _run(sys.executable, "-m", "twine", "check", "--strict", *sorted(dist.iterdir()))
    assert out.count("PASSED") == 4


@pytest.mark.parametrize("name", ["rehabcore", "rehabcore_sqlalchemy"])
def test_the_licence_travels_in_sdist_and_wheel(dist: Path, name: str) -> None:
    licence = (ROOT / "LICENSE").read_text()
    assert "Apache License" in licence and "Version 2.0, January 2004" in licence
    assert "END OF TERMS AND CONDITIONS" in licence  # the full text, not a stub
    with zipfile.ZipFile(_one(dist, f"{name}-*.whl")) as wheel:
        (member,) = [n for n in wheel.namelist() if n.endswith(".dist-info/licenses/LICENSE")]
        assert wheel.read(member).decode() == licence
    with tarfile.open(_one(dist, f"{name}-*.tar.gz")) as sdist:
        members = {m.name.split("/", 1)[1] for m in sdist.getmembers() if "/" in m.name}
        assert {"LICENSE", "README.md", "pyproject.toml"} <= members
        file = sdist.extractfile(f"{sdist.getnames()[0].split('/')[0]}/LICENSE")
        assert file is not None and file.read().decode() == licence


def test_the_message_catalogs_are_in_the_wheel(dist: Path) -> None:
    with zipfile.ZipFile(_one(dist, "rehabcore-*.whl")) as wheel:
        names = set(wheel.namelist())
    for lang in ("sv", "en", "da"):
        assert f"rehabcore/locale/{lang}/LC_MESSAGES/rehabcore.mo" in names


def test_metadata_is_release_ready(dist: Path) -> None:
    core = _wheel_metadata(_one(dist, "rehabcore-*.whl"))
    adapter = _wheel_metadata(_one(dist, "rehabcore_sqlalchemy-*.whl"))
    for meta in (core, adapter):
        assert meta["License-Expression"] == "Apache-2.0"
        classifiers = meta.get_all("Classifier") or []
        assert not [c for c in classifiers if c.startswith("License ::")]  # PEP 639: the expression alone
        assert "Programming Language :: Python :: 3.11" in classifiers
        assert any(c.startswith("Development Status ::") for c in classifiers)
        # No remote is configured: no guessed addresses (tests/packaging/test_urls.py ties them to the docs).
        assert not [u for u in meta.get_all("Project-URL") or [] if "github.com/rehabcore/" in u]
        assert meta["Description-Content-Type"] == "text/markdown" and meta.get_payload().strip()
    assert {"Natural Language :: Swedish", "Natural Language :: Danish"} <= set(
        core.get_all("Classifier") or []
    )
    requires = core.get_all("Requires-Dist") or []
    assert not [
        r for r in requires if "==" in r.split(";")[0]
    ]  # exact pins belong to the dependency groups, not to users
    assert any(r.startswith("tzdata") for r in requires)
    assert "dev" not in (core.get_all("Provides-Extra") or [])
    assert core["Version"] == rehabcore.__version__  # one version, said twice: in pyproject.toml and __init__
    core_pin = next(r for r in adapter.get_all("Requires-Dist") or [] if re.match(r"rehabcore\b(?!-)", r))
    assert set(core_pin.removeprefix("rehabcore").split(",")) == set(VERSION_RANGE.split(","))


def test_clean_venv_runs_the_readme_example_on_sqlite(dist: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    core, adapter = _one(dist, "rehabcore-*.whl"), _one(dist, "rehabcore_sqlalchemy-*.whl")
    _run(sys.executable, "-m", "pip", "--python", python, "install", "-q", f"{core}[sqlite]", adapter)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)[0]
    assert 'open_store("memory://")' in first
    database = tmp_path / "cases.sqlite"
    script = tmp_path / "first_example.py"
    script.write_text(
        first.replace('open_store("memory://")', f'open_store("sqlite:///{database}")')
        + "\nprint(rc.__file__, store.head_position())\n",
        encoding="utf-8",
    )
    out = _run(python, script, cwd=tmp_path)  # cwd away from the repository: nothing imported from src/
    module_file, head = out.split()
    assert module_file.startswith(str(venv)) and int(head) >= 3
    assert database.stat().st_size > 0
    assert _run(venv / "bin" / "rehabcore", "--help").startswith("usage: rehabcore")
    version = _run(python, "-m", "rehabcore", "--version", cwd=tmp_path)
    assert version.startswith(f"rehabcore {rehabcore.__version__}, rehabcore-sqlalchemy ")
    # The message catalogs came along: the command line speaks Swedish under a Swedish locale.
    missing = subprocess.run(
        [venv / "bin" / "rehabcore", "stats", "--store", f"sqlite:///{tmp_path / 'none.sqlite'}"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"LANG": "sv_SE.UTF-8", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert missing.returncode == 2 and "fel: ingen lagring" in missing.stderr
