"""The desktop app: PySide6 widgets and pyqtgraph plots drawn from engine snapshots."""

__all__ = ["MainWindow"]


def __getattr__(name):
    # imported on first use, so that importing one view does not build the whole window module
    if name == "MainWindow":
        from nngui.gui.window.main_window import MainWindow
        return MainWindow
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
