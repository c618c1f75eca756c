"""Book mode prints the course's own lines, digit for digit."""

import numpy as np
import pytest

from nngui.engine import Experiment, Trainer
from nngui.engine.start import book_spiral, book_weights

COURSE_LINES = {
    0: "epoch: 0, acc: 0.360, loss: 1.099, lr: 1.0",
    1000: "epoch: 1000, acc: 0.837, loss: 0.447, lr: 0.5002501250625312",
    2000: "epoch: 2000, acc: 0.897, loss: 0.282, lr: 0.33344448149383127",
    3000: "epoch: 3000, acc: 0.923, loss: 0.192, lr: 0.25006251562890724",
    4000: "epoch: 4000, acc: 0.940, loss: 0.158, lr: 0.2000400080016003",
    5000: "epoch: 5000, acc: 0.947, loss: 0.145, lr: 0.16669444907484582",
    6000: "epoch: 6000, acc: 0.943, loss: 0.138, lr: 0.1428775539362766",
    7000: "epoch: 7000, acc: 0.947, loss: 0.132, lr: 0.12501562695336915",
    8000: "epoch: 8000, acc: 0.950, loss: 0.128, lr: 0.11112345816201799",
    9000: "epoch: 9000, acc: 0.957, loss: 0.124, lr: 0.1000100010001",
    10000: "epoch: 10000, acc: 0.957, loss: 0.121, lr: 0.09091735612328393",
}


@pytest.fixture(scope="module")
def book_lines():
    trainer = Trainer(Experiment(book=True))
    lines = {}
    trainer.run(10001, every=lambda r: lines.__setitem__(r.epoch, r.course_line()) if r.epoch % 1000 == 0 else None)
    return lines


def test_book_mode_prints_the_course_lines(book_lines):
    assert book_lines == COURSE_LINES


def test_book_setup_is_the_course_helpers():
    stream = np.random.RandomState(0)
    X, y = book_spiral(100, 3, 0.2, stream)
    assert X.dtype == np.float32 and X.shape == (300, 2)
    np.testing.assert_array_equal(np.bincount(y), [100, 100, 100])
    # the legacy stream: 3·100 angle jitters first, then layer 1's 2×64 weights
    reference = np.random.RandomState(0)
    jitter = reference.randn(100).astype(np.float32) * np.float32(0.2)
    t = np.linspace(0, 4, 100) + jitter
    r = np.linspace(0.0, 1, 100)
    np.testing.assert_array_equal(X[:100], np.c_[r * np.sin(t * 2.5), r * np.cos(t * 2.5)].astype(np.float32))
    reference.randn(200)
    weights = book_weights((2, 64, 3), stream)
    assert [w.dtype for w in weights] == [np.float32, np.float32]
    np.testing.assert_array_equal(weights[0], np.float32(0.01) * reference.randn(2, 64).astype(np.float32))


def test_book_mode_leaves_numpys_global_state_alone():
    before = np.random.get_state()[1].copy()
    dot = np.dot
    Trainer(Experiment(book=True)).run(3)
    assert np.dot is dot
    np.testing.assert_array_equal(np.random.get_state()[1], before)
    assert np.zeros(1).dtype == np.float64


def test_the_book_layer_widens_once_and_computes_the_same_bits_as_the_recipe():
    """BookDense reuses each float64 copy within a pass; Dense with BOOK widens at every product."""
    from nngui.engine.layers import BookDense, Dense
    from nngui.engine.precision import BOOK
    rng = np.random.default_rng(3)
    weights = rng.standard_normal((5, 4)).astype(np.float32)
    data = rng.standard_normal((7, 5)).astype(np.float32)
    data.flags.writeable = False  # the data: widened once for the whole run
    book, recipe = BookDense(5, 4, weights=weights, precision=BOOK), Dense(5, 4, weights=weights, precision=BOOK)
    for step in range(3):
        inputs = data if step < 2 else rng.standard_normal((7, 5)).astype(np.float32)
        dvalues = rng.standard_normal((7, 4)).astype(np.float32)
        for layer in (book, recipe):
            layer.forward(inputs)
            layer.backward(dvalues)
        for name in ("output", "dweights", "dbiases", "dinputs"):
            a, b = getattr(book, name), getattr(recipe, name)
            assert a.dtype == b.dtype == np.float32 and a.tobytes() == b.tobytes(), (step, name)
        for layer in (book, recipe):
            layer.weights -= 0.1 * layer.dweights  # an update between passes: widened afresh


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_mean_loss_is_numpys_mean_to_the_bit(dtype):
    from nngui.engine.losses import _mean
    rng = np.random.default_rng(0)
    for n in (1, 2, 3, 7, 300, 1001, 4097):
        for scale in (1e-3, 1.0, 30.0):
            values = (scale * rng.random(n)).astype(dtype)
            expected = np.mean(values)
            assert _mean(values).dtype == expected.dtype and _mean(values).tobytes() == expected.tobytes()
