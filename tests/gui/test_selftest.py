"""``nngui --self-test``: in this process against the real window, and as the command a user runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from nngui.gui.window import selftest

ROOT = Path(__file__).resolve().parents[2]


def test_self_test_passes_on_the_real_window(qapp):
    passed, line = selftest.run(qapp)
    assert passed, line
    assert line.startswith("nngui self-test passed: trained 300 epochs of Spiral 100×3")
    assert "SGD + momentum" in line and "300 points each" in line
    assert "raced the chapter's three optimizers 100 epochs from one start" in line


def test_self_test_fails_with_the_reason_when_a_check_does_not_hold(qapp, monkeypatch):
    # a window whose boundary never receives probabilities must fail the self-test, naming it
    from nngui.gui.maps.boundary_view import BoundaryView
    monkeypatch.setattr(BoundaryView, "set_probabilities", lambda self, probabilities: None)
    passed, line = selftest.run(qapp)
    assert not passed
    assert line == "nngui self-test FAILED: the decision boundary got no probability map"


def test_nngui_self_test_command(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT), XDG_CONFIG_HOME=str(tmp_path),
               HOME=str(tmp_path))
    result = subprocess.run([sys.executable, "-m", "nngui", "--self-test"], capture_output=True, text=True,
                            env=env, cwd=str(tmp_path), timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nngui self-test passed")
    assert result.stderr == ""
    # the user's settings are neither read nor written by a self-test
    assert not any(tmp_path.rglob("*.conf"))
