"""Checking what a lesson says: train each step's experiment headless and test every claim.

A lesson's sentences must be true of what the app then shows. Each claim (see
``lessons.CLAIM_KEYS``) is decided from the race's histories, exactly as the window's race
trains them (same engine, same start), so a test can hold every shipped lesson to its word::

    problems = check_lesson(lesson)      # [] when every claim holds
"""

from __future__ import annotations

import math

import numpy as np

from .captions import caption
from .history import EpochRecord
from .lessons import Claim, Lesson
from .race import Race


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


def check_lesson(lesson: Lesson) -> list[str]:
    """Every claim of every step that does not hold, as ``step N, claim M: …``; [] when all hold."""
    problems = []
    trained: dict = {}
    for index, step in enumerate(lesson.steps):
        if not step.claims:
            continue
        experiment = lesson.experiment_at(index)
        needed = max(claim.epochs_needed for claim in step.claims)
        race = trained.get(experiment)
        if race is None:
            race = trained[experiment] = Race(experiment)
        if race.epoch < needed:
            race.run(needed - race.epoch)
        for number, claim in enumerate(step.claims):
            problem = check_claim(race, claim)
            if problem:
                problems.append(f"step {index + 1}, claim {number + 1}: {problem}")
    return problems
