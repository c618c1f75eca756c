"""Captions: one plain sentence about how a run is doing, with the epoch and what to try next.

``caption(history, optimizer, classes, hidden_layers, divergence)`` reads only the run's
history (loss, accuracy and learning rate per epoch) and its settings, so the same run
always gets the same caption. In order of precedence:

- diverging: the trainer stopped it as diverged, or the loss is far above its start;
- not learning: the loss has sat at ln(classes) — the loss of a network that guesses every
  class equally — since the start, in a network of ``DEEP`` or more hidden layers, whose
  outputs are too small to move at the start (0.01 · N(0, 1) weights, layer after layer);
- oscillating: the loss keeps jumping up and down by more than ``OSCILLATION`` of itself;
- converged: it classifies nearly every point and the loss has stopped falling;
- plateau: the loss fell by less than ``PLATEAU`` over the last ``WINDOW`` epochs: the
  learning rate is too low, or decay has already shrunk it (decay too strong);
- learning: the loss is falling; starting: too few epochs to say.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: Epochs looked back over to call a plateau, convergence or steady learning.
WINDOW = 500
#: Fewer epochs than this: too early to say anything but "starting".
FIRST_EPOCHS = 50
#: Epochs the loss must sit at ln(classes) to call the network not learning.
STUCK_EPOCHS = 200
#: How close to ln(classes), relative, the loss sits when nothing is learnt.
STUCK_TOLERANCE = 0.002
#: Hidden layers from which tiny starting weights can silence the network.
DEEP = 3
#: Epochs looked at for oscillation, and how much of the loss each jump must be on average.
OSCILLATION_EPOCHS = 200
OSCILLATION = 0.015
#: Share of epochs whose change of loss flips sign, above which the loss zigzags.
FLIPS = 0.4
#: Relative fall of the loss over WINDOW below which it is on a plateau.
PLATEAU = 0.02
#: A loss above this can still fall a lot: a flat curve there is a plateau, not the end.
PLATEAU_LOSS = 0.3
#: Converged: accuracy at least this, with the loss falling less than CONVERGED_FALL over WINDOW.
CONVERGED_ACCURACY = 0.95
CONVERGED_FALL = 0.05
#: A loss this small is converged whatever its trend.
TINY_LOSS = 0.02
#: Diverging: the loss this many times its starting value.
DIVERGING_FACTOR = 1.5
#: Decay has shrunk the learning rate below this share of its start: it, not the rate, stalls the run.
DECAYED = 0.2

KINDS = ("starting", "learning", "diverging", "oscillating", "plateau", "not_learning", "converged")


@dataclass(frozen=True)
class Caption:
    """What a run is doing after ``epoch`` epochs (``kind``, one of ``KINDS``), in words, and what to try next.

    ``epoch`` counts the epochs trained, as the status line does ("Epoch 300" after 300 epochs).
    """

    kind: str
    epoch: int
    what: str
    suggestion: str

    @property
    def sentence(self) -> str:
        return f"Epoch {self.epoch:,}: {self.what} {self.suggestion}"


def _number(value: float) -> str:
    return f"{value:.3g}"


def _fall(loss: np.ndarray) -> float:
    """How much the loss fell over ``loss``, relative to where it was (means of the first and last tenth)."""
    tenth = max(1, len(loss) // 10)
    before, after = float(np.mean(loss[:tenth])), float(np.mean(loss[-tenth:]))
    return (before - after) / before if before > 0 else 0.0


def caption(history, optimizer, classes: int, hidden_layers: int, divergence: str | None = None) -> Caption | None:
    """The caption of a run with ``history`` (a ``HistoryView``); None before its first epoch."""
    n = len(history)
    if n == 0:
        return None
    loss, accuracy = np.asarray(history.loss), np.asarray(history.accuracy)
    epoch = int(history.epoch[-1]) + 1
    rate = float(history.learning_rate[-1])
    first_rate = float(optimizer.learning_rate)
    last = float(loss[-1])
    if divergence or not math.isfinite(last) or (n >= FIRST_EPOCHS and last > DIVERGING_FACTOR * float(loss[0])):
        now = _number(last) if math.isfinite(last) else "infinite"
        what = (f"training stopped: the loss blew up by epoch {epoch - 1} ({_number(float(loss[0]))} → {now})"
                if divergence else f"the loss is blowing up ({_number(float(loss[0]))} → {now})")
        return Caption("diverging", epoch, f"{what}: learning rate {_number(first_rate)} is too high, each step "
                                           "overshoots.",
                       f"Try {_number(first_rate / 10)} and press Reset.")
    if n < FIRST_EPOCHS:
        return Caption("starting", epoch, f"just started (loss {_number(last)}).",
                       "Watch whether the loss falls.")
    chance = math.log(classes)
    if (hidden_layers >= DEEP and n >= STUCK_EPOCHS
            and float(np.max(np.abs(loss - chance))) <= STUCK_TOLERANCE * chance):
        return Caption("not_learning", epoch,
                       f"not learning at all: the loss sits at ln({classes}) = {chance:.3f}, an even guess; the "
                       f"starting weights are too small for {hidden_layers} hidden layers.",
                       "Try 1 or 2 hidden layers.")
    recent = loss[-OSCILLATION_EPOCHS:]
    steps = np.diff(recent)
    if len(steps) >= 10:
        flips = float(np.mean(np.sign(steps[1:]) != np.sign(steps[:-1])))
        jump = float(np.mean(np.abs(steps))) / max(float(np.mean(recent)), 1e-12)
        if flips > FLIPS and jump > OSCILLATION:
            return Caption("oscillating", epoch,
                           f"oscillating: the loss jumps up and down, about {jump:.0%} an epoch, as the steps "
                           "overshoot.",
                           f"Try learning rate {_number(first_rate / 2)}, or some decay.")
    window = loss[-WINDOW:]
    fall = _fall(window)
    if n >= STUCK_EPOCHS and (last < TINY_LOSS or (accuracy[-1] >= CONVERGED_ACCURACY and fall < CONVERGED_FALL)):
        return Caption("converged", epoch,
                       f"converged: {accuracy[-1]:.0%} right, and the loss ({_number(last)}) hardly falls any more.",
                       "Try more noise, a harder data set, or a test split.")
    if n >= WINDOW and fall < PLATEAU and last > PLATEAU_LOSS:
        span = f"{float(window[0]):.4g} → {last:.4g} in {len(window)} epochs"
        if rate < DECAYED * first_rate:
            return Caption("plateau", epoch,
                           f"a long plateau ({span}): decay is too strong, the learning rate is already down from "
                           f"{_number(first_rate)} to {_number(rate)}.",
                           f"Try decay {_number(optimizer.decay / 10)}.")
        advice = ("Try momentum 0.9, or a higher learning rate." if not optimizer.effective_momentum
                  else f"Try learning rate {_number(first_rate * 2)}.")
        return Caption("plateau", epoch, f"a long plateau ({span}): learning rate {_number(rate)} is too low.",
                       advice)
    return Caption("learning", epoch,
                   f"learning: the loss fell from {_number(float(window[0]))} to {_number(last)} in "
                   f"{len(window)} epochs ({accuracy[-1]:.0%} right).",
                   "Keep training.")


def caption_of(snapshot) -> Caption | None:
    """The caption of a trainer's ``Snapshot`` (its history, setting, size and divergence)."""
    sizes = snapshot.sizes
    return caption(snapshot.history, snapshot.optimizer, sizes[-1], len(sizes) - 2, snapshot.divergence)
