"""The race's legend: one strip above the plots naming every run and pin with a sample of its line.

Beside the plots, never over them, so no legend ever hides a curve. The strip flows onto
a second line when narrow, a third before it cuts a name. Then the pins' long names (every
setting they trained with) are elided first, and only then the runs' names too. A name is long only when
it carries the numbers that tell twins apart, ``SGD (lr 1, decay 0.001)``. The tooltip says
every name whole. A run's name keeps its end (where twins differ); a pin's loses letters in its middle,
keeping the run it names and the epochs it ends with. The key (train, test, planned) is never cut.
"""

from __future__ import annotations

from functools import partial

from nngui.gui.window import themes
from nngui.gui.qt import FOREGROUND, QtCore, QtWidgets
from .run_label import RunLabel
from .run_styles import PIN_WIDTH, RUN_WIDTH, RunStyle, pinned_style
from .run_styles import pen as run_pen

#: The strip takes a second line, then a third, before it elides a name.
#: Rows the strip takes before names are cut when there are few entries (a narrow column).
MAX_WHOLE_ROWS = 5
MAX_ROWS = 3
ENTRY_SPACING = 18
#: The fewest characters a pin's name (its run, then its settings) and a run's name keep when elided.
PIN_MIN_CHARS = 16
RUN_MIN_CHARS = 12
ROW_SPACING = 0
#: The key's neutral samples: a live curve, a test curve, a planned learning rate.
KEY_STYLE = RunStyle(FOREGROUND, (), "solid", "o", "")
TEST_WIDTH = 1.25
PLAN_WIDTH = 1.25
PLAN_LIGHTEN = 0.5
LEGEND_TIP = ("Which line is which: each run has its own colour and line style (solid, dashed, dotted, "
              "dash-dot) on the loss, accuracy and learning-rate plots; grey lines are pinned runs. "
              "Hover over a name to read it whole.")


class RunLegend(QtWidgets.QWidget):
    """The runs' and pins' names with their line samples, and a key to test curves and planned rates."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("runLegend")
        self.setAccessibleName("runLegend")
        self.setToolTip(LEGEND_TIP)
        self.text_scale = self.line_scale = 1.0
        self._layout = _StripLayout(self)
        self._runs: list[RunLabel] = []
        self._pins: list[RunLabel] = []
        self._key = {
            "train": self._label("train", partial(run_pen, KEY_STYLE, RUN_WIDTH),
                                 "Thick lines: loss and accuracy on the training points"),
            "test": self._label("test", partial(run_pen, KEY_STYLE, TEST_WIDTH),
                                "Thin lines with hollow marks: loss and accuracy on the held-out test points, "
                                "in their run's colour and line style", marker="o"),
            "planned": self._label("planned learning rate",
                                   partial(run_pen, KEY_STYLE, PLAN_WIDTH, lighten=PLAN_LIGHTEN),
                                   "Thin, light lines on the learning-rate plot: the rate each run's settings "
                                   "plan, lr / (1 + decay · epoch), from epoch 0 to the epoch limit"),
        }
        for name, entry in self._key.items():
            entry.setObjectName(f"runLegendKey{name.title()}")
        self._key_shown = {"train": False, "test": False, "planned": True}
        self._rebuild()
        themes.follow(self, self._on_theme_changed)

    def _on_theme_changed(self, theme) -> None:
        # the key's neutral samples are drawn in the theme's foreground
        style = RunStyle(theme.plot_foreground, (), "solid", "o", "")
        widths = {"train": (RUN_WIDTH, 0.0), "test": (TEST_WIDTH, 0.0), "planned": (PLAN_WIDTH, PLAN_LIGHTEN)}
        for name, (width, lighten) in widths.items():
            self._key[name].set_look(partial(run_pen, style, width, lighten=lighten))

    def _label(self, text, make_pen, tooltip="", *, color=None, marker=None, kind="key") -> RunLabel:
        # a run's name keeps its end (the numbers that tell twins apart); a pin's its start (the run) and end
        elide = {"run": QtCore.Qt.TextElideMode.ElideLeft, "pin": QtCore.Qt.TextElideMode.ElideMiddle,
                 "key": QtCore.Qt.TextElideMode.ElideNone}[kind]
        label = RunLabel(text, make_pen, self, color=color, marker=marker, tooltip=tooltip, elide=elide,
                         min_chars=PIN_MIN_CHARS if kind == "pin" else RUN_MIN_CHARS)
        label.setProperty("kind", kind)
        label.set_scale(self.text_scale, self.line_scale)
        return label

    def set_runs(self, labels, styles) -> None:
        """Name the race's runs: ``labels[i]`` beside a sample of ``styles[i]``'s line."""
        labels, styles = tuple(labels), tuple(styles)
        if len(labels) != len(styles):
            raise ValueError(f"{len(labels)} run names for {len(styles)} styles")
        self._discard(self._runs)
        self._runs = []
        for i, (label, style) in enumerate(zip(labels, styles)):
            entry = self._label(label, partial(run_pen, style, RUN_WIDTH),
                                f"Run {i + 1}: {label} — {style.describe()} on every plot", color=style.color,
                                kind="run")
            entry.setObjectName(f"runLegendRun{i + 1}")
            self._runs.append(entry)
        self._rebuild()

    def set_pins(self, pins) -> None:
        """Name the pinned runs (``PinnedRun``s, in the order the plots draw them), each with its grey line."""
        self._discard(self._pins)
        self._pins = []
        for number, pin in enumerate(pins):
            style = pinned_style(pin.style_index, number)
            entry = self._label(pin.label, partial(run_pen, style, PIN_WIDTH),
                                f"Pinned: {pin.label} — {style.describe()}, kept on the plots for reference "
                                "until unpinned", kind="pin")
            font = entry.font()
            font.setItalic(True)
            entry.setFont(font)
            entry.setObjectName(f"runLegendPin{number + 1}")
            self._pins.append(entry)
        self._rebuild()

    def set_key(self, test: bool, planned: bool | None = None) -> None:
        """Show the key to test curves (when the data has a test split) and to the planned learning rates
        (``planned``; None: as before)."""
        planned = self._key_shown["planned"] if planned is None else planned
        shown = {"train": test, "test": test, "planned": planned}
        if shown != self._key_shown:
            self._key_shown = shown
            self._rebuild()

    def set_planned_key(self, shown: bool) -> None:
        """Show the key to the planned learning rates (only while their plot is shown)."""
        self.set_key(self._key_shown["train"], shown)

    def set_scale(self, text_scale: float, line_scale: float) -> None:
        """Samples at ``text_scale`` × their length and ``line_scale`` × their width; text follows the font."""
        self.text_scale, self.line_scale = text_scale, line_scale
        for entry in self._all():
            entry.set_scale(text_scale, line_scale)
        self._layout.invalidate()

    def _all(self) -> list[RunLabel]:
        return [*self._runs, *self._pins, *self._key.values()]

    def entries(self) -> list[RunLabel]:
        """The entries shown, in order: runs, pins, then the key."""
        return [*self._runs, *self._pins, *(label for name, label in self._key.items() if self._key_shown[name])]

    def names(self) -> list[str]:
        """Every shown entry's whole text."""
        return [entry.text() for entry in self.entries()]

    @staticmethod
    def _discard(labels) -> None:
        # hidden now: deleted later, a label would still be painted where a new one is placed
        for label in labels:
            label.hide()
            label.deleteLater()

    def _rebuild(self) -> None:
        while self._layout.count():
            self._layout.takeAt(0)
        shown = self.entries()
        for entry in shown:
            self._layout.addWidget(entry)
        # placed at the strip's width before they show (a new label would first be drawn at the corner,
        # over its neighbours, until the layout's turn came)
        self._layout.setGeometry(self.rect())
        for entry in self._all():
            entry.setVisible(entry in shown)
        self._layout.invalidate()
        self.updateGeometry()


class _StripLayout(QtWidgets.QLayout):
    """Entries left to right, flowing onto more rows when narrow; eliding before taking a third row."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._items: list[QtWidgets.QLayoutItem] = []
        self.setContentsMargins(2, 1, 2, 1)
        self.setSpacing(ENTRY_SPACING)

    def addItem(self, item):
        self._items.append(item)

    def count(self):
        return len(self._items)

    def itemAt(self, index):
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index):
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self):
        return QtCore.Qt.Orientation(0)

    def hasHeightForWidth(self):
        return True

    def heightForWidth(self, width):
        return self._arrange(QtCore.QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect):
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self):
        margins = self.contentsMargins()
        items = self._shown()
        width = sum(i.sizeHint().width() for i in items) + self.spacing() * max(len(items) - 1, 0)
        height = max((i.sizeHint().height() for i in items), default=0)
        return QtCore.QSize(width + margins.left() + margins.right(), height + margins.top() + margins.bottom())

    def minimumSize(self):
        margins = self.contentsMargins()
        width = max((i.minimumSize().width() for i in self._shown()), default=0)
        return QtCore.QSize(width + margins.left() + margins.right(), self.sizeHint().height())

    def _shown(self):
        return [item for item in self._items if not item.isEmpty()]

    def _arrange(self, rect: QtCore.QRect, apply: bool) -> int:
        """Place the entries in ``rect`` (when ``apply``); the height they take."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        items = self._shown()
        if not items:
            return margins.top() + margins.bottom()
        width = max(area.width(), 1)
        entries = [(min(i.sizeHint().width(), width), min(i.minimumSize().width(), width),
                    i.widget().property("kind") if i.widget() is not None else "key") for i in items]
        widths = fit_widths(entries, width, self.spacing())
        row_height = max(i.sizeHint().height() for i in items)
        x = y = 0
        for item, item_width in zip(items, widths):
            if x and x + item_width > width:
                x, y = 0, y + row_height + ROW_SPACING
            if apply:
                item.setGeometry(QtCore.QRect(area.x() + x, area.y() + y, item_width, row_height))
            x += item_width + self.spacing()
        return y + row_height + margins.top() + margins.bottom()


def count_rows(widths, width, spacing) -> int:
    """Rows that ``widths`` flow into, left to right, in ``width``."""
    rows, x = 1, 0
    for w in widths:
        if x and x + w > width:
            rows, x = rows + 1, 0
        x += w + spacing
    return rows


def fit_widths(entries, width, spacing) -> list[int]:
    """Each entry's width: ``entries`` are ``(natural, least, kind)``; kinds ``run``, ``pin``, ``key``.

    Whole names on two rows if they fit, else on three, else (when there are at most
    ``MAX_WHOLE_ROWS`` entries) one a row, so a narrow projector column still reads every
    name; else the pins' names capped (as little as needed), then the runs' too. Where even
    the shortest names take more than three rows, names are cut only as far as that saves rows.
    """
    whole = len(entries) if len(entries) <= MAX_WHOLE_ROWS else MAX_ROWS
    for rows, cut in ((2, ()), (MAX_ROWS, ()), (whole, ()), (MAX_ROWS, ("pin",)), (MAX_ROWS, ("pin", "run"))):
        widths = _capped(entries, width, spacing, rows, cut)
        if widths is not None:
            return widths
    # not even the shortest names fit three rows: cut them only as far as that saves rows
    natural = [n for n, _, _ in entries]
    rows = count_rows([least if kind in ("pin", "run") else n for n, least, kind in entries], width, spacing)
    if rows >= count_rows(natural, width, spacing):
        return natural
    for cut in (("pin",), ("pin", "run")):
        widths = _capped(entries, width, spacing, rows, cut)
        if widths is not None:
            return widths
    return [least if kind in ("pin", "run") else n for n, least, kind in entries]


def _capped(entries, width, spacing, rows, cut):
    """Widths within ``rows`` rows, entries of the kinds in ``cut`` capped as little as needed; None if none fit."""
    if not any(kind in cut for _, _, kind in entries):
        widths = [n for n, _, _ in entries]
        return widths if count_rows(widths, width, spacing) <= rows else None
    # the last kind in ``cut`` is capped; those before it are already at their least
    last = cut[-1]
    base = [least if kind in cut[:-1] else n for n, least, kind in entries]
    floor = max((least for _, least, kind in entries if kind == last), default=0)
    cap = max((n for n, _, kind in entries if kind == last), default=0)
    while True:
        widths = [max(min(n, cap), least) if kind == last else b for (n, least, kind), b in zip(entries, base)]
        if count_rows(widths, width, spacing) <= rows:
            return widths
        if cap <= floor:
            return None
        cap = max(cap - 4, floor)
