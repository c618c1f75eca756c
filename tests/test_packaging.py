"""The wheel built from pyproject.toml carries the right metadata, entry point and files."""

from __future__ import annotations

import email.parser
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import nngui

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "-q", "-w", str(out), str(REPO)],
        check=True, cwd=out,
    )
    (path,) = out.glob("nngui-*.whl")
    with zipfile.ZipFile(path) as archive:
        yield archive


def dist_info(wheel: zipfile.ZipFile, name: str) -> str:
    return wheel.read(f"nngui-{nngui.__version__}.dist-info/{name}").decode()


def test_metadata(wheel):
    meta = email.parser.Parser().parsestr(dist_info(wheel, "METADATA"))
    assert meta["Name"] == "nngui"
    assert meta["Version"] == nngui.__version__
    assert meta["Requires-Python"] == ">=3.11"
    assert "MIT" in (meta["License-Expression"] or meta["License"] or "")
    requires = {r.replace(" ", "") for r in meta.get_all("Requires-Dist")}
    # the pin that keeps Python 3.11 away from the PySide6 6.12 crash
    assert "pyside6-essentials<6.12,>=6.8;python_version<'3.12'" in {r.lower().replace('"', "'") for r in requires}
    assert any(r.startswith("numpy") for r in requires)
    assert any(r.startswith("pyqtgraph") for r in requires)
    assert {"test", "build"} <= set(meta.get_all("Provides-Extra"))


def test_gui_script_entry_point(wheel):
    entry_points = dist_info(wheel, "entry_points.txt")
    section = entry_points.split("[gui_scripts]", 1)[1].split("[", 1)[0]
    assert "nngui = nngui.__main__:main" in section


def test_files(wheel):
    names = set(wheel.namelist())
    for needed in ("nngui/__init__.py", "nngui/__main__.py", "nngui/resources.py",
                   "nngui/engine/__init__.py", "nngui/gui/__init__.py",
                   "nngui/_resources/icons/nngui.svg", "nngui/_resources/icons/nngui-512.png"):
        assert needed in names
    shipped = {n.removeprefix("nngui/_resources/") for n in names if n.startswith("nngui/_resources/")}
    in_repo = {p.relative_to(REPO / "resources").as_posix()
               for p in (REPO / "resources").rglob("*") if p.is_file()}
    assert shipped == in_repo
    assert not any(n.startswith(("tests/", "app/", "benchmarks/")) or "__pycache__" in n for n in names)
