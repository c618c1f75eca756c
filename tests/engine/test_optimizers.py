"""SGD, SGD + decay and SGD + momentum, step by step against hand-computed numbers."""

import numpy as np
import pytest

from nngui.engine import SGD, Dense, learning_rate_schedule


def layer_with(weights, biases, dweights, dbiases):
    layer = Dense(1, len(weights[0]), weights=np.array(weights, dtype=float))
    layer.biases = np.array(biases, dtype=float)
    layer.dweights = np.array(dweights, dtype=float)
    layer.dbiases = np.array(dbiases, dtype=float)
    return layer


def one_step(optimizer, *layers):
    optimizer.pre_update_params()
    for layer in layers:
        optimizer.update_params(layer)
    optimizer.post_update_params()


def test_plain_sgd_step():
    layer = layer_with([[1.0, -2.0]], [[0.5, 0.0]], [[0.2, -0.4]], [[1.0, 2.0]])
    optimizer = SGD(learning_rate=0.5)
    one_step(optimizer, layer)
    # w - 0.5·g: 1 - 0.1, -2 + 0.2; b: 0.5 - 0.5, 0 - 1
    np.testing.assert_allclose(layer.weights, [[0.9, -1.8]])
    np.testing.assert_allclose(layer.biases, [[0.0, -1.0]])
    assert optimizer.step == 1
    assert optimizer.current_learning_rate == 0.5
    assert not hasattr(layer, "weights_momentums")


def test_default_learning_rate_is_the_lessons():
    optimizer = SGD()
    assert (optimizer.learning_rate, optimizer.current_learning_rate, optimizer.decay, optimizer.momentum,
            optimizer.step) == (1.0, 1.0, 0.0, 0.0, 0)


def test_decay_over_several_steps():
    layer = layer_with([[0.0]], [[0.0]], [[1.0]], [[1.0]])
    optimizer = SGD(learning_rate=1.0, decay=0.5)
    rates = []
    for _ in range(4):
        optimizer.pre_update_params()
        rates.append(optimizer.current_learning_rate)
        optimizer.update_params(layer)
        optimizer.post_update_params()
    # 1 / (1 + 0.5·step) for steps 0, 1, 2, 3
    assert rates == [1.0, pytest.approx(1 / 1.5), 0.5, pytest.approx(0.4)]
    # with a gradient of 1 each step the weight went down by the sum of the rates
    assert layer.weights[0, 0] == pytest.approx(-(1 + 1 / 1.5 + 0.5 + 0.4))
    assert optimizer.step == 4


def test_decay_formula_is_the_lessons_exactly():
    optimizer = SGD(learning_rate=1.0, decay=1e-3)
    optimizer.step = 9999
    optimizer.pre_update_params()
    assert optimizer.current_learning_rate == 1.0 * (1 / (1 + 1e-3 * 9999)) == 0.09091735612328393


def test_momentum_first_and_second_steps():
    layer = layer_with([[1.0]], [[0.0]], [[2.0]], [[-1.0]])
    optimizer = SGD(learning_rate=0.1, momentum=0.9)
    one_step(optimizer, layer)
    # first use: buffers start at zero, so the update is -lr·g = -0.2 (bias +0.1)
    np.testing.assert_allclose(layer.weights_momentums, [[-0.2]])
    np.testing.assert_allclose(layer.biases_momentums, [[0.1]])
    np.testing.assert_allclose(layer.weights, [[0.8]])
    np.testing.assert_allclose(layer.biases, [[0.1]])
    layer.dweights = np.array([[1.0]])
    layer.dbiases = np.array([[0.0]])
    one_step(optimizer, layer)
    # 0.9·(-0.2) - 0.1·1 = -0.28; bias 0.9·0.1 - 0 = 0.09
    np.testing.assert_allclose(layer.weights_momentums, [[-0.28]])
    np.testing.assert_allclose(layer.weights, [[0.52]])
    np.testing.assert_allclose(layer.biases, [[0.19]])


def test_momentum_with_decay_uses_the_decayed_rate():
    layer = layer_with([[0.0]], [[0.0]], [[1.0]], [[0.0]])
    optimizer = SGD(learning_rate=1.0, decay=1.0, momentum=0.5)
    one_step(optimizer, layer)  # rate 1: update -1
    one_step(optimizer, layer)  # rate 1/2: update 0.5·(-1) - 0.5 = -1
    one_step(optimizer, layer)  # rate 1/3: update 0.5·(-1) - 1/3
    assert layer.weights[0, 0] == pytest.approx(-1 - 1 - (0.5 + 1 / 3))


def test_momentum_buffers_belong_to_their_layer():
    a = layer_with([[0.0]], [[0.0]], [[1.0]], [[0.0]])
    b = layer_with([[0.0]], [[0.0]], [[-1.0]], [[0.0]])
    optimizer = SGD(learning_rate=1.0, momentum=0.9)
    one_step(optimizer, a, b)
    assert a.weights_momentums[0, 0] == -1.0 and b.weights_momentums[0, 0] == 1.0


def test_schedule_is_the_rate_each_update_uses():
    schedule = learning_rate_schedule(2.0, 0.1, 5)
    optimizer = SGD(learning_rate=2.0, decay=0.1)
    used = []
    layer = layer_with([[0.0]], [[0.0]], [[0.0]], [[0.0]])
    for _ in range(5):
        optimizer.pre_update_params()
        used.append(optimizer.current_learning_rate)
        optimizer.update_params(layer)
        optimizer.post_update_params()
    np.testing.assert_array_equal(schedule, used)
    np.testing.assert_array_equal(learning_rate_schedule(0.5, 0.0, 3), [0.5, 0.5, 0.5])
