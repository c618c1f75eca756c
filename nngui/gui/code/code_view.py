"""The code, running: the engine's own ``SGD`` source beside the selected run's live values.

The source is read from the engine when the view is made (``inspect.getsource``), so what
the student reads is what trains the network. Beside it: the protocol of one epoch (the call
a walk made last is marked), the optimizer's attributes and each layer's gradient and
momentum norms from the run's snapshot, and one chosen weight's last update with the numbers
plugged in. While an epoch is walked, the lines of ``SGD`` the last call ran (of a student's
file, for a run its class trains) and the values it changed are highlighted.
"""

from __future__ import annotations

import inspect

from nngui.engine import SGD
from nngui.engine.walk import WeightUpdate, protocol, weight_update

from .code_highlight import PythonHighlighter
from nngui.gui.controls.number_box import NumberBox
from nngui.gui.qt import QtCore, QtGui, QtWidgets
from nngui.gui.window.theme import MUTED_TEXT_COLOR

#: Background of the lines the last call ran, and of the values it changed.
RAN_COLOR = "#FFE8A3"
CHANGED_COLOR = "#FFE8A3"
DIGITS = 4          # significant digits of the numbers plugged into the update
VALUE_DIGITS = 6    # significant digits in the values table
NOT_YET = "—"
FORMULA_SCALE = 0.9
#: The weight's formulas get at least this many characters a line.
FORMULA_CHARS = 44
ENGINE_TIP = ("nngui.engine.optimizers.SGD, read from the engine as it runs. While an epoch "
              "is walked (Shift+→), the lines the last call ran are marked.")


def engine_source(cls=SGD) -> tuple[str, int]:
    """``(source, first line number)`` of ``cls`` as the engine holds it, or a sentence and 0 if unreadable."""
    try:
        lines, start = inspect.getsourcelines(cls)
    except (OSError, TypeError) as error:
        return f"# The source of {cls.__name__} cannot be read here ({error}).", 0
    return "".join(lines), start


def number(value: float, digits: int = DIGITS) -> str:
    """``value`` to ``digits`` significant digits, with a true minus sign: ``−0.00104``."""
    return f"{value:.{digits}g}".replace("-", "−")


def operand(value: float) -> str:
    """A number inside a formula: negative ones in parentheses, ``(−0.0012)``."""
    text = number(value)
    return f"({text})" if value < 0 else text


def update_lines(numbers: WeightUpdate) -> tuple[str, str, str]:
    """The update in the lesson's words, then with the numbers: ``u = 0.9 × 0.0012 − 0.0909 × 0.0004 = 0.00104``."""
    if numbers.momentum:
        words = "u = momentum × weights_momentums − current_learning_rate × dweights"
        plugged = (f"u = {number(numbers.momentum)} × {operand(numbers.momentum_before)} − "
                   f"{number(numbers.learning_rate)} × {operand(numbers.dweight)} = {number(numbers.update)}")
    else:
        words = "u = −current_learning_rate × dweights"
        plugged = (f"u = −{number(numbers.learning_rate)} × {operand(numbers.dweight)} = "
                   f"{number(numbers.update)}")
    weight = (f"w = {number(numbers.weight_before)} + {operand(numbers.update)} = "
              f"{number(numbers.weight_after)}")
    return words, plugged, weight


def _broken(line: str) -> str:
    """``u = a = b`` as rich text with each ``= …`` on its own line, aligned under the first."""
    head, *rest = line.split(" = ")
    pad = "&nbsp;" * len(head)
    return "<br>".join([f"{head} = {rest[0]}", *(f"{pad} = {part}" for part in rest[1:])])


def _value_names(layers: int) -> list[tuple[str, str]]:
    """(row name, tooltip) of every value shown, in order."""
    names = [("learning_rate", "The rate set for this run."),
             ("current_learning_rate", "The rate this step's update uses: learning_rate / (1 + decay · step)."),
             ("step", "Updates made so far: post_update_params() adds one after every layer is updated."),
             ("decay", "How fast the rate shrinks with each step (0: a constant rate)."),
             ("momentum", "The share of the previous update carried into the next (0: plain SGD).")]
    for i in range(layers):
        names.append((f"‖dweights‖ {i + 1}",
                      f"Size (Frobenius norm) of layer {i + 1}'s weight gradient from the last backward pass."))
        names.append((f"‖weights_momentums‖ {i + 1}",
                      f"Size (Frobenius norm) of layer {i + 1}'s last weight update, kept as its momentum."))
    return names


def snapshot_values(snapshot) -> list[float | int | None]:
    """The values of one run's snapshot, in the order of the table's rows."""
    state = snapshot.optimizer_state
    values = [state.learning_rate, state.current_learning_rate, state.step, state.decay, state.momentum]
    for dweights, momentums in zip(state.dweights_norms, state.momentums_norms):
        values += [dweights, momentums]
    return values


class CodeView(QtWidgets.QWidget):
    """``SGD``'s source, the protocol, the run's values and one weight's update; fed with ``show_snapshot()``."""

    #: a weight was chosen in the boxes: trainable layer (0 = input side), row, column
    weight_chosen = QtCore.Signal(int, int, int)
    #: the line saying which run and which call is shown
    header_changed = QtCore.Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("codeView")
        self.setAccessibleName("codeView")
        self.setToolTip("The engine's own SGD code and the selected run's numbers, live.")
        self.snapshot = None        # the run's Snapshot shown
        self.report = None          # the walked call shown (a worker WalkReport), or None
        self.weight = (0, 0, 0)     # layer, row, column
        self._values: list = []
        self._architecture: tuple[int, ...] = ()
        self.source, self.first_line = engine_source()
        self._make_widgets()
        self._fit_fixed_fonts()
        self._make_layout()

    # --- construction -----------------------------------------------------------------------

    def _make_widgets(self):
        self.header = QtWidgets.QLabel("Train or walk an epoch to see the numbers.")
        self.header.setObjectName("codeHeader")
        self.header.setWordWrap(True)
        self.code = QtWidgets.QPlainTextEdit()
        self.code.setObjectName("codeSource")
        self.code.setAccessibleName("codeSource")
        self.code.setToolTip(ENGINE_TIP)
        self.code.setReadOnly(True)
        self.code.setLineWrapMode(QtWidgets.QPlainTextEdit.LineWrapMode.NoWrap)
        self.code.setPlainText(self.source)
        self.highlighter = PythonHighlighter(self.code.document(), self.source)

        self.protocol = QtWidgets.QListWidget()
        self.protocol.setObjectName("protocolList")
        self.protocol.setAccessibleName("protocolList")
        self.protocol.setToolTip("One epoch's calls, in order. Shift+→ makes the next one; the last made is marked.")
        self.protocol.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.NoSelection)
        self.protocol.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        # one strip of calls, left to right (two rows if the panel is narrow)
        self.protocol.setFlow(QtWidgets.QListView.Flow.LeftToRight)
        self.protocol.setWrapping(True)
        self.protocol.setResizeMode(QtWidgets.QListView.ResizeMode.Adjust)
        self.protocol.setSpacing(3)
        self.protocol.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.values = QtWidgets.QTableWidget(0, 2)
        self.values.setObjectName("codeValues")
        self.values.setAccessibleName("codeValues")
        self.values.setToolTip("The selected run's optimizer, as the engine holds it now; "
                               "values the last walked call changed are marked.")
        self.values.setHorizontalHeaderLabels(["attribute", "value"])
        self.values.verticalHeader().setVisible(False)
        self.values.horizontalHeader().setStretchLastSection(True)
        self.values.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.values.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.NoSelection)
        self.values.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        header = self.values.horizontalHeader()
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.values.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.layer_box = NumberBox("weightLayerBox", "Layer of the weight shown (1 = the input side)", 1, 1, 1,
                                   integer=True, label="layer")
        self.row_box = NumberBox("weightRowBox", "Row of the weight: the neuron it comes from (from 0)", 0, 0, 0,
                                 integer=True, label="row")
        self.column_box = NumberBox("weightColumnBox", "Column of the weight: the neuron it goes to (from 0)",
                                    0, 0, 0, integer=True, label="column")
        for box in (self.layer_box, self.row_box, self.column_box):
            box.value_committed.connect(self._on_weight_box_value_committed)
        self.update_label = QtWidgets.QLabel()
        self.update_label.setObjectName("weightUpdateLabel")
        self.update_label.setAccessibleName("weightUpdateLabel")
        self.update_label.setToolTip("The chosen weight's last update, with the engine's numbers plugged in. "
                                     "Click a connection in the network drawing to choose another.")
        self.update_label.setWordWrap(True)
        self.update_label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)

    def _make_layout(self):
        chooser = QtWidgets.QHBoxLayout()
        chooser.setContentsMargins(0, 0, 0, 0)
        for text, box in (("weight of layer", self.layer_box), ("row", self.row_box), ("column", self.column_box)):
            label = QtWidgets.QLabel(text)
            label.setBuddy(box)
            chooser.addWidget(label)
            chooser.addWidget(box)
        chooser.addStretch(1)
        weight = QtWidgets.QWidget()
        weight_layout = QtWidgets.QVBoxLayout(weight)
        weight_layout.setContentsMargins(0, 0, 0, 0)
        weight_layout.addLayout(chooser)
        weight_layout.addWidget(self.update_label)
        weight_layout.addStretch(1)
        # the numbers: the optimizer's values and the chosen weight's update, side by side
        numbers = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        numbers.setObjectName("codeNumbersSplitter")
        for part, stretch in ((self.values, 0), (weight, 4)):
            numbers.addWidget(part)
            numbers.setStretchFactor(numbers.count() - 1, stretch)
        split = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        split.setObjectName("codeSplitter")
        # the code is the star: it takes what the numbers leave (beside them; in projector mode above them)
        for part, stretch in ((self.code, 7), (numbers, 4)):
            split.addWidget(part)
            split.setStretchFactor(split.count() - 1, stretch)
        for splitter in (numbers, split):
            splitter.setChildrenCollapsible(False)
        self.splitter, self.numbers_splitter = split, numbers
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 4)
        layout.addWidget(self.header)
        layout.addWidget(self.protocol)
        layout.addWidget(split, 1)

    def set_scale(self, text_scale: float) -> None:
        """Projector mode (``text_scale`` > 1): the code above the numbers at the panel's whole width, its
        longest lines wrapped there rather than cut (at 1.6× no width holds them); the normal look: beside."""
        large = text_scale > 1.0
        mode = QtWidgets.QPlainTextEdit.LineWrapMode
        self.code.setLineWrapMode(mode.WidgetWidth if large else mode.NoWrap)
        orientation = QtCore.Qt.Orientation
        self.splitter.setOrientation(orientation.Vertical if large else orientation.Horizontal)
        # (in projector mode the code two parts to the numbers' one: at 16.8 pt a line is 26 px tall)
        shares = (2, 1) if large else (7, 4)
        for index, share in enumerate(shares):
            self.splitter.setStretchFactor(index, share)
        # the sizes in those shares now too (a splitter keeps its sizes through a change of orientation)
        self.splitter.setSizes([1000 * share for share in shares])

    def changeEvent(self, event):
        # the code and the numbers are in a fixed-width font: it follows the panel's size (projector mode)
        if event.type() == QtCore.QEvent.Type.FontChange:
            self._fit_fixed_fonts()
            # and again once the application's style sheet has polished every widget anew (projector mode sets
            # it again with its font): that pass gave the code its old size back, 10.5 pt in a 16.8 pt panel
            QtCore.QTimer.singleShot(0, self, self._fit_fixed_fonts)
        super().changeEvent(event)

    def _fit_fixed_fonts(self):
        fixed = QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.SystemFont.FixedFont)
        if self.font().pointSizeF() > 0:
            fixed.setPointSizeF(self.font().pointSizeF())
        self.code.setFont(fixed)
        # the formulas a little smaller than the code: one line of numbers fits beside it at 1024 pixels
        small = QtGui.QFont(fixed)
        small.setPointSizeF(fixed.pointSizeF() * FORMULA_SCALE)
        self.update_label.setFont(small)
        self.update_label.setMinimumWidth(QtGui.QFontMetrics(small).horizontalAdvance("x" * FORMULA_CHARS))
        if self._architecture:
            self._fit_tables()

    # --- showing ----------------------------------------------------------------------------

    def clear(self, sizes=None):
        """Forget the run shown (a new race); ``sizes`` is its network's, e.g. ``(2, 64, 3)``."""
        self.snapshot = self.report = None
        self._values = []
        if sizes is not None:
            self._set_architecture(tuple(sizes))
        self._show_values(None)
        self._show_protocol()
        self._show_lines(())
        self._show_update()

    def show_snapshot(self, snapshot, label: str = "", report=None):
        """Show one run's ``snapshot`` (an engine ``Snapshot``); ``report`` is the walked call that led to it."""
        if snapshot.sizes != self._sizes():
            self._set_architecture(snapshot.sizes)
        self.snapshot, self.report = snapshot, report
        step = snapshot.walk or (report.step if report is not None else None)
        where = f"epoch {snapshot.epoch:,}"
        if step is not None:
            where = f"epoch {step.epoch:,}, just made {step.title()}"
        name = f"{label} — " if label else ""
        state = "diverged" if snapshot.divergence else where
        self.header.setText(f"{name}{state}")
        self.header_changed.emit(self.header.text())
        self._show_values(snapshot, changed_only_when_walked=report is not None)
        self._show_protocol(step)
        self._show_lines(report.lines if report is not None else ())
        self._show_update()

    def show_source(self, source: str | None = None, name: str = ""):
        """Show ``source`` (a student's optimizer file, ``name``) instead of the engine's SGD; None: the engine's again.

        A walk over a student's run marks the lines of the file its class ran (numbered from 1).
        """
        text, first = engine_source() if source is None else (source, 1)
        if text == self.source:
            return
        self.source, self.first_line = text, first
        self.code.setPlainText(text)
        self.highlighter.setDocument(None)
        self.highlighter = PythonHighlighter(self.code.document(), text)
        self.code.setToolTip(f"{name}: the student's own code, raced in a process of its own; the numbers are "
                             "its run's, live." if source is not None else ENGINE_TIP)

    def choose_weight(self, layer: int, row: int, column: int):
        """Show weight ``[row, column]`` of trainable layer ``layer`` (0 = input side)."""
        sizes = self._sizes()
        if not sizes:
            return
        layer = max(0, min(int(layer), len(sizes) - 2))
        row = max(0, min(int(row), sizes[layer] - 1))
        column = max(0, min(int(column), sizes[layer + 1] - 1))
        self.weight = (layer, row, column)
        self.layer_box.setValue(layer + 1)
        self.row_box.setRange(0, sizes[layer] - 1)
        self.column_box.setRange(0, sizes[layer + 1] - 1)
        self.row_box.setValue(row)
        self.column_box.setValue(column)
        self._show_update()

    def value_rows(self) -> dict[str, tuple[str, object]]:
        """``{name: (text shown, exact value)}`` of the values table."""
        rows = {}
        for r in range(self.values.rowCount()):
            item = self.values.item(r, 1)
            rows[self.values.item(r, 0).text()] = (item.text(), item.data(QtCore.Qt.ItemDataRole.UserRole))
        return rows

    def changed_rows(self) -> list[str]:
        """Names of the values marked as changed by the last walked call."""
        return [self.values.item(r, 0).text() for r in range(self.values.rowCount())
                if self.values.item(r, 1).background().color() == QtGui.QColor(CHANGED_COLOR)]

    def ran_lines(self) -> list[str]:
        """The source lines marked as run by the last walked call."""
        blocks = [s.cursor.block() for s in self.code.extraSelections()]
        return [block.text().strip() for block in blocks]

    # --- parts ------------------------------------------------------------------------------

    def _sizes(self):
        return self._architecture

    def _set_architecture(self, sizes):
        self._architecture = tuple(sizes)
        layers = len(sizes) - 1
        names = _value_names(layers)
        self.values.setRowCount(len(names))
        for r, (name, tip) in enumerate(names):
            item = QtWidgets.QTableWidgetItem(name)
            item.setToolTip(tip)
            self.values.setItem(r, 0, item)
            self.values.setItem(r, 1, QtWidgets.QTableWidgetItem(NOT_YET))
        self.values.resizeColumnToContents(0)
        self.protocol.clear()
        for step in protocol(layers):
            short = step.title().removeprefix("optimizer.").removeprefix("loss = ").removeprefix("network.")
            item = QtWidgets.QListWidgetItem(short)
            item.setToolTip(step.title())
            item.setData(QtCore.Qt.ItemDataRole.UserRole, (step.call, step.layer))
            self.protocol.addItem(item)
        self.layer_box.setRange(1, layers)
        self.choose_weight(*self.weight)
        self._fit_tables()

    def _fit_tables(self):
        """The values table as wide as its names and numbers; the protocol strip as tall as its rows."""
        metrics = self.values.fontMetrics()
        self.values.verticalHeader().setDefaultSectionSize(metrics.height() + 3)
        self.values.resizeColumnToContents(0)
        width = self.values.columnWidth(0) + metrics.horizontalAdvance("0.00000000") + 24
        self.values.setMinimumWidth(width)
        self.values.setMaximumWidth(width + metrics.horizontalAdvance("0.000"))
        self._fit_protocol()

    def _fit_protocol(self):
        """The protocol strip as tall as the rows its calls wrap into at its width."""
        strip = self.protocol
        # the strip spans the panel (its viewport's own width may lag behind a resize of the panel)
        margins = self.layout().contentsMargins() if self.layout() is not None else QtCore.QMargins()
        span = self.width() - margins.left() - margins.right() - 2 * strip.frameWidth()
        spacing, width = strip.spacing(), max(strip.viewport().width(), span, 1)
        rows, used = 1, 0
        for i in range(strip.count()):
            item = strip.fontMetrics().horizontalAdvance(strip.item(i).text()) + 8 + 2 * spacing
            if used and used + item > width:
                rows, used = rows + 1, 0
            used += item
        row = (strip.sizeHintForRow(0) if strip.count() else strip.fontMetrics().height()) + 2 * spacing
        strip.setFixedHeight(rows * row + 2 * strip.frameWidth() + 2)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit_protocol()

    def _show_values(self, snapshot, changed_only_when_walked=False):
        values = snapshot_values(snapshot) if snapshot is not None and snapshot.optimizer_state else []
        previous = self._values
        self._values = values
        plain = QtGui.QBrush()
        for r in range(self.values.rowCount()):
            item = self.values.item(r, 1)
            value = values[r] if r < len(values) else None
            if value is None:
                text = NOT_YET
            elif isinstance(value, int):
                text = f"{value:,}"
            else:
                text = number(value, VALUE_DIGITS)
            item.setText(text)
            item.setData(QtCore.Qt.ItemDataRole.UserRole, value)
            changed = changed_only_when_walked and r < len(previous) and previous[r] != value
            item.setBackground(QtGui.QColor(CHANGED_COLOR) if changed else plain)

    def _show_protocol(self, step=None):
        key = (step.call, step.layer) if step is not None else None
        for i in range(self.protocol.count()):
            item = self.protocol.item(i)
            current = item.data(QtCore.Qt.ItemDataRole.UserRole) == key
            item.setBackground(QtGui.QColor(RAN_COLOR) if current else QtGui.QBrush())
            font = item.font()
            font.setBold(current)
            item.setFont(font)
            if current:
                self.protocol.scrollToItem(item)

    def _show_lines(self, lines):
        selections = []
        document = self.code.document()
        for line in lines:
            block = document.findBlockByNumber(line - self.first_line)
            if not block.isValid() or not self.first_line:
                continue
            selection = QtWidgets.QTextEdit.ExtraSelection()
            selection.format.setBackground(QtGui.QColor(RAN_COLOR))
            selection.format.setProperty(QtGui.QTextFormat.Property.FullWidthSelection, True)
            selection.cursor = QtGui.QTextCursor(block)
            selections.append(selection)
        self.code.setExtraSelections(selections)
        if selections:
            # the last line run in view, and the first too when both fit
            self.code.setTextCursor(selections[-1].cursor)
            self.code.ensureCursorVisible()
            self.code.setTextCursor(selections[0].cursor)
            self.code.ensureCursorVisible()

    def _show_update(self):
        layer, row, column = self.weight
        name = f"layer {layer + 1}: weights[{row}, {column}]"
        snapshot = self.snapshot
        updates = snapshot.updates if snapshot is not None else None
        update = updates[layer] if updates is not None and layer < len(updates) else None
        if update is None:
            self.update_label.setText(f"{name} — no update recorded yet: press Step (→) or Step into (Shift+→).")
            return
        numbers = weight_update(update, row, column)
        words, plugged, weight = update_lines(numbers)
        muted = QtGui.QColor(MUTED_TEXT_COLOR).name()
        # each "= …" on a line of its own: the numbers stay readable in a narrow panel
        shown = "<br>".join(_broken(line) for line in (plugged, weight))
        self.update_label.setText(
            f"<b>{name}</b>, epoch {update.epoch:,}'s update<br>"
            f"<span style='color:{muted}'>{words}</span><br>{shown}")
        self.update_label.setAccessibleDescription(f"{plugged};  {weight}")

    def _on_weight_box_value_committed(self, _value):
        layer = int(self.layer_box.value()) - 1
        self.choose_weight(layer, int(self.row_box.value()), int(self.column_box.value()))
        self.weight_chosen.emit(*self.weight)

