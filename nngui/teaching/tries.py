"""Trying a caption's suggestions before one is shown: a copy of the run with the change, against one without.

A caption (``captions.caption``) names the changes worth trying for what a run is doing.
``settle(found, trainer)`` tries each: a copy of the run from its state now (weights,
momentum buffers, the optimizer's ``step``: as an edit in the window applies from the next
epoch) trains ``TRY_EPOCHS`` epochs with the change, and the same copy trains as many
without it. The best change that reaches at most ``HELPS`` of the loss without it, and
did not diverge, becomes the caption's suggestion, with both losses in the sentence;
when none helped the caption says so — it never suggests what it has not tried.

A run that has stopped as diverged cannot go on: its changes are tried from epoch 0 (as
Reset does), for as many epochs as it trained (at least ``TRY_EPOCHS``).

Everything is deterministic (the copies train exactly as the run would), so the same run
at the same epoch always gets the same caption, and ``nngui race --at`` replays a try
bit for bit.
"""

from __future__ import annotations

import copy
import dataclasses
import math

import numpy as np

from nngui.engine.experiment import OptimizerConfig
from nngui.engine.trainer import CONSTANT, Trainer

from .captions import STUCK_TOLERANCE, Caption, Tried, caption, two_numbers

#: Epochs each change (and the copy without it) trains.
TRY_EPOCHS = 300


class TryAborted(Exception):
    """A try stopped early because its ``abort()`` said so."""


def copy_run(trainer: Trainer) -> Trainer:
    """A run of its own that goes on exactly as ``trainer`` would: weights, momentum buffers, step, history.

    The one place a run is copied for a try: what never changes during a run (the trainer's
    ``CONSTANT`` attributes: the experiment, the data) is shared, the rest copied.
    """
    memo = {id(getattr(trainer, name)): getattr(trainer, name) for name in CONSTANT}
    return copy.deepcopy(trainer, memo)


def fresh_run(trainer: Trainer) -> Trainer:
    """``trainer``'s run as it was at epoch 0: the same data and first weights, its first setting, its optimizer's
    class (a student's, made again by the run's factory)."""
    return Trainer(trainer.experiment, trainer.settings[0][1], label=trainer.label,
                   optimizer_factory=trainer.optimizer_factory)


def _train(trainer: Trainer, epochs: int, abort) -> None:
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            if trainer.divergence:
                return
            if abort is not None and abort():
                raise TryAborted(f"try stopped at epoch {trainer.epoch}")
            trainer.train_epoch_unguarded()


def _loss(trainer: Trainer) -> float:
    record = trainer.last_record
    return record.loss if record is not None else math.nan


def try_change(trainer: Trainer, config: OptimizerConfig, epochs: int = TRY_EPOCHS, without: float | None = None,
               abort=None) -> Tried:
    """``epochs`` epochs of a copy of ``trainer`` with ``config`` from now, against ``without`` (the same copy's
    loss without it, trained here when not given)."""
    if without is None:
        plain = copy_run(trainer)
        _train(plain, epochs, abort)
        without = _loss(plain)
    tried = copy_run(trainer)
    tried.set_optimizer(config)
    _train(tried, epochs, abort)
    return Tried(config, trainer.epoch, epochs, _loss(tried), without, tried.divergence is not None)


def settle(found: Caption | None, trainer: Trainer, epochs: int = TRY_EPOCHS, abort=None) -> Caption | None:
    """``found`` (the caption of ``trainer`` now) with its candidates tried: the best that helped suggested.

    ``abort()``, if given, is asked before every epoch trained: True raises ``TryAborted``.
    """
    if found is None or not found.candidates:
        return found
    if trainer.divergence:
        start, epochs = fresh_run(trainer), max(epochs, trainer.epoch)
        without = _loss(trainer)
    else:
        start, without = trainer, None
    tries = []
    for config in found.candidates:
        tried = try_change(start, config, epochs, without, abort)
        without = tried.loss_without
        tries.append(tried)
    # a copy that ends at ln(classes) guesses every class evenly: a lower loss than a wild run's, but no help
    chance = math.log(trainer.network.sizes[-1])
    tries = [dataclasses.replace(t, even_guess=abs(t.loss_with - chance) <= STUCK_TOLERANCE * chance)
             for t in tries]
    helped = [t for t in tries if t.helped]
    best = min(helped, key=lambda t: t.loss_with) if helped else None
    return dataclasses.replace(found, tried=best, tries=tuple(tries), suggestion=_suggestion(best, tries, trainer),
                               tip=_tip(best, tries, trainer))


def _tip(best: Tried | None, tries, trainer) -> str:
    """The suggestion in a few words, for one line."""
    if best is None:
        return f"Tried {len(tries)} change{'s' if len(tries) > 1 else ''}: none helped."
    with_, without = two_numbers(best.loss_with, best.loss_without)
    change = change_words(trainer.optimizer_config, best.config)
    if trainer.divergence:
        return f"Tried from epoch 0 {change}: loss {with_}."
    return f"Tried {change}: loss {with_} vs {without} as is ({best.epochs} epochs)."


def _suggestion(best: Tried | None, tries, trainer) -> str:
    from_start = bool(trainer.divergence)
    if best is None:
        changes = ", ".join(change_words(trainer.optimizer_config, t.config, trainer.optimizer.step) for t in tries)
        without = two_numbers(tries[0].loss_without, tries[0].loss_without)[0]
        if from_start:
            return f"Tried from epoch 0: {changes}; none trained {tries[0].epochs} epochs without trouble."
        guesses = [change_words(trainer.optimizer_config, t.config, trainer.optimizer.step) for t in tries
                   if t.even_guess]
        evenly = f"only guesses every class evenly (loss ln {trainer.network.sizes[-1]})"
        if guesses and len(guesses) == len(tries):
            return (f"Tried {changes}: after {tries[0].epochs} more epochs each {evenly}, no help (as it is: "
                    f"loss {without}).")
        guess = f"; {', '.join(guesses)} it {evenly}" if guesses else ""
        return f"Tried {changes}: none beat {tries[0].epochs} more epochs as it is (loss {without}){guess}."
    with_, without = two_numbers(best.loss_with, best.loss_without)
    change = change_words(trainer.optimizer_config, best.config, 0 if from_start else trainer.optimizer.step)
    if from_start:
        return (f"Tried from epoch 0: {best.epochs:,} epochs {change} reach loss {with_}. "
                "Change it and press Reset.")
    return f"Tried: {best.epochs:,} more epochs {change} reach loss {with_}, against {without} as it is."


def change_words(old: OptimizerConfig, new: OptimizerConfig, step: int = 0) -> str:
    """What ``new`` changes of ``old``, in words: ``at learning rate 0.5``, ``with momentum 0.9``, ``without decay``.

    With decay, a new rate is said with the rate it decays to after ``step`` updates, the rate the steps use.
    """
    parts = []
    if new.learning_rate != old.learning_rate:
        rate = f"at learning rate {_plain(new.learning_rate)}"
        if new.effective_decay and step:
            rate += f" ({_plain(new.learning_rate / (1 + new.effective_decay * step))} after decay)"
        parts.append(rate)
    if new.effective_decay != old.effective_decay:
        parts.append(f"with decay {_plain(new.effective_decay)}" if new.effective_decay else "without decay")
    if new.effective_momentum != old.effective_momentum:
        parts.append(f"with momentum {_plain(new.effective_momentum)}" if new.effective_momentum
                     else "without momentum")
    return " and ".join(parts) if parts else "as it is"


def _plain(value: float) -> str:
    return f"{value:.3g}"


def tried_caption(trainer: Trainer, epochs: int = TRY_EPOCHS, abort=None) -> Caption | None:
    """The caption of ``trainer`` now, its suggestions tried (``trainer`` itself is not changed)."""
    sizes = trainer.network.sizes
    found = caption(trainer.history.view(), trainer.optimizer_config, sizes[-1], len(sizes) - 2, trainer.divergence)
    return settle(found, trainer, epochs, abort)


def race_captions(race, timeline=None, epoch: int | None = None, abort=None) -> tuple[Caption | None, ...]:
    """Every run's tried caption after ``epoch`` epochs of ``race`` (now, if None or its epoch).

    An earlier epoch is replayed from ``timeline`` (a ``RaceTimeline`` of ``race``), so looking
    back gets the caption the run had then. ``abort`` is asked before every epoch trained or
    replayed (``TryAborted`` or the timeline's ``ReplayAborted`` when it says so).
    """
    if any(trainer.walking for trainer in race.trainers):
        raise TryAborted("an epoch is being walked: captions are tried at an epoch's end")
    captions = []
    for index, trainer in enumerate(race.trainers):
        if epoch is not None and epoch < race.epoch:
            if timeline is None:
                raise ValueError(f"epoch {epoch}: looking back needs the race's timeline")
            trainer = timeline.runs[index].trainer_at(epoch, with_history=True, abort=abort)
        captions.append(tried_caption(trainer, abort=abort))
    return tuple(captions)
