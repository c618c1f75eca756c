"""A stack of dense layers with hidden activations and a softmax cross-entropy output."""

from __future__ import annotations

import numpy as np

from .layers import ACTIVATIONS, BookDense, Dense
from .losses import SoftmaxCrossEntropy, accuracy, softmax
from .precision import BOOK, FLOAT64

MAX_HIDDEN_LAYERS = 4
MAX_NEURONS = 256


class Network:
    """``Dense → activation`` for each hidden layer, then ``Dense → SoftmaxCrossEntropy``.

    ``weights`` (a list of arrays, one per dense layer) replaces the random initialisation;
    book mode passes the course's float32 draws that way, with ``precision=BOOK``.
    """

    def __init__(self, n_inputs, hidden, n_classes, activation="relu", rng=None, *,
                 weights=None, precision=FLOAT64):
        hidden = tuple(int(n) for n in hidden)
        if not 1 <= len(hidden) <= MAX_HIDDEN_LAYERS:
            raise ValueError(f"hidden: 1 to {MAX_HIDDEN_LAYERS} hidden layers, not {len(hidden)}")
        if any(not 1 <= n <= MAX_NEURONS for n in hidden):
            raise ValueError(f"hidden: 1 to {MAX_NEURONS} neurons per layer, not {hidden}")
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation: one of {', '.join(ACTIVATIONS)}, not {activation!r}")
        rng = np.random.default_rng() if rng is None else rng
        sizes = (n_inputs, *hidden, n_classes)
        self.activation_name = activation
        self.dense_layers = []
        self.layers = []
        # the course's float32 recipe widens each operand once a pass (same numbers, less work)
        dense_class = BookDense if precision is BOOK else Dense
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            dense = dense_class(n_in, n_out, rng, weights=None if weights is None else weights[i],
                                precision=precision)
            self.dense_layers.append(dense)
            self.layers.append(dense)
            if i < len(hidden):
                self.layers.append(ACTIVATIONS[activation]())
        self.loss_activation = SoftmaxCrossEntropy()

    @property
    def trainable_layers(self):
        """The layers an optimizer updates: every dense layer, input side first."""
        return self.dense_layers

    @property
    def sizes(self):
        """Neurons per layer, inputs and outputs included, e.g. ``(2, 64, 3)``."""
        first = self.dense_layers[0].weights.shape[0]
        return (first, *(d.weights.shape[1] for d in self.dense_layers))

    def forward(self, X, y):
        """Forward pass through every layer; returns the mean loss (probabilities in ``.output``)."""
        outputs = X
        for layer in self.layers:
            outputs = layer.forward(outputs)
        loss = self.loss_activation.forward(outputs, y)
        self.output = self.loss_activation.output
        return loss

    def backward(self, y):
        """Backward pass from the loss to the first layer's weights."""
        dvalues = self.loss_activation.backward(self.output, y)
        for layer in reversed(self.layers[1:]):
            dvalues = layer.backward(dvalues)
        self.layers[0].backward(dvalues, need_dinputs=False)

    def accuracy(self, y):
        """Accuracy of the last forward pass."""
        return accuracy(self.output, y)

    def parameters(self):
        """``[(weights, biases), …]`` of every dense layer (the live arrays, not copies)."""
        return [(d.weights, d.biases) for d in self.dense_layers]

    def __repr__(self):
        return "Network(" + " → ".join(map(repr, self.layers)) + f" → {self.loss_activation!r})"


def predict_proba(parameters, activation, X, dtype=np.float64):
    """Class probabilities of ``X`` through ``parameters`` — a pure function, safe on copied weights."""
    apply = ACTIVATIONS[activation].apply
    outputs = np.asarray(X, dtype=dtype)
    last = len(parameters) - 1
    for i, (weights, biases) in enumerate(parameters):
        outputs = outputs @ weights.astype(dtype, copy=False)
        outputs += biases.astype(dtype, copy=False)
        if i < last:
            outputs = apply(outputs)
    return softmax(outputs)
