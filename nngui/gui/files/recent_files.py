"""Recent files in the File menu: the experiments and data files last opened or saved, newest first.

Kept in the settings store (one path a line under ``RECENT_KEY``), at most ``MAX_RECENT``.
Choosing one opens it again (a ``.csv`` as data, anything else as an experiment); one that
no longer exists is removed from the list with a message in the status bar.
"""

from __future__ import annotations

import os
from pathlib import Path

from nngui.engine.checks import shown_path

from nngui.gui.qt import QtGui, QtWidgets

RECENT_KEY = "files/recent"
MAX_RECENT = 8
MESSAGE_MS = 8000


def recent_paths(settings) -> list[str]:
    """The remembered paths, newest first."""
    return [line for line in settings.text(RECENT_KEY).split("\n") if line][:MAX_RECENT]


def remember(settings, path) -> None:
    """Put ``path`` (made absolute) first in the list."""
    path = os.path.abspath(os.fspath(path))
    if "\n" in path:
        return  # a name with a line break cannot be kept one a line
    paths = [path] + [p for p in recent_paths(settings) if p != path]
    settings.update({RECENT_KEY: "\n".join(paths[:MAX_RECENT])})


def forget(settings, path) -> None:
    """Remove ``path`` from the list."""
    settings.update({RECENT_KEY: "\n".join(p for p in recent_paths(settings) if p != path) or None})


class RecentFilesMenu(QtWidgets.QMenu):
    """File ▸ Recent files, filled from the settings each time it opens.

    ``open_experiment(path)`` and ``open_data(path)`` open a chosen file; ``notify(text, ms)``
    says when a file is gone.
    """

    def __init__(self, settings, open_experiment, open_data, notify, parent=None):
        super().__init__("Recent &files", parent)
        self.setObjectName("recentMenu")
        self.setToolTipsVisible(True)
        self.settings, self._notify = settings, notify
        self._open_experiment, self._open_data = open_experiment, open_data
        self.aboutToShow.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.clear()
        paths = recent_paths(self.settings)
        for number, path in enumerate(paths, 1):
            action = QtGui.QAction(f"&{number} {shown_path(Path(path).name)}", self)
            action.setObjectName(f"recentFileAction{number}")
            action.setToolTip(shown_path(path))
            action.setStatusTip(shown_path(path))
            action.triggered.connect(lambda checked=False, p=path: self.open(p))
            self.addAction(action)
        if not paths:
            empty = self.addAction("No recent files")
            empty.setEnabled(False)
        self.addSeparator()
        clear = self.addAction("Clear the list")
        clear.setObjectName("clearRecentAction")
        clear.setEnabled(bool(paths))
        clear.triggered.connect(self._on_clear_triggered)

    def open(self, path: str) -> bool:
        """Open ``path`` again; a file that is gone is removed from the list, with a message."""
        if not os.path.exists(path):
            forget(self.settings, path)
            self.refresh()
            self._notify(
                f"{shown_path(path)} no longer exists: removed from the recent files.", MESSAGE_MS)
            return False
        if Path(path).suffix.lower() == ".csv":
            return self._open_data(path)
        return self._open_experiment(path)

    def _on_clear_triggered(self) -> None:
        self.settings.update({RECENT_KEY: None})
        self.refresh()
