"""Two optimizers, the student's and the engine's, each on its own network from one start, call by call.

Each epoch both networks run forward and backward on the engine's data, then the lesson's
protocol: ``pre_update_params()`` (when the student's class has it), ``update_params(layer)``
for each trainable layer, ``post_update_params()`` (when it has it). After each of the
student's calls the duel stops so that the two states can be compared: every layer's
weights, biases and momentum buffers, and ``current_learning_rate``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nngui.engine import SGD, Experiment, Network, make_start

from .loading import Submission, raised
from .settings import Setting

PRE, UPDATE, POST = "pre_update_params", "update_params", "post_update_params"
#: The layer's arrays that are compared, in the order a difference is looked for.
LAYER_ARRAYS = ("weights", "biases", "weights_momentums", "biases_momentums")
RATE = "current_learning_rate"
#: The data and network every check uses: the chapter's spiral (100 points × 3 classes) and 64 ReLU neurons.
EXPERIMENT = Experiment()


@dataclass(frozen=True)
class Point:
    """Where a duel stands: after ``call`` (of ``layer``, for ``update_params``) in ``epoch``."""

    epoch: int
    call: str
    layer: int | None = None


def chapter_start():
    """The start every check uses (made once per process: the same data and weights for every class)."""
    global _START
    if _START is None:
        _START = make_start(EXPERIMENT)
    return _START


_START = None


class Duel:
    """The student's optimizer (made by ``make_student()``) against ``SGD`` of ``setting``, from ``start``.

    ``submission`` is given for the student's code (its errors name its lines); a known mistake's
    replay (``mistakes.py``) passes None. ``has_pre``/``has_post``: which of the two calls to make.
    """

    def __init__(self, make_student, setting: Setting, has_pre: bool, has_post: bool,
                 submission: Submission | None = None, start=None):
        start = chapter_start() if start is None else start
        net = EXPERIMENT.network
        self.X, self.y = start.X_train, start.y_train
        self.networks = tuple(Network(2, net.hidden, EXPERIMENT.dataset.classes, net.activation,
                                      weights=start.weights, precision=start.precision) for _ in range(2))
        self.reference = SGD(setting.learning_rate, setting.decay, setting.momentum)
        self.setting, self.has_pre, self.has_post, self.submission = setting, has_pre, has_post, submission
        self.student = self._call("__init__", make_student)

    @property
    def reference_layers(self):
        return self.networks[0].trainable_layers

    @property
    def student_layers(self):
        return self.networks[1].trainable_layers

    def _call(self, name, function, *args):
        if self.submission is None:
            return function(*args)
        try:
            return function(*args)
        except BaseException as error:
            from .deadline import Deadline
            if isinstance(error, (KeyboardInterrupt, Deadline)):
                raise
            raise raised(error, self.submission, f"{self.setting.label}, {name}") from None

    def points(self, epochs):
        """Run ``epochs`` epochs, yielding a ``Point`` after each of the student's calls."""
        reference, student = self.reference, self.student
        with np.errstate(all="ignore"):
            for epoch in range(epochs):
                for network in self.networks:
                    network.forward(self.X, self.y)
                    network.backward(self.y)
                reference.pre_update_params()
                if self.has_pre:
                    self._call(PRE, student.pre_update_params)
                    yield Point(epoch, PRE)
                for index, (mine, theirs) in enumerate(zip(self.reference_layers, self.student_layers)):
                    reference.update_params(mine)
                    self._call(f"{UPDATE}(layer {index})", student.update_params, theirs)
                    yield Point(epoch, UPDATE, index)
                reference.post_update_params()
                if self.has_post:
                    self._call(POST, student.post_update_params)
                    yield Point(epoch, POST)

    def student_rate(self):
        """The student's ``current_learning_rate``, or None when the class has none."""
        return self._call(RATE, lambda: getattr(self.student, RATE, None))


def state(optimizer_rate, layers, copy=False) -> dict:
    """``{name: value}``: the rate (when there is one) and each layer's arrays it has, ``("weights", 0)`` …"""
    values = {}
    if optimizer_rate is not None:
        values[(RATE, None)] = optimizer_rate
    for index, layer in enumerate(layers):
        for name in LAYER_ARRAYS:
            if hasattr(layer, name):
                value = getattr(layer, name)
                values[(name, index)] = np.array(value, copy=True) if copy and isinstance(value, np.ndarray) else value
    return values
