"""The File menu's data and export entries, the paint tool bar, and each plot's export menu.

- File ▸ Import data… / Export data…: your points as CSV (``engine.csv_data``); a bad file
  is refused with its line number and nothing changes.
- File ▸ Export ▸ …: each plot and the selected run's decision boundary as PNG or SVG, the
  whole window as PNG, every run's training history as CSV.
- Right-click on a plot or a map (Paint off): Export as PNG… / SVG….
- File ▸ Recent files.
"""

from __future__ import annotations

from pathlib import Path

from nngui.files import csv_data, guards as files
from nngui.engine.checks import ExperimentError, shown, shown_path
from nngui.files.history_csv import history_csv
from nngui.engine.start import dataset_points

from . import exports, recent_files, session
from nngui.gui.maps.paint_tool import PaintTool
from nngui.gui.qt import QtCore, QtGui, QtWidgets

CSV_FILTER = "CSV files (*.csv);;All files (*)"
MESSAGE_MS = 6000


def _ask_path(window, title, name, file_filter, save=True) -> str:
    start = str(Path(session.last_directory(window.settings)) / name)
    dialog = QtWidgets.QFileDialog.getSaveFileName if save else QtWidgets.QFileDialog.getOpenFileName
    path, _ = dialog(window, title, start, file_filter)
    if path:
        suffix = Path(name).suffix
        if save and suffix and not Path(path).suffix:
            path += suffix
        window.settings.update({session.DIRECTORY_KEY: str(Path(path).parent)})
    return path


def import_data(window, path) -> bool:
    """Make the CSV file's points the data set; a bad file shows its line and changes nothing."""
    try:
        data = csv_data.read_csv(path)
        window.model.experiment.set_points(data.points, data.classes, f"Imported {shown(Path(path).name)}")
    except ExperimentError as error:
        QtWidgets.QMessageBox.warning(window, "Cannot import the data",
                                      session.plain(f"{error}\n\nNothing was changed."))
        return False
    recent_files.remember(window.settings, path)
    return True


def export_data(window, path) -> bool:
    """Write every point of the current data (train and test) as ``x,y,label`` CSV."""
    try:
        csv_data.write_csv(path, dataset_points(window.experiment()))
    except ExperimentError as error:
        QtWidgets.QMessageBox.warning(window, "Cannot export the data", session.plain(str(error)))
        return False
    recent_files.remember(window.settings, path)
    window.statusBar().showMessage(f"Saved the data as {shown_path(path)}", MESSAGE_MS)
    return True


def export_history(window, path) -> bool:
    """Write every run's history so far as CSV (see ``engine.history_csv``)."""
    snapshot = window.latest
    if snapshot is None or not any(len(run.history) for run in snapshot.runs):
        window.statusBar().showMessage("No history yet: train first, then export it.", MESSAGE_MS)
        return False
    text = history_csv(snapshot.labels, [run.history for run in snapshot.runs])
    return _write(window, path, lambda: files.write_file_atomically(path, text.encode("utf-8")))


def export_picture(window, widget, path) -> bool:
    """Write ``widget``'s plot (or map, titled as in the window) as PNG or SVG, by the suffix of ``path``."""
    grid = window.boundary_grid
    maps = grid.views()
    title = grid.title(maps.index(widget)) if widget in maps else None
    return _write(window, path, lambda: exports.export_plot(widget, path, title))


def _write(window, path, write) -> bool:
    try:
        write()
    except ExperimentError as error:
        QtWidgets.QMessageBox.warning(window, "Cannot export", session.plain(str(error)))
        return False
    window.statusBar().showMessage(f"Saved {shown_path(path)}", MESSAGE_MS)
    return True


class DataTools:
    """Painting, data files, exports and recent files of ``window``; ``add_to(file_menu)`` places them."""

    def __init__(self, window):
        self.window = window
        self.paint = PaintTool(window.model.experiment, window.boundary_grid, lambda: window.data,
                               window.statusBar().showMessage, window)
        self._menu_views = []
        a = self._action
        self.import_action = a("importDataAction", "&Import data…", self._on_import_triggered,
                               "Make the points of a CSV file of x,y,label rows the data set "
                               "(2 to 5000 points, |x|, |y| ≤ 100, labels 0 to 5; header optional)")
        self.export_data_action = a("exportDataAction", "E&xport data…", self._on_export_data_triggered,
                                    "Save every point of the current data (train and test) as x,y,label CSV")
        self.export_actions = []
        for name, title, plot in (("Loss", "the loss plot", window.loss_plot),
                                  ("Accuracy", "the accuracy plot", window.accuracy_plot),
                                  ("LearningRate", "the learning-rate plot", window.learning_rate_plot),
                                  ("Boundary", "the selected run's decision boundary", None)):
            for suffix in (".png", ".svg"):
                kind = suffix[1:].upper()
                self.export_actions.append(a(
                    f"export{name}{kind}Action", f"{title[0].upper()}{title[1:]} as {kind}…",
                    lambda w, p=plot, n=name, s=suffix: self._on_export_picture_triggered(p, n, s),
                    f"Save {title} as a {kind} picture"))
        self.export_window_action = a("exportWindowAction", "The whole &window as PNG…",
                                      self._on_export_window_triggered, "Save a picture of the whole window")
        self.export_history_action = a("exportHistoryAction", "Training &history as CSV…",
                                        self._on_export_history_triggered,
                                        "Save every run's loss, accuracy, learning rate, test loss and test "
                                        "accuracy of each epoch as CSV")
        self.recent_menu = recent_files.RecentFilesMenu(
            window.settings, window.files.open_experiment, lambda path: import_data(window, path),
            window.statusBar().showMessage, window)
        for plot in window.plots():
            self._add_picture_menu(plot)
        self._attach_maps()
        # after the window has handled the change (low priority): a race's new maps exist by then
        window.model.experiment.changed.connect(self._on_model_changed, priority=-10)

    def _action(self, name, text, slot, tip):
        action = QtGui.QAction(text, self.window)
        action.setObjectName(name)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda checked=False: slot(self.window))
        return action

    def add_to(self, file_menu: QtWidgets.QMenu) -> None:
        """Recent files, the data files and the Export menu, after what the File menu has so far."""
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.import_action, self.export_data_action])
        export = file_menu.addMenu("&Export")
        export.setObjectName("exportMenu")
        export.addActions(self.export_actions)
        export.addSeparator()
        export.addActions([self.export_window_action, self.export_history_action])

    # --- right-click menus on the plots and maps ----------------------------------------------

    def _add_picture_menu(self, widget, name=None) -> None:
        name = name or widget.objectName()
        for suffix in (".png", ".svg"):
            kind = suffix[1:].upper()
            action = QtGui.QAction(f"Export as {kind}…", widget)
            action.setObjectName(f"{name}Export{kind}Action")
            action.setToolTip(f"Save this picture as {kind}")
            action.triggered.connect(lambda checked=False, s=suffix: self._ask_and_export(widget, name, s))
            widget.addAction(action)
        # the view (not its viewport) answers a right-click: a scroll area handles its viewport's menu events
        widget.setContextMenuPolicy(QtCore.Qt.ContextMenuPolicy.ActionsContextMenu)
        self._menu_views.append(widget)

    def _on_model_changed(self, change) -> None:
        self._attach_maps()

    def _attach_maps(self) -> None:
        for view in self.window.boundary_grid.views():
            if view not in self._menu_views:
                self._add_picture_menu(view)
        self.paint.attach()

    # --- slots ------------------------------------------------------------------------------

    def _on_import_triggered(self, window) -> None:
        path = _ask_path(window, "Import data", "", CSV_FILTER, save=False)
        if path:
            import_data(window, path)

    def _on_export_data_triggered(self, window) -> None:
        path = _ask_path(window, "Export data", "data.csv", CSV_FILTER)
        if path:
            export_data(window, path)

    def _on_export_picture_triggered(self, plot, name, suffix) -> None:
        if plot is None:
            plot = self.window.boundary_grid.view(self.window.model.selected_run)
            name = f"boundary{self.window.model.selected_run + 1}"
        self._ask_and_export(plot, name, suffix)

    def _ask_and_export(self, widget, name, suffix) -> None:
        file_name = name[0].lower() + name[1:] + suffix
        path = _ask_path(self.window, "Export picture", file_name, exports.PICTURE_FORMATS[suffix])
        if path:
            export_picture(self.window, widget, path)

    def _on_export_window_triggered(self, window) -> None:
        path = _ask_path(window, "Export the window", "window.png", exports.PICTURE_FORMATS[".png"])
        if path:
            _write(window, path, lambda: exports.export_window(window, path))

    def _on_export_history_triggered(self, window) -> None:
        path = _ask_path(window, "Export the training history", "history.csv", CSV_FILTER)
        if path:
            export_history(window, path)
