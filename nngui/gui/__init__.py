"""The desktop app: PySide6 widgets and pyqtgraph plots drawn from engine snapshots."""

__all__ = []
