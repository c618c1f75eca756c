"""Layers of the lesson: a dense layer and the hidden activations.

Every layer keeps its forward and its backward side by side, with the
lesson's attribute names: ``forward`` sets ``.output``, ``backward`` sets
``.dinputs`` (and a dense layer ``.dweights`` and ``.dbiases``).

Where the weights start: the lesson's small random numbers, or He's or Glorot's scaled ones.

The lesson draws every weight as ``0.01 · N(0, 1)``. That works for one hidden layer, but
through several ReLU layers a signal shrinks by about ``0.01 · √n_inputs`` at each layer
and the gradient with it: with 4 hidden layers the output barely depends on the input, and
the loss sits at ``ln(classes)`` (a uniform guess) however long it trains. Scaling each
layer's draw by its number of inputs keeps the signal's size from layer to layer:

- ``he``     (He et al., 2015, for ReLU):          ``N(0, 1) · √(2 / n_inputs)``
- ``glorot`` (Glorot and Bengio, 2010, for tanh):   ``N(0, 1) · √(2 / (n_inputs + n_outputs))``

Each draws the same ``standard_normal`` numbers from the same generator; only the scale
differs, so the three starts of one seed are the same pattern at different sizes.
"""

from __future__ import annotations

import math

import numpy as np

from .precision import FLOAT64


def initial_weights(n_inputs, n_neurons, rng):
    """The lesson's starting weights, ``0.01 * randn(n_inputs, n_neurons)``."""
    return 0.01 * rng.standard_normal((n_inputs, n_neurons))


class Dense:
    """A fully connected layer: ``output = inputs · weights + biases``."""

    def __init__(self, n_inputs, n_neurons, rng=None, *, weights=None, precision=FLOAT64):
        if weights is None:
            weights = initial_weights(n_inputs, n_neurons, np.random.default_rng() if rng is None else rng)
        self.weights = np.array(weights, dtype=precision.dtype)
        self.biases = np.zeros((1, n_neurons), dtype=precision.dtype)
        # np.dot, or in book mode the course's float64 product cast back to float32
        self.dot = precision.dot
        self.column_sums = precision.column_sums

    def forward(self, inputs):
        """``output = inputs · weights + biases``, one row per sample."""
        self.inputs = inputs
        self.output = self.dot(inputs, self.weights)
        self.output += self.biases
        return self.output

    def backward(self, dvalues, need_dinputs=True):
        """Gradients of the loss with respect to weights, biases and (unless not needed) inputs."""
        self.dweights = self.dot(self.inputs.T, dvalues)
        self.dbiases = self.column_sums(dvalues)  # np.sum(dvalues, axis=0, keepdims=True)
        # the first layer's dinputs would be the gradient for the data itself: nobody uses it
        self.dinputs = self.dot(dvalues, self.weights.T) if need_dinputs else None
        return self.dinputs

    def __repr__(self):
        n_inputs, n_neurons = self.weights.shape
        return f"Dense({n_inputs}, {n_neurons})"


class BookDense(Dense):
    """``Dense`` in the course's float32 recipe: each product done in float64 and cast back to float32.

    The numbers are ``Dense``'s with ``precision=BOOK``; only the work is less: each operand is
    widened to float64 once a pass and used by every product that needs it (the weights and
    inputs of the forward pass again in the backward pass, which comes before any update),
    and the data, read-only, once for the whole run.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._data = self._wide_data = None  # the read-only data and its float64 copy

    def forward(self, inputs):
        self.inputs = inputs
        self.wide_inputs = self._widened(inputs)
        self.wide_weights = self.weights.astype(np.float64)
        self.output = np.dot(self.wide_inputs, self.wide_weights).astype(np.float32)
        self.output += self.biases
        return self.output

    def backward(self, dvalues, need_dinputs=True):
        wide_dvalues = dvalues.astype(np.float64)
        self.dweights = np.dot(self.wide_inputs.T, wide_dvalues).astype(np.float32)
        self.dbiases = self.column_sums(dvalues)
        self.dinputs = np.dot(wide_dvalues, self.wide_weights.T).astype(np.float32) if need_dinputs else None
        return self.dinputs

    def _widened(self, inputs):
        if inputs is self._data:
            return self._wide_data
        wide = inputs.astype(np.float64)
        if not inputs.flags.writeable:  # the data: the same numbers every epoch
            self._data, self._wide_data = inputs, wide
        return wide


class ReLU:
    """Rectified linear unit, the lesson's hidden activation: ``max(0, x)``."""

    name = "relu"

    def forward(self, inputs):
        self.inputs = inputs
        # (inputs, 0) rather than the lesson's (0, inputs): same values, numpy's faster loop
        self.output = np.maximum(inputs, 0)
        return self.output

    def backward(self, dvalues):
        # the lesson's copy-then-zero as one product: the gradient passes where inputs > 0, 0 elsewhere
        self.dinputs = dvalues * (self.inputs > 0)
        return self.dinputs

    @staticmethod
    def apply(x):
        """The activation as a pure function, for drawing without touching layer state."""
        return np.maximum(x, 0, out=x)

    def __repr__(self):
        return "ReLU()"


class Tanh:
    """Hyperbolic tangent: ``tanh(x)``, derivative ``1 - tanh(x)²``."""

    name = "tanh"

    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.tanh(inputs)
        return self.output

    def backward(self, dvalues):
        self.dinputs = dvalues * (1 - self.output * self.output)
        return self.dinputs

    @staticmethod
    def apply(x):
        return np.tanh(x, out=x)

    def __repr__(self):
        return "Tanh()"


class Sigmoid:
    """Logistic sigmoid: ``1 / (1 + e^-x)``, derivative ``σ(x)(1 - σ(x))``."""

    name = "sigmoid"

    def forward(self, inputs):
        self.inputs = inputs
        self.output = _sigmoid(inputs)
        return self.output

    def backward(self, dvalues):
        self.dinputs = dvalues * (1 - self.output) * self.output
        return self.dinputs

    @staticmethod
    def apply(x):
        return _sigmoid(x)

    def __repr__(self):
        return "Sigmoid()"


def _sigmoid(x):
    # tanh form: never overflows in exp, for any x
    return 0.5 * (1 + np.tanh(0.5 * x))


ACTIVATIONS = {cls.name: cls for cls in (ReLU, Tanh, Sigmoid)}


#: The initialisations an experiment can name; the lesson's is the default.
INITS = ("lesson", "he", "glorot")
DEFAULT_INIT = "lesson"


def init_scale(init: str, n_inputs: int, n_neurons: int) -> float:
    """The factor each ``N(0, 1)`` draw of a layer is multiplied by."""
    if init == "lesson":
        return 0.01
    if init == "he":
        return math.sqrt(2.0 / n_inputs)
    if init == "glorot":
        return math.sqrt(2.0 / (n_inputs + n_neurons))
    raise ValueError(f"init: one of {', '.join(INITS)}, not {init!r}")


def draw_weights(init: str, n_inputs: int, n_neurons: int, rng):
    """One dense layer's starting weights, shape ``(n_inputs, n_neurons)``."""
    if init == "lesson":
        # exactly the lesson's expression, so every existing start stays bit for bit the same
        return initial_weights(n_inputs, n_neurons, rng)
    return init_scale(init, n_inputs, n_neurons) * rng.standard_normal((n_inputs, n_neurons))
