"""Captions under the maps: one plain sentence per run saying what it is doing and what to try next.

The sentences come from ``nngui.teaching.captions`` (a pure reading of each run's history);
this panel keeps the newest race snapshot it was given and rewrites its lines at most
``REFRESH_HZ`` times a second, and at once when training stops, diverges or is reset.
"""

from __future__ import annotations

import html

from nngui.teaching.captions import caption_of

from nngui.gui.window import themes
from nngui.gui.qt import QtCore, QtGui, QtWidgets

REFRESH_HZ = 2
IDLE_TEXT = "Press Play (Space): a sentence here will say what each run is doing, and what to try next."
PANEL_TIP = "What each run is doing now, read from its loss and accuracy, and the next thing to try"
#: Near-black on a light grey, framed: readable on a washed-out projector.
BACKGROUND, TEXT = "#F2F2F2", "#111111"


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
    """One line per run: its name in its colour (in a race), the epoch, what is happening, and a suggestion."""

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
        self.label.setWordWrap(True)
        self.label.setToolTip(PANEL_TIP)
        self.label.setTextFormat(QtCore.Qt.TextFormat.RichText)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(8, 3, 8, 3)
        layout.addWidget(self.label)
        self.captions: tuple = ()   # the Caption (or None) of each run, as shown
        self._snapshot = None
        self._shown = None
        #: a sentence added to a run's caption, by run index (a student's class: how it compares)
        self._notes: dict[int, str] = {}
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

    def follow(self, controller) -> None:
        """Take every race snapshot ``controller`` (the training thread's) hands the window."""
        controller.snapshot_ready.connect(lambda snapshot, grids: self._keep(snapshot))
        controller.reset_done.connect(lambda data, snapshot, grids: self._keep(snapshot, now=True))
        controller.diverged.connect(lambda index, snapshot: self._keep(snapshot, now=True))
        controller.stopped.connect(lambda stop: self._keep(stop.snapshot, now=True))

    def _keep(self, snapshot, now=False):
        if snapshot is not None:
            self._snapshot = snapshot
        if now:
            self.refresh()

    def refresh(self) -> None:
        """Rewrite the lines for the newest snapshot (nothing to do if it is already shown)."""
        snapshot = self._snapshot
        if snapshot is None or snapshot is self._shown:
            return
        self._shown = snapshot
        self.captions = tuple(caption_of(run) for run in snapshot.runs)
        if not any(self.captions):
            self.label.setText(html.escape(IDLE_TEXT))
            return
        lines = []
        for index, found in enumerate(self.captions):
            if found is None:
                continue
            # a race names each run as every other view does, in its colour
            color = themes.current().run_colors[index % len(themes.current().run_colors)]
            name = (f'<b style="color:{color}">{html.escape(snapshot.labels[index])}</b> — '
                    if len(snapshot.runs) > 1 else "")
            note = self._notes.get(index)
            lines.append(f"{name}{html.escape(found.sentence)}" + (f" {html.escape(note)}" if note else ""))
        self.label.setText("<br>".join(lines))

    def text(self) -> str:
        """The captions as plain text, one run a line."""
        return "\n".join(f"{c.sentence}" + (f" {self._notes[i]}" if i in self._notes else "")
                         for i, c in enumerate(self.captions) if c is not None)
