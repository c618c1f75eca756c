"""What each platform's package says about nngui: its version, file names and metadata.

The version lives in one place, ``__version__`` in ``nngui/__init__.py``; everything here is
made from it: the Windows version resource, the macOS ``Info.plist`` entries, the archive
names. ``app/nngui.spec``, ``app/package-linux.sh`` and the build workflow use this module, so
it imports the standard library only and never imports nngui (whose dependencies a build
script need not have).

From a shell: ``python app/platform_meta.py version`` prints the version, and
``python app/platform_meta.py archive linux-x86_64`` the archive's file name.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "nngui"
#: What the app is, where a platform shows one line about it (Windows' file description, the menu).
SUMMARY = "Watch a neural network learn: SGD, learning-rate decay and momentum"
#: The macOS bundle identifier (reverse-DNS, unique to this app).
BUNDLE_IDENTIFIER = "io.github.nngui"
#: The oldest macOS the app runs on: numpy's wheels for Apple silicon on macOS 14 (what the
#: workflow's runner installs) use Apple's Accelerate of macOS 14; Qt 6.11 needs 13. An older
#: macOS then says so plainly instead of the app crashing at start.
MACOS_MINIMUM = "14.0"
#: The archive format each platform's users open with a double-click.
ARCHIVE_SUFFIX = {"linux": ".tar.gz", "windows": ".zip", "macos": ".zip"}


def read_version(root: Path = ROOT) -> str:
    """``__version__`` from ``<root>/nngui/__init__.py``, read without importing nngui."""
    source = (root / "nngui" / "__init__.py").read_text(encoding="utf-8")
    for node in ast.parse(source).body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id == "__version__"
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            return node.value.value
    raise ValueError(f"no __version__ = '...' in {root / 'nngui' / '__init__.py'}")


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """The four numbers Windows wants, from a version such as ``0.1.0``, ``1.2`` or ``0.3.0rc1``."""
    match = re.match(r"(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?", version)
    if not match:
        raise ValueError(f"version {version!r} does not start with a number")
    numbers = [int(n) if n is not None else 0 for n in match.groups()]
    if any(n > 0xFFFF for n in numbers):
        raise ValueError(f"version {version!r}: Windows allows at most 65535 in each part")
    return tuple(numbers)  # type: ignore[return-value]


def archive_name(version: str, platform: str) -> str:
    """The release file for a platform such as ``linux-x86_64``, ``windows-x86_64`` or ``macos-arm64``."""
    system = platform.split("-", 1)[0]
    if system not in ARCHIVE_SUFFIX or "-" not in platform:
        raise ValueError(f"platform {platform!r} is not <{'|'.join(ARCHIVE_SUFFIX)}>-<machine>")
    return f"{NAME}-{version}-{platform}{ARCHIVE_SUFFIX[system]}"


def windows_version_file(version: str, exe_name: str, description: str) -> str:
    """The text of a PyInstaller version file (``EXE(version=...)``) for one ``.exe``.

    The format is PyInstaller's: a Python expression of ``VSVersionInfo`` and its parts,
    which PyInstaller evaluates on Windows only. Explorer's Details tab shows these fields.
    """
    numbers = version_tuple(version)
    strings = {
        "CompanyName": "nngui contributors",
        "FileDescription": description,
        "FileVersion": version,
        "InternalName": Path(exe_name).stem,
        "LegalCopyright": "MIT licence, nngui contributors",
        "OriginalFilename": exe_name,
        "ProductName": NAME,
        "ProductVersion": version,
    }
    table = ",\n".join(f"          StringStruct({key!r}, {value!r})" for key, value in strings.items())
    return f"""# Windows version resource of {exe_name}, made by app/platform_meta.py from nngui.__version__.
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers!r},
    prodvers={numbers!r},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '040904B0',
        [
{table}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""


def macos_info_plist(version: str) -> dict:
    """``Info.plist`` entries of ``nngui.app`` beyond those PyInstaller's ``BUNDLE`` writes."""
    return {
        "CFBundleName": NAME,
        "CFBundleDisplayName": NAME,
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "NSHighResolutionCapable": True,
        # BUNDLE copies this from the last EXE it is given; nngui-cli (a console program) would
        # otherwise make the whole app background-only: no Dock icon, no menu bar.
        "LSBackgroundOnly": False,
        "LSApplicationCategoryType": "public.app-category.education",
        "LSMinimumSystemVersion": MACOS_MINIMUM,
        "NSHumanReadableCopyright": "MIT licence, nngui contributors",
    }


def main(argv: list[str]) -> int:
    """``version`` prints the version; ``archive PLATFORM`` the archive's name for that platform."""
    if argv == ["version"]:
        print(read_version())
        return 0
    if len(argv) == 2 and argv[0] == "archive":
        try:
            print(archive_name(read_version(), argv[1]))
        except ValueError as error:
            print(f"platform_meta: {error}", file=sys.stderr)
            return 2
        return 0
    print("usage: platform_meta.py version | archive <linux|windows|macos>-<machine>", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
