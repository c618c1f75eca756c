"""Lesson files: a title and a short sequence of steps a teacher walks a class through.

Version 1 looks like this (``description`` is optional, as is every key of a step but ``text``)::

    {
      "format": "nngui-lesson",
      "version": 1,
      "title": "A learning rate that is too high",
      "description": "Plain SGD at learning rate 20 overshoots and diverges.",
      "steps": [
        {"text": "Predict: what will the loss do at learning rate 20?",
         "experiment": {"format": "nngui-experiment", "version": 2, ...},
         "pace": 30, "lock": ["dataset", "network"], "hide": ["network"], "view": "network"},
        {"text": "The loss jumps and stays high: training stops as diverged at epoch 55.",
         "play_to_epoch": 100,
         "claims": [{"run": 0, "diverges_at_epoch": 55}]}
      ]
    }

A step, when a teacher arrives at it, does in this order: loads its ``experiment`` (an
embedded experiment file, any version experiment files have; the runs start again from
epoch 0), sets the ``pace`` (epochs a second, or ``"max"``), locks and hides the controls it
names (``LOCKABLE``, ``HIDEABLE``; a step that does not say keeps the step before's, and
``"lock": []`` unlocks everything), shows the
``view`` it names ("network", "surface", "landscape"…, with ``view_preset`` for a view that
takes one), then pauses (``"pause": true``) or plays up to ``play_to_epoch`` epochs. The
``text`` is the sentence on screen: what to watch for, or a question to predict.

``claims`` make the sentence checkable: each says something about a run of the step's
experiment that training it headless must show (see ``teaching.claims``). What a claim may
say is listed in ``CLAIM_KEYS``: a run's loss, accuracy, rate, caption or course line at an
epoch; its divergence; which of two runs gets somewhere first; with mini-batches the steps
made and the batch losses (``MINIBATCH_KEYS``); and of the loss-surface preset a step shows,
where a run's path is after some steps or the step it leaves the plot (``SURFACE_KEYS``)::

    {"surface_run": 0, "after_steps": 200, "near_minimum": 1, "within": 0.01}
    {"run": 0, "at_epoch": 99, "steps_made": 1000, "batch_high_above": 1.15}

While a step locks a part, the window refuses every edit of it, however it comes (see
``nngui/model/locks.py``). Settings that experiment files learn later (a batch size)
come with the embedded experiment; a view that this nngui lacks is said at the time.

Reading is as strict as for experiment files: JSON only, at most 1 MB, no NaN, no deep
nesting, and one message naming the field (``steps[2].claims[0].run: …``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from nngui.files import experiment_io, guards as files
from nngui.files.experiment_io import check_text
from nngui.engine.checks import ExperimentError, check_bool, check_int, check_real, show
from nngui.engine.experiment import LIMITS, MAX_RUNS, Experiment
from nngui.surfaces.surface import MAX_STEPS as MAX_SURFACE_STEPS

FORMAT = "nngui-lesson"
VERSION = 1
READABLE_VERSIONS = (1,)
MAX_BYTES = experiment_io.MAX_BYTES
MAX_STEPS = 20
MAX_TITLE = 200
MAX_TEXT = 400
MAX_DESCRIPTION = 4000
MAX_CLAIMS = 10
MAX_NAME = 40

#: Controls a step may lock (greyed out) or hide; the window knows which widgets they are.
LOCKABLE = ("dataset", "network", "runs", "epoch_limit", "pace", "compare")
HIDEABLE = ("dataset", "network", "runs")
#: Epochs a second a step may set (``"max"``: as fast as the computer can).
PACES = (1, 5, 10, 30, 100, 1000, "max")
TOP_KEYS = ("format", "version", "title", "description", "steps")
STEP_KEYS = ("text", "experiment", "pace", "lock", "hide", "view", "view_preset", "pause", "play_to_epoch",
             "claims")
#: Per-run claims about a mini-batch run at ``at_epoch``: the optimizer's ``step`` count after that epoch, and the
#: batch losses (the faint per-update losses) of the ``BATCH_WINDOW`` epochs up to it (see ``teaching.claims``).
MINIBATCH_KEYS = ("steps_made", "batch_low_below", "batch_high_above", "batch_spread_above", "batch_spread_below")
BATCH_WINDOW = 10
#: Per-run claims about the run's record at ``at_epoch``.
AT_EPOCH_KEYS = ("loss_below", "loss_above", "accuracy_above", "accuracy_below", "learning_rate_below",
                 "learning_rate_above", "caption", "course_line", *MINIBATCH_KEYS)
#: Claims about a run of the loss-surface preset the step (or an earlier one) shows; see ``teaching.claims``.
SURFACE_KEYS = ("surface_run", "after_steps", "near_minimum", "within", "surface_loss_below", "surface_loss_above",
                "leaves_plot_at_step")
CLAIM_KEYS = ("run", "at_epoch", *AT_EPOCH_KEYS, "diverges_at_epoch", "diverges_by_epoch", "faster_than",
              "by_epoch", *SURFACE_KEYS)
#: What a run's caption can be (see ``captions``).
CAPTION_KINDS = ("starting", "learning", "diverging", "collapsed", "oscillating", "plateau", "not_learning",
                 "converged")
_NAME = re.compile(r"[a-z][a-z0-9_ -]*")


@dataclass(frozen=True)
class Claim:
    """One checkable statement about a run; ``values`` holds the keys other than run and epochs."""

    run: int | None = None
    at_epoch: int | None = None
    values: tuple = ()            # ((key, value), ...) of AT_EPOCH_KEYS
    diverges_at_epoch: int | None = None
    diverges_by_epoch: int | None = None
    faster_than: tuple | None = None   # (faster run, slower run)
    by_epoch: int | None = None
    surface: tuple = ()           # ((key, value), ...) of SURFACE_KEYS: a claim about the surface preset's run

    def get(self, key, default=None):
        return dict(self.values + self.surface).get(key, default)

    @property
    def epochs_needed(self) -> int:
        """Epochs a race must train to decide the claim (none for a claim about a loss surface)."""
        if self.surface:
            return 0
        return 1 + max(e for e in (self.at_epoch, self.diverges_at_epoch, self.diverges_by_epoch, self.by_epoch, 0)
                       if e is not None)


@dataclass(frozen=True)
class Step:
    """One step of a lesson: its sentence and what the app does on arriving at it."""

    text: str
    experiment: Experiment | None = None
    pace: object = None           # epochs a second, "max", or None to keep the pace
    lock: tuple | None = None     # None: as the step before (nothing locked at the first)
    hide: tuple | None = None
    view: str | None = None
    view_preset: str | None = None
    pause: bool = False
    play_to_epoch: int | None = None
    claims: tuple = ()


@dataclass(frozen=True)
class Lesson:
    """A titled sequence of steps."""

    title: str
    steps: tuple
    description: str = ""

    def experiment_at(self, index: int) -> Experiment | None:
        """The experiment the app shows at step ``index``: the step's own or the last one set before it."""
        for step in reversed(self.steps[:index + 1]):
            if step.experiment is not None:
                return step.experiment
        return None

    def surface_preset_at(self, index: int) -> str | None:
        """The loss-surface preset the app shows at step ``index``: the last one a step up to it named."""
        for step in reversed(self.steps[:index + 1]):
            if step.view == "surface" and step.view_preset is not None:
                return step.view_preset
        return None

    def controls_at(self, index: int) -> tuple[tuple, tuple]:
        """``(locked, hidden)`` control names at step ``index``: a step that names none keeps the last ones named."""
        lock = next((s.lock for s in reversed(self.steps[:index + 1]) if s.lock is not None), ())
        hide = next((s.hide for s in reversed(self.steps[:index + 1]) if s.hide is not None), ())
        return lock, hide

    def __len__(self):
        return len(self.steps)


# --- reading ---------------------------------------------------------------------------------

def read_dict(data) -> Lesson:
    """The lesson described by a parsed JSON object; raises ``ExperimentError`` naming the field."""
    if not isinstance(data, dict):
        raise ExperimentError("", f"a lesson file holds one JSON object, got {show(data)}")
    if data.get("format") != FORMAT:
        raise ExperimentError("format", f'must be "{FORMAT}" (is this an nngui lesson file?), '
                                        f"got {show(data.get('format'))}")
    version = data.get("version")
    if type(version) is not int or version not in READABLE_VERSIONS:
        raise ExperimentError("version", f"this nngui reads lesson version "
                                         f"{' or '.join(map(str, READABLE_VERSIONS))}, got {show(version)}")
    _check_keys(data, "", TOP_KEYS, required=("format", "version", "title", "steps"))
    title = check_text(data["title"], "title", MAX_TITLE, empty=False)
    description = check_text(data.get("description", ""), "description", MAX_DESCRIPTION)
    steps = data["steps"]
    if not isinstance(steps, list):
        raise ExperimentError("steps", f"must be a list of 1 to {MAX_STEPS} steps, got {show(steps)}")
    if not 1 <= len(steps) <= MAX_STEPS:
        raise ExperimentError("steps", f"must have 1 to {MAX_STEPS} steps, got {len(steps)}")
    read, experiment, preset = [], None, None
    for i, step in enumerate(steps):
        one = _read_step(step, f"steps[{i}]", experiment, preset)
        experiment = one.experiment or experiment
        if one.view == "surface" and one.view_preset is not None:
            preset = one.view_preset
        read.append(one)
    return Lesson(title, tuple(read), description)


def _read_step(data, field, previous: Experiment | None, preset: str | None = None) -> Step:
    if not isinstance(data, dict):
        raise ExperimentError(field, f"must be an object, got {show(data)}")
    _check_keys(data, field + ".", STEP_KEYS, required=("text",))
    text = check_text(data["text"], field + ".text", MAX_TEXT, empty=False)
    experiment = None
    if "experiment" in data:
        try:
            experiment = experiment_io.read_dict(data["experiment"]).experiment
        except ExperimentError as error:
            where = f"{field}.experiment" + (f".{error.field}" if error.field else "")
            raise ExperimentError(where, error.problem) from None
    pace = None
    if "pace" in data:
        pace = data["pace"]
        if isinstance(pace, bool) or pace not in PACES:
            raise ExperimentError(field + ".pace", f"must be one of {', '.join(map(str, PACES))} (epochs a "
                                                   f"second), got {show(pace)}")
    lock = _names(data["lock"], field + ".lock", LOCKABLE) if "lock" in data else None
    hide = _names(data["hide"], field + ".hide", HIDEABLE) if "hide" in data else None
    view = _name(data["view"], field + ".view") if "view" in data else None
    view_preset = _name(data["view_preset"], field + ".view_preset") if "view_preset" in data else None
    if view_preset is not None and view is None:
        raise ExperimentError(field + ".view_preset", "needs a view to show it in (add \"view\")")
    pause = check_bool(data.get("pause", False), field + ".pause")
    play = None
    if "play_to_epoch" in data:
        play = check_int(data["play_to_epoch"], field + ".play_to_epoch", 1, LIMITS["epochs"][1])
        if pause:
            raise ExperimentError(field + ".pause", "a step either pauses or plays, not both")
    current = experiment or previous
    if view == "surface" and view_preset is not None:
        preset = view_preset
    claims = data.get("claims", [])
    if not isinstance(claims, list) or len(claims) > MAX_CLAIMS:
        raise ExperimentError(field + ".claims", f"must be a list of at most {MAX_CLAIMS} claims, got {show(claims)}")
    read = []
    for i, claim in enumerate(claims):
        where = f"{field}.claims[{i}]"
        if isinstance(claim, dict) and "surface_run" in claim:
            if preset is None:
                raise ExperimentError(where, "a surface claim is about a preset's run: show one in this step or "
                                             "an earlier one (\"view\": \"surface\" with \"view_preset\")")
            read.append(_read_surface_claim(claim, where))
            continue
        if current is None:
            raise ExperimentError(field + ".claims", "a claim is about a run: set an experiment in this step "
                                                     "or an earlier one")
        read.append(_read_claim(claim, where, len(current.runs)))
    read = tuple(read)
    return Step(text, experiment, pace, lock, hide, view, view_preset, pause, play, read)


def _read_claim(data, field, runs: int) -> Claim:
    if not isinstance(data, dict):
        raise ExperimentError(field, f"must be an object, got {show(data)}")
    _check_keys(data, field + ".", CLAIM_KEYS, required=())
    epochs = LIMITS["epochs"][1]

    def run_index(value, name):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ExperimentError(name, f"must be a run's number counted from 0, got {show(value)}")
        if not 0 <= value < runs:
            raise ExperimentError(name, f"there is no run {value} (the experiment has {runs} "
                                        f"run{'s' if runs > 1 else ''}, counted from 0)")
        return value

    def epoch(name):
        return check_int(data[name], f"{field}.{name}", 0, epochs) if name in data else None

    values = []
    for key in AT_EPOCH_KEYS:
        if key not in data:
            continue
        value = data[key]
        if key == "caption":
            if value not in CAPTION_KINDS:
                raise ExperimentError(f"{field}.caption", f"must be one of {', '.join(CAPTION_KINDS)}, "
                                                          f"got {show(value)}")
        elif key == "course_line":
            value = check_text(value, f"{field}.course_line", MAX_TEXT, empty=False)
        else:
            value = check_real(value, f"{field}.{key}", 0.0, 1e6)
        values.append((key, value))
    claim = Claim(None, epoch("at_epoch"), tuple(values), epoch("diverges_at_epoch"), epoch("diverges_by_epoch"),
                  None, epoch("by_epoch"))
    if "faster_than" in data:
        pair = data["faster_than"]
        if not isinstance(pair, list) or len(pair) != 2:
            raise ExperimentError(f"{field}.faster_than", f"must be two run numbers [faster, slower], got {show(pair)}")
        pair = tuple(run_index(r, f"{field}.faster_than[{i}]") for i, r in enumerate(pair))
        if pair[0] == pair[1]:
            raise ExperimentError(f"{field}.faster_than", "must name two different runs")
        thresholds = [k for k, _ in values if k in ("loss_below", "accuracy_above")]
        if len(values) != 1 or not thresholds:
            raise ExperimentError(field, "faster_than needs exactly one of loss_below or accuracy_above")
        if claim.by_epoch is None or "run" in data or claim.at_epoch is not None:
            raise ExperimentError(field, "faster_than needs by_epoch (how long to watch) and no run or at_epoch")
        return Claim(None, None, tuple(values), None, None, pair, claim.by_epoch)
    if "run" not in data:
        raise ExperimentError(field + ".run", "missing (which run the claim is about, counted from 0)")
    run = run_index(data["run"], field + ".run")
    divergence = claim.diverges_at_epoch is not None or claim.diverges_by_epoch is not None
    if divergence:
        if values or claim.at_epoch is not None or claim.by_epoch is not None or (
                claim.diverges_at_epoch is not None and claim.diverges_by_epoch is not None):
            raise ExperimentError(field, "a divergence claim says only diverges_at_epoch or diverges_by_epoch")
    elif not values or claim.at_epoch is None:
        raise ExperimentError(field, f"needs at_epoch and at least one of {', '.join(AT_EPOCH_KEYS)}")
    elif claim.by_epoch is not None:
        raise ExperimentError(field + ".by_epoch", "only a faster_than claim has by_epoch")
    return Claim(run, claim.at_epoch, tuple(values), claim.diverges_at_epoch, claim.diverges_by_epoch, None, None)


def _read_surface_claim(data, field) -> Claim:
    """A claim about run ``surface_run`` of the surface preset shown: where its path is after ``after_steps``
    steps (within ``within`` of the preset function's minimum ``near_minimum``, counted from 0 = the global one;
    its loss there), or the step at which it leaves the plot."""
    _check_keys(data, field + ".", SURFACE_KEYS, required=("surface_run",))
    run = data["surface_run"]
    if isinstance(run, bool) or not isinstance(run, int) or not 0 <= run < MAX_RUNS:
        raise ExperimentError(field + ".surface_run", f"must be a run's number counted from 0 (below {MAX_RUNS}), "
                                                      f"got {show(run)}")
    values = [("surface_run", run)]
    if "leaves_plot_at_step" in data:
        if len(data) != 2:
            raise ExperimentError(field, "a claim that a run leaves the plot says only surface_run and "
                                         "leaves_plot_at_step")
        values.append(("leaves_plot_at_step", check_int(data["leaves_plot_at_step"], field + ".leaves_plot_at_step",
                                                        1, MAX_SURFACE_STEPS)))
        return Claim(surface=tuple(values))
    if "after_steps" not in data:
        raise ExperimentError(field + ".after_steps", "missing (how many steps of the path the claim is about)")
    values.append(("after_steps", check_int(data["after_steps"], field + ".after_steps", 1, MAX_SURFACE_STEPS)))
    if ("near_minimum" in data) != ("within" in data):
        raise ExperimentError(field, "near_minimum and within go together (which minimum, and how near)")
    if "near_minimum" in data:
        values.append(("near_minimum", check_int(data["near_minimum"], field + ".near_minimum", 0, 9)))
        values.append(("within", check_real(data["within"], field + ".within", 0.0, 1e6)))
    for key in ("surface_loss_below", "surface_loss_above"):
        if key in data:
            values.append((key, check_real(data[key], f"{field}.{key}", -1e6, 1e6)))
    if len(values) == 2:
        raise ExperimentError(field, "needs near_minimum and within, or surface_loss_below or surface_loss_above")
    return Claim(surface=tuple(values))


def parse(text) -> Lesson:
    """The lesson in ``text`` (str or UTF-8 bytes), checked from size to every field."""
    # the experiment files' own guards: size, UTF-8, nesting, NaN and Infinity, huge numbers, repeated keys
    return read_dict(experiment_io.load_json(text))


def read(path) -> Lesson:
    """Read and check the lesson file at ``path``; errors name the file, then the field."""
    return files.read_checked(path, parse, MAX_BYTES)


# --- writing ---------------------------------------------------------------------------------

def to_dict(lesson: Lesson) -> dict:
    """The JSON object of ``lesson``'s file (claims are written as read)."""
    data = {"format": FORMAT, "version": VERSION, "title": check_text(lesson.title, "title", MAX_TITLE, empty=False)}
    if lesson.description:
        data["description"] = check_text(lesson.description, "description", MAX_DESCRIPTION)
    data["steps"] = [_step_dict(step) for step in lesson.steps]
    return data


def _step_dict(step: Step) -> dict:
    data = {"text": check_text(step.text, "text", MAX_TEXT, empty=False)}
    if step.experiment is not None:
        data["experiment"] = experiment_io.to_dict(step.experiment)
    for key in ("pace", "view", "view_preset", "play_to_epoch"):
        if getattr(step, key) is not None:
            data[key] = getattr(step, key)
    for key in ("lock", "hide"):
        if getattr(step, key) is not None:
            data[key] = list(getattr(step, key))
    if step.pause:
        data["pause"] = True
    if step.claims:
        data["claims"] = [_claim_dict(claim) for claim in step.claims]
    return data


def _claim_dict(claim: Claim) -> dict:
    data = dict(claim.surface)
    if claim.faster_than is not None:
        data["faster_than"] = list(claim.faster_than)
    if claim.run is not None:
        data["run"] = claim.run
    for key in ("at_epoch", "diverges_at_epoch", "diverges_by_epoch", "by_epoch"):
        if getattr(claim, key) is not None:
            data[key] = getattr(claim, key)
    data.update(claim.values)
    return data


def dumps(lesson: Lesson) -> str:
    """The lesson file's text: checked by reading it back, so a file written is one that opens."""
    text = json.dumps(to_dict(lesson), indent=2, allow_nan=False, ensure_ascii=False) + "\n"
    parse(text)
    return text


def save(path, lesson: Lesson) -> None:
    """Write the lesson file atomically (see ``files``)."""
    files.write_file_atomically(path, dumps(lesson).encode("utf-8"))


def one_step_lesson(experiment: Experiment, title: str, text: str, pace=None, play_to_epoch=None) -> Lesson:
    """A lesson of one step that sets ``experiment`` (what File ▸ Save as lesson writes)."""
    lesson = Lesson(check_text(title, "title", MAX_TITLE, empty=False),
                    (Step(check_text(text, "text", MAX_TEXT, empty=False), experiment, pace,
                          play_to_epoch=play_to_epoch),))
    return lesson


def shipped_lessons(directory=None) -> list[tuple[Path, Lesson | ExperimentError]]:
    """``[(path, Lesson or the error reading it)]`` of the lessons in ``directory`` in teaching order.

    Teaching order is file-name order: the shipped files start with their place (``01-…``).
    By default the app's ``lessons`` resources.
    """
    return files.read_each(directory, read, "lessons")


# --- checks ----------------------------------------------------------------------------------

def _check_keys(mapping, prefix, allowed, required):
    experiment_io.check_keys(mapping, prefix, allowed, optional=[key for key in allowed if key not in required])


def _name(value, field) -> str:
    if not isinstance(value, str) or len(value) > MAX_NAME or not _NAME.fullmatch(value):
        raise ExperimentError(field, f"must be a short lower-case name such as \"network\", got {show(value)}")
    return value


def _names(value, field, allowed) -> tuple:
    if not isinstance(value, list):
        raise ExperimentError(field, f"must be a list of names from {', '.join(allowed)}, got {show(value)}")
    for i, name in enumerate(value):
        if name not in allowed:
            raise ExperimentError(f"{field}[{i}]", f"must be one of {', '.join(allowed)}, got {show(name)}")
    if len(set(value)) != len(value):
        raise ExperimentError(field, "names a control twice")
    return tuple(value)

