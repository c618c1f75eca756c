"""Captions under the maps: one line per run saying what it is doing, and what a tried change did.

The sentences come from ``nngui.teaching.captions`` (a pure reading of each run's history).
While training runs, each line is the diagnosis of the newest snapshot, rewritten at most
``REFRESH_HZ`` times a second. Once training stops (or the timeline looks back at an epoch),
the panel asks the training thread to try each run's candidate changes from that epoch
(``nngui.teaching.tries``, in the thread's idle time, so training never waits for it) and
shows the tried captions when they come: a suggestion only ever with its own numbers.

The panel keeps one line per run, each cut to the width with "…" (the full sentences are in
its tooltip), so nothing moves while training: its height changes only with the number of
runs or the font (projector mode).
"""

from __future__ import annotations

import html

from nngui.model import SETTINGS
from nngui.teaching.captions import caption_of

from nngui.gui.window import themes
from nngui.gui.qt import QtCore, QtGui, QtWidgets

REFRESH_HZ = 2
IDLE_TEXT = "Press Play (Space): a line here will say what each run is doing; pause to try what would help."
PANEL_TIP = ("What each run is doing now, read from its loss and accuracy. When training pauses, each run's "
             "caption tries the changes it would suggest from that epoch and shows one only if it helped.")
#: Near-black on a light grey, framed: readable on a washed-out projector.
BACKGROUND, TEXT = "#F2F2F2", "#111111"
#: Between a run's name and its caption.
DASH = " — "
#: Stop reasons after which the runs are at an epoch's end and idle: their captions are tried then.
TRIED_AFTER = ("pause", "limit", "diverged", "step")


def framed(frame: QtWidgets.QFrame, background: str, text: str, width: int = 1) -> None:
    """A box around ``frame`` in ``text``'s colour, on ``background``."""
    palette = frame.palette()
    palette.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor(background))
    palette.setColor(QtGui.QPalette.ColorRole.WindowText, QtGui.QColor(text))
    frame.setPalette(palette)
    frame.setAutoFillBackground(True)
    frame.setFrameShape(QtWidgets.QFrame.Shape.Box)
    frame.setLineWidth(width)


class CaptionPanel(QtWidgets.QFrame):
    """One line per run: its name in its colour (in a race), the epoch, what is happening, and a tried change."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("captionPanel")
        self.setAccessibleName("captionPanel")
        self.setToolTip(PANEL_TIP)
        # colours by palette, not a style sheet: a style sheet would pin the font, and projector
        # mode's larger application font must reach the captions
        framed(self, BACKGROUND, TEXT)
        self.label = QtWidgets.QLabel(IDLE_TEXT)
        self.label.setObjectName("captionLabel")
        self.label.setAccessibleName("captionLabel")
        self.label.setWordWrap(False)
        self.label.setToolTip(PANEL_TIP)
        self.label.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.label.setAlignment(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignTop)
        # the lines are cut to the width: a long sentence never widens the window
        self.label.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Fixed)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(8, 3, 8, 3)
        layout.addWidget(self.label)
        self.captions: tuple = ()   # the Caption (or None) of each run, as shown
        self.tried_epoch: int | None = None   # the epoch the captions shown were tried from; None: not tried
        self.labels: tuple = ()     # each run's name, as shown
        self._snapshot = None
        self._shown = None
        #: a sentence added to a run's caption, by run index (a student's class: how it compares)
        self._notes: dict[int, str] = {}
        self._looking_back = None   # the snapshot the timeline shows, or None: live
        self._tried = None          # (epoch, captions) tried for the epoch shown, when it came
        self._controller = None
        self._request = 0
        self._lines = 1
        self._timer = QtCore.QTimer(self)
        self._timer.setInterval(1000 // REFRESH_HZ)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        themes.follow(self, self.restyle)
        self.restyle(themes.current())

    def restyle(self, theme) -> None:
        """The theme's text on its panel colour (a light box on a dark screen would glare and hide the text)."""
        if theme is themes.DARK:
            framed(self, theme.alternate_base, theme.text)
        else:
            framed(self, BACKGROUND, TEXT)
        self.label.setPalette(self.palette())
        self._shown = None  # the runs' names take the theme's run colours
        self.refresh()

    def set_note(self, index: int, note: str | None) -> None:
        """Add ``note`` to run ``index``'s caption, after what it is doing (None: no note)."""
        if note is None:
            self._notes.pop(index, None)
        else:
            self._notes[index] = note
        self._shown = None
        self.refresh()

    # --- what to show -------------------------------------------------------------------------

    def follow(self, controller) -> None:
        """Take every race snapshot ``controller`` (the training thread's) hands the window, and its tried captions."""
        self._controller = controller
        controller.snapshot_ready.connect(lambda snapshot, grids: self._keep(snapshot))
        controller.reset_done.connect(lambda data, snapshot, grids: self._keep(snapshot, now=True))
        controller.diverged.connect(lambda index, snapshot: self._keep(snapshot, now=True))
        controller.stopped.connect(self._on_controller_stopped)
        controller.captioned.connect(self._on_controller_captioned)

    def follow_settings(self, experiment_model) -> None:
        """A run's setting changed while paused: its changes are tried again, from the same epoch, with it."""
        experiment_model.changed.connect(self._on_model_changed)

    def _on_model_changed(self, change):
        shown = self._current()
        if change.effect == SETTINGS and shown is not None and not self._playing():
            self._ask(shown.epoch)

    def follow_timeline(self, timeline) -> None:
        """Looking back, the captions describe the epoch shown (and its changes are tried from there)."""
        timeline.shown_changed.connect(self._on_timeline_shown_changed)

    def _keep(self, snapshot, now=False):
        if snapshot is not None:
            self._snapshot = snapshot
        if now:
            self.refresh()

    def _on_controller_stopped(self, stop):
        self._keep(stop.snapshot, now=True)
        if stop.snapshot is not None and stop.reason in TRIED_AFTER and self._looking_back is None:
            self._ask(stop.snapshot.epoch)

    def _on_timeline_shown_changed(self, snapshot):
        self._looking_back = snapshot
        self._shown = None
        self.refresh()
        shown = snapshot if snapshot is not None else self._snapshot
        if shown is not None and (snapshot is not None or not self._playing()):
            self._ask(shown.epoch)

    def _playing(self) -> bool:
        return self._controller is not None and self._controller.playing

    def _ask(self, epoch: int) -> None:
        if self._controller is None or epoch == 0:
            return
        self._request += 1
        self._controller.try_captions(self._request, epoch)

    def _on_controller_captioned(self, request, epoch, captions):
        if request != self._request:
            return   # asked for another epoch since
        self._tried = (epoch, captions)
        self._shown = None
        self.refresh()

    def _current(self):
        """The snapshot the captions describe: the epoch looked back at, else the newest."""
        return self._looking_back if self._looking_back is not None else self._snapshot

    def refresh(self) -> None:
        """Rewrite the lines for the snapshot shown (nothing to do if it is already shown)."""
        snapshot = self._current()
        if snapshot is None or snapshot is self._shown:
            return
        self._shown = snapshot
        tried = self._tried
        if tried is not None and tried[0] == snapshot.epoch and len(tried[1]) == len(snapshot.runs):
            self.captions, self.tried_epoch = tried[1], tried[0]
        else:
            self.captions, self.tried_epoch = tuple(caption_of(run) for run in snapshot.runs), None
        self.labels = snapshot.labels
        self._render()

    # --- one line per run -----------------------------------------------------------------------

    def _render(self) -> None:
        runs = len(self.labels) if self.captions else 1
        self._fit_height(max(1, runs))
        if not any(self.captions):
            self.label.setText(html.escape(self._cut(IDLE_TEXT, 0)))
            self.label.setToolTip(PANEL_TIP)
            return
        colors = themes.current().run_colors
        lines, full = [], []
        for index, found in enumerate(self.captions):
            name = f"{self.labels[index]}{DASH}" if len(self.labels) > 1 else ""
            if found is None:
                lines.append("")
                continue
            bold = QtGui.QFont(self.label.font())
            bold.setBold(True)
            used = QtGui.QFontMetrics(bold).horizontalAdvance(name)
            # a race names each run as every other view does, in its colour
            note = self._notes.get(index)
            line = found.line + (f" {note}" if note else "")
            named = (f'<b style="color:{colors[index % len(colors)]}">{html.escape(name[:-len(DASH)])}</b>{DASH}'
                     if name else "")
            lines.append(named + html.escape(self._cut(line, used)))
            full.append(name + found.sentence + (f" {note}" if note else ""))
        self.label.setText("<br>".join(lines))
        self.label.setToolTip("\n\n".join(full))

    def _cut(self, text: str, used: int) -> str:
        width = max(40, self.label.contentsRect().width() - used - 2)
        return QtGui.QFontMetrics(self.label.font()).elidedText(text, QtCore.Qt.TextElideMode.ElideRight, width)

    def _fit_height(self, lines: int) -> None:
        spacing = QtGui.QFontMetrics(self.label.font()).lineSpacing()
        margins = self.layout().contentsMargins()
        height = lines * spacing + margins.top() + margins.bottom() + 2 * self.frameWidth() + 2
        self._lines = lines
        if self.height() != height or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if self.captions:
            self._render()   # the lines are cut to the new width
        else:
            self.label.setText(html.escape(self._cut(IDLE_TEXT, 0)))

    def changeEvent(self, event):
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.FontChange:
            # projector mode's font: the lines' height and cuts follow
            self._render() if self.captions else self._fit_height(self._lines)

    def text(self) -> str:
        """The captions as plain text, one run a line, uncut, with each run's note."""
        return "\n".join(f"{c.sentence}" + (f" {self._notes[i]}" if i in self._notes else "")
                         for i, c in enumerate(self.captions) if c is not None)
