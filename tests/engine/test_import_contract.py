"""import-linter enforces the contracts in pyproject.toml: gui → model → engine; the engine and the model never import Qt."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def lint_imports() -> str:
    found = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("lint-imports is missing: install the test extra (./test.sh does)")
    return found


def test_engine_contract_is_kept():
    result = subprocess.run([lint_imports(), "--no-cache"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


def lint_a_copy_with(tmp_path, package, line):
    """Run the contracts on a copy of the package whose ``package`` holds a module of ``line``."""
    copy = tmp_path / "nngui"
    shutil.copytree(REPO / "nngui", copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / package / "sneaky.py").write_text(line + "  # noqa: F401\n")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return subprocess.run([lint_imports(), "--no-cache"], cwd=tmp_path, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)})


def test_contract_catches_a_qt_import(tmp_path):
    """The same contract, run on a copy of the package whose engine imports PySide6, fails."""
    result = lint_a_copy_with(tmp_path, "engine", "from PySide6 import QtCore")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "nngui.engine.sneaky -> PySide6" in result.stdout


def test_contract_catches_the_model_importing_the_window(tmp_path):
    """The layers contract, run on a copy whose model imports the GUI, fails."""
    result = lint_a_copy_with(tmp_path, "model", "from nngui.gui.controls import panels")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "nngui.model.sneaky -> nngui.gui.controls.panels" in result.stdout
