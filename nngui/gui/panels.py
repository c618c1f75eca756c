"""The left column's compact panels: data, network, optimizer and transport controls.

Each panel owns its widgets (every one with an ``objectName`` and a tooltip), turns them into
the engine's frozen config values (``config()``), takes them back (``set_config()``, silently),
and emits ``changed`` when the user changes something.
"""

from __future__ import annotations

from nngui.engine import (ACTIVATIONS, DATASETS, OPTIMIZER_KINDS, OPTIMIZER_LABELS, DatasetConfig,
                          NetworkConfig, OptimizerConfig)
from nngui.engine.experiment import LIMITS

from .qt import QtCore, QtWidgets

# a QSpinBox holds a C int: the seed spin box offers the part of the engine's range it can show
MAX_SEED = min(LIMITS["seed"][1], 2**31 - 1)
ACTIVATION_LABELS = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid"}


def dataset_info(name):
    """``(label, min_classes, max_classes, default_noise)`` of a registered data set."""
    info = DATASETS[name]
    return info.label, info.min_classes, info.max_classes, info.default_noise


def spin_box(name, tooltip, minimum, maximum, value, *, decimals=None, step=None, adaptive=False,
             suffix="", special=None):
    """A spin box that only reports a value once typing is done (Enter, focus out or arrows)."""
    if decimals is None:
        box = QtWidgets.QSpinBox()
    else:
        box = QtWidgets.QDoubleSpinBox()
        box.setDecimals(decimals)
    box.setObjectName(name)
    box.setRange(minimum, maximum)
    if step is not None:
        box.setSingleStep(step)
    if adaptive:
        box.setStepType(QtWidgets.QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
    if suffix:
        box.setSuffix(suffix)
    if special:
        box.setSpecialValueText(special)
    box.setValue(value)
    box.setKeyboardTracking(False)
    box.setAccelerated(True)
    box.setToolTip(tooltip)
    box.setAccessibleName(name)
    return box


def combo_box(name, tooltip, items):
    """A combo box of ``(label, data)`` items."""
    box = QtWidgets.QComboBox()
    box.setObjectName(name)
    for label, data in items:
        box.addItem(label, data)
    box.setToolTip(tooltip)
    box.setAccessibleName(name)
    box.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents)
    return box


class _Panel(QtWidgets.QGroupBox):
    changed = QtCore.Signal()

    def __init__(self, title, parent=None):
        super().__init__(title, parent)
        self.form = QtWidgets.QFormLayout(self)
        self.form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setContentsMargins(8, 4, 8, 6)
        # compact rows: the whole column must fit a 1024×768 projector without scrolling
        self.form.setVerticalSpacing(3)
        self._silent = False

    def _emit_changed(self, *_):
        if not self._silent:
            self.changed.emit()

    def _watch(self, *widgets):
        for w in widgets:
            signal = w.currentIndexChanged if isinstance(w, QtWidgets.QComboBox) else w.valueChanged
            signal.connect(self._emit_changed)

    def _silently(self, apply):
        blocked = self._silent
        self._silent = True
        try:
            apply()
        finally:
            self._silent = blocked


class DatasetPanel(_Panel):
    """Which points to learn: data set, samples per class, classes, noise, seed, test split."""

    def __init__(self, parent=None):
        super().__init__("Data", parent)
        self.setObjectName("datasetPanel")
        default = DatasetConfig()
        self.dataset_combo = combo_box(
            "datasetCombo", "The 2-D data set to classify; each class is drawn in its own colour.",
            [(dataset_info(name)[0], name) for name in DATASETS])
        self.samples_spin = spin_box(
            "samplesSpin", "Points per class: the data set has samples × classes points.",
            *LIMITS["dataset.samples"], default.samples, step=10)
        self.classes_spin = spin_box(
            "classesSpin", "Number of classes: the output layer has one neuron per class "
            "(softmax turns their outputs into probabilities).", 2, 6, default.classes)
        self.noise_spin = spin_box(
            "noiseSpin", "Noise: how far points scatter from the ideal shape "
            "(the spiral adds noise · N(0, 1) to each point's angle); 0 = clean.",
            *LIMITS["dataset.noise"], default.noise, decimals=2, step=0.05)
        self.seed_spin = spin_box(
            "seedSpin", "Random seed: the same seed gives the same points, the same test split "
            "and the same starting weights (0.01 · N(0, 1)).", 0, MAX_SEED, 0)
        self.test_split_spin = spin_box(
            "testSplitSpin", "Share of the points held out for testing: never trained on; "
            "the plots show their loss and accuracy as \"test\". test points = round(split × all points).",
            *(round(100 * x) for x in LIMITS["dataset.test_split"]), round(100 * default.test_split),
            step=5, suffix=" %")
        self.regenerate_button = QtWidgets.QPushButton("Regenerate")
        self.regenerate_button.setObjectName("regenerateButton")
        self.regenerate_button.setToolTip("Draw new points: seed + 1, and start again from epoch 0.")
        self.regenerate_button.clicked.connect(self._on_regenerate_clicked)
        for label, widget in (("Data set", self.dataset_combo), ("Samples/class", self.samples_spin),
                              ("Classes", self.classes_spin), ("Noise", self.noise_spin),
                              ("Test split", self.test_split_spin), ("Seed", self.seed_spin)):
            self.form.addRow(label, widget)
        self.book_check = QtWidgets.QCheckBox("Course's numbers")
        self.book_check.setObjectName("bookCheck")
        self.book_check.setAccessibleName("bookCheck")
        self.book_check.setToolTip(
            "Book mode: the course's random numbers (numpy seed 0), float32 and its spiral, so every "
            "epoch's loss and accuracy match a student's notes. Spiral only, without a test split.")
        self.book_check.setChecked(True)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.book_check, 1)
        row.addWidget(self.regenerate_button)
        self.form.addRow(row)
        self.dataset_combo.currentIndexChanged.connect(self._on_dataset_changed)
        self._watch(self.samples_spin, self.classes_spin, self.noise_spin, self.seed_spin,
                    self.test_split_spin)
        self.book_check.toggled.connect(self._emit_changed)
        self.test_split_spin.valueChanged.connect(self._update_book)
        self._limit_classes()
        self._update_book()

    def config(self) -> DatasetConfig:
        """The data set the controls describe."""
        return DatasetConfig(name=self.dataset_combo.currentData(), samples=self.samples_spin.value(),
                             classes=self.classes_spin.value(), noise=round(self.noise_spin.value(), 4),
                             test_split=self.test_split_spin.value() / 100)

    def seed(self) -> int:
        return self.seed_spin.value()

    def book(self) -> bool:
        """Whether to train in book mode: ticked, and possible for this data (the spiral, no test split)."""
        return self.book_check.isChecked() and self._book_possible()

    def _book_possible(self):
        return self.dataset_combo.currentData() == "spiral" and self.test_split_spin.value() == 0

    def set_config(self, config: DatasetConfig, seed: int, book: bool = False):
        """Show ``config``, ``seed`` and book mode without emitting ``changed``."""
        def apply():
            index = self.dataset_combo.findData(config.name)
            if index < 0:
                raise ValueError(f"dataset: unknown data set {config.name!r}")
            self.dataset_combo.setCurrentIndex(index)
            self._limit_classes()
            self.samples_spin.setValue(config.samples)
            self.classes_spin.setValue(config.classes)
            self.noise_spin.setValue(config.noise)
            self.test_split_spin.setValue(round(100 * config.test_split))
            self.seed_spin.setValue(seed)
            self.book_check.setChecked(book)
            self._update_book()
        self._silently(apply)

    def _limit_classes(self):
        name = self.dataset_combo.currentData()
        _, low, high, _ = dataset_info(name)
        self.classes_spin.setRange(low, high)
        self.dataset_combo.setToolTip("The 2-D data set to classify; each class is drawn in its own "
                                      f"colour.\n{DATASETS[name].label}: {DATASETS[name].description}")

    def _update_book(self, *_):
        self.book_check.setEnabled(self._book_possible())

    def _on_dataset_changed(self, _index):
        def apply():
            self._limit_classes()
            self._update_book()
            self.noise_spin.setValue(dataset_info(self.dataset_combo.currentData())[3])
        self._silently(apply)
        self._emit_changed()

    def _on_regenerate_clicked(self):
        seed = self.seed_spin.value()
        self.seed_spin.setValue(seed + 1 if seed < MAX_SEED else 0)


class NetworkPanel(_Panel):
    """The network's shape: hidden layers, neurons per layer, hidden activation."""

    def __init__(self, parent=None):
        super().__init__("Network", parent)
        self.setObjectName("networkPanel")
        default = NetworkConfig()
        self.hidden_layers_spin = spin_box(
            "hiddenLayersSpin", "Hidden layers, each Dense → activation, before the output "
            "Dense → softmax.", *LIMITS["network.layers"], len(default.hidden))
        self.neurons_spin = spin_box(
            "neuronsSpin", "Neurons in each hidden layer: output = inputs · weights + biases, "
            "weights of shape (inputs × neurons).", *LIMITS["network.neurons"], default.hidden[0], step=8)
        self.activation_combo = combo_box(
            "activationCombo", "Hidden activation: ReLU max(0, x) (the lesson's), Tanh tanh(x), "
            "Sigmoid 1 / (1 + e^−x).",
            [(ACTIVATION_LABELS.get(name, name), name) for name in ACTIVATIONS])
        self.activation_combo.setCurrentIndex(self.activation_combo.findData(default.activation))
        self.summary_label = QtWidgets.QLabel()
        self.summary_label.setObjectName("networkSummaryLabel")
        self.summary_label.setToolTip("Neurons per layer, inputs to outputs, and the number of "
                                      "weights and biases the optimizer trains.")
        self.form.addRow("Hidden layers", self.hidden_layers_spin)
        self.form.addRow("Neurons/layer", self.neurons_spin)
        self.form.addRow("Activation", self.activation_combo)
        self.form.addRow(self.summary_label)
        self._watch(self.hidden_layers_spin, self.neurons_spin, self.activation_combo)

    def config(self) -> NetworkConfig:
        return NetworkConfig(hidden=(self.neurons_spin.value(),) * self.hidden_layers_spin.value(),
                             activation=self.activation_combo.currentData())

    def set_config(self, config: NetworkConfig):
        """Show ``config`` without emitting ``changed`` (every hidden layer shows the first's size)."""
        def apply():
            index = self.activation_combo.findData(config.activation)
            if index < 0:
                raise ValueError(f"activation: unknown activation {config.activation!r}")
            self.hidden_layers_spin.setValue(len(config.hidden))
            self.neurons_spin.setValue(config.hidden[0])
            self.activation_combo.setCurrentIndex(index)
        self._silently(apply)

    def show_sizes(self, sizes):
        """``2 → 64 → 3 · 387 parameters`` under the controls."""
        count = sum((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
        self.summary_label.setText(" → ".join(map(str, sizes)) + f"  ·  {count:,} parameters")


OPTIMIZER_FORMULAS = {
    "sgd": "w += −η · dw",
    "decay": "η_t = η / (1 + decay · t)\nw += −η_t · dw",
    "momentum": "η_t = η / (1 + decay · t)\nu = μ · u − η_t · dw;  w += u",
}


class OptimizerPanel(_Panel):
    """The lesson's three optimizers and their numbers; a number the choice ignores is greyed out."""

    def __init__(self, parent=None):
        super().__init__("Optimizer", parent)
        self.setObjectName("optimizerPanel")
        default = OptimizerConfig()
        self.optimizer_combo = combo_box(
            "optimizerCombo", "SGD: step against the gradient. SGD + decay: the step shrinks "
            "over time. SGD + momentum: each update carries part of the previous one (with decay).",
            [(OPTIMIZER_LABELS[kind], kind) for kind in OPTIMIZER_KINDS])
        self.optimizer_combo.setCurrentIndex(self.optimizer_combo.findData(default.kind))
        self.learning_rate_spin = spin_box(
            "learningRateSpin", "Learning rate η: how far each update moves the weights, "
            "w += −η · dw (with decay: η_t = η / (1 + decay · t)).",
            *LIMITS["optimizer.learning_rate"], default.learning_rate, decimals=4, adaptive=True)
        self.decay_spin = spin_box(
            "decaySpin", "Learning-rate decay: at step t the rate is η_t = η / (1 + decay · t). "
            "Used by SGD + decay and SGD + momentum.",
            *LIMITS["optimizer.decay"], default.decay, decimals=5, step=1e-4, adaptive=True)
        self.momentum_spin = spin_box(
            "momentumSpin", "Momentum μ: the share of the previous update carried on, "
            "u = μ · u − η_t · dw, then w += u. Used by SGD + momentum only.",
            *LIMITS["optimizer.momentum"], default.momentum, decimals=2, step=0.05)
        self.formula_label = QtWidgets.QLabel()
        self.formula_label.setObjectName("formulaLabel")
        self.formula_label.setToolTip("The update the chosen optimizer applies to every weight w "
                                      "and bias (dw: the gradient of the loss).")
        self.formula_label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.addRow("Optimizer", self.optimizer_combo)
        self.form.addRow("Learning rate", self.learning_rate_spin)
        self.form.addRow("Decay", self.decay_spin)
        self.form.addRow("Momentum", self.momentum_spin)
        self.form.addRow(self.formula_label)
        self.optimizer_combo.currentIndexChanged.connect(self._update_enabled)
        self._watch(self.optimizer_combo, self.learning_rate_spin, self.decay_spin, self.momentum_spin)
        self._update_enabled()

    def config(self) -> OptimizerConfig:
        return OptimizerConfig(kind=self.optimizer_combo.currentData(),
                               learning_rate=round(self.learning_rate_spin.value(), 6),
                               decay=round(self.decay_spin.value(), 8),
                               momentum=round(self.momentum_spin.value(), 4))

    def set_config(self, config: OptimizerConfig):
        """Show ``config`` without emitting ``changed``."""
        def apply():
            index = self.optimizer_combo.findData(config.kind)
            if index < 0:
                raise ValueError(f"optimizer: unknown optimizer {config.kind!r}")
            self.optimizer_combo.setCurrentIndex(index)
            self.learning_rate_spin.setValue(config.learning_rate)
            self.decay_spin.setValue(config.decay)
            self.momentum_spin.setValue(config.momentum)
        self._silently(apply)
        self._update_enabled()

    def _update_enabled(self, *_):
        kind = self.optimizer_combo.currentData()
        self.decay_spin.setEnabled(kind in ("decay", "momentum"))
        self.momentum_spin.setEnabled(kind == "momentum")
        self.formula_label.setText(OPTIMIZER_FORMULAS[kind])


class TransportPanel(_Panel):
    """Play/Pause, Step and Reset buttons (driven by the window's actions) and the epoch limit."""

    def __init__(self, play_action, step_action, reset_action, parent=None):
        super().__init__("Training", parent)
        self.setObjectName("transportPanel")
        buttons = QtWidgets.QHBoxLayout()
        self.play_button = self._button("playButton", play_action, buttons)
        self.step_button = self._button("stepButton", step_action, buttons)
        self.reset_button = self._button("resetButton", reset_action, buttons)
        self._fit_play_button()
        self.form.addRow(buttons)
        self.epoch_limit_spin = spin_box(
            "epochLimitSpin", "Training pauses when this many epochs are done "
            "(the lesson trains for epoch in range(10001)). 0 = no limit.",
            0, LIMITS["epochs"][1], 10001, step=1000, special="No limit")
        self.form.addRow("Epoch limit", self.epoch_limit_spin)
        self._watch(self.epoch_limit_spin)

    def _fit_play_button(self):
        # wide enough for "Pause" too, so the row never shifts when the text changes
        self.play_button.setMinimumWidth(self.play_button.fontMetrics().horizontalAdvance("Pause") + 48)

    def changeEvent(self, event):
        if event.type() == QtCore.QEvent.Type.FontChange:
            self._fit_play_button()
        super().changeEvent(event)

    def _button(self, name, action, layout):
        button = QtWidgets.QPushButton(action.icon(), action.text())
        button.setObjectName(name)
        button.setToolTip(action.toolTip())
        button.setAccessibleName(name)
        # the button triggers the action, so a click and a key press do one and the same thing
        button.clicked.connect(action.trigger)
        action.changed.connect(lambda: (button.setText(action.text()), button.setIcon(action.icon()),
                                        button.setToolTip(action.toolTip()), button.setEnabled(action.isEnabled())))
        layout.addWidget(button)
        return button

    def epoch_limit(self) -> int:
        return self.epoch_limit_spin.value()

    def set_epoch_limit(self, limit: int):
        self._silently(lambda: self.epoch_limit_spin.setValue(limit))
