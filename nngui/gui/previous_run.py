"""Compare with the previous run: its loss, accuracy and learning rate stay drawn, faint, under the new run.

A teacher trains with SGD, presses Reset, picks SGD + momentum and presses Play: the
class sees the new curves grow over the old ones. When a run that trained at least one
epoch is reset or rebuilt, its history (read-only arrays that never change) becomes the
previous run; only the newest one is kept. Its curves are set once per reset, never per
frame, and the View menu can hide them or forget them.
"""

from __future__ import annotations

from nngui.engine import OptimizerConfig

from .qt import QtGui, QtWidgets

SHOW_TIP = ("Show previous run: draw the last run before a reset in grey under the live curves, "
            "to compare optimizers")
FORGET_TIP = "Forget previous run: remove its grey curves from the plots"


def describe(config: OptimizerConfig) -> str:
    """The legend's name for a run that ended with ``config``: ``before: SGD, lr 1``.

    Decay and momentum put their numbers on a second line (HTML), so the legend stays
    narrower than a plot at 1024 pixels, in projector mode too.
    """
    if config.kind == "sgd":
        return f"before: {config.label}, lr {config.learning_rate:g}"
    numbers = [f"lr {config.learning_rate:g}", f"decay {config.decay:g}"]
    if config.kind == "momentum":
        numbers.append(f"μ {config.momentum:g}")  # the momentum spin box's tooltip calls it μ
    return f"before: {config.label}<br>{', '.join(numbers)}"


class PreviousRun:
    """The window's previous run: what it holds, its curves on the three plots and its two View actions."""

    def __init__(self, window):
        self.window = window
        self.history = None   # HistoryView of the previous run, or None
        self.label = ""
        self.show_action = self._action("previousRunAction", "Show &previous run", SHOW_TIP)
        self.show_action.setCheckable(True)
        self.show_action.setChecked(True)
        self.show_action.toggled.connect(self._on_show_action_toggled)
        self.forget_action = self._action("forgetPreviousRunAction", "F&orget previous run", FORGET_TIP)
        self.forget_action.triggered.connect(self._on_forget_action_triggered)
        self.forget_action.setEnabled(False)
        menu = window.menuBar().findChild(QtWidgets.QMenu, "viewMenu")
        if menu is not None:
            menu.addSeparator()
            menu.addAction(self.show_action)
            menu.addAction(self.forget_action)

    def _action(self, name, text, tip):
        action = QtGui.QAction(text, self.window)
        action.setObjectName(name)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        self.window.addAction(action)
        return action

    @property
    def shown(self) -> bool:
        """Whether the previous run's curves are drawn (when there is one)."""
        return self.show_action.isChecked()

    def capture(self, snapshot) -> bool:
        """Keep ``snapshot``'s run as the previous run if it trained at least one epoch; whether it did.

        Called before the plots are cleared for a new run; the window fits the ranges after.
        """
        if snapshot is None or snapshot.epoch < 1 or len(snapshot.history) == 0:
            return False
        self.history = snapshot.history
        self.label = describe(snapshot.optimizer)
        self.forget_action.setEnabled(True)
        self._draw()
        return True

    def forget(self) -> None:
        """Remove the previous run."""
        self.history, self.label = None, ""
        self.forget_action.setEnabled(False)
        self._draw()
        self.window.fit_ranges()

    def _draw(self):
        history = self.history if self.shown else None
        for plot in self.window.plots():
            plot.set_previous(history, self.label)
        self.window.ranges.set_previous(history)

    def _on_show_action_toggled(self, shown):
        self._draw()
        self.window.fit_ranges()

    def _on_forget_action_triggered(self):
        self.forget()
