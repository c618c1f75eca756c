"""Stochastic gradient descent with learning-rate decay and momentum, as the lesson writes it.

The calling protocol, once per epoch::

    optimizer.pre_update_params()
    for layer in trainable_layers:
        optimizer.update_params(layer)
    optimizer.post_update_params()
"""

from __future__ import annotations

import numpy as np


class SGD:
    """SGD; ``decay`` shrinks the rate each step, ``momentum`` carries part of the previous update."""

    def __init__(self, learning_rate=1.0, decay=0.0, momentum=0.0):
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.step = 0
        self.momentum = momentum

    def pre_update_params(self):
        """Before any update: the decayed rate ``learning_rate / (1 + decay * step)``."""
        if self.decay:
            self.current_learning_rate = self.learning_rate * (1 / (1 + self.decay * self.step))

    def update_params(self, layer):
        """Move one layer's weights and biases against their gradients."""
        if self.momentum:
            # the first time: no previous update, so the momentum buffers start at zero
            if not hasattr(layer, "weights_momentums"):
                layer.weights_momentums = np.zeros_like(layer.weights)
                layer.biases_momentums = np.zeros_like(layer.biases)
            weights_updates = self.momentum * layer.weights_momentums - self.current_learning_rate * layer.dweights
            layer.weights_momentums = weights_updates
            biases_updates = self.momentum * layer.biases_momentums - self.current_learning_rate * layer.dbiases
            layer.biases_momentums = biases_updates
        else:
            weights_updates = -self.current_learning_rate * layer.dweights
            biases_updates = -self.current_learning_rate * layer.dbiases
        layer.weights += weights_updates
        layer.biases += biases_updates

    def post_update_params(self):
        """After all updates: one more step."""
        self.step += 1

    def __repr__(self):
        return f"SGD(learning_rate={self.learning_rate}, decay={self.decay}, momentum={self.momentum})"


def learning_rate_schedule(learning_rate, decay, steps):
    """The rate each step's update uses, ``learning_rate / (1 + decay * step)``, for steps 0 … steps-1."""
    step = np.arange(steps, dtype=np.float64)
    return learning_rate * (1 / (1 + decay * step))
