"""Find the files the app ships (icons, presets) the same way wherever nngui runs.

Three layouts, one answer:

- a source checkout: ``<repo>/resources/`` beside the ``nngui`` package;
- an installed wheel: the build copies ``resources/`` into the package as ``nngui/_resources/``;
- a frozen PyInstaller bundle: ``app/nngui.spec`` puts it at ``<bundle>/resources/``
  (``sys._MEIPASS``).

The module imports only the standard library, so the engine, the CLI and the GUI may all use it.
"""

from __future__ import annotations

import sys
from pathlib import Path

#: Folder name of the resources inside an installed package (see ``pyproject.toml``).
INSTALLED_NAME = "_resources"
#: Folder name of the resources in a checkout and in a frozen bundle.
CHECKOUT_NAME = "resources"
#: The application icon in PNG sizes (pixels), each ``icons/nngui-<size>.png``.
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def resources_dir() -> Path:
    """Return the folder that holds the app's resources, or raise FileNotFoundError."""
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        candidates.append(Path(bundle) / CHECKOUT_NAME)
    package = Path(__file__).resolve().parent
    candidates.append(package / INSTALLED_NAME)
    candidates.append(package.parent / CHECKOUT_NAME)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    searched = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"nngui resources not found (looked in {searched})")


def resource_path(*parts: str) -> Path:
    """Return the path of one resource, e.g. ``resource_path("icons", "nngui.svg")``.

    Raises FileNotFoundError naming the path when the file does not exist.
    """
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"nngui resource missing: {path}")
    return path


def icon_paths() -> list[Path]:
    """Return the application icon's PNG files, smallest first (for a QIcon with every size)."""
    return [resource_path("icons", f"nngui-{size}.png") for size in ICON_SIZES]
