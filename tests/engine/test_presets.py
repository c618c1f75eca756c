"""The lesson presets in resources/presets: valid experiment files that say what the lesson says."""

from pathlib import Path

import pytest

from nngui.engine import DATASETS, DatasetConfig, Experiment, NetworkConfig, OptimizerConfig, Trainer
from nngui.files.experiment_io import dumps, load_presets, read

PRESETS_DIR = Path(__file__).resolve().parents[2] / "resources" / "presets"
PRESETS = load_presets(PRESETS_DIR)
CHAPTER_SPIRAL = (DatasetConfig("spiral", 100, 3, 0.2, 0.0), NetworkConfig((64,), "relu"))


def test_the_lesson_presets_are_there():
    assert {"chapter-sgd", "chapter-decay", "chapter-momentum", "too-high-learning-rate"} <= set(PRESETS)
    assert len({preset.experiment.dataset.name for preset in PRESETS.values()}) >= 3


def test_the_default_folder_is_the_apps_presets_resource():
    assert load_presets() == PRESETS


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_each_preset_is_a_saved_experiment_with_a_title_and_description(name):
    preset = PRESETS[name]
    assert preset.title and len(preset.title) <= 60
    assert preset.description.endswith(".")
    path = PRESETS_DIR / f"{name}.json"
    # byte for byte what the app writes when it saves the same experiment
    assert path.read_text(encoding="utf-8") == dumps(preset.experiment, preset.title, preset.description)
    assert read(path) == preset


def test_chapter_sgd_is_plain_sgd_at_learning_rate_one():
    experiment = PRESETS["chapter-sgd"].experiment
    assert (experiment.dataset, experiment.network) == CHAPTER_SPIRAL
    optimizer = experiment.optimizer
    assert (optimizer.kind, optimizer.learning_rate, optimizer.effective_decay, optimizer.effective_momentum) == \
        ("sgd", 1.0, 0.0, 0.0)
    assert experiment.book and experiment.epochs == 10001 and experiment.seed == 0


def test_chapter_decay_adds_decay_without_momentum():
    experiment = PRESETS["chapter-decay"].experiment
    assert (experiment.dataset, experiment.network) == CHAPTER_SPIRAL
    optimizer = experiment.optimizer
    assert (optimizer.kind, optimizer.learning_rate, optimizer.effective_decay, optimizer.effective_momentum) == \
        ("decay", 1.0, 1e-3, 0.0)
    assert experiment.book and experiment.epochs == 10001


def test_chapter_momentum_is_the_chapters_final_run_and_starts_as_the_course_does():
    experiment = PRESETS["chapter-momentum"].experiment
    assert experiment == Experiment(*CHAPTER_SPIRAL, (OptimizerConfig("momentum", 1.0, 1e-3, 0.9),), 0, 10001, True)
    assert Trainer(experiment).train_epoch().course_line() == "epoch: 0, acc: 0.360, loss: 1.099, lr: 1.0"


def test_too_high_learning_rate_diverges_where_its_description_says():
    preset = PRESETS["too-high-learning-rate"]
    experiment = preset.experiment
    assert (experiment.optimizer.kind, experiment.optimizer.learning_rate) == ("sgd", 20.0)
    trainer = Trainer(experiment)
    trainer.run(experiment.epochs)
    assert trainer.divergence.startswith("Training diverged at epoch 55:")
    assert "at epoch 55" in preset.description


@pytest.mark.parametrize("name", sorted(n for n in PRESETS if n != "too-high-learning-rate"))
def test_the_other_presets_learn_in_their_first_hundred_epochs(name):
    experiment = PRESETS[name].experiment
    info = DATASETS[experiment.dataset.name]
    assert info.min_classes <= experiment.dataset.classes <= info.max_classes
    trainer = Trainer(experiment)
    first = trainer.train_epoch()
    last = trainer.run(99)
    assert trainer.divergence is None
    assert last.loss < first.loss
