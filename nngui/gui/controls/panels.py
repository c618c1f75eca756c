"""The left column's compact panels: data, network and training controls, each a view of the model.

A panel shows the model's experiment (``show(experiment)``, called whenever the model
changes) and writes each edit to the model; it never keeps a value of its own. An edit the
engine refuses is reported through ``refused(message)`` and the panel shows the model again.
The runs' optimizers have their own panel (``runs_panel``).
"""

from __future__ import annotations

from nngui.engine import ACTIVATIONS, DATASETS, DatasetConfig, Experiment
from nngui.engine.batches import training_points
from nngui.engine.checks import ExperimentError
from nngui.engine.experiment import LIMITS
from nngui.engine.network import MAX_HIDDEN_LAYERS
from nngui.model import NO_LIMIT_EPOCHS, PACES, ExperimentModel

from .batch_controls import INIT_TIP, BatchSizeBox, init_items
from .number_box import NumberBox
from nngui.gui.qt import QtCore, QtWidgets
from nngui.gui.window.actions import make_button

ACTIVATION_LABELS = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid"}


def combo_box(name, tooltip, items):
    """A combo box of ``(label, data)`` items."""
    box = QtWidgets.QComboBox()
    box.setObjectName(name)
    for label, data in items:
        box.addItem(label, data)
    box.setToolTip(tooltip)
    box.setAccessibleName(name)
    box.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents)
    # the wheel passing over a closed combo box must not change the lesson
    box.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
    return box


def short_pace_label(pace) -> str:
    """``30/s`` (epochs a second) or ``max``."""
    return "max" if pace is None else f"{pace:,}/s"


def pair(first, label, second) -> QtWidgets.QHBoxLayout:
    """Two controls on one form row, the second after its own short ``label`` (or none)."""
    row = QtWidgets.QHBoxLayout()
    row.setSpacing(4)
    row.addWidget(first, 1)
    if label:
        text = QtWidgets.QLabel(label)
        text.setBuddy(second)
        row.addWidget(text)
    row.addWidget(second, 1)
    return row


def select_data(combo: QtWidgets.QComboBox, data) -> None:
    """Show the item holding ``data`` without emitting anything."""
    blocked = combo.blockSignals(True)
    combo.setCurrentIndex(combo.findData(data))
    combo.blockSignals(blocked)


class Panel(QtWidgets.QGroupBox):
    """A titled form over the model; edits go through ``edit`` so a refusal becomes a message."""

    refused = QtCore.Signal(str)

    def __init__(self, title, model: ExperimentModel, parent=None):
        super().__init__(title, parent)
        self.model = model
        self.form = QtWidgets.QFormLayout(self)
        self.form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setContentsMargins(8, 4, 8, 6)
        # compact rows: the whole column must fit a 1024×768 projector
        self.form.setVerticalSpacing(3)
        model.changed.connect(lambda change: self.show_experiment(change.new))

    def edit(self, apply, *args, **kwargs) -> None:
        """Call the model's ``apply``; a refused edit is said in a sentence and the panel shows the model again."""
        try:
            apply(*args, **kwargs)
        except ExperimentError as error:
            self.refused.emit(f"Not applied: {error}")
            self.show_experiment(self.model.experiment)

    def number_box(self, *args, on_commit, **kwargs) -> NumberBox:
        box = NumberBox(*args, **kwargs)
        box.value_committed.connect(on_commit)
        box.refused.connect(self.refused)
        return box

    def show_experiment(self, experiment: Experiment) -> None:
        raise NotImplementedError


class DatasetPanel(Panel):
    """Which points to learn: data set, samples per class, classes, noise, seed, test split, book mode."""

    def __init__(self, model, parent=None):
        super().__init__("Data", model, parent)
        self.setObjectName("datasetPanel")
        default = DatasetConfig()
        self.dataset_combo = combo_box(
            "datasetCombo", "The 2-D data set to classify; each class is drawn in its own colour.",
            [(info.label, name) for name, info in DATASETS.items()])
        self.dataset_combo.currentIndexChanged.connect(
            lambda _i: self.edit(model.set_dataset, name=self.dataset_combo.currentData()))
        self.samples_spin = self.number_box(
            "samplesSpin", "Points per class: the data set has samples × classes points.",
            *LIMITS["dataset.samples"], default.samples, integer=True, step=10, label="Samples/class",
            on_commit=lambda v: self.edit(model.set_dataset, samples=v))
        self.classes_spin = self.number_box(
            "classesSpin", "Number of classes: the output layer has one neuron per class "
            "(softmax turns their outputs into probabilities).", 2, 6, default.classes, integer=True,
            label="Classes", on_commit=lambda v: self.edit(model.set_dataset, classes=v))
        self.noise_spin = self.number_box(
            "noiseSpin", "Noise: how far points scatter from the ideal shape "
            "(the spiral adds noise · N(0, 1) to each point's angle); 0 = clean.",
            *LIMITS["dataset.noise"], default.noise, step=0.05, label="Noise",
            on_commit=lambda v: self.edit(model.set_dataset, noise=v))
        self.test_split_spin = self.number_box(
            "testSplitSpin", "Share of the points held out for testing (0 to 0.9): never trained on; "
            "the plots show their loss and accuracy as \"test\". test points = round(split × all points).",
            *LIMITS["dataset.test_split"], default.test_split, step=0.05, label="Test split",
            on_commit=lambda v: self.edit(model.set_dataset, test_split=v))
        self.seed_spin = self.number_box(
            "seedSpin", "Random seed (0 to 4,294,967,295): the same seed gives the same points, the same "
            "test split and the same starting weights (0.01 · N(0, 1)).", *LIMITS["seed"], 0, integer=True,
            label="Seed", on_commit=lambda v: self.edit(model.set_seed, v))
        self.regenerate_button = QtWidgets.QPushButton("Regenerate")
        self.regenerate_button.setObjectName("regenerateButton")
        self.regenerate_button.setAccessibleName("regenerateButton")
        self.regenerate_button.setToolTip("Draw new points: seed + 1, and start again from epoch 0.")
        self.regenerate_button.clicked.connect(self._on_regenerate_clicked)
        # two numbers a row: the whole column fits a 1024×768 projector beside the race
        self.form.addRow("Data set", self.dataset_combo)
        self.form.addRow("Samples", pair(self.samples_spin, "Classes", self.classes_spin))
        self.form.addRow("Noise", pair(self.noise_spin, "Test split", self.test_split_spin))
        self.book_check = QtWidgets.QCheckBox("Course's numbers")
        self.book_check.setObjectName("bookCheck")
        self.book_check.setAccessibleName("bookCheck")
        self.book_check.setToolTip(
            "Book mode: the course's random numbers (numpy seed 0), float32 and its spiral, so every "
            "epoch's loss and accuracy match a student's notes. Spiral only, without a test split.")
        self.book_check.toggled.connect(lambda on: self.edit(model.set_book, on))
        self.form.addRow("Seed", pair(self.seed_spin, None, self.regenerate_button))
        self.batch_size_spin = BatchSizeBox()
        self.batch_size_spin.value_committed.connect(lambda v: self.edit(model.set_batch_size, v))
        self.batch_size_spin.refused.connect(self.refused)
        self.form.addRow("Batch", pair(self.batch_size_spin, None, self.book_check))
        self.show_experiment(model.experiment)

    def show_experiment(self, experiment):
        data = experiment.dataset
        info = DATASETS[data.name]
        select_data(self.dataset_combo, data.name)
        self.dataset_combo.setToolTip("The 2-D data set to classify; each class is drawn in its own "
                                      f"colour.\n{info.label}: {info.description}")
        self.classes_spin.setRange(info.min_classes, info.max_classes)
        for box, value in ((self.samples_spin, data.samples), (self.classes_spin, data.classes),
                           (self.noise_spin, data.noise), (self.test_split_spin, data.test_split),
                           (self.seed_spin, experiment.seed)):
            box.setValue(value)
        blocked = self.book_check.blockSignals(True)
        self.book_check.setChecked(experiment.book)
        self.book_check.blockSignals(blocked)
        self.book_check.setEnabled(data.name == "spiral" and not data.test_split)
        self.batch_size_spin.setRange(0, training_points(data.samples, data.classes, data.test_split, data.points))
        self.batch_size_spin.setValue(experiment.batch_size or 0)
        for box in (self.samples_spin, self.noise_spin):
            box.setEnabled(data.name != "custom")  # your own points have no samples or noise to draw

    def _on_regenerate_clicked(self):
        seed = self.model.experiment.seed
        self.edit(self.model.set_seed, seed + 1 if seed < LIMITS["seed"][1] else 0)


class NetworkPanel(Panel):
    """The network's shape: hidden layers, each with its own neuron count, and the hidden activation."""

    def __init__(self, model, parent=None):
        super().__init__("Network", model, parent)
        self.setObjectName("networkPanel")
        self.hidden_layers_spin = self.number_box(
            "hiddenLayersSpin", "Hidden layers, each Dense → activation, before the output Dense → softmax.",
            *LIMITS["network.layers"], len(model.experiment.network.hidden), integer=True, label="Hidden layers",
            on_commit=lambda v: self.edit(model.set_hidden_layers, v))
        sizes = QtWidgets.QHBoxLayout()
        sizes.setSpacing(2)
        self.neuron_spins = []
        for layer in range(MAX_HIDDEN_LAYERS):
            box = self.number_box(
                f"neuronsSpin{layer + 1}", f"Neurons in hidden layer {layer + 1}: output = inputs · weights + "
                "biases, weights of shape (inputs × neurons).", *LIMITS["network.neurons"], 64, integer=True,
                step=8, label=f"Neurons of layer {layer + 1}",
                on_commit=lambda v, i=layer: self.edit(model.set_layer_size, i, v))
            sizes.addWidget(box)
            self.neuron_spins.append(box)
        self.activation_combo = combo_box(
            "activationCombo", "Hidden activation: ReLU max(0, x) (the lesson's), Tanh tanh(x), "
            "Sigmoid 1 / (1 + e^−x).", [(ACTIVATION_LABELS.get(name, name), name) for name in ACTIVATIONS])
        self.activation_combo.currentIndexChanged.connect(
            lambda _i: self.edit(model.set_network, activation=self.activation_combo.currentData()))
        self.summary_label = QtWidgets.QLabel()
        self.summary_label.setObjectName("networkSummaryLabel")
        self.summary_label.setToolTip("Neurons per layer, inputs to outputs, and the number of "
                                      "weights and biases the optimizer trains.")
        self.form.addRow("Hidden layers", self.hidden_layers_spin)
        self.form.addRow("Neurons", sizes)
        self.init_combo = combo_box("initCombo", INIT_TIP, init_items())
        self.init_combo.currentIndexChanged.connect(
            lambda _i: self.edit(model.set_network, init=self.init_combo.currentData()))
        self.form.addRow("Activation", pair(self.activation_combo, "Init", self.init_combo))
        self.form.addRow(self.summary_label)
        self.show_experiment(model.experiment)

    def show_experiment(self, experiment):
        network = experiment.network
        self.hidden_layers_spin.setValue(len(network.hidden))
        for layer, box in enumerate(self.neuron_spins):
            box.setVisible(layer < len(network.hidden))
            if layer < len(network.hidden):
                box.setValue(network.hidden[layer])
        select_data(self.activation_combo, network.activation)
        select_data(self.init_combo, network.init)
        sizes = (2, *network.hidden, experiment.dataset.classes)
        count = sum((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
        self.summary_label.setText(" → ".join(map(str, sizes)) + f"  ·  {count:,} parameters")


class TransportPanel(Panel):
    """Play/Pause, Step and Reset (the window's actions), the epoch limit and the pace."""

    pace_chosen = QtCore.Signal(object)

    def __init__(self, model, actions, parent=None):
        super().__init__("Training", model, parent)
        self.setObjectName("transportPanel")
        buttons = QtWidgets.QHBoxLayout()
        play_action, step_action, reset_action = actions
        self.play_button, self.step_button, self.reset_button = (
            make_button(name, action=action) for name, action in (("playButton", play_action),
                                                                  ("stepButton", step_action),
                                                                  ("resetButton", reset_action)))
        for button in (self.play_button, self.step_button, self.reset_button):
            buttons.addWidget(button)
        self._fit_play_button()
        self.form.addRow(buttons)
        self.epoch_limit_spin = self.number_box(
            "epochLimitSpin", "Training pauses when this many epochs are done "
            "(the lesson trains for epoch in range(10001)). 0 = no limit.",
            0, NO_LIMIT_EPOCHS - 1, 10001, integer=True, step=1000, special="No limit", label="Epoch limit",
            on_commit=lambda v: self.edit(model.set_epochs, v))
        self.pace_combo = combo_box(
            "paceControl", "Pace: epochs trained per second (1/s … 1,000/s). Up to 30/s every epoch is "
            "drawn, so a class can follow each step; max trains as fast as the computer can.",
            # short, so the pace sits beside the epoch limit; the tooltip says epochs per second
            [(short_pace_label(pace), pace) for pace in PACES])
        self.pace_combo.currentIndexChanged.connect(lambda _i: self.pace_chosen.emit(self.pace_combo.currentData()))
        self.form.addRow("Epochs", pair(self.epoch_limit_spin, "Pace", self.pace_combo))
        self.show_experiment(model.experiment)

    def show_experiment(self, experiment):
        self.epoch_limit_spin.setValue(0 if experiment.epochs >= NO_LIMIT_EPOCHS else experiment.epochs)

    def show_pace(self, pace):
        select_data(self.pace_combo, pace)

    def epoch_limit(self) -> int:
        """Epochs after which training pauses; 0 for none."""
        return self.epoch_limit_spin.value()

    def _fit_play_button(self):
        # wide enough for "Pause" too, so the row never shifts when the text changes
        self.play_button.setMinimumWidth(self.play_button.fontMetrics().horizontalAdvance("Pause") + 48)

    def changeEvent(self, event):
        if event.type() == QtCore.QEvent.Type.FontChange:
            self._fit_play_button()
        super().changeEvent(event)
