"""The File menu's data and export entries, the paint tool bar, and each plot's export menu.

- File ▸ Import data… / Export data…: your points as CSV (``engine.csv_data``); a bad file
  is refused with its line number and nothing changes.
- File ▸ Export ▸ …: each plot and the selected run's decision boundary as PNG or SVG, the
  whole window as PNG, every run's training history as CSV.
- Right-click on a plot or a map (Paint off): Export as PNG… / SVG….
- File ▸ Recent files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from nngui.files import csv_data, guards as files
from nngui.engine.checks import ExperimentError, shown, shown_path
from nngui.files.history_csv import history_csv
from nngui.engine.start import dataset_points

from . import exports, recent_files, session
from nngui.gui.maps.paint_tool import PaintTool
from nngui.gui.qt import QtCore, QtWidgets
from nngui.gui.window.actions import make_action

CSV_FILTER = "CSV files (*.csv);;All files (*)"
MESSAGE_MS = 6000


@dataclass
class DataHooks:
    """What the data files and exports work with, given by the window (never the window itself).

    ``plots``: the loss, accuracy and learning-rate plots; ``grid``: the decision boundaries;
    ``model``: the AppModel; ``latest()``: the newest race snapshot (or None); ``data()``: the
    race's points (or None); ``open_experiment(path)``: open an experiment file; ``picture_window(path)``:
    save a picture of the whole window; ``notify(text, ms)``: a message; ``parent``: the dialogs' parent.
    """

    plots: tuple
    grid: object
    model: object
    settings: object
    latest: Callable
    data: Callable
    open_experiment: Callable
    picture_window: Callable
    notify: Callable
    parent: object = None


class DataTools:
    """Painting, data files, exports and recent files; ``add_to(file_menu)`` places their menus."""

    def __init__(self, hooks: DataHooks):
        self.hooks = hooks
        parent = hooks.parent
        self.paint = PaintTool(hooks.model.experiment, hooks.grid, hooks.data, hooks.notify, parent)
        self._menu_views = []
        self.import_action = make_action(parent, "importDataAction", "&Import data…",
                                         "Make the points of a CSV file of x,y,label rows the data set "
                                         "(2 to 5000 points, |x|, |y| ≤ 100, labels 0 to 5; header optional)",
                                         self._on_import_triggered)
        self.export_data_action = make_action(parent, "exportDataAction", "E&xport data…",
                                              "Save every point of the current data (train and test) as x,y,label CSV",
                                              self._on_export_data_triggered)
        self.export_actions = []
        loss, accuracy, learning_rate = hooks.plots
        for name, title, plot in (("Loss", "the loss plot", loss), ("Accuracy", "the accuracy plot", accuracy),
                                  ("LearningRate", "the learning-rate plot", learning_rate),
                                  ("Boundary", "the selected run's decision boundary", None)):
            for suffix in (".png", ".svg"):
                kind = suffix[1:].upper()
                self.export_actions.append(make_action(
                    parent, f"export{name}{kind}Action", f"{title[0].upper()}{title[1:]} as {kind}…",
                    f"Save {title} as a {kind} picture",
                    lambda p=plot, n=name, s=suffix: self._on_export_picture_triggered(p, n, s)))
        self.export_window_action = make_action(parent, "exportWindowAction", "The whole &window as PNG…",
                                                "Save a picture of the whole window", self._on_export_window_triggered)
        self.export_history_action = make_action(parent, "exportHistoryAction", "Training &history as CSV…",
                                                 "Save every run's loss, accuracy, learning rate, test loss and test "
                                                 "accuracy of each epoch as CSV", self._on_export_history_triggered)
        self.recent_menu = recent_files.RecentFilesMenu(hooks.settings, hooks.open_experiment, self.import_data,
                                                        hooks.notify, parent)
        for plot in hooks.plots:
            self._add_picture_menu(plot)
        self._attach_maps()
        # after the window has handled the change (low priority): a race's new maps exist by then
        hooks.model.experiment.changed.connect(self._on_model_changed, priority=-10)

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

    # --- reading and writing ------------------------------------------------------------------

    def import_data(self, path) -> bool:
        """Make the CSV file's points the data set; a bad file shows its line and changes nothing."""
        hooks = self.hooks
        try:
            data = csv_data.read_csv(path)
            hooks.model.experiment.set_points(data.points, data.classes, f"Imported {shown(Path(path).name)}")
        except ExperimentError as error:
            QtWidgets.QMessageBox.warning(hooks.parent, "Cannot import the data",
                                          session.plain(f"{error}\n\nNothing was changed."))
            return False
        recent_files.remember(hooks.settings, path)
        return True

    def export_data(self, path) -> bool:
        """Write every point of the current data (train and test) as ``x,y,label`` CSV."""
        hooks = self.hooks
        try:
            csv_data.write_csv(path, dataset_points(hooks.model.experiment.experiment))
        except ExperimentError as error:
            QtWidgets.QMessageBox.warning(hooks.parent, "Cannot export the data", session.plain(str(error)))
            return False
        recent_files.remember(hooks.settings, path)
        hooks.notify(f"Saved the data as {shown_path(path)}", MESSAGE_MS)
        return True

    def export_history(self, path) -> bool:
        """Write every run's history so far as CSV (see ``files.history_csv``)."""
        snapshot = self.hooks.latest()
        if snapshot is None or not any(len(run.history) for run in snapshot.runs):
            self.hooks.notify("No history yet: train first, then export it.", MESSAGE_MS)
            return False
        text = history_csv(snapshot.labels, [run.history for run in snapshot.runs])
        return self._write(path, lambda: files.write_file_atomically(path, text.encode("utf-8")))

    def export_picture(self, widget, path) -> bool:
        """Write ``widget``'s plot (or map, titled as in the window) as PNG or SVG, by the suffix of ``path``."""
        grid = self.hooks.grid
        maps = grid.views()
        title = grid.title(maps.index(widget)) if widget in maps else None
        return self._write(path, lambda: exports.export_plot(widget, path, title))

    def _write(self, path, write) -> bool:
        try:
            write()
        except ExperimentError as error:
            QtWidgets.QMessageBox.warning(self.hooks.parent, "Cannot export", session.plain(str(error)))
            return False
        self.hooks.notify(f"Saved {shown_path(path)}", MESSAGE_MS)
        return True

    def _ask_path(self, title, name, file_filter, save=True) -> str:
        settings = self.hooks.settings
        start = str(Path(session.last_directory(settings)) / name)
        dialog = QtWidgets.QFileDialog.getSaveFileName if save else QtWidgets.QFileDialog.getOpenFileName
        path, _ = dialog(self.hooks.parent, title, start, file_filter)
        if path:
            suffix = Path(name).suffix
            if save and suffix and not Path(path).suffix:
                path += suffix
            settings.update({session.DIRECTORY_KEY: str(Path(path).parent)})
        return path

    # --- right-click menus on the plots and maps ----------------------------------------------

    def _add_picture_menu(self, widget, name=None) -> None:
        name = name or widget.objectName()
        for suffix in (".png", ".svg"):
            kind = suffix[1:].upper()
            action = make_action(widget, f"{name}Export{kind}Action", f"Export as {kind}…",
                                 f"Save this picture as {kind}",
                                 lambda s=suffix: self._ask_and_export(widget, name, s), context=None)
            widget.addAction(action)
        # the view (not its viewport) answers a right-click: a scroll area handles its viewport's menu events
        widget.setContextMenuPolicy(QtCore.Qt.ContextMenuPolicy.ActionsContextMenu)
        self._menu_views.append(widget)

    def _on_model_changed(self, change) -> None:
        self._attach_maps()

    def _attach_maps(self) -> None:
        for view in self.hooks.grid.views():
            if view not in self._menu_views:
                self._add_picture_menu(view)
        self.paint.attach()

    # --- slots ------------------------------------------------------------------------------

    def _on_import_triggered(self) -> None:
        path = self._ask_path("Import data", "", CSV_FILTER, save=False)
        if path:
            self.import_data(path)

    def _on_export_data_triggered(self) -> None:
        path = self._ask_path("Export data", "data.csv", CSV_FILTER)
        if path:
            self.export_data(path)

    def _on_export_picture_triggered(self, plot, name, suffix) -> None:
        if plot is None:
            selected = self.hooks.model.selected_run
            plot, name = self.hooks.grid.view(selected), f"boundary{selected + 1}"
        self._ask_and_export(plot, name, suffix)

    def _ask_and_export(self, widget, name, suffix) -> None:
        file_name = name[0].lower() + name[1:] + suffix
        path = self._ask_path("Export picture", file_name, exports.PICTURE_FORMATS[suffix])
        if path:
            self.export_picture(widget, path)

    def _on_export_window_triggered(self) -> None:
        path = self._ask_path("Export the window", "window.png", exports.PICTURE_FORMATS[".png"])
        if path:
            self._write(path, lambda: self.hooks.picture_window(path))

    def _on_export_history_triggered(self) -> None:
        path = self._ask_path("Export the training history", "history.csv", CSV_FILTER)
        if path:
            self.export_history(path)
