"""A number box that holds exactly the value it was given and shows as many digits as it has.

Qt's spin boxes round: a ``QDoubleSpinBox`` keeps a fixed number of decimals (0.123456789
becomes 0.1235, 1.23e-7 becomes 0) and a ``QSpinBox`` holds a C int (no seed of 3,000,000,000).
This box keeps a Python number, shows it in its shortest exact spelling (``0.123456789``,
``1e-07``), and reports a new value only when typing is done (Enter or leaving the box)
or an arrow steps it. Out-of-range or malformed text is refused with a sentence and the
box goes back to its value.

Classroom keys: Enter applies the number and hands the keyboard back to the window, so
Space, → and R work next; PageUp/PageDown (what a presentation clicker sends) and the mouse
wheel over an unfocused box do nothing to it.
"""

from __future__ import annotations

import math
import re

from nngui.gui.qt import QtCore, QtGui, QtWidgets

_PARTIAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d*)?([eE][+-]?\d*)?$")
#: Significant digits kept when an arrow step adds a step to a value (no 1.0000000000000002).
STEP_DIGITS = 12


def format_number(value, integer=False) -> str:
    """The shortest text that reads back as exactly ``value``: ``1``, ``0.5``, ``1e-07``, ``3000000000``."""
    if integer:
        return str(int(value))
    value = float(value)
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


class NumberBox(QtWidgets.QAbstractSpinBox):
    """An exact number box: ``value()``, ``setValue()`` (silent), ``value_committed(value)`` on a user change."""

    value_committed = QtCore.Signal(object)
    refused = QtCore.Signal(str)   # a sentence saying why typed text was not taken

    def __init__(self, name, tooltip, minimum, maximum, value, *, integer=False, step=None, adaptive=False,
                 special=None, suffix="", label=None, parent=None):
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(name)
        self.setToolTip(tooltip)
        self._integer = integer
        self._minimum, self._maximum = minimum, maximum
        self._step = step if step is not None else 1
        self._adaptive = adaptive
        self._special = special
        self._suffix = suffix
        self._label = label or name
        self._value = self._coerce(value)
        self.setKeyboardTracking(False)
        self.setAccelerated(True)
        # focus by click or Tab, never by the wheel passing over it
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.editingFinished.connect(self._on_editing_finished)
        self._show()

    # --- value ----------------------------------------------------------------------------

    def value(self):
        return self._value

    def setValue(self, value) -> None:
        """Show ``value`` exactly, without emitting ``value_committed``."""
        self._value = self._coerce(value)
        self._show()

    def minimum(self):
        return self._minimum

    def maximum(self):
        return self._maximum

    def setRange(self, minimum, maximum) -> None:
        self._minimum, self._maximum = minimum, maximum
        self._show()

    def text_for(self, value) -> str:
        if self._special and value == self._minimum:
            return self._special
        return format_number(value, self._integer) + self._suffix

    def _coerce(self, value):
        return int(value) if self._integer else float(value)

    def _show(self):
        self.lineEdit().setText(self.text_for(self._value))
        self.update()

    # --- reading what was typed -------------------------------------------------------------

    def _strip(self, text: str) -> str:
        text = text.strip().replace(",", "").replace("_", "")
        if self._suffix and text.endswith(self._suffix.strip()):
            text = text[: -len(self._suffix.strip())].strip()
        return text

    def parse(self, text: str):
        """The number ``text`` means, or raise ValueError with a sentence saying why not."""
        if self._special and text.strip() == self._special:
            return self._minimum
        stripped = self._strip(text)
        try:
            number = int(stripped) if self._integer else float(stripped)
        except ValueError:
            kind = "a whole number" if self._integer else "a number"
            raise ValueError(f"{self._label}: type {kind}, got {stripped[:40]!r}") from None
        if not self._integer and not math.isfinite(number):
            raise ValueError(f"{self._label}: must be a finite number")
        if not self._minimum <= number <= self._maximum:
            raise ValueError(f"{self._label}: must be between {format_number(self._minimum, self._integer)} "
                             f"and {format_number(self._maximum, self._integer)}, got {stripped}")
        return number

    def validate(self, text, position):
        State = QtGui.QValidator.State
        if self._special and self._special.startswith(text.strip()) and text.strip():
            return State.Acceptable if text.strip() == self._special else State.Intermediate, text, position
        stripped = self._strip(text)
        if not stripped:
            return State.Intermediate, text, position
        try:
            self.parse(text)
            return State.Acceptable, text, position
        except ValueError:
            pattern_ok = _PARTIAL.match(stripped) and (not self._integer or re.match(r"^[+-]?\d*$", stripped))
            return (State.Intermediate if pattern_ok else State.Invalid), text, position

    def _on_editing_finished(self):
        text = self.lineEdit().text()
        if text == self.text_for(self._value):
            return
        try:
            number = self.parse(text)
        except ValueError as error:
            self._show()
            self.refused.emit(str(error))
            return
        self._commit(number)

    def _commit(self, number):
        number = self._coerce(number)
        changed = number != self._value
        self._value = number
        self._show()
        if changed:
            self.value_committed.emit(number)

    # --- arrows -------------------------------------------------------------------------------

    def step_size(self, direction: int):
        """The arrow's step: fixed, or (adaptive) one tenth of the value's decade."""
        if not self._adaptive or self._integer:
            return self._step
        value = abs(self._value)
        if value == 0:
            return self._step
        exponent = math.floor(math.log10(value))
        # stepping down from an exact power of ten takes the finer step (1 → 0.9, not 0)
        if direction < 0 and math.isclose(value, 10.0 ** exponent):
            exponent -= 1
        return max(10.0 ** (exponent - 1), self._step)

    def stepBy(self, steps):
        self._on_editing_finished()
        value = self._value
        for _ in range(abs(steps)):
            value = value + (1 if steps > 0 else -1) * self.step_size(steps)
            if not self._integer:
                value = float(f"{value:.{STEP_DIGITS}g}")
        self._commit(min(max(value, self._minimum), self._maximum))

    def stepEnabled(self):
        Flag = QtWidgets.QAbstractSpinBox.StepEnabledFlag
        flags = Flag.StepNone
        if self._value < self._maximum:
            flags |= Flag.StepUpEnabled
        if self._value > self._minimum:
            flags |= Flag.StepDownEnabled
        return flags

    # --- classroom keys ------------------------------------------------------------------------

    def keyPressEvent(self, event):
        key = event.key()
        Key = QtCore.Qt.Key
        if key in (Key.Key_PageUp, Key.Key_PageDown):
            event.ignore()   # a clicker's keys belong to the lesson, never to a number
            return
        if key in (Key.Key_Return, Key.Key_Enter):
            self._on_editing_finished()
            window = self.window()
            if window is not None and window is not self:
                window.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason)
            event.accept()
            return
        if key == Key.Key_Escape:
            self._show()
            event.accept()
            return
        super().keyPressEvent(event)

    def event(self, event):
        if (event.type() == QtCore.QEvent.Type.ShortcutOverride
                and event.key() in (QtCore.Qt.Key.Key_PageUp, QtCore.Qt.Key.Key_PageDown)):
            event.ignore()   # let the window's shortcuts have them
            return False
        return super().event(event)

    def wheelEvent(self, event):
        if not self.hasFocus():
            event.ignore()   # scrolling the panel over a box must not change a number
            return
        super().wheelEvent(event)

    def sizeHint(self):
        hint = super().sizeHint()
        metrics = self.fontMetrics()
        widest = max(metrics.horizontalAdvance(self.text_for(v)) for v in (self._minimum, self._maximum, self._value))
        return QtCore.QSize(max(hint.width(), widest + 30), hint.height())

    def minimumSizeHint(self):
        return self.sizeHint()
