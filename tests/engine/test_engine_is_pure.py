"""The engine imports numpy and the standard library only: never Qt, never the GUI."""

import ast
import pathlib
import subprocess
import sys

ENGINE = pathlib.Path(__file__).resolve().parents[2] / "nngui" / "engine"
FORBIDDEN = ("PySide6", "pyqtgraph", "nngui.gui", "shiboken6")


def test_importing_the_engine_loads_no_qt():
    code = ("import sys, nngui.engine, nngui.engine.trainer, nngui.cli.train, nngui.cli.race, nngui.cli.surface; "
            f"bad = [m for m in sys.modules if m.startswith({FORBIDDEN!r})]; print(bad); sys.exit(bool(bad))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ENGINE.parents[1])
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_engine_module_names_qt_or_the_gui():
    for path in ENGINE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""] if node.level == 0 else []
            third_party = [n for n in names if n.split(".")[0] not in sys.stdlib_module_names]
            allowed = [n for n in third_party if n == "numpy" or n.startswith(("numpy.", "nngui."))]
            assert allowed == third_party and not any(n.startswith(FORBIDDEN) for n in names), (path, names)
