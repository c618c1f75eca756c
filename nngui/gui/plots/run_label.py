"""A run's name beside a sample of its line: the legend strip's entries and the decision boundaries' titles.

The sample is drawn with the very pen the curves use (colour, dashes, width), so what the
label shows is what the plots show. A name too long for the room it gets is elided and
said whole in the tooltip.
"""

from __future__ import annotations

import math

from nngui.gui.qt import QtCore, QtGui, QtWidgets

#: The line sample's length in pixels at text scale 1: long enough for two dash-dot periods.
SAMPLE_LENGTH = 40
SAMPLE_GAP = 6
#: The shortest width an elided name may get, in average characters.
MIN_CHARS = 8
#: With ``wrap``, a name too long for one line breaks between words onto as many as this many lines before it is elided.
MAX_NAME_LINES = 3


def wrap_words(text: str, width: float, advance, lines: int = MAX_NAME_LINES) -> list[str]:
    """``text`` broken between words into at most ``lines`` lines no wider than ``width`` (by ``advance``).

    The last line takes whatever is left (the caller elides it if it is still too wide).
    """
    words, rows = text.split(" "), []
    while words and len(rows) < lines - 1:
        row = words.pop(0)
        while words and advance(f"{row} {words[0]}") <= width:
            row = f"{row} {words.pop(0)}"
        rows.append(row)
    if words:
        rows.append(" ".join(words))
    return rows


class RunLabel(QtWidgets.QWidget):
    """A line sample and a text; ``make_pen(line_scale)`` gives the sample's pen (None: no sample).

    ``marker`` (``"o"``) draws a hollow circle on the sample, as a test curve's marks.
    The font is the widget's own (the application's unless set), so projector mode's larger
    text reaches it; ``set_scale`` sizes the sample, ``sample_length`` pixels long at scale 1.
    A ``suffix`` (`` · 95.7 %``) is never elided: the name before it gives way first. With
    ``wrap``, a suffix that does not fit beside the name goes to a second line (decided on the
    ``fit_text`` given, so that labels side by side decide alike and a changing number never
    flips the layout). ``elide`` says where a long name loses letters (``ElideNone``: never),
    and ``min_chars`` how few it may keep.
    """

    def __init__(self, text: str = "", make_pen=None, parent=None, *, color: str | None = None,
                 marker: str | None = None, tooltip: str = "", sample_length: float = SAMPLE_LENGTH,
                 wrap: bool = False, elide=QtCore.Qt.TextElideMode.ElideRight, min_chars: int = MIN_CHARS):
        super().__init__(parent)
        self._elide = elide
        self._min_chars = min_chars
        self._text = text
        self._suffix = ""
        self._wrap = wrap
        self._one_line = False
        self._fit_text = ""
        self._sample_length = sample_length
        self._make_pen = make_pen
        self._color = color
        self._marker = marker
        self._tooltip = tooltip
        self.text_scale = self.line_scale = 1.0
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Fixed)
        self._update_tooltip()

    # --- what it says ---------------------------------------------------------------------

    def text(self) -> str:
        """The whole text (what the tooltip says, even when the label shows it elided)."""
        return self._text + self._suffix

    def set_text(self, text: str, suffix: str = "") -> None:
        """Show ``text`` followed by ``suffix``; only ``text`` is elided when room is short."""
        if (text, suffix) != (self._text, self._suffix):
            self._text, self._suffix = text, suffix
            self._update_tooltip()
            self.updateGeometry()
            self._fit_height()
            self.update()

    def set_look(self, make_pen, color: str | None = None) -> None:
        """A new sample pen maker and text colour (None: the palette's text colour)."""
        self._make_pen, self._color = make_pen, color
        self.update()

    def sample_pen(self) -> QtGui.QPen | None:
        """The pen the line sample is drawn with now (None: no sample)."""
        return None if self._make_pen is None else self._make_pen(self.line_scale)

    def text_color(self) -> QtGui.QColor:
        """The colour the text is drawn in."""
        return QtGui.QColor(self._color) if self._color else self.palette().color(QtGui.QPalette.ColorRole.WindowText)

    def set_scale(self, text_scale: float, line_scale: float) -> None:
        """The sample at ``text_scale`` × its length and ``line_scale`` × its pen's width."""
        self.text_scale, self.line_scale = text_scale, line_scale
        self.updateGeometry()
        self._fit_height()
        self.update()

    def set_wrap(self, wrap: bool, elide=None) -> None:
        """Let the text take more lines (``wrap``), or keep it to one line, elided, the whole in the tooltip;
        ``elide``: where a long name loses letters now (None: as before)."""
        if elide is not None and elide != self._elide:
            self._elide = elide
            self.update()
        if wrap != self._wrap:
            # a label that wrapped keeps a fixed height, one line's now
            self._wrap, self._one_line = wrap, not wrap
            self.updateGeometry()
            self._fit_height()
            self.update()

    def set_fit_text(self, text: str) -> None:
        """With ``wrap``: take two lines when ``text`` (the longest this label may say) does not fit on one."""
        if text != self._fit_text:
            self._fit_text = text
            self._fit_height()
            self.update()

    def two_lines(self, width: int | None = None) -> bool:
        """Whether the suffix goes on a second line at ``width`` (the label's own by default); with a fit
        text, decided by it alone, so the title keeps its lines before the first accuracy comes too."""
        if not (self._wrap and (self._suffix or self._fit_text)):
            return False
        width = self.width() if width is None else width
        return self.one_line_width() > width

    def one_line_width(self) -> int:
        """The least width at which the label says its fit text (or its text) on one line."""
        return self._sample_width() + math.ceil(self.fontMetrics().horizontalAdvance(self._fit_text or self.text())) + 4

    def name_lines(self, text: str | None = None, width: int | None = None) -> list[str]:
        """With the suffix on its own line: the name (or ``text``) on one line, or broken between words
        onto up to ``MAX_NAME_LINES`` when it does not fit the width."""
        text = self._text if text is None else text
        width = (self.width() if width is None else width) - 2
        return wrap_words(text, width, self.fontMetrics().horizontalAdvance)

    def _fit_name(self) -> str:
        # the longest text this label may say, without its suffix
        return (self._fit_text or self.text()).rsplit(" · ", 1)[0]

    def shown_text(self) -> str:
        """The text as painted at the label's width: whole, or elided with "…" before its suffix
        (on two lines, ``name\nsuffix``; a long name may take more lines of its own, ``name\nname\nsuffix``)."""
        metrics = self.fontMetrics()
        if self.two_lines():
            lines = self.name_lines()
            lines[-1] = self._elided(self.width() - 2, lines[-1])
            return "\n".join([*lines, self._suffix.removeprefix(" · ")])
        return self._elided(self._text_width() - metrics.horizontalAdvance(self._suffix)) + self._suffix

    def _elided(self, width: int, text: str | None = None) -> str:
        text = self._text if text is None else text
        if self._elide == QtCore.Qt.TextElideMode.ElideNone:
            return text
        return self.fontMetrics().elidedText(text, self._elide, max(width, 0))

    def is_elided(self) -> bool:
        """Whether part of the name is hidden (the tooltip says it whole)."""
        return "…" in self.shown_text() and "…" not in self.text()

    def _update_tooltip(self) -> None:
        self.setToolTip(self._tooltip or self.text())
        self.setAccessibleName(self.text())

    # --- size and painting ----------------------------------------------------------------

    def _sample_width(self) -> int:
        return round((self._sample_length + SAMPLE_GAP) * self.text_scale) if self._make_pen is not None else 0

    def _text_width(self) -> int:
        return self.width() - self._sample_width() - 2

    def _line_height(self) -> int:
        return max(self.fontMetrics().height(), round(12 * self.line_scale)) + 4

    def sizeHint(self) -> QtCore.QSize:
        metrics = self.fontMetrics()
        return QtCore.QSize(self._sample_width() + metrics.horizontalAdvance(self.text()) + 4, self._line_height())

    def minimumSizeHint(self) -> QtCore.QSize:
        if self._elide == QtCore.Qt.TextElideMode.ElideNone:
            return self.sizeHint()
        metrics = self.fontMetrics()
        chars = metrics.averageCharWidth() * self._min_chars
        if self._wrap:
            # on two lines: a few letters of the name over the sample and the suffix
            suffix = metrics.horizontalAdvance(self._suffix.removeprefix(" · "))
            width = min(self.sizeHint().width(), max(chars, self._sample_width() + suffix))
        else:
            width = min(self.sizeHint().width(), self._sample_width() + chars + metrics.horizontalAdvance(self._suffix))
        return QtCore.QSize(width, self._line_height())

    def height_at(self, width: int) -> int:
        """The height the label takes at ``width`` (with ``wrap``: the name's lines and the suffix's)."""
        lines = 1 + len(self.name_lines(self._fit_name(), width)) if self._wrap and self.two_lines(width) else 1
        return self._line_height() + (lines - 1) * self.fontMetrics().height()

    def _fit_height(self) -> None:
        # a fixed height, not a height-for-width: a layout would let that height rule its neighbours'
        if self._wrap or self._one_line:
            height = self.height_at(self.width()) if self._wrap else self._line_height()
            if height != self.height() or self.minimumHeight() != height:
                self.setFixedHeight(height)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.FontChange:
            self._fit_height()

    def paintEvent(self, event) -> None:
        painter = QtGui.QPainter(self)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        lines = self.shown_text().split("\n")
        line_height = self._line_height()
        align = QtCore.Qt.AlignmentFlag.AlignVCenter | QtCore.Qt.AlignmentFlag.AlignLeft
        color = self.text_color()
        painter.setFont(self.font())
        if len(lines) > 1:
            # the name across the whole width (one line or two), then the sample before the suffix
            painter.setPen(color)
            step = self.fontMetrics().height()
            for row, line in enumerate(lines[:-1]):
                painter.drawText(QtCore.QRectF(0, row * step, self.width(), line_height), align, line)
            top = (len(lines) - 1) * step - 2
        else:
            top = 0
        self._paint_sample(painter, top + line_height / 2)
        x = self._sample_width()
        painter.setPen(color)
        painter.drawText(QtCore.QRectF(x, top, max(self.width() - x, 0), line_height), align, lines[-1])
        painter.end()

    def _paint_sample(self, painter: QtGui.QPainter, middle: float) -> None:
        pen = self.sample_pen()
        if pen is None:
            return
        length = self._sample_length * self.text_scale
        painter.setPen(pen)
        painter.drawLine(QtCore.QPointF(1, middle), QtCore.QPointF(1 + length, middle))
        if self._marker:
            radius = 3.5 * self.line_scale
            painter.setBrush(self.palette().color(QtGui.QPalette.ColorRole.Base))
            painter.setPen(QtGui.QPen(pen.color(), 1.5 * self.line_scale))
            painter.drawEllipse(QtCore.QPointF(1 + length / 2, middle), radius, radius)
