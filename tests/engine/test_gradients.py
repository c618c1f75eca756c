"""Every backward pass against central finite differences, in float64."""

import numpy as np
import pytest

from nngui.engine import Dense, Network, ReLU, Sigmoid, SoftmaxCrossEntropy, Tanh, cross_entropy, softmax

EPS = 1e-6


def numeric_gradient(f, x):
    """Central differences of the scalar f() with respect to every entry of x (changed in place)."""
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + EPS
        plus = f()
        x[index] = saved - EPS
        minus = f()
        x[index] = saved
        grad[index] = (plus - minus) / (2 * EPS)
    return grad


def relative_error(a, b):
    return np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)))


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


def test_dense_gradients(rng):
    layer = Dense(4, 5, rng)
    layer.weights = rng.standard_normal((4, 5))
    layer.biases = rng.standard_normal((1, 5))
    x = rng.standard_normal((7, 4))
    upstream = rng.standard_normal((7, 5))

    def objective():  # a scalar whose gradient with respect to the output is ``upstream``
        return np.sum(layer.forward(x) * upstream)

    objective()
    layer.backward(upstream)
    assert relative_error(layer.dweights, numeric_gradient(objective, layer.weights)) < 1e-6
    assert relative_error(layer.dbiases, numeric_gradient(objective, layer.biases)) < 1e-6
    assert relative_error(layer.dinputs, numeric_gradient(objective, x)) < 1e-6


def test_dense_biases_gradient_is_column_sum(rng):
    layer = Dense(3, 4, rng)
    x, upstream = rng.standard_normal((6, 3)), rng.standard_normal((6, 4))
    layer.forward(x)
    layer.backward(upstream)
    np.testing.assert_allclose(layer.dbiases, upstream.sum(axis=0, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(layer.dweights, x.T @ upstream, rtol=1e-12)


@pytest.mark.parametrize("activation", [ReLU, Tanh, Sigmoid])
def test_activation_gradients(activation, rng):
    layer = activation()
    # keep ReLU's inputs away from its kink at 0, where no derivative exists
    x = rng.standard_normal((6, 5))
    x[np.abs(x) < 1e-3] = 0.5
    upstream = rng.standard_normal((6, 5))

    def objective():
        return np.sum(layer.forward(x) * upstream)

    objective()
    layer.backward(upstream)
    assert relative_error(layer.dinputs, numeric_gradient(objective, x)) < 1e-6


def test_relu_gradient_is_zero_where_input_is_not_positive():
    layer = ReLU()
    x = np.array([[-1.0, 0.0, 2.0]])
    layer.forward(x)
    layer.backward(np.array([[5.0, 6.0, 7.0]]))
    np.testing.assert_array_equal(layer.dinputs, [[0.0, 0.0, 7.0]])
    np.testing.assert_array_equal(layer.output, [[0.0, 0.0, 2.0]])


def test_sigmoid_and_tanh_values():
    x = np.array([[-2.0, 0.0, 3.0]])
    np.testing.assert_allclose(Sigmoid().forward(x), 1 / (1 + np.exp(-x)), rtol=1e-14)
    np.testing.assert_allclose(Tanh().forward(x), np.tanh(x))
    assert np.isfinite(Sigmoid().forward(np.array([[-1e4, 1e4]]))).all()


@pytest.mark.parametrize("one_hot", [False, True])
def test_softmax_cross_entropy_gradient(one_hot, rng):
    loss = SoftmaxCrossEntropy()
    logits = rng.standard_normal((8, 4))
    y = rng.integers(0, 4, 8)
    labels = np.eye(4)[y] if one_hot else y

    def objective():
        return loss.forward(logits, labels)

    objective()
    loss.backward(loss.output, labels)
    assert relative_error(loss.dinputs, numeric_gradient(objective, logits)) < 1e-6
    # the combined backward pass: (softmax - one_hot) / samples
    np.testing.assert_allclose(loss.dinputs, (softmax(logits) - np.eye(4)[y]) / 8, rtol=1e-12)


def test_loss_value_by_hand():
    probabilities = np.array([[0.7, 0.2, 0.1], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]])
    y = np.array([0, 1, 1])
    expected = -(np.log(0.7) + np.log(0.5) + np.log(0.9)) / 3
    assert cross_entropy(probabilities, y) == pytest.approx(expected, rel=1e-14)
    assert cross_entropy(probabilities, np.eye(3)[y]) == pytest.approx(expected, rel=1e-14)


def test_loss_is_clipped_so_it_stays_finite():
    probabilities = np.array([[1.0, 0.0], [0.0, 1.0]])
    # a confidence of 0 is read as 1e-7, one of 1 as 1 - 1e-7
    assert cross_entropy(probabilities, np.array([1, 1])) == pytest.approx((-np.log(1e-7) - np.log(1 - 1e-7)) / 2)


def test_softmax_rows_sum_to_one_even_for_huge_logits():
    p = softmax(np.array([[1000.0, 1000.0, -1000.0], [1.0, 2.0, 3.0]]))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[0], [0.5, 0.5, 0.0])
    assert p.flags.c_contiguous


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_whole_network_gradients(activation, rng):
    network = Network(2, (5, 4), 3, activation, rng)
    # weights of a moderate size: no probability reaches the clip at 1e-7, where the loss is flat
    for dense in network.dense_layers:
        dense.weights = 0.5 * rng.standard_normal(dense.weights.shape)
        dense.biases = 0.1 * rng.standard_normal(dense.biases.shape)
    X = rng.standard_normal((9, 2))
    y = rng.integers(0, 3, 9)

    def objective():
        return network.forward(X, y)

    objective()
    assert network.output.min() > 1e-4
    network.backward(y)
    for dense in network.trainable_layers:
        assert relative_error(dense.dweights, numeric_gradient(objective, dense.weights)) < 1e-6
        assert relative_error(dense.dbiases, numeric_gradient(objective, dense.biases)) < 1e-6


def test_loss_follows_labels_that_change_and_keeps_read_only_ones():
    loss = SoftmaxCrossEntropy()
    logits = np.log(np.array([[0.7, 0.2, 0.1], [0.1, 0.5, 0.4]]))
    y = np.array([0, 1])
    assert loss.forward(logits, y) == pytest.approx(-(np.log(0.7) + np.log(0.5)) / 2)
    y[1] = 2  # a writable label array may change between calls: nothing stale is used
    assert loss.forward(logits, y) == pytest.approx(-(np.log(0.7) + np.log(0.4)) / 2)
    loss.backward(loss.output, y)
    np.testing.assert_allclose(loss.dinputs, (softmax(logits) - np.eye(3)[[0, 2]]) / 2)
    frozen = np.array([2, 0])
    frozen.flags.writeable = False
    first = loss.forward(logits, frozen)
    assert loss.forward(logits, frozen) == first == pytest.approx(-(np.log(0.1) + np.log(0.1)) / 2)
    loss.backward(loss.output, frozen)
    np.testing.assert_allclose(loss.dinputs, (softmax(logits) - np.eye(3)[[2, 0]]) / 2)
