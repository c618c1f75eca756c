"""Lesson files: the format, round trips, and one clear message for every hostile file."""

from __future__ import annotations

import copy
import json
import os

import pytest

from nngui.engine import Experiment, OptimizerConfig
from nngui.engine.checks import ExperimentError
from nngui.teaching.lessons import (Lesson, Step, dumps, one_step_lesson, parse, read, read_dict, save,
                                  shipped_lessons)

EXPERIMENT = Experiment(runs=(OptimizerConfig("sgd", 1.0, 0.0, 0.0), OptimizerConfig("momentum", 1.0, 1e-3, 0.9)))


def lesson_dict(**step_changes):
    step = {"text": "Predict: which run wins?", "experiment": experiment_io.to_dict(EXPERIMENT), "pace": 30,
            "lock": ["dataset", "runs"], "hide": ["network"], "view": "network", "pause": True}
    second = {"text": "Momentum wins.", "play_to_epoch": 500,
              "claims": [{"run": 1, "at_epoch": 499, "loss_below": 0.9},
                         {"faster_than": [1, 0], "loss_below": 1.0, "by_epoch": 499},
                         {"run": 0, "diverges_by_epoch": 60}]}
    second.update(step_changes)
    return {"format": "nngui-lesson", "version": 1, "title": "Momentum", "description": "A race.",
            "steps": [step, second]}


def test_a_lesson_file_reads_into_steps_with_everything_they_do():
    lesson = read_dict(lesson_dict())
    assert lesson.title == "Momentum" and len(lesson) == 2
    first, second = lesson.steps
    assert first.experiment == EXPERIMENT and first.pace == 30 and first.lock == ("dataset", "runs")
    assert first.hide == ("network",) and first.view == "network" and first.pause
    assert second.experiment is None and second.play_to_epoch == 500
    assert lesson.experiment_at(1) == EXPERIMENT
    faster = second.claims[1]
    assert faster.faster_than == (1, 0) and faster.by_epoch == 499 and faster.get("loss_below") == 1.0
    assert second.claims[0].epochs_needed == 500 and second.claims[2].epochs_needed == 61


def test_a_lesson_round_trips_through_its_file(tmp_path):
    lesson = read_dict(lesson_dict())
    path = tmp_path / "lesson.json"
    save(path, lesson)
    assert read(path) == lesson
    assert json.loads(path.read_text(encoding="utf-8")) == lesson_dict()


def test_a_one_step_lesson_is_what_save_as_lesson_writes():
    lesson = one_step_lesson(EXPERIMENT, "Tomorrow", "Watch the loss.", pace="max")
    assert parse(dumps(lesson)) == lesson
    assert lesson.steps == (Step("Watch the loss.", EXPERIMENT, "max"),)


@pytest.mark.parametrize("change,message", [
    (lambda d: d.update(format="nngui-experiment"), 'format: must be "nngui-lesson"'),
    (lambda d: d.update(version=2), "version: this nngui reads lesson version 1, got 2"),
    (lambda d: d.update(version=True), "version: this nngui reads lesson version 1, got true"),
    (lambda d: d.update(title=7), "title: must be text, got 7"),
    (lambda d: d.update(title="  "), "title: must not be empty"),
    (lambda d: d.pop("steps"), "steps: missing"),
    (lambda d: d.update(steps=[]), "steps: must have 1 to 20 steps, got 0"),
    (lambda d: d.update(steps={"text": "a"}), "steps: must be a list of 1 to 20 steps"),
    (lambda d: d.update(extra=1), "extra: unknown key"),
    (lambda d: d["steps"][0].pop("text"), "steps[0].text: missing"),
    (lambda d: d["steps"][0].update(text="x" * 401), "steps[0].text: must be at most 400 characters"),
    (lambda d: d["steps"][0].update(pace=7), "steps[0].pace: must be one of 1, 5, 10, 30, 100, 1000, max"),
    (lambda d: d["steps"][0].update(pace=True), "steps[0].pace: must be one of"),
    (lambda d: d["steps"][0].update(lock=["everything"]), "steps[0].lock[0]: must be one of dataset"),
    (lambda d: d["steps"][0].update(lock="dataset"), "steps[0].lock: must be a list of names"),
    (lambda d: d["steps"][0].update(hide=["pace"]), "steps[0].hide[0]: must be one of dataset, network, runs"),
    (lambda d: d["steps"][0].update(view="<b>Surface</b>"), "steps[0].view: must be a short lower-case name"),
    (lambda d: d["steps"][0].update(view_preset="bowl", view=None) or d["steps"][0].pop("view"),
     "steps[0].view_preset: needs a view"),
    (lambda d: d["steps"][0].update(pause=1), "steps[0].pause: must be true or false, got 1"),
    (lambda d: d["steps"][0].update(play_to_epoch=10), "steps[0].pause: a step either pauses or plays"),
    (lambda d: d["steps"][1].update(play_to_epoch=10**9), "steps[1].play_to_epoch: must be between 1 and"),
    (lambda d: d["steps"][1].update(play_to_epoch=1.5), "steps[1].play_to_epoch: must be a whole number"),
    (lambda d: d["steps"][0]["experiment"]["runs"][1].update(learning_rate=500),
     "steps[0].experiment.runs[1].learning_rate: must be between 0.0001 and 100, got 500"),
    (lambda d: d["steps"][0]["experiment"].update(format="x"), "steps[0].experiment.format: must be"),
    (lambda d: d["steps"][0].pop("experiment"), "steps[1].claims: a claim is about a run: set an experiment"),
    (lambda d: d["steps"][1]["claims"][0].update(run=2), "steps[1].claims[0].run: there is no run 2 (the "
                                                         "experiment has 2 runs"),
    (lambda d: d["steps"][1]["claims"][0].update(run=-1), "steps[1].claims[0].run: there is no run -1"),
    (lambda d: d["steps"][1]["claims"][0].update(run="1"), "steps[1].claims[0].run: must be a run's number"),
    (lambda d: d["steps"][1]["claims"][0].update(loss_below="low"), "steps[1].claims[0].loss_below: must be a number"),
    (lambda d: d["steps"][1]["claims"][0].update(loss_below=1e300),
     "steps[1].claims[0].loss_below: must be between 0 and 1000000"),
    (lambda d: d["steps"][1]["claims"][0].pop("at_epoch"), "steps[1].claims[0]: needs at_epoch"),
    (lambda d: d["steps"][1]["claims"][0].update(caption="happy"), "steps[1].claims[0].caption: must be one of"),
    (lambda d: d["steps"][1]["claims"][0].update(sparkles=1), "steps[1].claims[0].sparkles: unknown key"),
    (lambda d: d["steps"][1]["claims"][1].update(faster_than=[1, 1]), "faster_than: must name two different"),
    (lambda d: d["steps"][1]["claims"][1].update(faster_than=[1]), "faster_than: must be two run numbers"),
    (lambda d: d["steps"][1]["claims"][1].pop("by_epoch"), "faster_than needs by_epoch"),
    (lambda d: d["steps"][1]["claims"][2].update(at_epoch=3), "a divergence claim says only"),
    (lambda d: d["steps"][1].update(claims=[{}] * 11), "steps[1].claims: must be a list of at most 10 claims"),
])
def test_every_bad_field_is_refused_with_one_message_naming_it(change, message):
    data = copy.deepcopy(lesson_dict())
    change(data)
    with pytest.raises(ExperimentError) as error:
        read_dict(data)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("text,message", [
    ("{", "invalid JSON at line 1, column 2"),
    ("[]", "a lesson file holds one JSON object, got []"),
    ('{"format": "nngui-lesson", "version": 1, "title": "x", "steps": [{"text": "a", "pace": NaN}]}',
     "NaN is not a number JSON allows"),
    ('{"format": "nngui-lesson", "version": 1, "title": "x", "steps": [{"text": "a", "pace": Infinity}]}',
     "Infinity is not a number JSON allows"),
    ('{"format": "nngui-lesson", "version": 1, "title": "x", "steps": [{"text": "a", "play_to_epoch": '
     + "9" * 400 + "}]}", "a whole number of 400 digits is too long"),
    ("[" * 5000 + "]" * 5000, "nested more than 16 levels deep"),
    ('{"title": "a", "title": "b"}', "title: appears twice"),
])
def test_broken_text_is_refused_before_any_field(text, message):
    with pytest.raises(ExperimentError) as error:
        parse(text)
    assert message in str(error.value)


def test_megabytes_are_refused_without_parsing(tmp_path):
    path = tmp_path / "huge.json"
    path.write_bytes(b'{"title": "' + b"x" * 2_000_000 + b'"}')
    with pytest.raises(ExperimentError) as error:
        read(path)
    assert str(error.value).endswith("the file is larger than 1 MB")
    with pytest.raises(ExperimentError, match="larger than 1 MB"):
        parse("x" * 1_000_001)


def test_a_directory_or_a_fifo_is_refused_without_waiting(tmp_path):
    with pytest.raises(ExperimentError, match="it is a directory, not a regular file"):
        read(tmp_path)
    fifo = tmp_path / "lesson.json"
    os.mkfifo(fifo)
    with pytest.raises(ExperimentError, match=r"it is a named pipe \(FIFO\), not a regular file"):
        read(fifo)


def test_errors_name_the_file_then_the_field(tmp_path):
    path = tmp_path / "broken.json"
    data = lesson_dict()
    data["steps"][0]["pace"] = 3
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ExperimentError) as error:
        read(path)
    assert str(error.value).startswith(f"{path}: steps[0].pace: must be one of")


def test_the_shipped_lessons_all_read_in_teaching_order():
    shipped = shipped_lessons()
    names = [path.stem for path, _ in shipped]
    assert names == ["01-plain-sgd", "02-learning-rate-too-high", "03-learning-rate-too-low",
                     "04-decay-too-strong", "05-momentum-race", "06-chapter-final",
                     "07-momentum-past-local-minimum", "08-mini-batch-noise", "09-check-your-optimizer"]
    for path, lesson in shipped:
        assert isinstance(lesson, Lesson), lesson
        assert lesson.steps[0].experiment is not None and lesson.steps[0].pause
        assert all(step.text.endswith((".", "?")) for step in lesson.steps)
        # the file is what the app writes for the same lesson (a teacher's save looks the same)
        assert json.loads(path.read_text(encoding="utf-8")) == json.loads(dumps(lesson))


def test_a_broken_lesson_among_the_shipped_ones_is_listed_with_its_error(tmp_path):
    (tmp_path / "01-good.json").write_text(dumps(one_step_lesson(EXPERIMENT, "Good", "Fine.")), encoding="utf-8")
    (tmp_path / "02-bad.json").write_text("{", encoding="utf-8")
    (good_path, good), (bad_path, bad) = shipped_lessons(tmp_path)
    assert good.title == "Good" and isinstance(bad, ExperimentError) and "02-bad.json" in str(bad)


def test_a_step_that_names_no_controls_keeps_the_ones_before_and_an_empty_list_frees_them():
    data = lesson_dict()
    data["steps"].append({"text": "Free.", "lock": [], "hide": []})
    lesson = read_dict(data)
    assert lesson.controls_at(0) == (("dataset", "runs"), ("network",))
    assert lesson.controls_at(1) == (("dataset", "runs"), ("network",))
    assert lesson.controls_at(2) == ((), ())
    assert read_dict(lesson_dict()).steps[1].lock is None


# --- round trips over legal lessons ------------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

from nngui.teaching.lessons import CAPTION_KINDS, HIDEABLE, LOCKABLE, PACES, Claim  # noqa: E402
from nngui.files import experiment_io

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60).filter(str.strip)
EPOCH = st.integers(0, 10_000)
THRESHOLD = st.floats(0, 1e6, allow_nan=False)


def claims_for(runs):
    at_epoch = st.builds(lambda run, epoch, values: Claim(run, epoch, tuple(values)), st.integers(0, runs - 1), EPOCH,
                         st.lists(st.tuples(st.sampled_from(("loss_below", "accuracy_above", "learning_rate_above")),
                                            THRESHOLD), min_size=1, max_size=1)
                         | st.lists(st.tuples(st.just("caption"), st.sampled_from(CAPTION_KINDS)),
                                    min_size=1, max_size=1))
    diverges = st.builds(lambda run, epoch: Claim(run, diverges_by_epoch=epoch), st.integers(0, runs - 1), EPOCH)
    options = [at_epoch, diverges]
    if runs > 1:
        options.append(st.builds(lambda key, value, epoch: Claim(None, None, ((key, value),), faster_than=(1, 0),
                                                                 by_epoch=epoch),
                                 st.sampled_from(("loss_below", "accuracy_above")), THRESHOLD, EPOCH))
    return st.lists(st.one_of(options), max_size=3).map(tuple)


@st.composite
def lessons_(draw):
    runs = draw(st.integers(1, 4))
    experiment = Experiment(runs=tuple(OptimizerConfig("momentum", 1.0, 1e-3, m / 10) for m in range(runs)))
    steps = [Step(draw(TEXT), experiment, draw(st.none() | st.sampled_from(PACES)),
                  draw(st.none() | st.lists(st.sampled_from(LOCKABLE), unique=True).map(tuple)),
                  draw(st.none() | st.lists(st.sampled_from(HIDEABLE), unique=True).map(tuple)),
                  draw(st.none() | st.sampled_from(("network", "surface", "loss landscape"))), None, True, None,
                  draw(claims_for(runs)))]
    for _ in range(draw(st.integers(0, 3))):
        steps.append(Step(draw(TEXT), play_to_epoch=draw(st.integers(1, 10_000)), claims=draw(claims_for(runs))))
    return Lesson(draw(TEXT), tuple(steps), draw(st.just("") | TEXT))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(lessons_())
def test_every_legal_lesson_round_trips_exactly(lesson):
    assert parse(dumps(lesson)) == lesson
