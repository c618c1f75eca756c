"""app/nngui.spec builds what each platform's users expect; its Windows and macOS branches run here.

PyInstaller builds only for the platform it runs on, so these tests run the spec itself with
PyInstaller's building blocks (Analysis, EXE, COLLECT, BUNDLE, ...) replaced by recorders and
``sys.platform`` set to each platform: what the spec would ask PyInstaller for on Windows and
macOS is checked on Linux, including the .ico, .icns and version resource it makes. The real
builds run in .github/workflows/build.yml (and the Linux one in .ci/run).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

import nngui

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "app" / "nngui.spec"
ICONS = REPO / "resources" / "icons"


def load_app_module(name: str):
    spec = importlib.util.spec_from_file_location(f"nngui_app_{name}", REPO / "app" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


platform_meta = load_app_module("platform_meta")


def recorder(name: str):
    """A stand-in for one of PyInstaller's spec classes that keeps every call it gets."""
    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs
        type(self).calls.append(self)
        if name == "Analysis":  # what the spec reads from an Analysis
            self.scripts, self.binaries, self.datas, self.pure = ["script"], [], [], ["pure"]

    return type(name, (), {"calls": [], "__init__": __init__})


def run_spec(platform: str, workpath: Path, monkeypatch) -> SimpleNamespace:
    """Execute app/nngui.spec as PyInstaller would on ``platform``; the recorded calls."""
    made = {name: recorder(name) for name in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")}
    import PyInstaller.utils.hooks as hooks
    monkeypatch.setattr(hooks, "collect_submodules", lambda package: [f"{package}.stub"])
    try:  # the spec wraps this method; put the original back afterwards
        from PyInstaller.utils.hooks.qt import QtLibraryInfo
        monkeypatch.setattr(QtLibraryInfo, "collect_plugins", QtLibraryInfo.collect_plugins)
    except ImportError:
        pass
    monkeypatch.setattr(sys, "path", list(sys.path))
    namespace = {**made, "SPECPATH": str(SPEC.parent), "workpath": str(workpath),
                 "DISTPATH": str(workpath / "dist"), "__file__": str(SPEC), "__name__": "__main__"}
    with monkeypatch.context() as patch:
        patch.setattr(sys, "platform", platform)
        exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)  # noqa: S102
    return SimpleNamespace(**{name: cls.calls for name, cls in made.items()}, namespace=namespace)


def exe_by_name(built) -> dict:
    return {exe.kwargs["name"]: exe for exe in built.EXE}


def test_linux_builds_todays_one_folder_bundle(tmp_path, monkeypatch):
    built = run_spec("linux", tmp_path, monkeypatch)
    assert list(exe_by_name(built)) == ["nngui"]
    (exe,) = built.EXE
    assert exe.kwargs["console"] is True and exe.kwargs["exclude_binaries"] is True
    assert "icon" not in exe.kwargs and "version" not in exe.kwargs
    (coll,) = built.COLLECT
    assert coll.kwargs["name"] == "nngui" and coll.args[0] is exe
    assert built.BUNDLE == []
    # resources/ ships at <bundle>/resources, where nngui/resources.py looks when frozen
    (analysis,) = built.Analysis
    assert (str(REPO / "resources"), "resources") in analysis.kwargs["datas"]
    assert analysis.args[0] == [str(REPO / "app" / "nngui_app.py")]


@pytest.mark.parametrize("platform", ["linux", "win32", "darwin"])
def test_every_executable_is_never_stripped_and_runs_in_utf8_mode(platform, tmp_path, monkeypatch):
    built = run_spec(platform, tmp_path, monkeypatch)
    for exe in built.EXE:
        assert exe.kwargs["strip"] is False, "stripping breaks numpy's OpenBLAS and Qt"
        assert exe.kwargs["upx"] is False
        options = [entry for part in exe.args if isinstance(part, list) for entry in part
                   if isinstance(entry, tuple) and entry[2:] == ("OPTION",)]
        assert ("X utf8=1", None, "OPTION") in options
    for coll in built.COLLECT:
        assert coll.kwargs["strip"] is False


def test_windows_gets_a_windowed_app_and_a_console_cli_side_by_side(tmp_path, monkeypatch):
    built = run_spec("win32", tmp_path, monkeypatch)
    exes = exe_by_name(built)
    assert set(exes) == {"nngui", "nngui-cli"}
    assert exes["nngui"].kwargs["console"] is False, "no console window behind the app"
    assert exes["nngui-cli"].kwargs["console"] is True, "train, race, --self-test print"
    (coll,) = built.COLLECT
    assert coll.kwargs["name"] == "nngui"
    assert [a for a in coll.args if isinstance(a, built.namespace["EXE"])] == [exes["nngui"], exes["nngui-cli"]]
    assert built.BUNDLE == []


def test_windows_icon_is_a_real_ico_made_from_the_svg(tmp_path, monkeypatch):
    from PIL import Image

    built = run_spec("win32", tmp_path, monkeypatch)
    icons = {exe.kwargs["icon"] for exe in built.EXE}
    assert len(icons) == 1
    ico = Path(icons.pop())
    assert ico.suffix == ".ico" and ico.is_file()
    assert tmp_path in ico.parents, "made in the build folder, not committed"
    # PyInstaller's own reader, which copies each image into the .exe's resources
    import PyInstaller.compat
    monkeypatch.setattr(PyInstaller.compat, "win32api", None, raising=False)
    monkeypatch.setattr(PyInstaller.compat, "pywintypes", None, raising=False)
    parsed = importlib.import_module("PyInstaller.utils.win32.icon").IconFile(str(ico))
    assert len(parsed.images) == len(parsed.entries) == 7
    assert all(image.startswith(b"\x89PNG\r\n\x1a\n") for image in parsed.images)
    with Image.open(ico) as image:
        assert image.format == "ICO"
        assert {16, 24, 32, 48, 256} <= {w for w, h in image.info["sizes"]}
        image.size = (256, 256)
        image.load()
        assert image.mode == "RGBA"


def test_windows_version_resource_says_the_one_version(tmp_path, monkeypatch):
    # PyInstaller's own reader of version files; off Windows its module needs a win32api
    # name to import (only writing the resource into an .exe uses it)
    pytest.importorskip("pefile")
    import PyInstaller.compat
    monkeypatch.setattr(PyInstaller.compat, "win32api", None, raising=False)
    versioninfo = importlib.import_module("PyInstaller.utils.win32.versioninfo")
    built = run_spec("win32", tmp_path, monkeypatch)
    numbers = platform_meta.version_tuple(nngui.__version__)
    for name, exe in exe_by_name(built).items():
        info = versioninfo.load_version_info_from_text_file(exe.kwargs["version"])
        assert info.ffi.fileVersionMS == (numbers[0] << 16) | numbers[1]
        assert info.ffi.fileVersionLS == (numbers[2] << 16) | numbers[3]
        text = str(info)
        assert f"StringStruct('ProductVersion', '{nngui.__version__}')" in text
        assert f"StringStruct('FileVersion', '{nngui.__version__}')" in text
        assert f"StringStruct('OriginalFilename', '{name}.exe')" in text
        assert "StringStruct('ProductName', 'nngui')" in text


def test_macos_gets_an_app_bundle_with_the_cli_inside(tmp_path, monkeypatch):
    built = run_spec("darwin", tmp_path, monkeypatch)
    exes = exe_by_name(built)
    assert set(exes) == {"nngui", "nngui-cli"}
    assert exes["nngui"].kwargs["console"] is False
    assert exes["nngui-cli"].kwargs["console"] is True
    (coll,) = built.COLLECT
    launchers = [a for a in coll.args if isinstance(a, built.namespace["EXE"])]
    assert launchers[0] is exes["nngui"], "BUNDLE takes the first executable as CFBundleExecutable"
    (bundle,) = built.BUNDLE
    assert bundle.args == (coll,)
    assert bundle.kwargs["name"] == "nngui.app"
    assert bundle.kwargs["version"] == nngui.__version__
    assert bundle.kwargs["bundle_identifier"] == platform_meta.BUNDLE_IDENTIFIER
    plist = bundle.kwargs["info_plist"]
    assert plist["NSHighResolutionCapable"] is True
    assert plist["LSBackgroundOnly"] is False, "the console nngui-cli must not make the app background-only"
    assert plist["CFBundleShortVersionString"] == plist["CFBundleVersion"] == nngui.__version__


def test_macos_icon_is_a_real_icns_made_from_the_svg(tmp_path, monkeypatch):
    from PIL import IcnsImagePlugin

    built = run_spec("darwin", tmp_path, monkeypatch)
    (bundle,) = built.BUNDLE
    icns = Path(bundle.kwargs["icon"])
    assert icns.suffix == ".icns" and icns.is_file() and tmp_path in icns.parents
    with icns.open("rb") as handle:
        container = IcnsImagePlugin.IcnsFile(handle)
        sizes = set(container.itersizes())
        assert {(128, 128, 1), (256, 256, 1), (512, 512, 1), (512, 512, 2), (16, 16, 2), (32, 32, 2)} <= sizes
        image = container.getimage((512, 512, 2))
        assert image.size == (1024, 1024) and image.mode == "RGBA"


def test_icon_script_writes_both_containers(tmp_path):
    from PIL import Image

    result = subprocess.run([sys.executable, str(REPO / "app" / "make_icons.py"), "--platform", str(tmp_path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nngui.icns", "nngui.ico"]
    with Image.open(tmp_path / "nngui.ico") as ico:
        ico.size = (32, 32)
        ico.load()
        # the same drawing as the committed 32 px PNG: the centre pixel matches
        with Image.open(ICONS / "nngui-32.png") as png:
            assert ico.convert("RGBA").getpixel((16, 16)) == png.convert("RGBA").getpixel((16, 16))


def test_no_platform_icon_is_committed():
    tracked = subprocess.run(["git", "ls-files", "*.ico", "*.icns"], cwd=REPO, capture_output=True, text=True)
    if tracked.returncode != 0:
        pytest.skip("not a git checkout")
    assert tracked.stdout == "", "the .ico and .icns are made by app/make_icons.py at build time"


def test_version_comes_from_one_place():
    assert platform_meta.read_version(REPO) == nngui.__version__
    result = subprocess.run([sys.executable, str(REPO / "app" / "platform_meta.py"), "version"],
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == nngui.__version__


@pytest.mark.parametrize(
    ("version", "numbers"),
    [("0.1.0", (0, 1, 0, 0)), ("1.2", (1, 2, 0, 0)), ("2.0.1rc1", (2, 0, 1, 0)), ("1.2.3.4", (1, 2, 3, 4))],
)
def test_windows_wants_four_numbers(version, numbers):
    assert platform_meta.version_tuple(version) == numbers


@pytest.mark.parametrize("bad", ["", "v1.0", "70000.1"])
def test_a_version_windows_cannot_hold_is_refused(bad):
    with pytest.raises(ValueError):
        platform_meta.version_tuple(bad)


def test_archive_names():
    assert platform_meta.archive_name("0.1.0", "linux-x86_64") == "nngui-0.1.0-linux-x86_64.tar.gz"
    assert platform_meta.archive_name("0.1.0", "windows-x86_64") == "nngui-0.1.0-windows-x86_64.zip"
    assert platform_meta.archive_name("0.1.0", "macos-arm64") == "nngui-0.1.0-macos-arm64.zip"
    with pytest.raises(ValueError):
        platform_meta.archive_name("0.1.0", "plan9")
    result = subprocess.run([sys.executable, str(REPO / "app" / "platform_meta.py"), "archive", "beos-x86"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "platform" in result.stderr


def test_windowless_launcher_gets_somewhere_to_print(monkeypatch):
    launcher = load_app_module("nngui_app")
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    launcher.give_windowless_program_somewhere_to_print()
    print("the self-test's report", file=sys.stderr)
    sys.stdout.write("a warning\n")
    assert sys.stdout is sys.stderr
    sys.stdout.close()


def test_committed_pngs_are_what_the_icon_script_draws(qapp):
    """The PNGs are committed (the window and the Linux menu use them): they must be the SVG's."""
    from PySide6.QtGui import QImage
    from PySide6.QtSvg import QSvgRenderer

    make_icons = load_app_module("make_icons")
    renderer = QSvgRenderer(str(ICONS / "nngui.svg"))
    assert renderer.isValid()
    for size in make_icons.SIZES:
        drawn = make_icons.render(renderer, size).convertToFormat(QImage.Format.Format_ARGB32)
        committed = QImage(str(ICONS / f"nngui-{size}.png")).convertToFormat(QImage.Format.Format_ARGB32)
        assert committed.size() == drawn.size()
        # a few levels of slack for another Qt version's antialiasing; an edited SVG differs by far more
        worst = max(abs(a - b) for a, b in zip(bytes(drawn.constBits()), bytes(committed.constBits())))
        assert worst <= 8, f"nngui-{size}.png is not the SVG's drawing: run python app/make_icons.py"
