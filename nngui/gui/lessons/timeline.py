"""Looking back: the timeline slider under the views, its Live button, and a cursor on the plots.

The position lives in the model (``AppModel.timeline``: None while live, else the epoch shown,
counted as epochs trained). The rules, said in the tooltips and the status bar:

- Scrubbing pauses training: what is looked at never moves on under the pointer.
- The training thread replays every run from its nearest checkpoint to that epoch
  (``engine.checkpoints``) and sends the race as it was, with its probability maps, as
  ``looked_back``; only the newest request is drawn, and nothing from before a reset.
- Play, Step, Step into, Live, Reset or a change of settings go back to live. Training always goes on
  from the latest epoch, never from the one looked at: looking back never throws the runs'
  later epochs away.

The plots keep every epoch; a dashed vertical cursor marks the last epoch trained at the
epoch shown (x = epoch − 1, where a run stopped there ends its curves).
"""

from __future__ import annotations

import time

from nngui.model import StopReason
from nngui.gui.qt import QtCore, QtWidgets, pg
from nngui.gui.window.theme import TEXT_COLOR

CURSOR_WIDTH = 2.0
MESSAGE_MS = 6000
#: Keys the slider keeps for itself while it has the focus (the window's Step is → otherwise).
SLIDER_KEYS = (QtCore.Qt.Key.Key_Left, QtCore.Qt.Key.Key_Right, QtCore.Qt.Key.Key_Up, QtCore.Qt.Key.Key_Down,
               QtCore.Qt.Key.Key_Home, QtCore.Qt.Key.Key_End)
SLIDER_TIP = ("Look back: drag to any epoch trained so far to see the decision boundaries, the network and "
              "a cursor on the plots exactly as they were then (← → one epoch, Home: the start, End: live). "
              "Scrubbing pauses training; Play goes on from the latest epoch.")
LIVE_TIP = ("Back to the latest epoch and follow training live. Play and Step also go back: training "
            "always goes on from the latest epoch, never from the one looked at.")


#: While a live race plays, the bar follows the latest epoch at most this often (seconds); a
#: stop, a pause or a look back always shows it at once.
LIVE_FOLLOW_S = 0.5


def cursor_x(epoch: int) -> int:
    """Where the cursor stands for ``epoch`` epochs trained: the last of them (0 before any)."""
    return max(0, epoch - 1)


class TimelineSlider(QtWidgets.QSlider):
    """A horizontal slider whose arrow, Home and End keys move it rather than trigger the window's shortcuts."""

    def __init__(self, parent=None):
        super().__init__(QtCore.Qt.Orientation.Horizontal, parent)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)

    def event(self, event):
        if (event.type() == QtCore.QEvent.Type.ShortcutOverride and event.key() in SLIDER_KEYS
                and not event.modifiers() & ~QtCore.Qt.KeyboardModifier.KeypadModifier):
            event.accept()  # a focused slider steps epochs with → (Step stays on S)
            return True
        return super().event(event)

    def wheelEvent(self, event):
        if not self.hasFocus():
            event.ignore()  # the wheel passing over the slider must not leave live
            return
        super().wheelEvent(event)


class TimelineBar(QtWidgets.QWidget):
    """"Look back", the slider (its value the epoch shown), where it stands, and the Live button."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("timelineBar")
        title = QtWidgets.QLabel("Look back")
        self.slider = TimelineSlider()
        self.slider.setObjectName("timelineSlider")
        self.slider.setAccessibleName("timelineSlider")
        self.slider.setToolTip(SLIDER_TIP)
        self.slider.setRange(0, 0)
        title.setBuddy(self.slider)
        self.label = QtWidgets.QLabel()
        self.label.setObjectName("timelineLabel")
        self.label.setAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
        # room for the chapter's epochs from the start: the slider keeps its length at the first look back
        self.label.setMinimumWidth(self.label.fontMetrics().horizontalAdvance("epoch 10,000 / 10,000") + 4)
        self.live_button = QtWidgets.QPushButton("Live")
        self.live_button.setObjectName("timelineLiveButton")
        self.live_button.setAccessibleName("timelineLiveButton")
        self.live_button.setToolTip(LIVE_TIP)
        self.live_button.setIcon(self.style().standardIcon(QtWidgets.QStyle.StandardPixmap.SP_MediaSeekForward))
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(title)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        layout.addWidget(self.live_button)
        self.show_position(None, 0)

    def show_position(self, epoch: int | None, latest: int) -> None:
        """Slider and words for ``epoch`` looked back at (None: live) of ``latest`` trained; emits nothing."""
        slider = self.slider
        blocked = slider.blockSignals(True)
        slider.setMaximum(latest)
        slider.setPageStep(max(1, latest // 10))
        slider.setValue(latest if epoch is None else min(epoch, latest))
        slider.blockSignals(blocked)
        # live, the words never change (the status line counts the epochs): no re-layout 30 times a second
        text = "live" if epoch is None else f"epoch {epoch:,} / {latest:,}"
        if text != self.label.text():
            self.label.setText(text)
        if epoch is not None:
            # the widest text so far keeps its room: the slider does not jump as digits come and go
            width = self.label.fontMetrics().horizontalAdvance(f"epoch {latest:,} / {latest:,}") + 4
            if width > self.label.minimumWidth():
                self.label.setMinimumWidth(width)
        self.live_button.setEnabled(epoch is not None)


class Timeline(QtCore.QObject):
    """Keeps the bar, the plots' cursors and the views in step with ``model.timeline``.

    ``shown`` is ``(RaceSnapshot, grids)`` of the epoch looked back at once it has been
    replayed, else None; the window draws it instead of the latest snapshot.
    """

    shown_changed = QtCore.Signal(object)  # the RaceSnapshot now shown, or None: live (the window redraws)

    def __init__(self, model, controller, plots, bar: TimelineBar, notify, parent=None):
        super().__init__(parent)
        self.bar, self._notify = bar, notify
        self.model, self.controller = model, controller
        self.shown = None
        self.latest_epoch = 0
        self._shown_at = 0.0  # when the bar last followed a live, playing race
        self._request = 0
        self._looking = False  # since the timeline last left live
        pen = pg.mkPen(TEXT_COLOR, width=CURSOR_WIDTH, style=QtCore.Qt.PenStyle.DashLine)
        self.cursors = []
        for plot in plots:
            cursor = pg.InfiniteLine(pos=0, angle=90, movable=False, pen=pen)
            cursor.setZValue(10)
            cursor.setVisible(False)
            plot.addItem(cursor, ignoreBounds=True)
            self.cursors.append(cursor)
        bar.slider.valueChanged.connect(self._on_slider_value_changed)
        bar.live_button.clicked.connect(self.go_live)
        self.model.timeline_changed.connect(self._on_model_timeline_changed)
        c = self.controller
        c.looked_back.connect(self._on_controller_looked_back)
        c.playing_changed.connect(self._on_controller_playing_changed)
        c.snapshot_ready.connect(lambda snapshot, grids: self._follow(snapshot, tick=True))
        c.diverged.connect(lambda index, snapshot: self._follow(snapshot))
        c.stopped.connect(self._on_controller_stopped)
        c.reset_done.connect(self._on_controller_reset_done)

    def go_live(self) -> None:
        """Follow training live again."""
        self.model.set_timeline(None)

    def cursor_positions(self) -> list[float | None]:
        """Each plot's cursor x, or None where it is hidden."""
        return [cursor.value() if cursor.isVisible() else None for cursor in self.cursors]

    # --- the latest epoch ---------------------------------------------------------------

    def _follow(self, snapshot, tick: bool = False) -> None:
        """Show the latest epoch; ``tick``: one of a playing race's snapshots (up to ~30 a second)."""
        if snapshot is None:
            return
        self.latest_epoch = max(self.latest_epoch, snapshot.epoch)
        if tick and self.model.timeline is None:
            # live and playing, the handle stays at the right end: a few moves a second keep the
            # range current without repainting the bar (and what lies behind it) 30 times a second
            now = time.monotonic()
            if now - self._shown_at < LIVE_FOLLOW_S:
                return
            self._shown_at = now
        self.bar.show_position(self.model.timeline, self.latest_epoch)

    def _on_controller_stopped(self, stop) -> None:
        self._follow(stop.snapshot)
        if stop.reason in (StopReason.STEP, StopReason.WALK):
            self.go_live()  # Step (and Step into) train on from the latest epoch: show it

    def _on_controller_reset_done(self, data, snapshot, grids) -> None:
        self.latest_epoch = 0
        self.go_live()
        self._follow(snapshot)

    def _on_controller_playing_changed(self, playing) -> None:
        if playing:
            self.go_live()

    # --- looking back -------------------------------------------------------------------

    def _on_slider_value_changed(self, value) -> None:
        # the latest epoch is live: dragging to the end follows training again
        self.model.set_timeline(None if value >= self.latest_epoch else value)

    def _on_model_timeline_changed(self, epoch) -> None:
        self.bar.show_position(epoch, self.latest_epoch)
        if epoch is None:
            self._looking = False
            self._request += 1  # anything still on its way is for a position left
            if self.shown is not None:
                self.shown = None
                for cursor in self.cursors:
                    cursor.setVisible(False)
                self.shown_changed.emit(None)
            return
        if self.controller.playing:
            self.controller.pause()
            self._notify(
                f"Paused to look back at epoch {epoch:,}: Play (Space) goes on from the latest epoch, "
                "Live shows it again.", MESSAGE_MS)
        elif not self._looking:
            self._notify(
                f"Looking back at epoch {epoch:,}: Play (Space) goes on from the latest epoch "
                f"({self.latest_epoch:,}), Live shows it again.", MESSAGE_MS)
        self._looking = True
        self._request += 1
        self.controller.look_back(self._request, epoch)

    def _on_controller_looked_back(self, request, snapshot, grids) -> None:
        if request != self._request or self.model.timeline is None:
            return  # a newer position was asked for, or the timeline is live again
        self.shown = (snapshot, grids)
        for cursor in self.cursors:
            cursor.setValue(cursor_x(snapshot.epoch))
            cursor.setVisible(True)
        self.shown_changed.emit(snapshot)

    def status_state(self) -> str:
        """The status line's last words while looking back."""
        return "looking back"  # the timeline's label says how far training has gone


__all__ = ["Timeline", "TimelineBar", "TimelineSlider", "cursor_x"]
