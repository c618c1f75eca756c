"""The live status line: epoch, loss, accuracy (and test), the learning rate used, epochs per second."""

from __future__ import annotations

import math
import time
from collections import deque

from nngui.gui.qt import QtCore, QtGui, QtWidgets

#: Seconds of snapshots the training speed is averaged over.
RATE_WINDOW_S = 1.5


def paint_elided(label: QtWidgets.QLabel) -> None:
    """Paint ``label``'s text on one line, cut at its end with "…" where it is wider than the label."""
    painter = QtGui.QPainter(label)
    rect = label.contentsRect()
    text = label.fontMetrics().elidedText(label.text(), QtCore.Qt.TextElideMode.ElideRight, rect.width())
    painter.setPen(label.palette().color(label.foregroundRole()))
    painter.drawText(rect, int(label.alignment()), text)


class StatusLine(QtWidgets.QLabel):
    """One line of text across the window, rewritten up to ``PLOT_HZ`` times a second."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("statusLabel")
        self.setAccessibleName("statusLabel")
        self.setToolTip("Epochs trained, the last epoch's loss and accuracy (and on the held-out test "
                        "points), the learning rate its update used, and the training speed.")
        # only the weight is set: the size still follows the application's (projector mode)
        font = QtGui.QFont()
        font.setWeight(QtGui.QFont.Weight.DemiBold)
        self.setFont(font)
        self.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        # the text changes many times a second: never let its length re-lay-out the window
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)
        self._samples: deque = deque(maxlen=64)

    def paintEvent(self, event):
        """One line, cut at its end with "…" where it is wider than the window (the text itself is kept)."""
        if self.wordWrap():
            super().paintEvent(event)
            return
        paint_elided(self)

    def add_sample(self, epoch: int):
        """Note that ``epoch`` epochs were done by now (for the speed)."""
        self._samples.append((time.perf_counter(), epoch))

    def clear_samples(self):
        self._samples.clear()

    def epochs_per_second(self) -> float:
        """Training speed over the last ``RATE_WINDOW_S`` seconds of snapshots (0 without two)."""
        samples = self._samples
        now = time.perf_counter()
        while len(samples) > 2 and now - samples[0][0] > RATE_WINDOW_S:
            samples.popleft()
        if len(samples) < 2 or samples[-1][0] <= samples[0][0]:
            return 0.0
        return (samples[-1][1] - samples[0][1]) / (samples[-1][0] - samples[0][0])

    def show_snapshot(self, snapshot, state: str, label: str = ""):
        """Describe one run's ``snapshot`` (or an empty run if None), named ``label`` in a race.

        ``state`` is playing, paused or diverged.
        """
        record = snapshot.record if snapshot is not None else None
        if record is None:
            epoch = snapshot.epoch if snapshot is not None else 0
            self.setText(f"Epoch {epoch:,}  ·  ready: press Play (Space) or Step (→ or S)")
            return
        loss, accuracy = f"loss {record.loss:.4f}", f"accuracy {record.accuracy:.1%}"
        if not math.isnan(record.test_accuracy):
            loss += f" (test {record.test_loss:.4f})"
            accuracy += f" (test {record.test_accuracy:.1%})"
        parts = [f"Epoch {snapshot.epoch:,}", loss, accuracy]
        if label:
            parts.insert(0, label)
        parts.append(f"learning rate {record.learning_rate:.4g}")
        parts.append(f"{self.epochs_per_second():,.0f} epochs/s" if state == "playing" else state)
        self.setText(" · ".join(parts))
