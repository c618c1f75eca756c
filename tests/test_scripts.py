"""The shell set-up shared by run.sh, test.sh and app/build.sh (app/setup-env.sh), run for real in bash."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SETUP = REPO / "app" / "setup-env.sh"

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def bash(script: str, env: dict[str, str] | None = None, setup: Path = SETUP) -> subprocess.CompletedProcess:
    """Run ``script`` in a clean bash that sourced the set-up file."""
    base = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent"}
    return subprocess.run(["bash", "-c", f'set -euo pipefail; source "{setup}"; {script}'],
                          env={**base, **(env or {})}, capture_output=True, text=True)


@pytest.mark.parametrize(
    ("soname", "package"),
    [
        ("libEGL.so.1", "libegl1"),
        ("libGL.so.1", "libgl1"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
        ("libxcb-render-util.so.0", "libxcb-render-util0"),
        ("libxcb-shape.so.0", "libxcb-shape0"),
        ("libxcb-xkb.so.1", "libxcb-xkb1"),
        ("libwayland-client.so.0", "libwayland-client0"),
        ("libfontconfig.so.1", "libfontconfig1"),
        ("libmystery.so.3", "?libmystery.so.3"),
    ],
)
def test_missing_library_maps_to_debian_package(soname, package):
    result = bash(f"nngui_deb_for_soname {soname}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == package


@pytest.mark.parametrize(
    ("env", "args", "platform"),
    [
        ({"DISPLAY": ":5"}, "", "xcb"),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "", "wayland"),
        ({"DISPLAY": ":5", "WAYLAND_DISPLAY": "wayland-0"}, "", "xcb"),
        ({"QT_QPA_PLATFORM": "offscreen"}, "", "offscreen"),
        ({"QT_QPA_PLATFORM": "xcb:foo"}, "", "xcb"),
        ({}, "--self-test", "offscreen"),
        ({}, "--help", "offscreen"),
        ({}, "train --epochs 3", ""),
    ],
)
def test_qt_platform_choice(env, args, platform):
    result = bash(f"nngui_qt_platform {args}", env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == platform


def test_no_display_says_so_in_one_line():
    result = bash("nngui_qt_platform")
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("nngui: no display:") and "xvfb-run" in lines[0]


def test_run_sh_without_display_fails_before_any_setup(tmp_path):
    venv = tmp_path / "never-created"
    result = subprocess.run([str(REPO / "run.sh")], env={"PATH": "/usr/bin:/bin", "NNGUI_VENV": str(venv)},
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "no display" in result.stderr
    assert not venv.exists()


@pytest.fixture
def fake_project(tmp_path):
    """A copy of the set-up next to its own pyproject.toml, and a venv whose python only logs its arguments."""
    (tmp_path / "app").mkdir()
    shutil.copy(SETUP, tmp_path / "app" / "setup-env.sh")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\n')
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    log = tmp_path / "pip.log"
    python = bin_dir / "python"
    python.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\n')
    python.chmod(0o755)
    (tmp_path / "venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    return tmp_path, log


def pip_installs(log: Path) -> list[str]:
    if not log.exists():
        return []
    return [line.rsplit(" ", 1)[1] for line in log.read_text().splitlines() if " pip install " in f" {line}"]


def test_install_runs_only_when_pyproject_or_extras_change(fake_project):
    root, log = fake_project
    env = {"NNGUI_VENV": str(root / "venv")}
    setup = root / "app" / "setup-env.sh"

    def setup_with(*extras):
        result = bash(f"nngui_setup {' '.join(extras)}", env, setup)
        assert result.returncode == 0, result.stderr

    setup_with("test")
    assert pip_installs(log) == [f"{root}[test]"]
    setup_with("test")
    setup_with()
    assert len(pip_installs(log)) == 1, "nothing changed, nothing installed"
    setup_with("build")
    assert pip_installs(log)[-1] == f"{root}[test,build]"
    setup_with("test")
    assert len(pip_installs(log)) == 2
    (root / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "2"\n')
    setup_with()
    assert pip_installs(log)[-1] == str(root), "a changed pyproject.toml reinstalls, with the extras asked for"
    setup_with("test")
    assert pip_installs(log)[-1] == f"{root}[test]"


def test_refuses_to_replace_a_folder_that_is_not_a_venv(tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("keep me")
    result = bash("nngui_ensure_venv", {"NNGUI_VENV": str(precious)})
    assert result.returncode == 1
    assert "is not a virtual environment" in result.stderr
    assert (precious / "thesis.txt").read_text() == "keep me"
