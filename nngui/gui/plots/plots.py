"""Live metric plots: loss, accuracy and learning rate against the epoch, one set of curves per run.

Each plot makes its curves once (per race) and afterwards only hands them new arrays. A
curve holds the true value of every epoch; only the drawing is clipped to the view and
peak-downsampled, so 200,000 epochs cost about as much to draw as a few thousand.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from nngui.engine import learning_rate_schedule

from .batch_curves import EffectiveSteps, planned_batch_rates, show_update_losses, update_pen
from .metric_plot import (LOSS_DATA_HEIGHT, PROJECTOR_LOSS_DATA_HEIGHT, TITLE_POINT_SIZE, TITLE_ROW_HEIGHT,
                          EpochAxis, MetricPlot, scale_plot_text)
from .run_styles import RUN_WIDTH
from .run_styles import pen as run_pen

__all__ = ["AccuracyPlot", "EpochAxis", "LearningRatePlot", "LossPlot", "MetricPlot",
           "TITLE_POINT_SIZE", "TITLE_ROW_HEIGHT", "mark_epochs", "planned_epochs",
           "planned_rates", "scale_plot_text"]

# the planned schedule is a smooth formula: this many samples keep its shape at any length
PLAN_DENSE_STEPS = 512
PLAN_SAMPLES = 1024
#: A race's test curve: its run's colour and dashes, thinner, with hollow marks about every tenth of the run.
TEST_WIDTH = 1.25
MARKS = 10
MARK_WIDTH = 1.5
#: A race's planned learning rates: thin and light, under the rates used.
PLAN_WIDTH = 1.25
PLAN_LIGHTEN = 0.5
#: The accuracy and learning-rate plots' least data height, in label steps (the loss plot's: ``LABEL_STEPS``).
ACCURACY_LABEL_STEPS = 2.3
LEARNING_RATE_LABEL_STEPS = 2.7


class _TrainTestPlot(MetricPlot):
    """Each run's train curve, and its test curve shown only when the data has a test split.

    A run's test curve has the run's colour and dashes, thinner, with hollow marks (like the
    test points of the decision boundary) every few epochs.
    """

    columns = ("", "")

    def __init__(self, title, y_label, parent=None, **kwargs):
        super().__init__(title, y_label, parent, **kwargs)
        self.pin_column = self.columns[0]
        self._test_shown: list[bool] = []

    def _add_run(self, index, label, style):
        n = f" {index + 1}"
        curves = {
            "train": self._add_curve("train" + n, label, partial(run_pen, style, RUN_WIDTH), z=1.0),
            "test": self._add_curve("test" + n, f"{label} test", partial(run_pen, style, TEST_WIDTH), z=0.5),
            "marks": self._add_curve("marks" + n, None, partial(run_pen, style, MARK_WIDTH), z=2.0,
                                     symbol=style.symbol),
        }
        curves["test"].setVisible(False)
        curves["marks"].setVisible(False)
        return curves

    def set_runs(self, labels, styles) -> None:
        self._test_shown = [False] * len(labels)
        super().set_runs(labels, styles)

    def _set_test_shown(self, index: int, shown: bool) -> None:
        if shown != self._test_shown[index]:
            self._test_shown[index] = shown
            curves = self._runs[index]
            for role in ("test", "marks"):
                curves[role].setVisible(shown)

    def _update_run(self, index, history):
        """Set run ``index``'s train (and test) curve to one point per epoch of ``history``."""
        curves = self._runs[index]
        if history is None or len(history) == 0:
            for curve in curves.values():
                curve.setData([], [])
            self._set_test_shown(index, False)
            return
        train_column, test_column = self.columns
        x = self._epoch_axis(history)
        curves["train"].setData(x, getattr(history, train_column))
        test = getattr(history, test_column)
        # no split: the engine records NaN for every epoch, so the first one tells
        has_test = not np.isnan(test[0])
        if has_test:
            curves["test"].setData(x, test)
            at = mark_epochs(len(x), index, len(self._runs))
            marked = test[at]
            finite = np.isfinite(marked)
            curves["marks"].setData(x[at][finite], marked[finite])
        elif self._test_shown[index]:
            for role in ("test", "marks"):
                curves[role].setData([], [])
        self._set_test_shown(index, has_test)

    def test_shown(self, index: int = 0) -> bool:
        """Whether run ``index``'s test curve is shown (its data has a test split)."""
        return self._test_shown[index]


class LossPlot(_TrainTestPlot):
    """Mean cross-entropy loss per epoch; the y axis starts at 0."""

    columns = ("loss", "test_loss")

    def __init__(self, parent=None):
        super().__init__("Loss", "loss", parent)

    def data_target(self) -> int:
        """The loss plot asks for ``LOSS_DATA_HEIGHT`` pixels of data, ``PROJECTOR_LOSS_DATA_HEIGHT`` at
        projector sizes: its curve is the lesson's."""
        return LOSS_DATA_HEIGHT if self.text_scale <= 1.0 else PROJECTOR_LOSS_DATA_HEIGHT

    def update_snapshots(self, runs) -> None:
        """Each run's per-update batch losses, faint behind its per-epoch curve (mini-batches only).

        The curve is made the first time a run has updates to show, so full batch adds no item.
        """
        for index, curves in enumerate(self._runs):
            updates = runs[index].batch_losses if index < len(runs) else None
            if "updates" not in curves:
                if updates is None:
                    continue
                curves["updates"] = self._add_curve(f"updates {index + 1}", f"{self.labels[index]} per update",
                                                    partial(update_pen, self.styles[index]), z=0.2)
            show_update_losses(curves["updates"], updates)


class AccuracyPlot(_TrainTestPlot):
    """Accuracy per epoch on a fixed 0 … 1 axis."""

    columns = ("accuracy", "test_accuracy")
    #: the curve climbs toward 1: an exported picture's legend sits bottom right, out of its way
    legend_offset = (-10, -10)
    #: 0, 0.5 and 1 labelled: the axis is always 0 … 1 (padded), its ticks half of it apart
    label_steps = ACCURACY_LABEL_STEPS

    def __init__(self, parent=None):
        super().__init__("Accuracy", "accuracy", parent, from_zero=False)
        # on a short plot (projector mode) the axis says "acc" rather than cut its name
        self.getPlotItem().getAxis("left").set_short_label("acc")
        self._fix_y_range()

    def _fix_y_range(self) -> None:
        self.getPlotItem().setYRange(0.0, 1.0, padding=0.05)
        self.getPlotItem().enableAutoRange(x=True, y=False)

    def set_runs(self, labels, styles) -> None:
        super().set_runs(labels, styles)
        self._fix_y_range()

    def clear(self) -> None:
        super().clear()
        self._fix_y_range()


class LearningRatePlot(MetricPlot):
    """The rate each epoch's update used, over the schedule planned from the settings.

    Each run's plan is a thin, light line in the run's colour and dashes, under its used rate. ``clear`` empties the used rates; the
    plans stay until ``set_plans`` changes them.
    """

    #: at least two labelled ticks (a round top is at most 2.5 times the tick below it): the plot may be short
    label_steps = LEARNING_RATE_LABEL_STEPS

    def __init__(self, parent=None):
        super().__init__("Learning rate", "learning rate", parent)
        # on a short plot (projector mode) the axis says "lr", as the formula does, rather than cut its name
        self.getPlotItem().getAxis("left").set_short_label("lr")
        self.pin_column = "learning_rate"
        #: ``(learning_rate, decay)`` or None per run, and the planned epochs
        self.plans: tuple = ()
        self.plan_epochs = 0
        #: each momentum run's current_learning_rate / (1 − momentum), on an axis at the right
        self.effective_steps = EffectiveSteps(self)

    @property
    def plan(self) -> tuple[float, float, int] | None:
        """The first run's plan as ``(learning_rate, decay, epochs)``, or None."""
        first = self.plans[0] if self.plans else None
        return None if first is None else (*first, self.plan_epochs)

    def _add_run(self, index, label, style):
        n = f" {index + 1}"
        return {
            "planned": self._add_curve("planned" + n, f"{label} planned",
                                       partial(run_pen, style, PLAN_WIDTH, lighten=PLAN_LIGHTEN), z=0.5),
            "lr": self._add_curve("lr" + n, label, partial(run_pen, style, RUN_WIDTH), z=1.0),
        }

    def set_runs(self, labels, styles) -> None:
        """As ``MetricPlot.set_runs``; the new runs have no plan until ``set_plans``."""
        super().set_runs(labels, styles)
        self.plans = ()
        self.effective_steps.set_runs(styles)

    def update_snapshots(self, runs) -> None:
        """Each momentum run's effective step size."""
        self.effective_steps.update(runs)

    def clear(self) -> None:
        super().clear()
        self.effective_steps.clear()

    def set_scale(self, text_scale: float, line_scale: float) -> None:
        super().set_scale(text_scale, line_scale)
        self.effective_steps.set_scale(text_scale, line_scale)

    def _update_run(self, index, history):
        """Set run ``index``'s learning-rate curve to the rate of every epoch of ``history``."""
        curve = self._runs[index]["lr"]
        if history is None or len(history) == 0:
            curve.setData([], [])
            return
        curve.setData(self._epoch_axis(history), history.learning_rate)

    def set_plans(self, plans, epochs: int, per_epoch: int = 1) -> None:
        """Draw ``lr / (1 + decay·epoch)`` for the planned epochs of each run: ``plans[i]`` is
        ``(learning_rate, decay)`` of run ``i``, or None for no plan. Known before training starts.
        With ``per_epoch`` updates an epoch (mini-batches) each epoch shows the rate of its last update."""
        epochs = int(epochs)
        per_epoch = int(per_epoch)
        self.plans = tuple(None if plan is None else (float(plan[0]), float(plan[1])) for plan in plans)
        self.plan_epochs = epochs
        x = planned_epochs(epochs) if epochs > 0 else None
        for index, run in enumerate(self._runs):
            plan = self.plans[index] if index < len(self.plans) else None
            if plan is None or x is None:
                run["planned"].setData([], [])
            else:
                run["planned"].setData(x, planned_rates(*plan, x) if per_epoch == 1
                                       else planned_batch_rates(*plan, x, per_epoch))


def mark_epochs(n: int, index: int = 0, runs: int = 1) -> np.ndarray:
    """Where run ``index`` of ``runs`` marks its test curve of ``n`` epochs: about ``MARKS`` round epochs.

    The step is 1, 2 or 5 × 10^k, so the marks move only when it does; each run's marks
    are shifted by a share of the step, so curves that lie on each other still show all.
    """
    if n <= 0:
        return np.arange(0)
    step = 1
    while step * MARKS < n:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    return np.arange((index * step) // max(runs, 1), n, step)


def planned_epochs(epochs: int) -> np.ndarray:
    """Epochs at which to draw a schedule of ``epochs`` steps: every one, or a shape-keeping sample.

    Dense at the start, where a decay bends the curve most, then spread evenly and
    geometrically to the last epoch.
    """
    last = epochs - 1
    if epochs <= PLAN_DENSE_STEPS + PLAN_SAMPLES:
        return np.arange(epochs)
    parts = (np.arange(PLAN_DENSE_STEPS), np.linspace(0, last, PLAN_SAMPLES),
             np.geomspace(1, last, PLAN_SAMPLES), [last])
    return np.unique(np.concatenate(parts).round().astype(np.int64))


def planned_rates(learning_rate: float, decay: float, x: np.ndarray) -> np.ndarray:
    """``learning_rate_schedule`` at the integer epochs ``x`` (sorted)."""
    if len(x) == 0:
        return np.empty(0)
    steps = int(x[-1]) + 1
    if steps <= 1 << 20:
        return learning_rate_schedule(learning_rate, decay, steps)[x]
    # the same formula, without a schedule array of millions of entries
    return learning_rate * (1 / (1 + decay * x.astype(np.float64)))
