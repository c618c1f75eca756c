"""Engine speed: the trainer against a plain numpy loop of the lesson, in the same run.

Prints ``name: value`` lines:
  engine_epochs_per_s, plain_loop_epochs_per_s, engine_vs_plain_ratio, decision_grid_200_ms,
  race_headless_epochs_per_s, race_headless_book_epochs_per_s (the chapter's three runs raced,
  float64 as the window starts without book mode, and in book mode; one race epoch is an epoch
  of every run)

``race_headless_rate(experiment, seconds)`` is what ``bench_gui.py`` may import to time the
same headless race.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from nngui.engine import CHAPTER_RUNS, Experiment, Race, Trainer, make_dataset, probability_grid

EPOCHS = 10001


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


def time_engine(epochs):
    trainer = Trainer(Experiment())
    start = time.perf_counter()
    trainer.run(epochs)
    return epochs / (time.perf_counter() - start)


def time_plain(epochs):
    X, y = make_dataset("spiral", 100, 3, 0.2, np.random.default_rng(0))
    start = time.perf_counter()
    plain_loop(X, y, epochs)
    return epochs / (time.perf_counter() - start)


def time_grid(repeats=30):
    trainer = Trainer(Experiment())
    trainer.run(100)
    parameters, bounds = trainer.network.parameters(), trainer.data_bounds()
    probability_grid(parameters, "relu", bounds, 200)  # warm the grid cache
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        probability_grid(parameters, "relu", bounds, 200)
        times.append(time.perf_counter() - start)
    return 1000 * float(np.median(times))


def race_headless_rate(experiment: Experiment, seconds: float) -> float:
    """Race epochs per second (every run's epoch) of the engine alone racing ``experiment``'s runs."""
    race = Race(experiment)
    race.run(20)
    start, first = time.perf_counter(), race.epoch
    while time.perf_counter() - start < seconds and not race.finished:
        race.run(50)
    return (race.epoch - first) / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; the best of each is kept")
    parser.add_argument("--race-seconds", type=float, default=3.0, help="time each race this long, per round")
    args = parser.parse_args()
    engine, plain = [], []
    # alternate the two so that a noisy neighbour slows both alike
    for _ in range(args.rounds):
        engine.append(time_engine(args.epochs))
        plain.append(time_plain(args.epochs))
    best_engine, best_plain = max(engine), max(plain)
    print(f"engine_epochs_per_s: {best_engine:.0f}")
    print(f"plain_loop_epochs_per_s: {best_plain:.0f}")
    print(f"engine_vs_plain_ratio: {best_engine / best_plain:.2f}")
    print(f"decision_grid_200_ms: {time_grid():.2f}")
    for name, book in (("race_headless_epochs_per_s", False), ("race_headless_book_epochs_per_s", True)):
        experiment = Experiment(runs=CHAPTER_RUNS, book=book)
        rate = max(race_headless_rate(experiment, args.race_seconds) for _ in range(args.rounds))
        print(f"{name}: {rate:.0f}")


if __name__ == "__main__":
    main()
