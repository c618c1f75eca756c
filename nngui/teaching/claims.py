"""Checking what a lesson says: train each step's experiment headless and test every claim.

A lesson's sentences must be true of what the app then shows. Each claim (see
``lessons.CLAIM_KEYS``) is decided from the race's histories, exactly as the window's race
trains them (same engine, same start), so a test can hold every shipped lesson to its word::

    problems = check_lesson(lesson)      # [] when every claim holds

Mini-batch claims read the run's update log (the faint per-update losses the loss plot
draws); surface claims walk the step's surface preset with the engine's ``SurfaceRace`` —
the very race the surface view plays — for the steps the claim names.
"""

from __future__ import annotations

import math

import numpy as np

from .captions import caption
from nngui.engine.history import EpochRecord
from .lessons import BATCH_WINDOW, Claim, Lesson
from nngui.engine.race import Race
from nngui.surfaces.presets import SurfacePreset, load_surface_presets


def _record(trainer, epoch) -> EpochRecord | None:
    history = trainer.history.view()
    if epoch >= len(history):
        return None
    return EpochRecord(int(history.epoch[epoch]), float(history.loss[epoch]), float(history.accuracy[epoch]),
                       float(history.learning_rate[epoch]),
                       float(history.learning_rate[epoch - 1]) if epoch else trainer.optimizer_config.learning_rate,
                       float(history.test_loss[epoch]), float(history.test_accuracy[epoch]))


def _diverged_at(trainer) -> int | None:
    """The epoch the trainer stopped as diverged (the last it trained), or None."""
    return len(trainer.history) - 1 if trainer.divergence else None


def _first_reached(trainer, key, threshold, by_epoch) -> int | None:
    history = trainer.history.view()
    values = np.asarray(history.loss if key == "loss_below" else history.accuracy)[:by_epoch + 1]
    hits = np.flatnonzero(values < threshold if key == "loss_below" else values > threshold)
    return int(hits[0]) if len(hits) else None


def check_claim(race: Race, claim: Claim) -> str | None:
    """None when ``claim`` holds of the trained ``race``, else a sentence saying what the run did instead."""
    if claim.faster_than is not None:
        (key, threshold), = claim.values
        fast, slow = claim.faster_than
        reached = [_first_reached(race.trainers[i], key, threshold, claim.by_epoch) for i in (fast, slow)]
        if reached[0] is None:
            return f"run {fast} never reached {key} {threshold} by epoch {claim.by_epoch}"
        if reached[1] is not None and reached[1] <= reached[0]:
            return f"run {slow} reached {key} {threshold} at epoch {reached[1]}, run {fast} only at {reached[0]}"
        return None
    trainer = race.trainers[claim.run]
    diverged = _diverged_at(trainer)
    if claim.diverges_at_epoch is not None:
        if diverged is None:
            return f"run {claim.run} had not diverged by epoch {claim.diverges_at_epoch}"
        if diverged != claim.diverges_at_epoch:
            return f"run {claim.run} diverged at epoch {diverged}, not {claim.diverges_at_epoch}"
        return None
    if claim.diverges_by_epoch is not None:
        if diverged is None or diverged > claim.diverges_by_epoch:
            return f"run {claim.run} had not diverged by epoch {claim.diverges_by_epoch}"
        return None
    record = _record(trainer, claim.at_epoch)
    if record is None:
        return f"run {claim.run} never reached epoch {claim.at_epoch} (diverged at {diverged})"
    problems = []
    for key, value in claim.values:
        if key in MINIBATCH_CHECKS:
            problem = MINIBATCH_CHECKS[key](trainer, claim.at_epoch, value)
            if problem:
                problems.append(problem)
            continue
        if key == "caption":
            history = trainer.history.view()
            cut = type(history)(*(np.asarray(column)[:claim.at_epoch + 1] for column in (
                history.epoch, history.loss, history.accuracy, history.learning_rate, history.test_loss,
                history.test_accuracy)))
            sizes = trainer.network.sizes
            divergence = trainer.divergence if diverged is not None and diverged <= claim.at_epoch else None
            got = caption(cut, trainer.optimizer_config, sizes[-1], len(sizes) - 2, divergence)
            if got is None or got.kind != value:
                problems.append(f"caption is {got.kind if got else None} ({got.sentence if got else ''}), not {value}")
            continue
        if key == "course_line":
            if record.course_line() != value:
                problems.append(f"the course line is {record.course_line()!r}, not {value!r}")
            continue
        measure, _, side = key.rpartition("_")
        got = getattr(record, measure)
        holds = math.isfinite(got) and (got < value if side == "below" else got > value)
        if not holds:
            problems.append(f"{measure} is {got:.6g}, not {side} {value}")
    if problems:
        return f"run {claim.run} at epoch {claim.at_epoch}: " + "; ".join(problems)
    return None


# --- mini-batches: the optimizer's steps and the faint per-update losses ------------------------

def _batch_window(trainer, epoch):
    """``(batch losses, the epoch curve's loss at each one's epoch)`` of the updates in the ``BATCH_WINDOW``
    epochs up to and including ``epoch``: what the loss plot draws faint behind the curve there."""
    if trainer.minibatches is None:
        return None
    updates = trainer.minibatches.updates.view()
    epochs = np.floor(np.asarray(updates.epoch)).astype(int)
    kept = (epochs > epoch - BATCH_WINDOW) & (epochs <= epoch)
    curve = np.asarray(trainer.history.view().loss)
    return np.asarray(updates.loss)[kept], curve[epochs[kept]]


def _steps_made(trainer, epoch, value):
    """The optimizer's ``step`` once epoch ``epoch`` is trained: full batch makes one update an epoch."""
    if trainer.minibatches is None:
        made = epoch + 1
    else:
        updates = trainer.minibatches.updates.view()
        done = np.asarray(updates.step)[np.asarray(updates.epoch) < epoch + 1]
        made = int(done[-1]) + 1 if len(done) else 0
    return None if made == int(value) else f"steps made by then are {made:,}, not {int(value):,}"


def _batch_check(measure, side):
    def check(trainer, epoch, value):
        window = _batch_window(trainer, epoch)
        if window is None or not len(window[0]):
            return f"no batch losses by epoch {epoch} (full batch makes none)"
        losses, curve = window
        got = {"low": losses.min(), "high": losses.max(),
               # how far the batch losses stray from the epoch curve: their root mean square distance from it
               "spread": math.sqrt(float(np.mean((losses - curve) ** 2)))}[measure]
        holds = got < value if side == "below" else got > value
        return None if holds else (f"the batch losses' {measure} over epochs {max(0, epoch - BATCH_WINDOW + 1)}–"
                                   f"{epoch} is {got:.6g}, not {side} {value}")
    return check


MINIBATCH_CHECKS = {"steps_made": _steps_made, "batch_low_below": _batch_check("low", "below"),
                    "batch_high_above": _batch_check("high", "above"),
                    "batch_spread_above": _batch_check("spread", "above"),
                    "batch_spread_below": _batch_check("spread", "below")}


# --- loss surfaces: the preset's race, as the surface view walks it -------------------------------

def check_surface_claim(preset: SurfacePreset, claim: Claim) -> str | None:
    """None when the surface ``claim`` holds of ``preset``'s race, walked by the engine as the view walks it."""
    run_index = claim.get("surface_run")
    if run_index >= len(preset.runs):
        return f"the preset {preset.title!r} has no run {run_index} ({len(preset.runs)} runs, counted from 0)"
    race = preset.race()
    leaves = claim.get("leaves_plot_at_step")
    steps = leaves if leaves is not None else claim.get("after_steps")
    if steps > preset.steps:
        return f"the view stops at step {preset.steps}, before step {steps}"
    race.run(steps)
    run = race.runs[run_index]
    where = f"surface run {run_index} ({run.label})"
    if leaves is not None:
        if run.divergence is None:
            return f"{where} is still on the plot at step {steps}, at ({run.point[0]:.3g}, {run.point[1]:.3g})"
        stopped = len(run.path)
        return None if stopped == leaves else f"{where} {run.divergence}, not at step {leaves}"
    if run.divergence is not None:
        return f"{where} {run.divergence}"
    problems = []
    minimum = claim.get("near_minimum")
    if minimum is not None:
        minima = preset.surface.minima
        if minimum >= len(minima):
            return f"{preset.surface.name} has {len(minima)} minima, not a minimum {minimum}"
        distance = math.dist(run.point, minima[minimum])
        if not distance <= claim.get("within"):
            problems.append(f"is {distance:.3g} from minimum {minimum} {minima[minimum]}, not within "
                            f"{claim.get('within')}")
    loss = run.loss
    for key, side in (("surface_loss_below", "below"), ("surface_loss_above", "above")):
        value = claim.get(key)
        if value is not None and not (loss < value if side == "below" else loss > value):
            problems.append(f"loss is {loss:.6g}, not {side} {value}")
    return f"{where} after {steps} steps: " + "; ".join(problems) if problems else None


def check_lesson(lesson: Lesson, surface_presets: dict | None = None) -> list[str]:
    """Every claim of every step that does not hold, as ``step N, claim M: …``; [] when all hold.

    Surface claims are about the preset the step shows, found by name in ``surface_presets``
    (the app's shipped presets by default).
    """
    problems = []
    trained: dict = {}
    for index, step in enumerate(lesson.steps):
        if not step.claims:
            continue
        for number, claim in enumerate(step.claims):
            if claim.surface:
                if surface_presets is None:
                    surface_presets = load_surface_presets()
                name = lesson.surface_preset_at(index)
                preset = surface_presets.get(name)
                problem = (f"there is no surface preset {name!r}" if preset is None
                           else check_surface_claim(preset, claim))
            else:
                problem = check_claim(_trained(trained, lesson.experiment_at(index), step), claim)
            if problem:
                problems.append(f"step {index + 1}, claim {number + 1}: {problem}")
    return problems


def _trained(trained: dict, experiment, step) -> Race:
    """The race of ``experiment``, trained (once for every step that shares it) as far as ``step``'s claims need."""
    needed = max(claim.epochs_needed for claim in step.claims)
    race = trained.get(experiment)
    if race is None:
        race = trained[experiment] = Race(experiment)
    if race.epoch < needed:
        race.run(needed - race.epoch)
    return race


# --- a lesson's words against its runs' captions ----------------------------------------------------

#: Words a step may say about its runs, and what at least one run's tried caption must then say
#: (its kind, or words of its sentence): the lesson and the captions under the plots never disagree.
CAPTION_WORDS = (
    ("converged", lambda c: c.kind == "converged"),
    ("oscillat", lambda c: c.kind == "oscillating"),
    ("plateau", lambda c: c.kind == "plateau"),
    ("diverged", lambda c: c.kind == "diverging"),
    ("too high", lambda c: "too high" in c.what),
    ("too low", lambda c: "too low" in c.what or "too small" in c.what),
    ("too small", lambda c: "too low" in c.what or "too small" in c.what),
)
#: Words that call a run's setting right: then no tried change may beat it.
RIGHT_WORDS = ("just right",)


def step_epoch(step) -> int:
    """The epoch a step shows its runs at: the one it plays to, else the latest its claims name (0: none)."""
    if step.play_to_epoch is not None:
        return step.play_to_epoch
    return max((claim.at_epoch for claim in step.claims if not claim.surface and claim.at_epoch is not None),
               default=0)


def caption_contradictions(lesson: Lesson) -> list[str]:
    """Where ``lesson``'s words and its runs' tried captions disagree, as ``step N: …``; [] when they agree.

    Each step that shows its runs at an epoch is trained there (as the window's race trains it)
    and every run's caption tried (``tries.race_captions``); the step's words (and the lesson's
    title, for ``RIGHT_WORDS``) are read against them.
    """
    from .tries import race_captions   # tries builds on the captions this module reads

    problems = []
    for index, step in enumerate(lesson.steps):
        epoch = step_epoch(step)
        experiment = lesson.experiment_at(index)
        if not epoch or experiment is None:
            continue
        race = Race(experiment)
        race.run(epoch)
        captions = [c for c in race_captions(race) if c is not None]
        text = step.text.lower()
        said = "; ".join(f"{label}: {c.sentence}" for label, c in zip(race.labels, captions))
        for words, holds in CAPTION_WORDS:
            if words in text and not any(holds(c) for c in captions):
                problems.append(f"step {index + 1} says {words!r}, but no caption does ({said})")
        if any(words in f"{lesson.title} {step.text}".lower() for words in RIGHT_WORDS):
            for label, c in zip(race.labels, captions):
                if c.tried is not None:
                    problems.append(f"step {index + 1} calls a setting right, but a tried change beat {label}: "
                                    f"{c.sentence}")
    return problems
