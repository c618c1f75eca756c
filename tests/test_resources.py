"""nngui.resources finds resources/ from a checkout, an installed wheel and a frozen bundle."""

from __future__ import annotations

import importlib.util
import json
import shutil
import struct
import subprocess
import sys
import venv
from pathlib import Path

import pytest

import nngui.resources as resources

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "nngui" / "resources.py"


def load_resources_module(path: Path, name: str):
    """Import a copy of nngui/resources.py from ``path`` as a fresh module."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def relative_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_checkout_finds_repo_resources():
    module = load_resources_module(SOURCE, "nngui_resources_checkout")
    assert module.resources_dir() == REPO / "resources"
    svg = module.resource_path("icons", "nngui.svg")
    assert svg == REPO / "resources" / "icons" / "nngui.svg"
    assert b"<svg" in svg.read_bytes()


def test_icon_pngs_have_the_size_their_name_says():
    paths = resources.icon_paths()
    assert [p.name for p in paths] == [f"nngui-{s}.png" for s in resources.ICON_SIZES]
    for size, path in zip(resources.ICON_SIZES, paths):
        assert png_size(path) == (size, size)


def test_missing_resource_names_the_path():
    with pytest.raises(FileNotFoundError, match="no-such-file.json"):
        resources.resource_path("presets", "no-such-file.json")


def test_no_resources_anywhere_names_the_places_searched(tmp_path):
    lonely = tmp_path / "pkg"
    lonely.mkdir()
    shutil.copy(SOURCE, lonely / "resources.py")
    module = load_resources_module(lonely / "resources.py", "nngui_resources_lonely")
    with pytest.raises(FileNotFoundError) as info:
        module.resources_dir()
    assert str(lonely / "_resources") in str(info.value)
    assert str(tmp_path / "resources") in str(info.value)


def test_frozen_bundle_uses_meipass(tmp_path, monkeypatch):
    bundle = tmp_path / "_internal"
    shutil.copytree(REPO / "resources", bundle / "resources")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    module = load_resources_module(SOURCE, "nngui_resources_frozen")
    # the checkout's resources/ is right beside the source, yet the bundle wins
    assert module.resources_dir() == bundle / "resources"
    assert module.resource_path("icons", "nngui-64.png") == bundle / "resources" / "icons" / "nngui-64.png"
    assert relative_files(module.resources_dir()) == relative_files(REPO / "resources")


def test_not_frozen_ignores_a_stray_meipass(tmp_path, monkeypatch):
    (tmp_path / "resources").mkdir()
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    module = load_resources_module(SOURCE, "nngui_resources_stray")
    assert module.resources_dir() == REPO / "resources"


@pytest.fixture(scope="module")
def installed_venv(tmp_path_factory):
    """A fresh venv with nngui installed from a wheel built from this checkout (no dependencies)."""
    tmp = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "-q", "-w", str(tmp / "dist"), str(REPO)],
        check=True, cwd=tmp,
    )
    (wheel,) = (tmp / "dist").glob("nngui-*.whl")
    target = tmp / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
         "--disable-pip-version-check", "-q", str(wheel)],
        check=True, cwd=tmp,
    )
    return python


def test_installed_wheel_finds_its_own_copy(installed_venv):
    # -I: no checkout on sys.path, no PYTHONPATH; the venv's site-packages only
    script = (
        "import json, nngui.resources as r; "
        "print(json.dumps([r.__file__, str(r.resources_dir()), str(r.resource_path('icons', 'nngui.svg'))]))"
    )
    out = subprocess.run([str(installed_venv), "-I", "-c", script], check=True, capture_output=True,
                         text=True, cwd=installed_venv.parent).stdout
    module_file, found, svg = (Path(p) for p in json.loads(out))
    venv_root = installed_venv.parent.parent
    assert venv_root in module_file.parents and "site-packages" in module_file.parts
    assert found == module_file.parent / "_resources"
    assert svg == found / "icons" / "nngui.svg"
    assert relative_files(found) == relative_files(REPO / "resources")
