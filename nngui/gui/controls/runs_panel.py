"""The runs of the race: a list of 1 to 4 optimizers, and the numbers of the selected one.

The list shows each run's colour and line style beside its name, as the plots draw it;
clicking a run selects it (the network drawing and the status line follow it). Below the
list, the lesson's optimizer controls edit the selected run; a number the chosen kind does
not use is greyed out. Every edit goes to the model; changing a run's numbers applies at
the next epoch, adding or removing a run starts the race again from epoch 0.
"""

from __future__ import annotations

from nngui.engine import OPTIMIZER_KINDS, OPTIMIZER_LABELS, OptimizerConfig
from nngui.engine.experiment import LIMITS, MAX_RUNS
from nngui.model import AppModel

from .panels import Panel, combo_box, select_data
from nngui.gui.qt import QtCore, QtWidgets
from nngui.gui.window.actions import make_button

OPTIMIZER_FORMULAS = {
    "sgd": "w += −η · dw",
    "decay": "η_t = η / (1 + decay · t)\nw += −η_t · dw",
    "momentum": "η_t = η / (1 + decay · t)\nu = μ · u − η_t · dw;  w += u",
}


class RunsPanel(Panel):
    """The race's runs and the selected run's optimizer; ``swatch(index)`` gives a run's icon."""

    def __init__(self, app: AppModel, compare_action, swatch, parent=None):
        super().__init__("Optimizers", app.experiment, parent)
        self.setObjectName("runsPanel")
        self.app = app
        self._swatch = swatch
        #: the runs' names for an experiment (default: its own labels; a student's run is named after its class)
        self.name_runs = lambda experiment: experiment.labels
        model = app.experiment
        self.run_list = QtWidgets.QListWidget()
        self.run_list.setObjectName("runList")
        self.run_list.setAccessibleName("runList")
        self.run_list.setToolTip("The runs racing from the same start: each trains the same network on the "
                                 "same points with its own optimizer. Click one to edit its numbers; the "
                                 "network drawing and the status line follow it.")
        self.run_list.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.run_list.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.run_list.currentRowChanged.connect(self._on_run_list_row_changed)
        self.form.addRow(self.run_list)

        buttons = QtWidgets.QHBoxLayout()
        buttons.setSpacing(3)
        self.add_button = make_button("addRunButton", "Add", "Add a run (a copy of the selected one, up to "
                                       f"{MAX_RUNS}); the race starts again from epoch 0.", self._on_add_clicked)
        self.remove_button = make_button("removeRunButton", "Remove", "Remove the selected run; the race "
                                          "starts again from epoch 0.", self._on_remove_clicked)
        self.compare_button = QtWidgets.QToolButton()
        self.compare_button.setObjectName("compareButton")
        self.compare_button.setAccessibleName("compareButton")
        self.compare_button.setDefaultAction(compare_action)
        self.compare_button.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextOnly)
        for widget in (self.add_button, self.remove_button, self.compare_button):
            buttons.addWidget(widget)
        self.form.addRow(buttons)

        self.optimizer_combo = combo_box(
            "optimizerCombo", "The selected run's optimizer. SGD: step against the gradient. SGD + decay: the "
            "step shrinks over time. SGD + momentum: each update carries part of the previous one (decay "
            "optional: set it to 0 for none).",
            [(OPTIMIZER_LABELS[kind], kind) for kind in OPTIMIZER_KINDS])
        self.optimizer_combo.currentIndexChanged.connect(self._on_optimizer_combo_changed)
        self.learning_rate_spin = self.number_box(
            "learningRateSpin", "Learning rate η: how far each update moves the weights, "
            "w += −η · dw (with decay: η_t = η / (1 + decay · t)).",
            *LIMITS["optimizer.learning_rate"], 1.0, adaptive=True, step=0.0001, label="Learning rate",
            on_commit=lambda v: self._edit_run(learning_rate=v))
        self.decay_spin = self.number_box(
            "decaySpin", "Learning-rate decay: at step t the rate is η_t = η / (1 + decay · t). "
            "Used by SGD + decay and SGD + momentum (0: no decay).",
            *LIMITS["optimizer.decay"], 1e-3, adaptive=True, step=1e-6, label="Decay",
            on_commit=lambda v: self._edit_run(decay=v))
        self.momentum_spin = self.number_box(
            "momentumSpin", "Momentum μ: the share of the previous update carried on, "
            "u = μ · u − η_t · dw, then w += u. Used by SGD + momentum only.",
            *LIMITS["optimizer.momentum"], 0.9, step=0.05, label="Momentum",
            on_commit=lambda v: self._edit_run(momentum=v))
        self.formula_label = QtWidgets.QLabel()
        self.formula_label.setObjectName("formulaLabel")
        self.formula_label.setToolTip("The update the selected run's optimizer applies to every weight w "
                                      "and bias (dw: the gradient of the loss).")
        self.formula_label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.addRow("Optimizer", self.optimizer_combo)
        self.form.addRow("Learning rate", self.learning_rate_spin)
        self.form.addRow("Decay", self.decay_spin)
        self.form.addRow("Momentum", self.momentum_spin)
        self.form.addRow(self.formula_label)
        app.selected_run_changed.connect(lambda _i: self.show_experiment(model.experiment))
        self.show_experiment(model.experiment)

    @property
    def selected(self) -> int:
        return self.app.selected_run

    def selected_config(self) -> OptimizerConfig:
        return self.model.experiment.runs[self.selected]

    # --- showing the model ------------------------------------------------------------------

    def show_experiment(self, experiment):
        runs, labels = experiment.runs, self.name_runs(experiment)
        blocked = self.run_list.blockSignals(True)
        if self.run_list.count() != len(runs):
            self.run_list.clear()
            for _ in runs:
                self.run_list.addItem(QtWidgets.QListWidgetItem())
        for index, (run, label) in enumerate(zip(runs, labels)):
            item = self.run_list.item(index)
            item.setText(label)
            item.setIcon(self._swatch(index))
            item.setToolTip(run.describe())
        self.run_list.setCurrentRow(self.selected)
        self.run_list.blockSignals(blocked)
        self._fit_list()
        self.add_button.setEnabled(len(runs) < MAX_RUNS)
        self.remove_button.setEnabled(len(runs) > 1)
        config = runs[self.selected]
        select_data(self.optimizer_combo, config.kind)
        self.learning_rate_spin.setValue(config.learning_rate)
        self.decay_spin.setValue(config.decay)
        self.momentum_spin.setValue(config.momentum)
        self.decay_spin.setEnabled(config.kind in ("decay", "momentum"))
        self.momentum_spin.setEnabled(config.kind == "momentum")
        self.formula_label.setText(OPTIMIZER_FORMULAS[config.kind])
        self.setTitle("Optimizer" if len(runs) == 1 else f"Optimizers: {len(runs)} runs from one start")

    def _fit_list(self):
        rows = max(1, self.run_list.count())
        row_height = max(self.run_list.sizeHintForRow(0), self.fontMetrics().height() + 4)
        self.run_list.setFixedHeight(rows * row_height + 2 * self.run_list.frameWidth() + 2)

    def changeEvent(self, event):
        if event.type() == QtCore.QEvent.Type.FontChange:
            self._fit_list()
        super().changeEvent(event)

    # --- edits ----------------------------------------------------------------------------------

    def _edit_run(self, **changes):
        self.edit(self.model.set_run, self.selected, **changes)

    def _on_optimizer_combo_changed(self, _index):
        self._edit_run(kind=self.optimizer_combo.currentData())

    def _on_run_list_row_changed(self, row):
        if row >= 0:
            self.app.select_run(row)

    def _on_add_clicked(self):
        self.edit(self.model.add_run, self.selected_config())
        self.app.select_run(len(self.model.experiment.runs) - 1)

    def _on_remove_clicked(self):
        self.edit(self.model.remove_run, self.selected)
