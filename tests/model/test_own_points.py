"""Painting and importing through the model: the points become the data set, one undo step per edit."""

import pytest

from nngui.engine import DatasetConfig, Experiment, ExperimentError, make_start
from nngui.engine.start import dataset_points
from nngui.model import REBUILD, ExperimentModel


def test_painting_on_a_drawn_set_makes_its_points_yours_plus_the_new_ones():
    model = ExperimentModel(Experiment(book=True))
    shown = make_start(model.experiment)
    changes = []
    model.changed.connect(changes.append)
    change = model.add_points([(0.25, -0.5), (0.3, -0.5)], 2)
    data = model.experiment.dataset
    assert data.name == "custom" and data.classes == 3 and not model.experiment.book
    assert len(data.points) == len(shown.X) + 2
    assert data.points[-2:] == ((0.25, -0.5, 2), (0.3, -0.5, 2))
    assert [(x, y) for x, y, _ in data.points[:-2]] == [tuple(p) for p in shown.X.tolist()]
    assert changes == [change] and change.effect == REBUILD and not change.comparable
    assert change.note == "Painted 2 points of class 3"


def test_undo_takes_back_one_stroke_and_then_the_drawn_set():
    model = ExperimentModel()
    original = model.experiment
    model.add_points([(0.0, 0.0)], 0)
    one = model.experiment
    model.add_points([(0.1, 0.1), (0.2, 0.2), (0.3, 0.3)], 1)
    assert len(model.experiment.dataset.points) == 300 + 4
    model.undo()
    assert model.experiment == one
    model.undo()
    assert model.experiment == original
    model.redo()
    assert model.experiment == one


def test_removing_takes_away_exactly_the_point_named():
    points = ((0.0, 0.0, 0), (1.0, 1.0, 1), (0.5, 0.5, 1))
    model = ExperimentModel(Experiment(dataset=DatasetConfig("custom", classes=2, points=points)))
    change = model.remove_point(1.0, 1.0)
    assert model.experiment.dataset.points == ((0.0, 0.0, 0), (0.5, 0.5, 1))
    assert change.note == "Removed a point"
    # two points is the least a data set holds: the refusal changes nothing
    with pytest.raises(ExperimentError, match="^dataset.points: must hold 2 to 5000 points, got 1"):
        model.remove_point(0.0, 0.0)
    assert model.experiment.dataset.points == ((0.0, 0.0, 0), (0.5, 0.5, 1))
    with pytest.raises(ExperimentError, match=r"^dataset.points: there is no point at \(7, 7\)"):
        model.remove_point(7.0, 7.0)


def test_a_point_outside_the_limits_is_refused_and_nothing_changes():
    model = ExperimentModel()
    before = model.experiment
    with pytest.raises(ExperimentError, match=r"^dataset.points\[300\].x: must be between -100 and 100"):
        model.add_points([(250.0, 0.0)], 0)
    assert model.experiment is before and not model.can_undo()


def test_choosing_your_points_keeps_the_points_shown_and_leaving_drops_them():
    model = ExperimentModel(Experiment(dataset=DatasetConfig("moons", samples=10, classes=2, noise=0.1)))
    shown = dataset_points(model.experiment)
    model.set_dataset(name="custom")
    assert model.experiment.dataset.points == shown and model.experiment.dataset.classes == 2
    model.set_dataset(name="circles")
    data = model.experiment.dataset
    assert data.name == "circles" and data.points == () and data.noise == 0.2


def test_imported_points_set_the_classes():
    model = ExperimentModel()
    model.set_points(((0.0, 0.0, 0), (1.0, 1.0, 4)), 5, "Imported class.csv")
    assert model.experiment.dataset.classes == 5 and len(model.experiment.dataset.points) == 2
