"""The built wheel, installed away from the checkout, screens a shipped example.

Reproduces the report that ``examples/`` was not in the wheel: a user who
installed the package had no example patient to screen.  The wheel is built
offline (no build isolation) from a copy of the sources, installed with
``pip install --target`` into a temporary folder, and run by an interpreter
that sees only that folder and the current environment's numpy and attrs
(``-I -S``: no site-packages, so no editable install of the checkout, and a
working directory outside the checkout).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import attr
import attrs
import numpy as np
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]

RUN = """
import json, runpy, sys
sys.path[:0] = {paths!r}
import clinscores, clinscores.examples
print(json.dumps({{"file": clinscores.__file__, "version": clinscores.__version__,
                  "example": str(clinscores.examples.path("ra_eligible"))}}), flush=True)
sys.argv = ["clinscores", "screen", "--example", "ra_eligible"]
runpy.run_module("clinscores.cli", run_name="__main__")
"""


def _pip(*args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the wheel, the folder it is installed in)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "src", source / "src", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__")
    )
    _pip("wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(tmp), str(source))
    (wheel,) = tmp.glob("clinscores-*.whl")
    site = tmp / "site"
    _pip("install", "--no-deps", "--no-index", "--target", str(site), str(wheel))
    return wheel, site


def test_the_wheel_holds_the_examples(installed: tuple[Path, Path]) -> None:
    wheel, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    assert len([n for n in names if n.startswith("clinscores/examples/patients/")]) == 12
    assert len([n for n in names if n.startswith("clinscores/examples/fhir/")]) == 4
    assert "clinscores/examples/__init__.py" in names


def test_installed_package_screens_an_example(installed: tuple[Path, Path]) -> None:
    _, site = installed
    # numpy and attrs only, each from its own folder of the current environment
    deps = site.parent / "deps"
    deps.mkdir(exist_ok=True)
    for module in (np, attr, attrs):
        package = Path(module.__file__).parent  # type: ignore[arg-type]
        for extra in (package, package.with_name(package.name + ".libs")):
            if extra.exists() and not (deps / extra.name).exists():
                (deps / extra.name).symlink_to(extra)
    outside = site.parent / "cwd"
    outside.mkdir(exist_ok=True)
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", RUN.format(paths=[str(site), str(deps)])],
        cwd=outside,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    first, rest = result.stdout.split("\n", 1)
    where = json.loads(first)
    # the installed copy, never the checkout, was imported and screened
    assert Path(where["file"]).resolve().is_relative_to(site.resolve())
    assert not Path(where["file"]).resolve().is_relative_to(ROOT)
    assert Path(where["example"]).resolve().is_relative_to(site.resolve())
    assert Path(where["example"]).is_file()
    assert where["version"] != "0+unknown"
    # the verdict first, then the date, trial and version (issue 17)
    assert rest.startswith("ELIGIBLE: patient RA-001, Rheumatoid arthritis\nscreened ")
    assert f", trial NCT07052565, clinscores {where['version']}\n" in rest
