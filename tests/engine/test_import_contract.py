"""import-linter enforces the contracts in pyproject.toml (the layers; the engine alone; Qt, events and the
commands each kept to their place), and each contract fires on a copy of the package with a bad import."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CONTRACTS = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]


def lint_imports() -> str:
    found = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("lint-imports is missing: install the test extra (./test.sh does)")
    return found


def test_every_contract_is_kept():
    result = subprocess.run([lint_imports(), "--no-cache"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(CONTRACTS)} kept, 0 broken" in result.stdout
    assert len(CONTRACTS) >= 5


def lint_a_copy_with(tmp_path, package, line, contract):
    """Run one contract on a copy of the package whose ``package`` holds a module of ``line``."""
    copy = tmp_path / "nngui"
    shutil.copytree(REPO / "nngui", copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / package / "sneaky.py").write_text(line + "  # noqa: F401\n")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return subprocess.run([lint_imports(), "--no-cache", "--contract", contract], cwd=tmp_path, capture_output=True,
                          text=True, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)})


# (contract id, package the bad module is planted in, its import, what the report names)
PLANTED = [
    ("engine", "engine", "from PySide6 import QtCore", "nngui.engine.sneaky -> PySide6"),
    ("engine", "engine", "from nngui.files import guards", "nngui.engine.sneaky -> nngui.files.guards"),
    ("layers", "model", "from nngui.gui.controls import panels", "nngui.model.sneaky -> nngui.gui.controls.panels"),
    ("layers", "files", "from nngui.teaching import lessons", "nngui.files.sneaky -> nngui.teaching.lessons"),
    ("layers", "cli", "from nngui.model import experiment_model", "nngui.cli.sneaky -> nngui.model.experiment_model"),
    ("qt", "teaching", "from PySide6 import QtCore", "nngui.teaching.sneaky -> PySide6"),
    ("qt", "surfaces", "import pyqtgraph", "nngui.surfaces.sneaky -> pyqtgraph"),
    ("events", "files", "import psygnal", "nngui.files.sneaky -> psygnal"),
    # the student's-optimizer checker stands on the engine, beside the teaching package
    ("layers", "check", "from nngui.cli import console", "nngui.check.sneaky -> nngui.cli.console"),
    ("layers", "check", "from nngui.gui.window import app", "nngui.check.sneaky -> nngui.gui.window.app"),
    ("layers", "check", "from nngui.teaching import captions", "nngui.check.sneaky -> nngui.teaching.captions"),
    ("qt", "check", "from PySide6 import QtCore", "nngui.check.sneaky -> PySide6"),
    # the commands may not reach Qt by way of the window either
    ("cli", "cli", "from nngui.gui import qt", "nngui.cli.sneaky -> nngui.gui.qt"),
]


@pytest.mark.parametrize("contract, package, line, reported", PLANTED, ids=[f"{c}-{p}" for c, p, *_ in PLANTED])
def test_a_contract_fires_on_a_bad_import(tmp_path, contract, package, line, reported):
    result = lint_a_copy_with(tmp_path, package, line, contract)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 broken" in result.stdout and reported in result.stdout


def test_every_contract_has_a_test_that_shows_it_fires():
    assert {contract["id"] for contract in CONTRACTS} == {contract for contract, *_ in PLANTED}
