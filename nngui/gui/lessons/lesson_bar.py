"""The lesson bar: a lesson's title, "step 2 of 5", the step's sentence, Previous / Next and Close.

It only shows the lesson model (``nngui.model.LessonModel``); what a step does to the
window is ``lesson_steps.LessonSteps``'s job. Hidden while no lesson is open.
"""

from __future__ import annotations

import html

from .caption_panel import framed
from nngui.gui.qt import QtCore, QtGui, QtWidgets
from nngui.gui.window.actions import make_button
from nngui.gui.window.status_line import paint_elided

#: Dark blue on a pale blue, in a dark blue box: stands out from the panels, survives a projector.
BACKGROUND, TEXT = "#E8F0FF", "#0B1F44"


class ElidedTitle(QtWidgets.QLabel):
    """A one-line label that gives way: where the bar is narrower than its text (a long lesson title at
    projector sizes), it is cut at its end with "…", the whole title in its tooltip; it never widens the window."""

    #: The letters it keeps however narrow the bar.
    LEAST_LETTERS = 8

    def minimumSizeHint(self) -> QtCore.QSize:
        hint = super().minimumSizeHint()
        return QtCore.QSize(min(hint.width(), self.fontMetrics().averageCharWidth() * self.LEAST_LETTERS),
                            hint.height())

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def paintEvent(self, event):
        paint_elided(self)


class LessonBar(QtWidgets.QFrame):
    """Shows the current step of a lesson; its buttons ask for the previous or next step, or to close."""

    previous_requested = QtCore.Signal()
    next_requested = QtCore.Signal()
    close_requested = QtCore.Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("lessonBar")
        self.setAccessibleName("lessonBar")
        # colours by palette, not a style sheet, so that the application's font (projector mode) reaches the text
        framed(self, BACKGROUND, TEXT, 2)
        self.title_label = self._label("lessonTitleLabel", "The lesson being given", ElidedTitle)
        bold = QtGui.QFont()
        bold.setWeight(QtGui.QFont.Weight.Bold)   # only the weight: the size follows the window's
        self.title_label.setFont(bold)
        self.position_label = self._label("lessonStepLabel", "Which step of the lesson this is")
        self.text_label = self._label("lessonTextLabel", "What to watch for now, or a question to answer "
                                                         "before pressing Play")
        self.text_label.setWordWrap(True)
        # the sentence is the bar's point: a size larger than the window's text (<big>, relative to the
        # label's font, so it follows projector mode whatever the style sheets do to explicit fonts)
        self.text_label.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.text_label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.NoTextInteraction)
        self._large = True
        self.note_label = self._label("lessonNoteLabel", "Something this step asked for that cannot be shown")
        self.note_label.setWordWrap(True)
        self.note_label.hide()
        self.previous_button = make_button("lessonPreviousButton", "◀ Previous", "Go back to the previous step (PageUp)",
                                           self.previous_requested.emit, focus=False)
        self.next_button = make_button("lessonNextButton", "Next ▶", "Go on to the next step (PageDown)",
                                       self.next_requested.emit, focus=False)
        self.close_button = make_button("lessonCloseButton", "Close", "Leave the lesson: every control is "
                                        "unlocked and shown again; the runs stay as they are", self.close_requested.emit,
                                        focus=False)
        top = QtWidgets.QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        # the title gives way (cut with "…") before the step's position and the buttons do
        top.addWidget(self.title_label)
        top.addWidget(self.position_label)
        top.addStretch(1)
        for button in (self.previous_button, self.next_button, self.close_button):
            top.addWidget(button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 6)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.text_label)
        layout.addWidget(self.note_label)
        self.hide()

    def _label(self, name, tip, kind=QtWidgets.QLabel):
        label = kind()
        label.setObjectName(name)
        label.setAccessibleName(name)
        label.setToolTip(tip)
        label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        return label

    def show_step(self, title: str, position: str, text: str, first: bool, last: bool) -> None:
        self.title_label.setText(title)
        self.position_label.setText(f"· {position}")
        self._show_text(text)
        self.note_label.hide()
        self.previous_button.setEnabled(not first)
        self.next_button.setEnabled(not last)
        self.show()

    def _show_text(self, text: str) -> None:
        escaped = html.escape(text)
        self.text_label.setText(f"<big>{escaped}</big>" if self._large else escaped)

    def set_large_text(self, large: bool) -> None:
        """The sentence a size larger than the window's text (normally), or at it (projector mode's
        text is 1.6× already: there it keeps to fewer lines, leaving the plots their room)."""
        if large != self._large:
            text = self.sentence()
            self._large = large
            self._show_text(text)

    def show_note(self, text: str) -> None:
        """A line under the sentence: what the step asked for that this window cannot do."""
        self.note_label.setText(f"⚠ {text}")
        self.note_label.show()

    def sentence(self) -> str:
        """The step's sentence as shown."""
        return html.unescape(self.text_label.text().removeprefix("<big>").removesuffix("</big>"))
