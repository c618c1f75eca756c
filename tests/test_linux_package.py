"""The Linux release archive (app/package-linux.sh), its install.sh and menu entry, and the bundle check.

A stand-in bundle (a shell script that answers like the app) keeps these fast; .ci/run and the
workflow run the same scripts on the real bundle (app/check-linux-package.sh).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

import nngui

REPO = Path(__file__).resolve().parent.parent
VERSION = nngui.__version__
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

pytestmark = pytest.mark.skipif(shutil.which("bash") is None or not sys.platform.startswith("linux"),
                                reason="the Linux package's scripts need Linux and bash")


def require_tool(name: str) -> str:
    """The tool's path; skip when it is missing, unless NNGUI_REQUIRE_TOOLS names it (CI)."""
    path = shutil.which(name, path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    if path:
        return path
    if name in os.environ.get("NNGUI_REQUIRE_TOOLS", "").split():
        pytest.fail(f"{name} is required here (NNGUI_REQUIRE_TOOLS) but not installed")
    pytest.skip(f"{name} is not installed (Debian/Ubuntu: desktop-file-utils)")


FAKE_APP = f"""#!/bin/sh
# answers like the frozen app
case "$1" in
    --version) echo "nngui {VERSION}" ;;
    --self-test) echo "self-test passed" ;;
    train) echo "epoch: 0, acc: 0.360, loss: 1.099, lr: 1.0"; echo "$FAKE_LAST_LINE" ;;
    *) exit 3 ;;
esac
"""
BOOK_LAST_LINE = "epoch: 10000, acc: 0.957, loss: 0.121, lr: 0.09091735612328393"


def fake_bundle(folder: Path) -> Path:
    bundle = folder / "nngui"
    (bundle / "_internal" / "resources").mkdir(parents=True)
    (bundle / "_internal" / "resources" / "marker.txt").write_text("bundled\n")
    app = bundle / "nngui"
    app.write_text(FAKE_APP)
    app.chmod(0o755)
    return bundle


def bare_env(home: Path, **extra) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "FAKE_LAST_LINE": BOOK_LAST_LINE, **extra}


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("package")
    bundle = fake_bundle(work)
    result = subprocess.run(["bash", str(REPO / "app" / "package-linux.sh"), str(bundle)],
                            env={**os.environ, "NNGUI_DIST": str(work / "dist"), "NNGUI_PYTHON": sys.executable},
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.parent == work / "dist"
    return path


@pytest.fixture
def unpacked(archive, tmp_path) -> Path:
    with tarfile.open(archive) as tar:
        # the "tar" filter keeps modes and refuses paths outside; Pythons before 3.11.4 lack it
        tar.extractall(tmp_path / "unpacked", **({"filter": "tar"} if hasattr(tarfile, "tar_filter") else {}))
    return tmp_path / "unpacked" / f"nngui-{VERSION}"


def install(unpacked: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(unpacked / "install.sh"), *args], env=bare_env(home),
                          capture_output=True, text=True, cwd=home)


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


def test_archive_is_named_for_the_version_and_machine(archive):
    assert archive.name == f"nngui-{VERSION}-linux-{os.uname().machine}.tar.gz"


def test_archive_holds_one_folder_with_app_installer_entry_and_icons(archive):
    with tarfile.open(archive) as tar:
        members = {m.name: m for m in tar.getmembers()}
    top = f"nngui-{VERSION}"
    assert {name.split("/", 1)[0] for name in members} == {top}
    needed = ["install.sh", "README.txt", "LICENSE", "nngui/nngui", "nngui/_internal/resources/marker.txt",
              "share/applications/nngui.desktop", "share/icons/hicolor/scalable/apps/nngui.svg",
              *(f"share/icons/hicolor/{s}x{s}/apps/nngui.png" for s in SIZES)]
    for name in needed:
        assert f"{top}/{name}" in members, name
    assert members[f"{top}/install.sh"].mode & 0o111
    assert members[f"{top}/nngui/nngui"].mode & 0o111
    assert all(m.uid == 0 and m.gid == 0 for m in members.values()), "no builder's user ids in the archive"
    with tarfile.open(archive) as tar:
        png = tar.extractfile(f"{top}/share/icons/hicolor/48x48/apps/nngui.png").read()
    assert png == (REPO / "resources" / "icons" / "nngui-48.png").read_bytes()


def test_packaging_without_a_bundle_says_how_to_build_one(tmp_path):
    result = subprocess.run(["bash", str(REPO / "app" / "package-linux.sh"), str(tmp_path / "none")],
                            env={**os.environ, "NNGUI_DIST": str(tmp_path)}, capture_output=True, text=True)
    assert result.returncode == 1
    assert "app/build.sh" in result.stderr


def test_desktop_entry_as_shipped_is_valid():
    tool = require_tool("desktop-file-validate")
    result = subprocess.run([tool, str(REPO / "app" / "linux" / "nngui.desktop")], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


def test_install_puts_app_command_menu_entry_and_icons_under_local(unpacked, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    result = install(unpacked, home)
    assert result.returncode == 0, result.stderr
    local = home / ".local"
    app = local / "lib" / "nngui" / "nngui"
    assert os.access(app, os.X_OK)
    assert (local / "lib" / "nngui" / "_internal" / "resources" / "marker.txt").is_file()
    assert os.readlink(local / "bin" / "nngui") == str(app)
    entry = (local / "share" / "applications" / "nngui.desktop").read_text()
    assert f'Exec="{app}"' in entry.splitlines()
    assert f"TryExec={app}" in entry.splitlines()
    assert "Icon=nngui" in entry.splitlines()
    for size in SIZES:
        assert (local / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "nngui.png").is_file()
    assert (local / "share" / "icons" / "hicolor" / "scalable" / "apps" / "nngui.svg").is_file()
    assert f"installed nngui {VERSION}" in result.stdout
    # the command it installed runs
    ran = subprocess.run([str(local / "bin" / "nngui"), "--version"], capture_output=True, text=True, check=True)
    assert ran.stdout.strip() == f"nngui {VERSION}"


def test_installed_desktop_entry_is_valid(unpacked, tmp_path):
    tool = require_tool("desktop-file-validate")
    home = tmp_path / "home"
    home.mkdir()
    assert install(unpacked, home).returncode == 0
    entry = home / ".local" / "share" / "applications" / "nngui.desktop"
    result = subprocess.run([tool, str(entry)], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


def test_install_again_updates_and_uninstall_leaves_nothing(unpacked, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    assert install(unpacked, home).returncode == 0
    (home / ".local" / "lib" / "nngui" / "stale-from-an-old-version").write_text("x")
    assert install(unpacked, home).returncode == 0
    assert not (home / ".local" / "lib" / "nngui" / "stale-from-an-old-version").exists()
    (home / ".local" / "share" / "applications" / "someone-else.desktop").write_text("[Desktop Entry]\n")
    result = subprocess.run([str(home / ".local" / "lib" / "nngui" / "uninstall.sh")], env=bare_env(home),
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "removed nngui" in result.stdout
    assert files_under(home) == {".local/share/applications/someone-else.desktop"}
    again = install(unpacked, home, "--uninstall")
    assert again.returncode == 0 and "not installed" in again.stdout


def test_install_under_a_prefix(unpacked, tmp_path):
    home, prefix = tmp_path / "home", tmp_path / "opt" / "local"
    home.mkdir()
    result = install(unpacked, home, "--prefix", str(prefix))
    assert result.returncode == 0, result.stderr
    assert os.readlink(prefix / "bin" / "nngui") == str(prefix / "lib" / "nngui" / "nngui")
    assert (prefix / "share" / "applications" / "nngui.desktop").is_file()
    assert files_under(home) == set()
    assert install(unpacked, home, f"--prefix={prefix}", "--uninstall").returncode == 0
    assert files_under(prefix) == set()


def test_install_leaves_a_command_it_did_not_make_alone(unpacked, tmp_path):
    home = tmp_path / "home"
    other = home / ".local" / "bin" / "nngui"
    other.parent.mkdir(parents=True)
    other.write_text("#!/bin/sh\necho pip-installed nngui\n")
    result = install(unpacked, home)
    assert result.returncode == 0, result.stderr
    assert "left" in result.stdout and other.read_text().endswith("pip-installed nngui\n")
    assert install(unpacked, home, "--uninstall").returncode == 0
    assert other.is_file(), "uninstall removes only its own link"


def test_install_refuses_to_replace_a_folder_that_is_not_nngui(unpacked, tmp_path):
    home = tmp_path / "home"
    precious = home / ".local" / "lib" / "nngui"
    precious.mkdir(parents=True)
    (precious / "notes.txt").write_text("keep me")
    result = install(unpacked, home)
    assert result.returncode == 1
    assert "is not an nngui install" in result.stderr
    assert (precious / "notes.txt").read_text() == "keep me"


def test_install_refuses_a_prefix_a_menu_entry_cannot_name(unpacked, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    result = install(unpacked, home, "--prefix", str(tmp_path / 'say "hi"'))
    assert result.returncode == 1 and "cannot install under" in result.stderr


def test_install_help_says_what_it_does(unpacked, tmp_path):
    result = install(unpacked, tmp_path, "--help")
    assert result.returncode == 0
    assert "--uninstall" in result.stdout and "~/.local" in result.stdout


# app/check-bundle.sh: the check the workflow runs on every platform's executable.

def check_bundle(app: Path, version: str, last_line: str, tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(REPO / "app" / "check-bundle.sh"), str(app), version],
                          env=bare_env(tmp_path, FAKE_LAST_LINE=last_line), capture_output=True, text=True)


def test_bundle_check_passes_an_app_that_answers_right(tmp_path):
    app = fake_bundle(tmp_path) / "nngui"
    result = check_bundle(app, VERSION, BOOK_LAST_LINE, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "passed" in result.stdout


def test_bundle_check_fails_on_the_wrong_version_or_course(tmp_path):
    app = fake_bundle(tmp_path) / "nngui"
    wrong_version = check_bundle(app, "9.9.9", BOOK_LAST_LINE, tmp_path)
    assert wrong_version.returncode == 1 and "--version said" in wrong_version.stderr
    wrong_course = check_bundle(app, VERSION, "epoch: 10000, acc: 0.956, loss: 0.121, lr: 0.1", tmp_path)
    assert wrong_course.returncode == 1 and "the course ended on" in wrong_course.stderr


def test_bundle_check_expects_the_line_the_course_really_ends_on():
    script = (REPO / "app" / "check-bundle.sh").read_text()
    (expected,) = [line.split("=", 1)[1].strip('"') for line in script.splitlines()
                   if line.startswith("BOOK_LAST_LINE=")]
    ran = subprocess.run([sys.executable, "-m", "nngui", "train", "--book", "--every", "0"],
                         capture_output=True, text=True, check=True, timeout=120)
    assert ran.stdout.strip().splitlines()[-1] == expected == BOOK_LAST_LINE
