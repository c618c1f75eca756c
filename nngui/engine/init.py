"""Where the weights start: the lesson's small random numbers, or He's or Glorot's scaled ones.

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

from .layers import initial_weights

#: The initialisations an experiment can name; the lesson's is the default.
INITS = ("lesson", "he", "glorot")
INIT_LABELS = {"lesson": "Lesson 0.01·N(0,1)", "he": "He √(2/n_in)", "glorot": "Glorot √(2/(n_in+n_out))"}
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
