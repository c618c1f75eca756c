"""The chapter's code as a student writes it, numpy alone: the yardstick the engine is timed against.

Run as a script it is a whole process, as ``nngui train`` is: the course's spiral (100 points
of 3 classes), 64 ReLU neurons, SGD with learning rate 1.0, decay 1e-3 and momentum 0.9,
10,001 epochs (``--epochs``), float64, and one line for the last epoch. ``bench_engine.py``
times it against ``nngui train --book`` as whole processes, and ``plain_loop`` against the
trainer in one process. It imports nothing of nngui, so its start-up is numpy's alone.
"""

from __future__ import annotations

import sys

import numpy as np

EPOCHS = 10001


def spiral_data(samples, classes, rng):
    """The course's spiral: ``samples`` points of each of ``classes`` arms."""
    X = np.zeros((samples * classes, 2))
    y = np.zeros(samples * classes, dtype="uint8")
    for class_number in range(classes):
        ix = range(samples * class_number, samples * (class_number + 1))
        r = np.linspace(0.0, 1, samples)
        t = np.linspace(class_number * 4, (class_number + 1) * 4, samples) + rng.standard_normal(samples) * 0.2
        X[ix] = np.c_[r * np.sin(t * 2.5), r * np.cos(t * 2.5)]
        y[ix] = class_number
    return X, y


def plain_loop(X, y, epochs, seed=0):
    """The lesson's code as a student writes it: classes, copies and all, float64."""
    rng = np.random.default_rng(seed)

    class Layer_Dense:
        def __init__(self, n_inputs, n_neurons):
            self.weights = 0.01 * rng.standard_normal((n_inputs, n_neurons))
            self.biases = np.zeros((1, n_neurons))

        def forward(self, inputs):
            self.inputs = inputs
            self.output = np.dot(inputs, self.weights) + self.biases

        def backward(self, dvalues):
            self.dweights = np.dot(self.inputs.T, dvalues)
            self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
            self.dinputs = np.dot(dvalues, self.weights.T)

    class Activation_ReLU:
        def forward(self, inputs):
            self.inputs = inputs
            self.output = np.maximum(0, inputs)

        def backward(self, dvalues):
            self.dinputs = dvalues.copy()
            self.dinputs[self.inputs <= 0] = 0

    class Activation_Softmax_Loss_CategoricalCrossentropy:
        def forward(self, inputs, y_true):
            exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
            self.output = exp_values / np.sum(exp_values, axis=1, keepdims=True)
            samples = len(self.output)
            y_pred_clipped = np.clip(self.output, 1e-7, 1 - 1e-7)
            correct_confidences = y_pred_clipped[range(samples), y_true]
            return np.mean(-np.log(correct_confidences))

        def backward(self, dvalues, y_true):
            samples = len(dvalues)
            self.dinputs = dvalues.copy()
            self.dinputs[range(samples), y_true] -= 1
            self.dinputs = self.dinputs / samples

    class Optimizer_SGD:
        def __init__(self, learning_rate=1.0, decay=0.0, momentum=0.0):
            self.learning_rate = learning_rate
            self.current_learning_rate = learning_rate
            self.decay = decay
            self.step = 0
            self.momentum = momentum

        def pre_update_params(self):
            if self.decay:
                self.current_learning_rate = self.learning_rate * (1.0 / (1.0 + self.decay * self.step))

        def update_params(self, layer):
            if self.momentum:
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
            self.step += 1

    dense1 = Layer_Dense(2, 64)
    activation1 = Activation_ReLU()
    dense2 = Layer_Dense(64, 3)
    loss_activation = Activation_Softmax_Loss_CategoricalCrossentropy()
    optimizer = Optimizer_SGD(decay=1e-3, momentum=0.9)
    history = []
    for epoch in range(epochs):
        dense1.forward(X)
        activation1.forward(dense1.output)
        dense2.forward(activation1.output)
        loss = loss_activation.forward(dense2.output, y)
        predictions = np.argmax(loss_activation.output, axis=1)
        accuracy = np.mean(predictions == y)
        history.append((epoch, loss, accuracy, optimizer.current_learning_rate))
        loss_activation.backward(loss_activation.output, y)
        dense2.backward(loss_activation.dinputs)
        activation1.backward(dense2.dinputs)
        dense1.backward(activation1.dinputs)
        optimizer.pre_update_params()
        optimizer.update_params(dense1)
        optimizer.update_params(dense2)
        optimizer.post_update_params()
    return history


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    epochs = int(argv[argv.index("--epochs") + 1]) if "--epochs" in argv else EPOCHS
    X, y = spiral_data(100, 3, np.random.default_rng(0))
    epoch, loss, accuracy, learning_rate = plain_loop(X, y, epochs)[-1]
    print(f"epoch: {epoch}, acc: {accuracy:.3f}, loss: {loss:.3f}, lr: {learning_rate}")


if __name__ == "__main__":
    main()
