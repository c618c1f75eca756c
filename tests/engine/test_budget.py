"""The memory budget: a setting's peak estimated before it starts, refused or flagged past the limit (issue 18)."""

from __future__ import annotations

import pytest

from nngui.engine import DatasetConfig, Experiment, NetworkConfig, OptimizerConfig
from nngui.surfaces import budget
from nngui.model import AppModel

LARGEST = Experiment(dataset=DatasetConfig(samples=2000, classes=6), network=NetworkConfig(hidden=(256,) * 4),
                     runs=(OptimizerConfig(),) * 4)


def test_the_training_part_is_runs_times_neurons_times_points():
    needed = budget.estimate(LARGEST)
    assert needed.training == round(4 * 1024 * 12_000 * 8 * budget.ARRAYS_PER_LAYER)
    assert needed.grids == needed.landscape == 0
    assert needed.why() == "4 runs × 4 hidden layers of 256 neurons × 12,000 points"
    # measured for this setting (nngui race, one epoch): a peak of 1.64 GB
    assert 1.6e9 < needed.total < 1.8e9


def test_the_window_adds_the_decision_grids_and_the_landscape():
    alone, window = budget.estimate(LARGEST), budget.estimate(LARGEST, window=True)
    assert window.grids == 200 ** 2 * 256 * 4 * 2
    assert window.landscape == 1024 * 12_000 * 8 * 2
    assert window.total == alone.total + window.grids + window.landscape


def test_the_chapter_fits_and_the_largest_setting_does_not():
    assert budget.estimate(Experiment()).total < 100e6
    assert budget.over_limit(Experiment(book=True), window=True) is None
    assert budget.over_limit(LARGEST) == (
        "this setting needs about 1.7 GB of memory at its peak (4 runs × 4 hidden layers of 256 neurons × "
        "12,000 points), more than the 1 GB limit")
    assert budget.over_limit(LARGEST, limit=0) is None           # no limit
    assert budget.over_limit(LARGEST, limit=2 * 10 ** 9) is None


def test_custom_points_count_as_they_are():
    points = tuple((float(i), float(-i), i % 2) for i in range(10))
    experiment = Experiment(dataset=DatasetConfig(name="custom", classes=2, points=points))
    assert budget.estimate(experiment).points == 10


@pytest.mark.parametrize("text, size", [("2GB", 2 * 10 ** 9), ("1.5 GB", 15 * 10 ** 8), ("800MB", 8 * 10 ** 8),
                                        ("3g", 3 * 10 ** 9), ("none", 0), ("0", 0)])
def test_sizes_are_read(text, size):
    assert budget.parse_size(text) == size


@pytest.mark.parametrize("text", ["", "2", "GB", "2TB", "-1GB", "1e3MB", "\u00b2GB", "0.1MB", "9" * 5000 + "GB"])
def test_other_sizes_are_refused(text):
    with pytest.raises(ValueError):
        budget.parse_size(text)


def test_the_window_model_says_so_when_such_a_setting_is_made():
    model = AppModel()
    notices = []
    model.notice.connect(notices.append)
    model.experiment.load(LARGEST, "Loaded")
    assert len(notices) == 1 and notices[0].startswith("Memory: this setting needs about 2 GB")
    model.experiment.load(Experiment(), "Loaded")
    assert len(notices) == 1  # a setting that fits says nothing

