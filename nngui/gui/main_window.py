"""The main window: compact panels on the left; the decision boundary, the network and the live plots on the right.

Training runs in a worker thread (``worker.TrainingController``). Snapshots arrive up to
~30 times a second, a few of them with the decision boundary's probability grid (computed
in the worker); the window only keeps the latest and draws at a steady rate: the plots
and status line at ``PLOT_HZ``, the probability map and network drawing at ``BOUNDARY_HZ``.
Python's GIL is shared with the worker, so every millisecond spent drawing here is a
millisecond less of training.
"""

from __future__ import annotations

from nngui.engine import Experiment
from nngui.engine.checks import ExperimentError
from nngui.engine.experiment import LIMITS

from . import projector, session
from .boundary_view import BoundaryView
from .network_view import NetworkView
from .plot_ranges import PlotRanges
from .previous_run import PreviousRun
from .panels import DatasetPanel, NetworkPanel, OptimizerPanel, TransportPanel
from .plots import AccuracyPlot, LearningRatePlot, LossPlot
from .qt import QtCore, QtGui, QtWidgets
from .status_line import StatusLine
from .worker import TrainingController

PLOT_HZ = 10
BOUNDARY_HZ = 5
#: Planned learning-rate schedule length when the epoch limit is off.
UNLIMITED_PLAN_EPOCHS = 10001
#: An experiment's ``epochs`` when the epoch limit is off (an experiment always has a number).
NO_LIMIT_EPOCHS = LIMITS["epochs"][1]

BANNER_STYLE = ("QLabel { background: #FFF3D6; color: #3D2B00; border: 1px solid #E69F00; "
                "border-radius: 4px; padding: 6px 10px; font-weight: bold; }")


class MainWindow(QtWidgets.QMainWindow):
    """nngui's window; constructible with no arguments once a QApplication exists.

    ``settings`` (a ``QSettings``) keeps the window's place and the last session;
    by default the application's own.
    """

    def __init__(self, settings: QtCore.QSettings | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("nngui — watch a neural network learn")
        self.settings = settings if settings is not None else session.default_settings()
        self.data = None          # TrainingData of the current run
        self.latest = None        # the newest Snapshot received
        self.latest_grid = None   # (Snapshot, probability grid) newest with a grid
        self.divergence: str | None = None
        self._drawn_plots = self._drawn_boundary = None
        self._make_actions()
        self._make_widgets()
        self.ranges = PlotRanges(self.loss_plot, self.accuracy_plot, self.learning_rate_plot)
        self._make_layout()
        session.make_menus(self)
        projector.make_view_menu(self)
        self.previous_run = PreviousRun(self)
        self.controller = TrainingController(self.experiment(), self)
        self._connect()
        self._update_plan()
        self._show_status()
        self._plot_timer = self._timer(1000 // PLOT_HZ, self._on_plot_timer_timeout)
        self._boundary_timer = self._timer(1000 // BOUNDARY_HZ, self._on_boundary_timer_timeout)
        session.restore_geometry(self)

    # --- construction -------------------------------------------------------------------

    def _action(self, name, text, tip, shortcuts, slot, icon=None):
        action = QtGui.QAction(text, self)
        if icon is not None:
            action.setIcon(self._icon(icon))
        action.setObjectName(name)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.setShortcuts([QtGui.QKeySequence(s) for s in shortcuts])
        # WindowShortcut: works whichever widget has focus; a focused spin box still claims the
        # keys it types (it accepts the ShortcutOverride), so typing numbers is never hijacked
        action.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _icon(self, name):
        return self.style().standardIcon(getattr(QtWidgets.QStyle.StandardPixmap, name))

    def _make_actions(self):
        self.play_action = self._action("playAction", "Play", "Play or pause training (Space)",
                                        ["Space"], self._on_play_triggered, "SP_MediaPlay")
        self.step_action = self._action("stepAction", "Step", "Train exactly one epoch (→ or S)",
                                        ["Right", "S"], self._on_step_triggered, "SP_MediaSkipForward")
        self.reset_action = self._action("resetAction", "Reset",
                                         "Start again from epoch 0 with the same seed (R)",
                                         ["R"], self._on_reset_triggered, "SP_BrowserReload")

    def _make_widgets(self):
        self.dataset_panel = DatasetPanel()
        self.network_panel = NetworkPanel()
        self.optimizer_panel = OptimizerPanel()
        self.transport_panel = TransportPanel(self.play_action, self.step_action, self.reset_action)
        self.loss_plot, self.accuracy_plot = LossPlot(), AccuracyPlot()
        self.learning_rate_plot = LearningRatePlot()
        self.boundary_view, self.network_view = BoundaryView(), NetworkView()
        for widget, name, tip in (
                (self.loss_plot, "lossPlot", "Mean cross-entropy loss per epoch: −mean(log p(true class))."),
                (self.accuracy_plot, "accuracyPlot", "Share of points whose most probable class is right."),
                (self.learning_rate_plot, "learningRatePlot",
                 "The rate each epoch's update used, η_t = η / (1 + decay · t); dashed: the plan "
                 "for the current settings."),
                (self.boundary_view, "boundaryView", None), (self.network_view, "networkView", None)):
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
        column = QtWidgets.QWidget()
        column.setObjectName("controlColumn")
        panels = QtWidgets.QVBoxLayout(column)
        panels.setContentsMargins(0, 0, 4, 4)
        for panel in (self.transport_panel, self.optimizer_panel, self.network_panel, self.dataset_panel):
            panels.addWidget(panel)
        panels.addStretch(1)
        scroll = QtWidgets.QScrollArea()
        scroll.setObjectName("controlScroll")
        scroll.setWidget(column)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.control_scroll = scroll
        self.fit_control_column()
        scroll.setSizePolicy(QtWidgets.QSizePolicy.Policy.Fixed, QtWidgets.QSizePolicy.Policy.Preferred)

        views = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        views.setObjectName("viewSplitter")
        views.addWidget(self.boundary_view)
        views.addWidget(self.network_view)
        views.setStretchFactor(0, 3)
        views.setStretchFactor(1, 2)
        plots = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        plots.setObjectName("plotSplitter")
        for plot in (self.loss_plot, self.accuracy_plot, self.learning_rate_plot):
            plots.addWidget(plot)
        stage = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        stage.setObjectName("stageSplitter")
        stage.addWidget(views)
        stage.addWidget(plots)
        # the decision boundary is the star: a little more room than the plots
        stage.setStretchFactor(0, 5)
        stage.setStretchFactor(1, 4)
        for splitter in (views, plots, stage):
            splitter.setChildrenCollapsible(False)

        # the status line and any warning span the whole width: long lines fit even at 1024 pixels
        central = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(central)
        layout.setContentsMargins(6, 4, 6, 0)
        layout.setSpacing(4)
        layout.addWidget(self.status_label)
        layout.addWidget(self.message_banner)
        body = QtWidgets.QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(4)
        body.addWidget(scroll)
        body.addWidget(stage, 1)
        layout.addLayout(body, 1)
        self.setCentralWidget(central)
        self.statusBar().setObjectName("statusBar")

    def fit_control_column(self):
        """Make the panels' column as wide as its contents at the current font, plus a scroll bar."""
        scroll = self.control_scroll
        scroll.setMinimumWidth(scroll.widget().sizeHint().width() + scroll.verticalScrollBar().sizeHint().width())

    def _connect(self):
        self.dataset_panel.changed.connect(self._on_dataset_panel_changed)
        self.network_panel.changed.connect(self._on_network_panel_changed)
        self.optimizer_panel.changed.connect(self._on_optimizer_panel_changed)
        self.transport_panel.changed.connect(self._on_transport_panel_changed)
        c = self.controller
        c.snapshot_ready.connect(self._on_controller_snapshot_ready)
        c.reset_done.connect(self._on_controller_reset_done)
        c.stopped.connect(self._on_controller_stopped)
        c.diverged.connect(self._on_controller_diverged)
        c.failed.connect(self._on_controller_failed)
        c.playing_changed.connect(self._on_controller_playing_changed)
        c.set_epoch_limit(self.transport_panel.epoch_limit())

    def _timer(self, interval_ms, slot):
        timer = QtCore.QTimer(self)
        timer.setInterval(interval_ms)
        timer.timeout.connect(slot)
        timer.start()
        return timer

    # --- the experiment the controls describe ---------------------------------------------

    def experiment(self) -> Experiment:
        """The experiment the panels describe (raises ExperimentError naming a bad field)."""
        return Experiment(dataset=self.dataset_panel.config(), network=self.network_panel.config(),
                          runs=(self.optimizer_panel.config(),), seed=self.dataset_panel.seed(),
                          epochs=self.transport_panel.epoch_limit() or NO_LIMIT_EPOCHS,
                          book=self.dataset_panel.book())

    def apply_experiment(self, experiment: Experiment, note: str = ""):
        """Show ``experiment`` in every panel and start it afresh from epoch 0."""
        self.dataset_panel.set_config(experiment.dataset, experiment.seed, experiment.book)
        self.network_panel.set_config(experiment.network)
        self.optimizer_panel.set_config(experiment.optimizer)
        limit = 0 if experiment.epochs >= NO_LIMIT_EPOCHS else experiment.epochs
        self.transport_panel.set_epoch_limit(limit)
        self.controller.set_epoch_limit(limit)
        self._update_plan()
        self.reset(note or "Loaded the experiment")

    def reset(self, note: str = ""):
        """Pause and rebuild the run from the panels' experiment: epoch 0, same seed."""
        try:
            experiment = self.experiment()
        except ExperimentError as error:
            # the run stays as it was; the banner names the field (no modal box mid-lesson)
            self.show_message(f"These settings cannot be trained: {error}")
            return
        self.controller.reset(experiment)
        # what the class saw of the run just ended stays drawn in grey under the next one
        self.previous_run.capture(self.latest)
        self.latest = self.latest_grid = self._drawn_plots = self._drawn_boundary = None
        self.divergence = None
        self.message_banner.hide()
        self.status_label.clear_samples()
        for plot in self.plots():
            plot.clear()
        self.ranges.reset()
        self.fit_ranges()
        self._show_status()
        if note:
            self.statusBar().showMessage(f"{note}: back to epoch 0. Press Play (Space) to train.", 6000)

    # --- user actions -------------------------------------------------------------------

    def _on_play_triggered(self):
        if self.controller.playing:
            self.controller.pause()
            return
        if self.divergence:
            # the diverged run cannot go on: start afresh with the settings shown now
            self.reset()
        limit = self.transport_panel.epoch_limit()
        if limit and self.latest is not None and self.latest.epoch >= limit:
            self.statusBar().showMessage(f"The epoch limit ({limit:,}) is reached: raise it, "
                                         "or press Reset (R) to start again.", 6000)
            return
        self.controller.play()

    def _on_step_triggered(self):
        if self.divergence:
            self.statusBar().showMessage("This run has diverged: press Reset (R) to start again.", 6000)
            return
        self.controller.step()

    def _on_reset_triggered(self):
        self.reset()

    def _on_dataset_panel_changed(self):
        self.reset("New data")

    def _on_network_panel_changed(self):
        self.reset("New network")

    def _on_optimizer_panel_changed(self):
        try:
            config = self.optimizer_panel.config()
        except ExperimentError as error:
            self.statusBar().showMessage(str(error), 6000)
            return
        self.controller.set_optimizer(config)
        self._update_plan()

    def _on_transport_panel_changed(self):
        self.controller.set_epoch_limit(self.transport_panel.epoch_limit())
        self._update_plan()
        self.fit_ranges()

    def _update_plan(self):
        config = self.optimizer_panel.config()
        epochs = self.transport_panel.epoch_limit() or UNLIMITED_PLAN_EPOCHS
        self.learning_rate_plot.set_plan(config.learning_rate, config.effective_decay, epochs)

    # --- from the worker ------------------------------------------------------------------

    def _on_controller_snapshot_ready(self, snapshot, grid):
        self.latest = snapshot
        if grid is not None:
            self.latest_grid = (snapshot, grid)
        self.status_label.add_sample(snapshot.epoch)

    def _on_controller_reset_done(self, data, snapshot, grid):
        self.data = data
        self.latest = snapshot
        self.latest_grid = (snapshot, grid)
        self.boundary_view.set_data(data.X, data.y, data.n_classes, data.bounds, data.test_mask)
        self.network_view.set_architecture(snapshot.sizes)
        self.network_panel.show_sizes(snapshot.sizes)
        self.draw_now()

    def _on_controller_stopped(self, stop):
        if stop.snapshot is not None:
            self.latest = stop.snapshot
            if stop.grid is not None or stop.snapshot.divergence:
                # (after an error there is no grid: the last map stays)
                self.latest_grid = (stop.snapshot, stop.grid)
        self.status_label.clear_samples()
        if stop.reason == "limit" and stop.snapshot is not None:
            self.statusBar().showMessage(f"Reached the epoch limit ({stop.snapshot.epoch:,} epochs): "
                                         "raise it to train on.", 6000)
        self.draw_now()

    def _on_controller_diverged(self, snapshot):
        self.latest = snapshot
        self.latest_grid = (snapshot, None)
        self.divergence = snapshot.divergence
        self.show_message(snapshot.divergence)
        self.draw_now()

    def _on_controller_failed(self, message):
        self.show_message(f"Training stopped: {message}. Change the settings or press Reset.")

    def show_message(self, text: str):
        """Show ``text`` in the warning banner under the status line (until the next reset)."""
        self.message_banner.setText(f"⚠ {text}")
        self.message_banner.show()

    def _on_controller_playing_changed(self, playing):
        # the style's icons: a font may lack the ▶ and ⏸ characters
        self.play_action.setText("Pause" if playing else "Play")
        self.play_action.setIcon(self._icon("SP_MediaPause" if playing else "SP_MediaPlay"))
        if not playing:
            self.status_label.clear_samples()
        self._show_status()

    # --- drawing --------------------------------------------------------------------------

    def draw_now(self):
        """Draw the latest snapshot everywhere at once (after a stop, a step or a reset)."""
        self._on_plot_timer_timeout()
        self._on_boundary_timer_timeout()

    def _on_plot_timer_timeout(self):
        snapshot = self.latest
        if snapshot is None or snapshot is self._drawn_plots:
            return
        self._drawn_plots = snapshot
        self.fit_ranges()
        for plot in self.plots():
            plot.update_history(snapshot.history)
        self._show_status()

    def plots(self):
        """The loss, accuracy and learning-rate plots."""
        return self.loss_plot, self.accuracy_plot, self.learning_rate_plot

    def fit_ranges(self):
        """Step the plots' ranges to the latest history, the epoch limit and the previous run."""
        history = self.latest.history if self.latest is not None else None
        if history is None:
            self.ranges.set_x_end(100, self.transport_panel.epoch_limit())
            return
        self.ranges.update(history, self.transport_panel.epoch_limit(),
                           self.optimizer_panel.learning_rate_spin.value())

    def _on_boundary_timer_timeout(self):
        latest = self.latest_grid
        if latest is None or latest is self._drawn_boundary:
            return
        self._drawn_boundary = latest
        snapshot, grid = latest
        if grid is None:
            # a diverged network has no probabilities worth showing
            self.boundary_view.clear_probabilities()
        else:
            self.boundary_view.set_probabilities(grid)
        self.network_view.set_parameters(snapshot.sizes, snapshot.parameters)

    def _show_status(self):
        state = "playing" if self.controller.playing else "diverged" if self.divergence else "paused"
        self.status_label.show_snapshot(self.latest, state)

    # --- closing --------------------------------------------------------------------------

    def changeEvent(self, event):
        if event.type() == QtCore.QEvent.Type.WindowStateChange:
            projector.sync_full_screen_action(self)
        super().changeEvent(event)

    def closeEvent(self, event):
        """Remember the window and the session, then stop the worker thread before closing."""
        # the application's font is shared: give it back as it was
        projector.apply_projector_mode(self, False)
        self._plot_timer.stop()
        self._boundary_timer.stop()
        session.save_on_close(self)
        self.controller.shutdown()
        super().closeEvent(event)
