"""The code panel's dock and its two actions: show the code (F3), step into the protocol (Shift+→).

Step into walks one epoch of the selected run call by call in the worker thread, only while
training is paused: each press makes one call (forward and loss, backward,
``pre_update_params()``, ``update_params()`` per layer, ``post_update_params()``) and the
worker sends the partial state back. The other runs of a race train that epoch whole when the
walked run's last call is made, so epoch e of every run still comes before e + 1 of any.
Play or Step during a walk first finishes the walked epoch (Step counts it as its epoch).
"""

from __future__ import annotations

from .code_view import CodeView
from nngui.gui.qt import QtCore, QtGui, QtWidgets

#: How often the panel follows the snapshots while training runs.
CODE_HZ = 10
#: The first time it opens, the panel takes this share of the window's height (at least MIN_HEIGHT).
HEIGHT_SHARE = 0.36
MIN_HEIGHT = 250
MESSAGE_MS = 6000
TITLE = "Code running"


class CodeDock(QtWidgets.QDockWidget):
    """A dock holding the ``CodeView``; hidden until asked for (the window's stage places it).

    ``latest()`` is the newest race snapshot (or None), ``notify(text, ms)`` shows a message;
    ``room_wanted(share)`` asks, the first time it is shown, for that share of the window's height.
    """

    room_wanted = QtCore.Signal(float, int)   # share of the window's height, least height in pixels

    def __init__(self, latest, notify, parent=None):
        super().__init__(TITLE, parent)
        self.setObjectName("codeDock")
        self._latest_snapshot, self._notify = latest, notify
        self.view = CodeView()
        self.setWidget(self.view)
        # the title bar says which run and call are shown: no line of its own for that
        self.view.header.hide()
        self.view.header_changed.connect(lambda text: self.setWindowTitle(f"{TITLE} — {text}"))
        self.setAllowedAreas(QtCore.Qt.DockWidgetArea.BottomDockWidgetArea
                             | QtCore.Qt.DockWidgetArea.RightDockWidgetArea)
        self.code_action = self.toggleViewAction()
        self.code_action.setObjectName("codeAction")
        self.code_action.setText("&Code running")
        tip = "Show the engine's SGD code with the selected run's numbers and one weight's update (F3)"
        self.code_action.setToolTip(tip)
        self.code_action.setStatusTip(tip)
        self.code_action.setShortcut(QtGui.QKeySequence("F3"))
        self.code_action.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
        tip = ("Step into one epoch of the selected run: each press makes the next call of the protocol and "
               "shows what it ran and changed (Shift+→ or F10)")
        self.step_into_action = QtGui.QAction("Step &into", self)
        self.step_into_action.setObjectName("stepIntoAction")
        self.step_into_action.setToolTip(tip)
        self.step_into_action.setStatusTip(tip)
        self.step_into_action.setShortcuts([QtGui.QKeySequence("Shift+Right"), QtGui.QKeySequence("F10")])
        self.step_into_action.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
        self.step_into_action.triggered.connect(self._on_step_into_triggered)
        self.controller = self.model = self.network_view = None
        self._latest = None     # the newest RaceSnapshot
        self._shown = None      # the RaceSnapshot the view shows
        self._report = None     # the walked call that led to _latest
        self._looking = None    # the race at an earlier epoch looked back at (None: following training)
        self._sized = False
        #: runs whose optimizer is a student's: {run index: (their source, the file's name)}
        self._sources: dict[int, tuple[str, str]] = {}
        self._timer = QtCore.QTimer(self)
        self._timer.setInterval(1000 // CODE_HZ)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.visibilityChanged.connect(self._on_visibility_changed)

    def connect_to(self, controller, model, network_view):
        """Follow the training ``controller``, the ``model``'s selected run and clicks in ``network_view``."""
        self.controller, self.model, self.network_view = controller, model, network_view
        controller.reset_done.connect(self._on_controller_reset_done)
        controller.snapshot_ready.connect(self._on_controller_snapshot_ready)
        controller.stopped.connect(self._on_controller_stopped)
        model.selected_run_changed.connect(self._on_model_selected_run_changed)
        network_view.weight_chosen.connect(self._on_network_weight_chosen)
        self.view.weight_chosen.connect(network_view.set_chosen_weight)

    def actions(self):
        """F3 and Step into: the window adds them, so their keys work wherever the focus is."""
        return [self.code_action, self.step_into_action]

    # --- actions ---------------------------------------------------------------------------

    def _on_step_into_triggered(self):
        latest, index = self._latest_snapshot(), self.model.selected_run
        if latest is not None and index < len(latest.runs) and latest.runs[index].divergence:
            label = latest.labels[index]
            self._notify(f"{label} has diverged: there is no epoch to walk. Choose another run "
                                           "or press Reset (R).", MESSAGE_MS)
            return
        if not self.isVisible():
            self.show()
        self.controller.walk(index)

    # --- following the training -----------------------------------------------------------------

    def _on_visibility_changed(self, visible):
        if self.controller is None:
            return
        # the layers' last updates are copied only while someone can see them
        self.controller.set_keep_updates(visible)
        if visible:
            if not self._sized and not self.isFloating():
                self._sized = True
                # once the window has laid the dock out: before that its size is not yet the dock's own
                QtCore.QTimer.singleShot(0, lambda: self.room_wanted.emit(HEIGHT_SHARE, MIN_HEIGHT))
            self._timer.start()
            self._show()
        else:
            self._timer.stop()

    def _on_controller_reset_done(self, data, snapshot, grids):
        self._latest, self._report, self._shown = snapshot, None, None
        self.view.clear(snapshot.runs[self._index(snapshot)].sizes)
        self._show()

    def _on_controller_snapshot_ready(self, snapshot, grids):
        self._latest, self._report = snapshot, None

    def _on_controller_stopped(self, stop):
        if stop.snapshot is None:
            return
        self._latest, self._report = stop.snapshot, stop.walk
        self._show()

    def _on_model_selected_run_changed(self, index):
        self._shown = None
        self._show()

    def _on_network_weight_chosen(self, layer, row, column):
        self.view.choose_weight(layer, row, column)
        self.network_view.set_chosen_weight(*self.view.weight)
        if not self.isVisible():
            self.show()

    def look_back(self, snapshot):
        """Show the race as it was at an earlier epoch (a RaceSnapshot), or follow training again (None)."""
        self._looking, self._shown = snapshot, None
        self._show()

    def set_source(self, index: int, source: str | None, name: str = ""):
        """Run ``index`` is trained by a student's class whose ``source`` is shown for it (None: the engine's SGD)."""
        if source is None:
            self._sources.pop(index, None)
        else:
            self._sources[index] = (source, name)
        self._shown = None
        self._show()

    def _on_timer_timeout(self):
        self._show()

    def _index(self, snapshot):
        return min(self.model.selected_run, len(snapshot.runs) - 1)

    def _show(self):
        snapshot = self._latest if self._looking is None else self._looking
        if snapshot is None or snapshot is self._shown or not self.isVisible():
            return
        self._shown = snapshot
        index = self._index(snapshot)
        report = self._report if self._report is not None and self._report.run == index else None
        if self._looking is not None:
            report = None  # a walked call belongs to the latest epoch
        label = snapshot.labels[index] if len(snapshot.runs) > 1 else ""
        self.view.show_source(*self._sources.get(index, (None, "")))
        self.view.show_snapshot(snapshot.runs[index], label, report)
