"""The checker's import contract fires: a copy of the package whose checker imports Qt or the window breaks it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_CONTRACT_TESTS = Path(__file__).resolve().parents[1] / "engine" / "test_import_contract.py"
_spec = importlib.util.spec_from_file_location("import_contract_helpers", _CONTRACT_TESTS)
helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(helpers)


@pytest.mark.parametrize("line, arrow", [
    ("from PySide6 import QtCore", "nngui.check.sneaky -> PySide6"),
    ("from nngui.gui.window import app", "nngui.check.sneaky -> nngui.gui.window.app"),
    ("from nngui.cli import check", "nngui.check.sneaky -> nngui.cli.check"),
])
def test_the_checker_contract_catches_an_import_from_above(tmp_path, line, arrow):
    result = helpers.lint_a_copy_with(tmp_path, "check", line)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "The checker is built on the engine alone" in result.stdout
    assert arrow in result.stdout
