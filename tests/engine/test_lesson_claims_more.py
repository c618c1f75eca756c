"""Claims about a loss surface's preset runs and about mini-batch runs: checked headless, refused when malformed."""

from __future__ import annotations

import pytest

from nngui.engine import Experiment, OptimizerConfig
from nngui.engine.checks import ExperimentError
from nngui.teaching.claims import check_lesson
from nngui.teaching.lessons import dumps, parse, read_dict
from nngui.surfaces.presets import load_surface_presets
from nngui.files import experiment_io

PRESETS = load_surface_presets()
TWO_MINIMA = "momentum-past-local-minimum"


def surface_lesson(preset, *claims, view="surface"):
    return read_dict({"format": "nngui-lesson", "version": 1, "title": "t", "steps": [
        {"text": "look", "view": view, "view_preset": preset},
        {"text": "see", "claims": list(claims)}]})


def test_the_presets_minima_are_the_two_basins_bottoms():
    # (x² − 1)² + 0.5 x + y²: the gradient 4x(x² − 1) + 0.5 vanishes at the basins' bottoms
    for x, y in PRESETS[TWO_MINIMA].surface.minima:
        assert abs(4 * x * (x * x - 1) + 0.5) < 1e-12 and y == 0.0
    (global_x, _), (local_x, _) = PRESETS[TWO_MINIMA].surface.minima
    assert round(global_x, 2) == -1.06 and round(local_x, 2) == 0.93


def test_true_surface_claims_hold():
    lesson = surface_lesson(TWO_MINIMA,
                            {"surface_run": 0, "after_steps": 200, "near_minimum": 1, "within": 0.001},
                            {"surface_run": 1, "after_steps": 200, "near_minimum": 0, "within": 0.001,
                             "surface_loss_below": -0.5})
    assert check_lesson(lesson, PRESETS) == []


@pytest.mark.parametrize("claim,problem", [
    ({"surface_run": 0, "after_steps": 200, "near_minimum": 0, "within": 0.5},
     "surface run 0 (SGD) after 200 steps: is 1.99 from minimum 0"),
    ({"surface_run": 1, "after_steps": 200, "surface_loss_above": 0.0},
     "surface run 1 (SGD + momentum 0.9) after 200 steps: loss is -0.514754, not above 0.0"),
    ({"surface_run": 0, "after_steps": 201, "surface_loss_above": 0.0}, "the view stops at step 200, before step 201"),
    ({"surface_run": 3, "after_steps": 20, "surface_loss_above": 0.0}, "has no run 3 (2 runs, counted from 0)"),
    ({"surface_run": 0, "after_steps": 20, "near_minimum": 2, "within": 1}, "two-minima has 2 minima"),
    ({"surface_run": 0, "leaves_plot_at_step": 5}, "surface run 0 (SGD) is still on the plot at step 5"),
])
def test_a_surface_claim_that_does_not_hold_says_what_the_path_did(claim, problem):
    problems = check_lesson(surface_lesson(TWO_MINIMA, claim), PRESETS)
    assert len(problems) == 1 and problems[0].startswith("step 2, claim 1: ")
    assert problem in problems[0]


def test_a_run_that_leaves_the_plot_is_claimed_at_its_step():
    # learning rate 0.21 on the valley 0.1 x² + 5 y²: each step multiplies y by 1 − 2.1 = −1.1 until it leaves
    holds = {"surface_run": 2, "leaves_plot_at_step": 13}
    assert check_lesson(surface_lesson("too-high-learning-rate", holds), PRESETS) == []
    problems = check_lesson(surface_lesson("too-high-learning-rate", dict(holds, leaves_plot_at_step=12)), PRESETS)
    assert problems == ["step 2, claim 1: surface run 2 (SGD (lr 0.21)) is still on the plot at step 12, "
                        "at (-4.78, 4.71)"]
    problems = check_lesson(surface_lesson("too-high-learning-rate", dict(holds, leaves_plot_at_step=14)), PRESETS)
    assert problems == ["step 2, claim 1: surface run 2 (SGD (lr 0.21)) left the plot at step 13, heading to "
                        "x = -4.58, y = -5.18, not at step 14"]
    problems = check_lesson(surface_lesson("too-high-learning-rate",
                                           {"surface_run": 2, "after_steps": 20, "surface_loss_above": 0}), PRESETS)
    assert problems[0].endswith("(SGD (lr 0.21)) left the plot at step 13, heading to x = -4.58, y = -5.18")


def test_a_missing_preset_is_a_problem_not_a_pass():
    assert check_lesson(surface_lesson("no-such", {"surface_run": 0, "leaves_plot_at_step": 3}), PRESETS) == [
        "step 2, claim 1: there is no surface preset 'no-such'"]


@pytest.mark.parametrize("claim,field,problem", [
    ({"surface_run": 0, "near_minimum": 0, "within": 1}, "after_steps", "missing"),
    ({"surface_run": 0, "after_steps": 5, "near_minimum": 0}, "", "near_minimum and within go together"),
    ({"surface_run": 0, "after_steps": 5}, "", "needs near_minimum and within"),
    ({"surface_run": 4, "after_steps": 5, "surface_loss_below": 1}, "surface_run", "must be a run's number"),
    ({"surface_run": 0, "after_steps": 10_001, "surface_loss_below": 1}, "after_steps", "must be between"),
    ({"surface_run": 0, "leaves_plot_at_step": 3, "after_steps": 3}, "", "says only surface_run"),
    ({"surface_run": 0, "after_steps": 3, "loss_below": 1}, "loss_below", "unknown key"),
])
def test_a_malformed_surface_claim_is_refused_naming_its_field(claim, field, problem):
    with pytest.raises(ExperimentError) as error:
        surface_lesson(TWO_MINIMA, claim)
    assert str(error.value).startswith(f"steps[1].claims[0]{'.' + field if field else ''}: ")
    assert problem in str(error.value)


def test_a_surface_claim_needs_a_surface_preset_shown_by_then():
    with pytest.raises(ExperimentError, match=r"steps\[1\]\.claims\[0\]: a surface claim is about a preset's run"):
        surface_lesson(TWO_MINIMA, {"surface_run": 0, "leaves_plot_at_step": 3}, view="network")


def test_surface_claims_survive_writing_and_reading_back():
    lesson = surface_lesson(TWO_MINIMA, {"surface_run": 1, "after_steps": 200, "near_minimum": 0, "within": 0.01})
    again = parse(dumps(lesson))
    assert again == lesson and again.surface_preset_at(1) == TWO_MINIMA and again.steps[1].claims[0].epochs_needed == 0


# --- mini-batches ---------------------------------------------------------------------------

def batch_lesson(batch_size, **claim):
    experiment = Experiment(runs=(OptimizerConfig("sgd", 0.2, 0.0, 0.0),), batch_size=batch_size)
    return read_dict({"format": "nngui-lesson", "version": 1, "title": "t",
                      "steps": [{"text": "x", "experiment": experiment_io.to_dict(experiment),
                                 "claims": [dict(run=0, **claim)]}]})


def test_steps_made_count_updates_ten_an_epoch_in_batches_of_30_and_one_in_full_batch():
    assert check_lesson(batch_lesson(30, at_epoch=4, steps_made=50)) == []
    assert check_lesson(batch_lesson(None, at_epoch=4, steps_made=5)) == []
    assert check_lesson(batch_lesson(30, at_epoch=4, steps_made=5)) == [
        "step 1, claim 1: run 0 at epoch 4: steps made by then are 50, not 5"]


def test_batch_loss_claims_read_the_updates_of_the_last_ten_epochs():
    assert check_lesson(batch_lesson(30, at_epoch=9, batch_low_below=1.095, batch_high_above=1.11,
                                     batch_spread_above=0.001, batch_spread_below=0.01)) == []
    problems = check_lesson(batch_lesson(30, at_epoch=9, batch_spread_above=0.5))
    assert len(problems) == 1
    assert "the batch losses' spread over epochs 0–9 is 0.00312511, not above 0.5" in problems[0]
    assert check_lesson(batch_lesson(None, at_epoch=9, batch_high_above=1.0)) == [
        "step 1, claim 1: run 0 at epoch 9: no batch losses by epoch 9 (full batch makes none)"]


def test_a_shipped_step_that_claims_something_of_a_surface_shows_that_surface():
    """Going back or forward to such a step shows its preset afresh: the claim is about the paths on screen."""
    from nngui.teaching.lessons import shipped_lessons
    claimed = 0
    for path, lesson in shipped_lessons():
        for index, step in enumerate(lesson.steps):
            if any(claim.surface for claim in step.claims):
                assert step.view == "surface" and step.view_preset in PRESETS, (path.stem, index)
                claimed += 1
    assert claimed >= 2
