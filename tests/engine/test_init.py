"""Weight initialisation: the lesson's stays the default, He and Glorot are scaled draws of the same numbers."""

import contextlib
import io
import json
import math

import numpy as np
import pytest

from nngui.cli import train as cli
from nngui.engine import (DatasetConfig, Experiment, ExperimentError, NetworkConfig, OptimizerConfig, Trainer,
                          make_start)
from nngui.engine.layers import draw_weights, init_scale


def deep(init, hidden=(16, 16, 16, 16)):
    """4 hidden ReLU layers on a small spiral, SGD with momentum: a second of training."""
    return Experiment(DatasetConfig("spiral", 30, 3, 0.2), NetworkConfig(hidden, "relu", init),
                      (OptimizerConfig("momentum", 0.1, 0.0, 0.9),), seed=0)


def test_the_lessons_init_is_the_default_and_draws_as_before():
    assert NetworkConfig().init == "lesson"
    start = make_start(Experiment())
    rng = np.random.default_rng(np.random.SeedSequence(0).spawn(3)[2])
    assert np.array_equal(start.weights[0], 0.01 * rng.standard_normal((2, 64)))
    assert np.array_equal(start.weights[1], 0.01 * rng.standard_normal((64, 3)))


@pytest.mark.parametrize("init, scales", [("he", (math.sqrt(2 / 2), math.sqrt(2 / 16), math.sqrt(2 / 16))),
                                          ("glorot", (math.sqrt(2 / 18), math.sqrt(2 / 32), math.sqrt(2 / 19)))])
def test_he_and_glorot_scale_the_same_draws_by_the_layers_size(init, scales):
    lesson = make_start(deep("lesson", (16, 16)))
    scaled = make_start(deep(init, (16, 16)))
    for small, big, scale in zip(lesson.weights, scaled.weights, scales):
        # the same standard normal numbers: lesson = 0.01 · z, scaled = scale · z
        np.testing.assert_allclose(big, small / 0.01 * scale, rtol=1e-13)
    assert init_scale(init, 16, 3) == scales[2]


def test_draw_weights_refuses_an_unknown_init():
    with pytest.raises(ValueError, match="init: one of lesson, he, glorot"):
        draw_weights("xavier", 2, 3, np.random.default_rng(0))


def test_with_the_lessons_init_4_hidden_layers_never_learn_with_he_they_do():
    classes = 3
    lesson, he = Trainer(deep("lesson")), Trainer(deep("he"))
    lesson.run(200)
    he.run(200)
    # the lesson's start: every signal dies away through the 4 layers; the loss is a uniform guess
    np.testing.assert_allclose(lesson.history.view().loss, math.log(classes), atol=1e-8)
    # He's start keeps the signal's size: the network learns past ln(3)
    assert he.history.view().loss[-1] < 0.6 * math.log(classes)


def test_book_mode_needs_the_lessons_init():
    with pytest.raises(ExperimentError) as error:
        Experiment(network=NetworkConfig(init="he"), book=True)
    assert str(error.value).startswith("network.init: book mode starts from the course's weights")


def test_an_unknown_init_is_refused_naming_the_field():
    with pytest.raises(ExperimentError) as error:
        NetworkConfig(init="xavier")
    assert str(error.value) == 'network.init: must be one of lesson, he, glorot; got "xavier"'


def test_cli_init_flag_sets_the_start():
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["--init", "he", "--hidden", "16,16,16,16", "--samples", "30", "--optimizer", "momentum",
                         "--learning-rate", "0.1", "--decay", "0", "--epochs", "200", "--json"])
    assert (code, err.getvalue()) == (0, "")
    summary = json.loads(out.getvalue())
    assert summary["config"]["network"]["init"] == "he"
    trainer = Trainer(deep("he"))
    trainer.run(200)
    assert summary["loss"] == trainer.last_record.loss


def test_the_four_layer_preset_learns_with_he_and_not_with_the_lessons_init():
    import dataclasses

    from nngui.files.experiment_io import load_presets
    preset = load_presets()["four-layers-he"]
    experiment = preset.experiment
    assert experiment.network.init == "he" and len(experiment.network.hidden) == 4
    he = Trainer(experiment)
    he.run(experiment.epochs)
    assert he.history.view().loss[0] > 1.0 and he.last_record.loss < 0.2
    lesson = Trainer(dataclasses.replace(experiment, network=dataclasses.replace(experiment.network, init="lesson")))
    lesson.run(experiment.epochs)
    np.testing.assert_allclose(lesson.history.view().loss, math.log(3), atol=1e-8)
    assert "below 0.2 in 1,000 epochs" in preset.description and "1.099" in preset.description
