"""The main window: it composes the panels, views and menus over one model and one training thread.

The model (``nngui.model.AppModel``) is the one source of truth for every control: panels
show it and write edits to it, files and lessons set it whole, and the window passes each
change on to the worker (``worker.TrainingController``): settings of one run at the next
epoch boundary, anything else as a new race from epoch 0. Results come back as immutable
race snapshots, up to ~30 a second; the window keeps the latest and draws at a steady
rate: the plots and status line at ``PLOT_HZ``, the decision boundaries and the network
drawing at ``BOUNDARY_HZ`` (every snapshot at a slow pace, so each epoch is seen).
"""

from __future__ import annotations

import time

from nngui.engine import Experiment
from nngui.engine.batches import training_points, updates_per_epoch
from nngui.engine.checks import ExperimentError
from nngui.model import PACES, REBUILD, SETTINGS, AppModel, Change, StopReason, pace_label

from nngui.gui.files import session
from . import themes
from nngui.gui.maps.boundary_grid import BoundaryGrid
from nngui.gui.lessons.caption_panel import CaptionPanel
from nngui.gui.lessons.lesson_steps import LessonHooks, LessonSteps
from nngui.gui.files import exports
from nngui.gui.files.data_menu import DataHooks, DataTools
from nngui.gui.files.student_race import StudentRace
from nngui.gui.training.draw_budget import DrawBudget
from nngui.gui.code.code_dock import CodeDock
from nngui.gui.maps.landscape_view import TAB_TIP as LANDSCAPE_TIP, LandscapeView
from nngui.gui.maps.network_view import NetworkView
from nngui.gui.controls.panels import DatasetPanel, NetworkPanel, TransportPanel
from nngui.gui.plots.plot_ranges import PlotRanges
from nngui.gui.plots.plots import AccuracyPlot, LearningRatePlot, LossPlot
from .projector import ProjectorMode
from nngui.gui.qt import QtCore, QtWidgets, pg
from nngui.gui.plots.run_legend import RunLegend
from nngui.gui.plots.run_styles import run_icon, run_styles
from nngui.gui.controls.runs_panel import RunsPanel
from nngui.gui.files.settings_store import SettingsStore
from .actions import make_action, standard_icon
from .frame import WindowFrame
from .stage import LANDSCAPE, SURFACE, Stage, StageParts
from .status_line import StatusLine
from nngui.gui.maps.surface_view import TIP as SURFACE_TIP, SurfaceView
from nngui.gui.lessons.timeline import Timeline, TimelineBar
from nngui.gui.training.worker import SNAPSHOTS_PER_SECOND, TrainingController

PLOT_HZ = 10
BOUNDARY_HZ = 5
#: While training, drawing takes at most about this share of the main thread's time.
DRAW_SHARE = 0.12
#: Planned learning-rate schedule length when the epoch limit is off.
UNLIMITED_PLAN_EPOCHS = 10001
PACE_KEY = "view/pace"
#: The bars across the top, in this order: projector mode's, then the lesson's.
PROJECTOR_BAR, LESSON_BAR = 0, 1
MESSAGE_MS = 6000

BANNER_STYLE = ("QLabel { background: #FFF3D6; color: #3D2B00; border: 1px solid #E69F00; "
                "border-radius: 4px; padding: 6px 10px; font-weight: bold; }")


class MainWindow(WindowFrame, QtWidgets.QMainWindow):
    """nngui's window; constructible with no arguments once a QApplication exists.

    ``settings`` (a ``SettingsStore``: plain values only) keeps the window's place, the pace,
    projector mode and the last session; by default the user's own.
    """

    def __init__(self, settings: SettingsStore | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("nngui — watch a neural network learn")
        self.settings = settings if settings is not None else session.default_settings()
        # every launch starts at the chapter's final setting with the course's own numbers
        self.model = AppModel(Experiment(book=True))
        self.data = None          # TrainingData of the current race
        self.latest = None        # the newest RaceSnapshot received
        self.latest_grids = None  # (RaceSnapshot, grids) newest with the probability maps
        self.divergences: dict[int, str] = {}
        self._notices: list[str] = []
        self._drawn_plots: dict[int, object] = {}      # plot index -> the snapshot it shows
        self._drawn_boundary: dict[int, object] = {}   # map index (or the network's) -> (snapshot, grids)
        self._make_actions()
        self.files = session.SessionFiles(self.settings, self.apply_experiment, self.experiment,
                                          self.statusBar().showMessage, self.close, self)
        self._make_widgets()
        self.ranges = PlotRanges(self.loss_plot, self.accuracy_plot, self.learning_rate_plot)
        self._make_layout()
        self.controller = TrainingController(self.model.experiment.experiment, self)
        # the lesson bar above the status line, the steps' keys
        self.lessons = LessonSteps(LessonHooks(
            model=self.model, controller=self.controller, settings=self.settings, controls=self._lesson_controls(),
            views=self.stage, play_action=self.play_action, apply_experiment=self.apply_experiment,
            latest_epoch=lambda: None if self.latest is None else self.latest.epoch,
            notify=self.statusBar().showMessage))
        self.stage.add_bar(self.lessons.bar, LESSON_BAR)
        self.addActions(self.lessons.actions())
        self.code_dock = CodeDock(lambda: self.latest, self.statusBar().showMessage, self)
        self.addDockWidget(QtCore.Qt.DockWidgetArea.BottomDockWidgetArea, self.code_dock)
        self.code_dock.hide()
        self.stage.follow_dock(self.code_dock)
        self.addActions(self.code_dock.actions())
        self.projector = ProjectorMode(self.stage, self.frame_controls(), self.settings, (self.play_action, self.step_action, self.reset_action),
                                       (self.slower_action, self.faster_action), self.status_label,
                                       self._scale_views, self.restyle, self.statusBar().showMessage)
        self.stage.add_bar(self.projector.bar, PROJECTOR_BAR)
        self.addActions(self.projector.shortcut_actions())
        self._make_menus()
        self.surface_view = SurfaceView(self.model)
        self.stage.add_view(SURFACE, self.surface_view, "Loss surface", SURFACE_TIP)
        self._connect()
        self.student_race = StudentRace(self, self.model.experiment, self.controller, self.statusBar().showMessage,
                                        self.show_message, self.code_dock.set_source, self.captions.set_note)
        self.findChild(QtWidgets.QMenu, "fileMenu").insertAction(self.files.restore_action, self.student_race.action)
        self.runs_panel.name_runs = self.student_race.labels
        self.landscape_view = LandscapeView(self.controller)
        self.stage.add_view(LANDSCAPE, self.landscape_view, "Landscape", LANDSCAPE_TIP)
        self.timeline = Timeline(self.model, self.controller, self.plots(), self.timeline_bar,
                                 self.statusBar().showMessage, self)
        self.timeline.shown_changed.connect(self._on_timeline_shown_changed)
        self.captions.follow_timeline(self.timeline)   # looking back, the captions describe the epoch shown
        self.captions.follow_settings(self.model.experiment)   # a new setting while paused is tried again
        self.model.set_pace(session.read_pace(self.settings, PACE_KEY))
        self.transport_panel.show_pace(self.model.pace)
        self.projector.bar.show_pace(self.model.pace)
        self.controller.set_pace(self.model.pace)
        self._show_race_structure(self.model.experiment.experiment)
        self._show_status()
        self._plot_part = self._boundary_part = 0
        self.draw_budget = DrawBudget()
        self._plot_timer = self._timer(1000 // (PLOT_HZ * len(self.plots())), self._on_plot_timer_timeout)
        self._boundary_timer = self._timer(1000 // (BOUNDARY_HZ * 2), self._on_boundary_timer_timeout)
        if not session.restore_geometry(self):
            self.fit_on_first_show()   # the first launch: placed again once the frame is known
        self.projector.restore()

    # --- construction -------------------------------------------------------------------

    def _action(self, name, text, tip, keys, slot, icon=None):
        action = make_action(self, name, text, tip, slot, keys, icon and standard_icon(self, icon))
        self.addAction(action)
        return action

    def _make_actions(self):
        self.play_action = self._action("playAction", "Play", "Play or pause training (Space)",
                                        ["Space"], self._on_play_triggered, "SP_MediaPlay")
        self.step_action = self._action("stepAction", "Step", "Train exactly one epoch of every run (→ or S)",
                                        ["Right", "S"], self._on_step_triggered, "SP_MediaSkipForward")
        self.reset_action = self._action("resetAction", "Reset",
                                         "Start every run again from epoch 0 with the same seed (R)",
                                         ["R"], self._on_reset_triggered, "SP_BrowserReload")
        self.compare_action = self._action(
            "compareAction", "Compare", "Race the chapter's optimizers from the same start: SGD (lr 1), "
            "SGD + decay (lr 1, decay 1e-3) and SGD + momentum (lr 1, decay 1e-3, momentum 0.9); pressed again, "
            "on the chapter's spiral and network, full batch, 10,001 epochs, in the course's numbers (Ctrl+K)",
            ["Ctrl+K"], self._on_compare_triggered)
        self.pin_action = self._action(
            "pinAction", "Pin runs", "Keep the runs as they are now on the plots as a reference, until "
            "unpinned (Ctrl+P)", ["Ctrl+P"], self._on_pin_triggered)
        self.unpin_action = self._action("unpinAction", "Unpin all", "Remove every pinned run from the plots",
                                         [], self._on_unpin_triggered)
        self.undo_action = self._action("undoAction", "Undo", "Undo the last change of settings (Ctrl+Z)",
                                        ["Ctrl+Z"], self._on_undo_triggered)
        self.redo_action = self._action("redoAction", "Redo", "Redo the change of settings undone (Ctrl+Shift+Z)",
                                        ["Ctrl+Shift+Z", "Ctrl+Y"], self._on_redo_triggered)
        self.slower_action = self._action("slowerAction", "Slower", "Train fewer epochs a second (−)", ["-"],
                                          lambda: self._step_pace(-1))
        self.faster_action = self._action("fasterAction", "Faster", "Train more epochs a second (+)", ["+", "="],
                                          lambda: self._step_pace(+1))
        self.unpin_action.setEnabled(False)
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)

    def _make_widgets(self):
        experiment = self.model.experiment
        self.dataset_panel = DatasetPanel(experiment)
        self.network_panel = NetworkPanel(experiment)
        self.runs_panel = RunsPanel(self.model, self.compare_action, run_icon)
        self.transport_panel = TransportPanel(experiment, (self.play_action, self.step_action, self.reset_action))
        self.loss_plot, self.accuracy_plot = LossPlot(), AccuracyPlot()
        self.learning_rate_plot = LearningRatePlot()
        self.run_legend = RunLegend()
        self.boundary_grid, self.network_view = BoundaryGrid(), NetworkView()
        self.timeline_bar = TimelineBar()
        for widget, name, tip in (
                (self.loss_plot, "lossPlot", "Mean cross-entropy loss per epoch, one curve per run: "
                                             "−mean(log p(true class)). With mini-batches: every training "
                                             "point as the epoch begins; faint, each update's batch loss."),
                (self.accuracy_plot, "accuracyPlot", "Share of points whose most probable class is right, "
                                                     "one curve per run."),
                (self.learning_rate_plot, "learningRatePlot",
                 "The rate each epoch's update used, η_t = η / (1 + decay · t), one curve per run; dashed: "
                 "the plan for each run's current settings. Right axis, long dashes: each momentum run's "
                 "effective step size η_t / (1 − momentum)."),
                (self.run_legend, "runLegend", None),
                (self.boundary_grid, "boundaryGrid", None), (self.network_view, "networkView", None)):
            widget.setObjectName(name)
            widget.setAccessibleName(name)
            if tip:
                widget.setToolTip(tip)
        self.status_label = StatusLine()
        self.message_banner = QtWidgets.QLabel()
        self.message_banner.setObjectName("messageBanner")
        self.message_banner.setWordWrap(True)
        self.message_banner.setStyleSheet(BANNER_STYLE)
        self.message_banner.setToolTip("Why training stopped, and what to try.")
        self.message_banner.hide()

    def _make_layout(self):
        self.captions = CaptionPanel()     # one sentence per run under the maps and plots
        self.stage = Stage(StageParts(
            status_line=self.status_label, banner=self.message_banner,
            panels=[self.transport_panel, self.runs_panel, self.network_panel, self.dataset_panel],
            boundary_grid=self.boundary_grid, network_view=self.network_view, legend=self.run_legend,
            plots=self.plots(), timeline_bar=self.timeline_bar, captions=self.captions), self)
        self.setCentralWidget(self.stage.central)
        self.stage.dock_room_wanted.connect(self._size_dock)
        self.control_scroll, self.view_tabs = self.stage.control_scroll, self.stage.view_tabs
        self.statusBar().setObjectName("statusBar")

    def _size_dock(self, dock, share: float, least: int) -> None:
        """Give ``dock`` ``share`` of the window's height, at least ``least`` pixels (the stage asks)."""
        self.resizeDocks([dock], [max(least, round(share * self.height()))], QtCore.Qt.Orientation.Vertical)

    def _lesson_controls(self):
        """What a lesson's step may lock or hide, by the names lesson files use (a panel first)."""
        transport = self.transport_panel
        return {"dataset": [self.dataset_panel], "network": [self.network_panel],
                "runs": [self.runs_panel, self.compare_action], "epoch_limit": [transport.epoch_limit_spin],
                "pace": [transport.pace_combo, self.slower_action, self.faster_action],
                "compare": [self.compare_action]}

    def _make_menus(self):
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.setObjectName("fileMenu")
        file_menu.addActions([self.files.open_action, self.files.save_action])
        file_menu.addAction(self.lessons.save_action)
        self.data_tools = DataTools(DataHooks(
            plots=self.plots(), grid=self.boundary_grid, model=self.model, settings=self.settings,
            latest=lambda: self.latest, data=lambda: self.data, open_experiment=self.files.open_experiment,
            picture_window=lambda path: exports.export_window(self, path), notify=self.statusBar().showMessage,
            parent=self))
        self.data_tools.add_to(file_menu)
        self.addToolBar(self.data_tools.paint.make_toolbar())
        file_menu.addSeparator()
        file_menu.addAction(self.files.restore_action)
        file_menu.addSeparator()
        file_menu.addAction(self.files.quit_action)
        edit = bar.addMenu("&Edit")
        edit.setObjectName("editMenu")
        edit.addActions([self.undo_action, self.redo_action])
        training = bar.addMenu("&Training")
        training.setObjectName("trainingMenu")
        training.addActions([self.play_action, self.step_action, self.reset_action])
        training.addAction(self.code_dock.step_into_action)
        training.addSeparator()
        training.addActions([self.compare_action, self.pin_action, self.unpin_action])
        lessons = bar.addMenu("&Lessons")
        lessons.setObjectName("lessonsMenu")
        lessons.setToolTipsVisible(True)
        self.lessons.fill_menu(lessons)
        lessons.addActions(self.files.lesson_actions)
        view = bar.addMenu("&View")
        view.setObjectName("viewMenu")
        view.addActions(self.projector.actions())
        view.addAction(self.code_dock.code_action)
        help_menu = bar.addMenu("&Help")
        help_menu.setObjectName("helpMenu")
        help_menu.addActions(self.files.help_actions)
        toolbar = self.addToolBar("Race")
        toolbar.setObjectName("raceToolBar")
        toolbar.setMovable(False)
        toolbar.addActions([self.compare_action, self.pin_action])
        for action in (self.compare_action, self.pin_action):
            button = toolbar.widgetForAction(action)
            button.setObjectName(action.objectName().replace("Action", "ToolButton"))
            button.setAccessibleName(button.objectName())

    def _scale_views(self, text: float, line: float, point: float):
        """Text, curves and points of every view at these factors of their normal size (projector mode)."""
        for plot in self.plots():
            plot.set_scale(text, line)
            item = plot.getPlotItem()
            if text != 1.0:
                # the y axis's label names each plot, and the plots stand side by side: their title
                # rows and the words "epoch" under their numbers go to the data
                item.setTitle(None)
            item.getAxis("bottom").showLabel(text == 1.0)
        self.run_legend.set_scale(text, line)
        self.lessons.bar.set_large_text(text == 1.0)
        self.boundary_grid.set_scale(text, point)
        self.landscape_view.set_scale(text, line)
        self.code_dock.view.set_scale(text)

    def restyle(self, _theme=None):
        """Draw everything again in the current theme's colours (``themes``): every plot, the runs, pins, maps."""
        for plot in self.findChildren(pg.PlotWidget):
            themes.style_plot(plot)
        # (in projector mode at the bar's size: three lines at 1.6× took the maps' room, two hold it)
        self.message_banner.setStyleSheet(themes.current().banner_style(self.projector.bar_point_size()))
        self._show_race_structure(self.experiment())
        self.runs_panel.show_experiment(self.experiment())   # the runs' swatches in the new colours
        self._on_model_pins_changed(self.model.pins)
        if self.data is not None:
            data = self.data
            self.boundary_grid.set_data(data.X, data.y, data.n_classes, data.bounds, data.test_mask)
        self._drawn_plots, self._drawn_boundary = {}, {}
        self.draw_now()
        self.fit_ranges()

    def _connect(self):
        self.model.experiment.changed.connect(self._on_model_changed)
        self.model.pace_changed.connect(self._on_model_pace_changed)
        self.model.selected_run_changed.connect(self._on_model_selected_run_changed)
        self.model.pins_changed.connect(self._on_model_pins_changed)
        self.model.notice.connect(self._on_model_notice)
        self.model.refused.connect(lambda text: self.statusBar().showMessage(text, MESSAGE_MS))
        self.model.told.connect(lambda text: self.statusBar().showMessage(text, MESSAGE_MS))
        for panel in (self.dataset_panel, self.network_panel, self.runs_panel, self.transport_panel):
            panel.refused.connect(lambda text: self.statusBar().showMessage(text, MESSAGE_MS))
        self.transport_panel.pace_chosen.connect(self.model.set_pace)
        self.boundary_grid.run_selected.connect(self.model.select_run)
        c = self.controller
        c.snapshot_ready.connect(self._on_controller_snapshot_ready)
        c.reset_done.connect(self._on_controller_reset_done)
        c.stopped.connect(self._on_controller_stopped)
        c.diverged.connect(self._on_controller_diverged)
        c.failed.connect(self._on_controller_failed)
        c.playing_changed.connect(self._on_controller_playing_changed)
        c.set_epoch_limit(self.transport_panel.epoch_limit())
        self.captions.follow(c)
        self.code_dock.connect_to(c, self.model, self.network_view)

    def _timer(self, interval_ms, slot):
        timer = QtCore.QTimer(self)
        timer.setInterval(interval_ms)
        timer.timeout.connect(slot)
        timer.start()
        return timer

    # --- the model ------------------------------------------------------------------------------

    def experiment(self) -> Experiment:
        """The experiment the window holds (the model's)."""
        return self.model.experiment.experiment

    def apply_experiment(self, experiment: Experiment, note: str = "") -> bool:
        """Set the whole experiment (a file, a lesson, the last session) and start it afresh from epoch 0."""
        try:
            self.model.experiment.load(experiment, note or "Loaded the experiment")
        except ExperimentError as error:
            self.show_message(f"Nothing was changed: {error}")
            return False
        return True

    def _on_model_changed(self, change: Change):
        experiment = change.new
        if change.effect != REBUILD:
            self._notices.clear()
        self.controller.set_epoch_limit(self.transport_panel.epoch_limit())
        self.undo_action.setEnabled(self.model.experiment.can_undo())
        self.redo_action.setEnabled(self.model.experiment.can_redo())
        if change.effect == REBUILD:
            self.reset(change.note or "New settings")
            return
        if change.effect == SETTINGS:
            self.controller.set_optimizer(change.run, experiment.runs[change.run])
            # a run's name follows its settings: redraw what was drawn under the old names
            self._show_race_structure(experiment)
            self._drawn_plots, self._drawn_boundary = {}, {}
            self.draw_now()
        self._update_plans()
        self.fit_ranges()

    def _on_model_notice(self, text):
        # a notice raised by the change being handled joins that change's own message
        self._notices.append(text)
        self.statusBar().showMessage(text, MESSAGE_MS)

    def _step_pace(self, direction: int):
        """The next pace slower (``direction`` −1) or faster (+1) than the current one; max is the fastest."""
        paces = list(PACES)
        index = paces.index(self.model.pace) if self.model.pace in paces else len(paces) - 1
        index = min(max(index + direction, 0), len(paces) - 1)
        self.model.set_pace(paces[index])
        self.statusBar().showMessage(f"Pace: {pace_label(paces[index])}", MESSAGE_MS)

    def _on_model_pace_changed(self, pace):
        self.controller.set_pace(pace)
        self.transport_panel.show_pace(pace)
        self.projector.bar.show_pace(pace)
        self.settings.setValue(PACE_KEY, "max" if pace is None else int(pace))

    def _on_model_selected_run_changed(self, index):
        self.boundary_grid.set_selected(index)
        self._drawn_boundary = {}
        self.draw_now()

    def _on_model_pins_changed(self, pins):
        for plot in self.plots():
            plot.set_pins(pins)
        self.run_legend.set_pins(pins)
        self.ranges.set_pins([pin.history for pin in pins])
        self.unpin_action.setEnabled(bool(pins))
        self.fit_ranges()

    def _show_race_structure(self, experiment: Experiment):
        """Curves, legend, maps and plans for the experiment's runs (their names and styles)."""
        labels = self.student_race.labels(experiment)
        styles = run_styles(len(labels))
        for plot in self.plots():
            plot.set_runs(labels, styles)
        self.run_legend.set_runs(labels, styles)
        self.stage.fit_runs(len(labels))
        self.boundary_grid.set_runs(labels, styles)
        self.boundary_grid.set_selected(self.model.selected_run)
        self._update_plans()

    def reset(self, note: str = ""):
        """Pause and rebuild the race from the model's experiment: epoch 0, same seed."""
        experiment = self.experiment()
        self.controller.reset(experiment)
        self.latest = self.latest_grids = None
        self._drawn_plots, self._drawn_boundary = {}, {}
        self.divergences = {}
        self.message_banner.hide()
        self.status_label.clear_samples()
        for plot in self.plots():
            plot.clear()
        self.ranges.reset()
        self._show_race_structure(experiment)
        self.fit_ranges()
        self._show_status()
        notices, self._notices = self._notices, []
        if note:
            extra = "".join(f" {text}." for text in notices)
            self.statusBar().showMessage(f"{note}: back to epoch 0.{extra} Press Play (Space) to train.", MESSAGE_MS)

    # --- user actions -------------------------------------------------------------------

    def _on_play_triggered(self):
        if self.controller.playing:
            self.controller.pause()
            return
        if self.latest is not None and all(run.divergence for run in self.latest.runs):
            # every run has diverged and cannot go on: start afresh with the settings shown now
            self.reset()
        limit = self.transport_panel.epoch_limit()
        if limit and self.latest is not None and self.latest.epoch >= limit:
            self.statusBar().showMessage(f"The epoch limit ({limit:,}) is reached: raise it, "
                                         "or press Reset (R) to start again.", MESSAGE_MS)
            return
        self.controller.play()

    def _on_step_triggered(self):
        if self.latest is not None and all(run.divergence for run in self.latest.runs):
            self.statusBar().showMessage("Every run has diverged: press Reset (R) to start again.", MESSAGE_MS)
            return
        self.controller.step()

    def _on_reset_triggered(self):
        self.reset("Reset")

    def _on_compare_triggered(self):
        self.runs_panel.edit(self.model.compare_chapter)

    def _on_pin_triggered(self):
        if self.latest is None or self.latest.epoch == 0:
            self.statusBar().showMessage("Nothing to pin yet: train first, then pin the runs.", MESSAGE_MS)
            return
        for index, run in enumerate(self.latest.runs):
            self.model.pin(run, index)
        self.statusBar().showMessage(f"Pinned {len(self.latest.runs)} run(s) at epoch {self.latest.epoch:,}: "
                                     "they stay on the plots until unpinned.", MESSAGE_MS)

    def _on_unpin_triggered(self):
        self.model.unpin()

    def _on_undo_triggered(self):
        self.runs_panel.edit(self.model.experiment.undo)

    def _on_redo_triggered(self):
        self.runs_panel.edit(self.model.experiment.redo)

    def _update_plans(self):
        experiment = self.experiment()
        epochs = self.transport_panel.epoch_limit() or UNLIMITED_PLAN_EPOCHS
        data = experiment.dataset
        per_epoch = updates_per_epoch(experiment.batch_size, training_points(data.samples, data.classes,
                                                                             data.test_split, data.points))
        self.learning_rate_plot.set_plans([(run.learning_rate, run.effective_decay) for run in experiment.runs],
                                          epochs, per_epoch)

    # --- from the worker ------------------------------------------------------------------

    def _on_controller_snapshot_ready(self, snapshot, grids):
        self.latest = snapshot
        if grids is not None:
            self.latest_grids = (snapshot, grids)
        self.status_label.add_sample(snapshot.epoch)
        if self.model.pace is not None and self.model.pace <= SNAPSHOTS_PER_SECOND:
            # at a pace a class can follow, every epoch is drawn as it arrives
            self.draw_now()

    def _on_controller_reset_done(self, data, snapshot, grids):
        self.data = data
        self.latest = snapshot
        self.latest_grids = (snapshot, grids)
        self.boundary_grid.set_data(data.X, data.y, data.n_classes, data.bounds, data.test_mask)
        self.run_legend.set_key(test=bool(data.test_mask.any()))
        selected = snapshot.runs[self.model.selected_run]
        self.network_view.set_architecture(selected.sizes)
        self.draw_now()

    def _on_controller_stopped(self, stop):
        if stop.snapshot is not None:
            self.latest = stop.snapshot
            if stop.grids is not None:
                self.latest_grids = (stop.snapshot, stop.grids)
        self.status_label.clear_samples()
        if stop.reason is StopReason.LIMIT and stop.snapshot is not None:
            self.statusBar().showMessage(f"Reached the epoch limit ({stop.snapshot.epoch:,} epochs): "
                                         "raise it to train on.", MESSAGE_MS)
        self.draw_now()

    def _on_controller_diverged(self, index, snapshot):
        self.latest = snapshot
        run = snapshot.runs[index]
        self.divergences[index] = run.divergence
        messages = [f"{snapshot.labels[i]}: {text}" if len(snapshot.runs) > 1 else text
                    for i, text in sorted(self.divergences.items())]
        self.show_message("\n".join(messages))
        self.draw_now()

    def _on_timeline_shown_changed(self, snapshot):
        # an earlier epoch (or live again): the maps, the network drawing and the status line follow
        self.draw_now()
        self._show_status()
        self.code_dock.look_back(snapshot)

    def _on_controller_failed(self, message):
        self.show_message(f"Training stopped: {message}. Change the settings or press Reset.")

    def show_message(self, text: str):
        """Show ``text`` in the warning banner under the status line (until the next reset)."""
        self.message_banner.setText(f"⚠ {text}")
        self.message_banner.show()

    def _on_controller_playing_changed(self, playing):
        self.draw_budget.set_active(playing)
        # the style's icons: a font may lack the ▶ and ⏸ characters
        self.play_action.setText("Pause" if playing else "Play")
        self.play_action.setIcon(standard_icon(self, "SP_MediaPause" if playing else "SP_MediaPlay"))
        if not playing:
            self.status_label.clear_samples()
        self._show_status()

    # --- drawing --------------------------------------------------------------------------

    def draw_now(self):
        """Draw the latest snapshot everywhere at once (after a stop, a step, a reset, or at a slow pace)."""
        for part in range(len(self.plots())):
            self._draw_plot(part)
        for part in range(len(self.boundary_grid.views()) + 1):
            self._draw_boundary_part(part)

    def plots(self):
        """The loss, accuracy and learning-rate plots."""
        return self.loss_plot, self.accuracy_plot, self.learning_rate_plot

    # While training, each timer tick draws one part (one plot, one map or the network), so the
    # main thread never holds the GIL for all of them at once: every plot is still redrawn at
    # PLOT_HZ and every map at BOUNDARY_HZ, and events wait for one part at most.

    def _on_plot_timer_timeout(self):
        self._plot_part = (self._plot_part + 1) % len(self.plots())
        started = time.perf_counter()
        self._draw_plot(self._plot_part)
        self._pace_timer(self._plot_timer, PLOT_HZ * len(self.plots()), time.perf_counter() - started)

    def _pace_timer(self, timer, hz, cost_s):
        """The next tick after ``1/hz`` s, later while the main thread is over its budget or a draw took long."""
        # drawing shares the GIL with training: the budget counts the painting that follows a
        # draw too; one draw alone never takes more than DRAW_SHARE of its interval
        timer.setInterval(max(self.draw_budget.interval_ms(hz), round(1000 * cost_s / DRAW_SHARE)))

    def _draw_plot(self, part):
        snapshot = self.latest
        if snapshot is None or self._drawn_plots.get(part) is snapshot:
            return
        self._drawn_plots[part] = snapshot
        self.plots()[part].update_runs([run.history for run in snapshot.runs])
        self.plots()[part].update_snapshots(snapshot.runs)
        if part == 0:
            self.fit_ranges()
            self._show_status()

    def fit_ranges(self):
        """Step the plots' ranges to every run's history, the pins and the epoch limit."""
        histories = [run.history for run in self.latest.runs] if self.latest is not None else []
        rates = [run.learning_rate for run in self.experiment().runs]
        self.ranges.update_runs(histories, self.transport_panel.epoch_limit(), rates)

    def _on_boundary_timer_timeout(self):
        parts = len(self.boundary_grid.views()) + 1
        self._boundary_part = (self._boundary_part + 1) % parts
        started = time.perf_counter()
        self._draw_boundary_part(self._boundary_part)
        # one map (or the network drawing) a tick: each at BOUNDARY_HZ whatever the race's size
        self._pace_timer(self._boundary_timer, BOUNDARY_HZ * parts, time.perf_counter() - started)

    def _draw_boundary_part(self, part):
        latest = self.latest_grids
        looking_back = self.timeline.shown  # (snapshot, grids) of an earlier epoch, or None: live
        if looking_back is not None:
            latest = looking_back
        if latest is None or self._drawn_boundary.get(part) is latest:
            return
        self._drawn_boundary[part] = latest
        snapshot, grids = latest
        if part < len(snapshot.runs):
            grid = grids[part] if grids is not None and part < len(grids) else None
            if grid is None:
                # a diverged network has no probabilities worth showing
                self.boundary_grid.clear_probabilities(part)
            else:
                self.boundary_grid.set_probabilities(part, grid)
            return
        self._show_accuracies(snapshot if looking_back is not None else self.latest or snapshot)
        selected = snapshot.runs[min(self.model.selected_run, len(snapshot.runs) - 1)]
        self.network_view.set_parameters(selected.sizes, selected.parameters)

    def _show_accuracies(self, snapshot):
        for index, run in enumerate(snapshot.runs):
            accuracy = run.record.accuracy if run.record is not None else None
            self.boundary_grid.set_accuracy(index, accuracy, bool(run.divergence))

    def _show_status(self):
        snapshot = self.latest
        index = self.model.selected_run
        run = snapshot.runs[index] if snapshot is not None and index < len(snapshot.runs) else None
        if self.timeline.shown is not None:
            snapshot = self.timeline.shown[0]
            run = snapshot.runs[index] if index < len(snapshot.runs) else None
        state = ("playing" if self.controller.playing else
                 "diverged" if run is not None and run.divergence else "paused")
        if self.timeline.shown is not None:
            state = self.timeline.status_state()
        labels = self.student_race.labels(self.experiment())
        # a race names the run the status line follows; a single run needs no name
        label = labels[min(index, len(labels) - 1)] if len(labels) > 1 else ""
        self.status_label.show_snapshot(run, state, label)

    # --- closing --------------------------------------------------------------------------

    def changeEvent(self, event):
        if event.type() == QtCore.QEvent.Type.WindowStateChange:
            self.projector.sync_full_screen_action()
        super().changeEvent(event)

    def closeEvent(self, event):
        """Remember the window and the session, then stop the worker thread before closing."""
        # the application's font is shared: give it back as it was
        self.projector.apply(False)
        self.projector.close()
        self._plot_timer.stop()
        self._boundary_timer.stop()
        session.save_on_close(self)
        self.controller.shutdown()
        self.landscape_view.shutdown()
        super().closeEvent(event)
