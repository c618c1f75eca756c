"""Captions: one plain sentence about how a run is doing, with the epoch, and what a try showed.

``caption(history, optimizer, classes, hidden_layers, divergence)`` reads only the run's
history (loss, accuracy and learning rate per epoch) and its settings, so the same run
always gets the same caption. In order of precedence:

- diverging: the trainer stopped it as diverged, or the loss is far above its start;
- collapsed: the learning rate was raised during the run, the loss jumped and now sits well
  above where it was (steps that large overshoot, and ReLU units knocked dead stay dead):
  the new rate is too high, however flat the loss is now;
- not learning: the loss has sat at ln(classes) — the loss of a network that guesses every
  class equally — since the start, in a network of ``DEEP`` or more hidden layers, whose
  outputs are too small to move at the start (0.01 · N(0, 1) weights, layer after layer);
- converged: it classifies nearly every point and the loss has stopped falling, or a low loss
  has stopped falling, or the loss is tiny (no zigzag of a tiny loss is called oscillating);
- oscillating: the loss keeps jumping up and down by more than ``OSCILLATION`` of itself;
- plateau: the loss fell by less than ``PLATEAU`` over the last ``WINDOW`` epochs: the
  learning rate is too low, or decay has already shrunk it (decay too strong);
- learning: the loss is falling; starting: too few epochs to say.

A caption never suggests a change it has not tried: it carries the changes worth trying
(``candidates``, from the diagnosis, never the setting the run already has), and
``tries.settle`` trains each from the run's state and keeps the best that helped, with
its numbers. The diagnosis alone says no more than what the run is doing.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from nngui.engine.experiment import LIMITS, OptimizerConfig

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
#: A rate this much above the epoch before's was raised by hand (decay only ever lowers it).
RAISED = 1.01
#: Collapsed: after the raise the loss peaked at this many times its value before it …
COLLAPSE_PEAK = 1.5
#: … and still sits at this many times that value, at least COLLAPSE_EPOCHS after the raise.
COLLAPSE_STAYS = 1.2
COLLAPSE_EPOCHS = 20
#: A plateau whose loss once jumped this many times above its start: the rate is too high, not too low.
SPIKE = 1.3
#: Epochs before a raise whose mean loss is "where it was".
BEFORE_EPOCHS = 10

#: The changes tried: a rate halved and a tenth, doubled and ten times; momentum and decay as the chapter's.
LOWER_RATES = (0.5, 0.1)
HIGHER_RATES = (2.0, 10.0)
TRY_MOMENTUM = 0.9
LOWER_MOMENTUM = 0.5
TRY_DECAY = 1e-3
LESS_DECAY = 0.1
MORE_DECAY = 10.0

KINDS = ("starting", "learning", "diverging", "collapsed", "oscillating", "plateau", "not_learning", "converged")


@dataclass(frozen=True)
class Tried:
    """A change tried from a run's state: ``epochs`` more epochs with ``config`` from ``from_epoch``
    reach ``loss_with``, the same copy without it ``loss_without`` (``diverged``: the tried copy did)."""

    config: OptimizerConfig
    from_epoch: int
    epochs: int
    loss_with: float
    loss_without: float
    diverged: bool = False
    #: the tried copy ended at ln(classes), guessing every class evenly
    even_guess: bool = False

    @property
    def helped(self) -> bool:
        """At most ``HELPS`` of the loss without it, and finite (a run that diverged, or that only guesses
        evenly, never helped)."""
        if self.diverged or self.even_guess or not math.isfinite(self.loss_with):
            return False
        return not math.isfinite(self.loss_without) or self.loss_with <= HELPS * self.loss_without


#: A tried change is shown only if it reaches at most this share of the loss without it.
HELPS = 0.95


@dataclass(frozen=True)
class Caption:
    """What a run is doing after ``epoch`` epochs (``kind``, one of ``KINDS``), in words, and what a try showed.

    ``epoch`` counts the epochs trained, as the status line does ("Epoch 300" after 300 epochs).
    ``candidates`` are the changes worth trying, from the diagnosis; ``tried`` the best that
    helped once tried (None: none did, or none was tried yet) and ``tries`` every try made.
    """

    kind: str
    epoch: int
    what: str
    suggestion: str = ""
    candidates: tuple[OptimizerConfig, ...] = ()
    optimizer: OptimizerConfig | None = None
    tried: Tried | None = None
    tries: tuple[Tried, ...] = ()
    #: ``what`` and ``suggestion`` in a few words, for one line on a projector
    headline: str = ""
    tip: str = ""

    @property
    def sentence(self) -> str:
        return f"Epoch {self.epoch:,}: {self.what} {self.suggestion}".rstrip()

    @property
    def line(self) -> str:
        """The sentence in a few words: what one line under the plots shows (the sentence is its tooltip)."""
        return f"Epoch {self.epoch:,}: {self.headline or self.what} {self.tip or self.suggestion}".rstrip()

    @property
    def suggested(self) -> OptimizerConfig | None:
        """The setting suggested: only ever one that was tried and helped."""
        return self.tried.config if self.tried is not None else None


def _number(value: float) -> str:
    return f"{value:.3g}"


def two_numbers(a: float, b: float, digits: int = 3) -> tuple[str, str]:
    """``a`` and ``b`` with the fewest significant digits (at least ``digits``) that tell them apart."""
    if not (math.isfinite(a) and math.isfinite(b)) or a == b:
        return _shown(a, digits), _shown(b, digits)
    for places in range(digits, 10):
        left, right = _shown(a, places), _shown(b, places)
        if left != right:
            return left, right
    return _shown(a, 10), _shown(b, 10)


def _shown(value: float, places: int) -> str:
    """``value`` to ``places`` significant digits, trailing zeros kept (``1.00``, not ``1``, beside ``1.04``)."""
    if not math.isfinite(value):
        return "infinite"
    return f"{value:#.{places}g}".removesuffix(".")


def _fall(loss: np.ndarray) -> float:
    """How much the loss fell over ``loss``, relative to where it was (means of the first and last tenth)."""
    tenth = max(1, len(loss) // 10)
    before, after = float(np.mean(loss[:tenth])), float(np.mean(loss[-tenth:]))
    return (before - after) / before if before > 0 else 0.0


# --- the changes worth trying ---------------------------------------------------------------------

def _valid(kind, learning_rate, decay, momentum) -> OptimizerConfig | None:
    low, high = LIMITS["optimizer.learning_rate"]
    if not low <= learning_rate <= high:
        return None
    return OptimizerConfig(kind, float(learning_rate), float(decay), float(momentum))


def _rate(config: OptimizerConfig, factor: float) -> OptimizerConfig | None:
    return _valid(config.kind, _round(config.learning_rate * factor), config.decay, config.momentum)


def _round(value: float) -> float:
    # a rate a person would type: 0.15 rather than 0.15000000000000002
    return float(f"{value:.6g}")


def _with_momentum(config: OptimizerConfig, momentum: float) -> OptimizerConfig:
    return OptimizerConfig("momentum", config.learning_rate, config.effective_decay, momentum)


def _with_decay(config: OptimizerConfig, decay: float) -> OptimizerConfig:
    if decay == 0:
        if config.kind == "momentum":
            return OptimizerConfig("momentum", config.learning_rate, 0.0, config.momentum)
        return OptimizerConfig("sgd", config.learning_rate, 0.0, 0.0)
    kind = "momentum" if config.kind == "momentum" else "decay"
    return OptimizerConfig(kind, config.learning_rate, decay, config.effective_momentum)


def same_setting(a: OptimizerConfig, b: OptimizerConfig) -> bool:
    """Whether ``a`` and ``b`` train alike: the same rate, decay and momentum applied."""
    return (a.learning_rate, a.effective_decay, a.effective_momentum) == \
        (b.learning_rate, b.effective_decay, b.effective_momentum)


def _candidates(config: OptimizerConfig, *changes) -> tuple[OptimizerConfig, ...]:
    """The changes, without any the run already has, nor twins."""
    kept: list[OptimizerConfig] = []
    for change in changes:
        if change is None or same_setting(change, config) or any(same_setting(change, k) for k in kept):
            continue
        kept.append(change)
    return tuple(kept)


def too_high(config: OptimizerConfig, before: float | None = None) -> tuple[OptimizerConfig, ...]:
    """Lower rates (the rate before a raise first), less momentum, or decay (more of it, for a run that has some)."""
    back = _valid(config.kind, before, config.decay, config.momentum) if before else None
    less_momentum = (OptimizerConfig("momentum", config.learning_rate, config.decay, LOWER_MOMENTUM)
                     if config.effective_momentum > LOWER_MOMENTUM else None)
    more = _round(config.effective_decay * MORE_DECAY) if config.effective_decay else TRY_DECAY
    decay = _with_decay(config, more) if more <= LIMITS["optimizer.decay"][1] else None
    return _candidates(config, back, *(_rate(config, f) for f in LOWER_RATES), less_momentum, decay)


def too_low(config: OptimizerConfig) -> tuple[OptimizerConfig, ...]:
    """Higher rates, or momentum for a run without."""
    momentum = _with_momentum(config, TRY_MOMENTUM) if not config.effective_momentum else None
    return _candidates(config, *(_rate(config, f) for f in HIGHER_RATES), momentum)


def less_decay(config: OptimizerConfig) -> tuple[OptimizerConfig, ...]:
    return _candidates(config, _with_decay(config, _round(config.effective_decay * LESS_DECAY)),
                       _with_decay(config, 0.0))


# --- the diagnosis ------------------------------------------------------------------------------

def _raise(rates: np.ndarray) -> int | None:
    """The last epoch whose rate is above the epoch before's by hand (a settings change), or None."""
    raised = np.flatnonzero(rates[1:] > RAISED * rates[:-1])
    return int(raised[-1]) + 1 if len(raised) else None


def caption(history, optimizer, classes: int, hidden_layers: int, divergence: str | None = None) -> Caption | None:
    """The caption of a run with ``history`` (a ``HistoryView``) and setting ``optimizer``; None before its first
    epoch. Its ``candidates`` are the changes worth trying; it suggests none until they are tried."""
    found = _diagnose(history, optimizer, classes, hidden_layers, divergence)
    return None if found is None else dataclasses.replace(found, optimizer=optimizer)


def _diagnose(history, optimizer, classes, hidden_layers, divergence):
    n = len(history)
    if n == 0:
        return None
    loss, accuracy = np.asarray(history.loss), np.asarray(history.accuracy)
    rates = np.asarray(history.learning_rate)
    epoch = int(history.epoch[-1]) + 1
    rate = float(rates[-1])
    first_rate = float(optimizer.learning_rate)
    last = float(loss[-1])
    if divergence or not math.isfinite(last) or (n >= FIRST_EPOCHS and last > DIVERGING_FACTOR * float(loss[0])):
        start, now = two_numbers(float(loss[0]), last)
        what = (f"training stopped: the loss blew up by epoch {epoch - 1} ({start} → {now})"
                if divergence else f"the loss is blowing up ({start} → {now})")
        return Caption("diverging", epoch, f"{what}: learning rate {_number(first_rate)} is too high, each step "
                                           "overshoots.", candidates=too_high(optimizer),
                       headline=f"{'diverged' if divergence else 'diverging'} ({start} → {now}): learning rate "
                                f"{_number(first_rate)} too high.")
    raised = _raise(rates)
    if raised is not None and n - raised >= COLLAPSE_EPOCHS:
        before = float(np.mean(loss[max(0, raised - BEFORE_EPOCHS):raised]))
        peak = float(np.max(loss[raised:]))
        if peak > COLLAPSE_PEAK * before and last > COLLAPSE_STAYS * before:
            before_rate = _original_rate(optimizer, float(rates[raised - 1]), float(rates[raised]))
            was, now = two_numbers(before, last)
            return Caption("collapsed", epoch,
                           f"collapsed: the learning rate went up from {_number(before_rate)} to "
                           f"{_number(first_rate)} at epoch {raised:,}, the loss jumped to {_number(peak)} and "
                           f"sits at {now}, against {was} before: learning rate {_number(first_rate)} is too high "
                           "(its steps overshoot, and units they knocked out stay out).",
                           candidates=too_high(optimizer, before_rate),
                           headline=f"collapsed since the rate went up to {_number(first_rate)} at epoch "
                                    f"{raised:,}: too high.")
    if n < FIRST_EPOCHS:
        return Caption("starting", epoch, f"just started (loss {_shown(last, 4)}).", "Watch whether the loss falls.")
    chance = math.log(classes)
    if (hidden_layers >= DEEP and n >= STUCK_EPOCHS
            and float(np.max(np.abs(loss - chance))) <= STUCK_TOLERANCE * chance):
        return Caption("not_learning", epoch,
                       f"not learning at all: the loss sits at ln({classes}) = {chance:.3f}, an even guess; the "
                       f"starting weights are too small for {hidden_layers} hidden layers (fewer layers would "
                       "start to learn).",
                       candidates=too_low(optimizer),
                       headline=f"not learning: stuck at ln({classes}) = {chance:.3f}; {hidden_layers} hidden layers "
                                "start too small.")
    window = loss[-WINDOW:]
    fall = _fall(window)
    settled = n >= WINDOW and fall < PLATEAU and last <= PLATEAU_LOSS   # flat, and low already: no plateau
    if last < TINY_LOSS or settled or (n >= STUCK_EPOCHS and accuracy[-1] >= CONVERGED_ACCURACY
                                       and fall < CONVERGED_FALL):
        return Caption("converged", epoch,
                       f"converged: {accuracy[-1]:.0%} right, and the loss ({_shown(last, 3)}) hardly falls "
                       "any more.", headline=f"converged: {accuracy[-1]:.0%} right, loss {_shown(last, 3)}.")
    recent = loss[-OSCILLATION_EPOCHS:]
    steps = np.diff(recent)
    if len(steps) >= 10:
        flips = float(np.mean(np.sign(steps[1:]) != np.sign(steps[:-1])))
        jump = float(np.mean(np.abs(steps))) / max(float(np.mean(recent)), 1e-12)
        if flips > FLIPS and jump > OSCILLATION:
            return Caption("oscillating", epoch,
                           f"oscillating: the loss jumps up and down, about {jump:.0%} an epoch, as the steps "
                           f"of learning rate {_number(rate)} overshoot.",
                           candidates=too_high(optimizer))
    if n >= WINDOW and fall < PLATEAU and last > PLATEAU_LOSS:
        was, now = two_numbers(float(window[0]), last, 4)
        span = f"{was} → {now} in {len(window)} epochs"
        if optimizer.effective_decay and rate < DECAYED * first_rate:
            return Caption("plateau", epoch,
                           f"a long plateau ({span}): decay {_number(optimizer.effective_decay)} is too strong, "
                           f"the learning rate is already down from {_number(first_rate)} to {_number(rate)}.",
                           candidates=less_decay(optimizer),
                           headline=f"plateau: decay {_number(optimizer.effective_decay)} too strong, rate down "
                                    f"to {_number(rate)}.")
        spike = int(np.argmax(loss))
        if float(loss[spike]) > SPIKE * float(loss[0]):
            # the loss jumped above its start on the way: steps that large knock units out for good
            return Caption("plateau", epoch,
                           f"a long plateau ({span}) since the loss jumped to {_number(float(loss[spike]))} at epoch "
                           f"{spike:,}: learning rate {_number(rate)} is too high, not too low (steps that "
                           "large knock units out, and they stay out).",
                           candidates=too_high(optimizer),
                           headline=f"plateau since a jump at epoch {spike:,}: learning rate {_number(rate)} too "
                                    "high.")
        return Caption("plateau", epoch, f"a long plateau ({span}): learning rate {_number(rate)} is too low.",
                       candidates=too_low(optimizer),
                       headline=f"plateau at loss {now}: learning rate {_number(rate)} too low.")
    # the means of the window's first and last tenth: a zigzag's endpoints could say it rose
    tenth = max(1, len(window) // 10)
    was, now = two_numbers(float(np.mean(window[:tenth])), float(np.mean(window[-tenth:])))
    moved = "fell" if fall > 0 else "went"
    right = f"{accuracy[-1]:.0%} right"
    return Caption("learning", epoch,
                   f"learning: the loss {moved} from {was} to {now} in {len(window)} epochs ({right}).",
                   headline=f"learning: loss {was} → {now}, {right}.",
                   candidates=_candidates(optimizer, _rate(optimizer, HIGHER_RATES[0]),
                                          None if optimizer.effective_momentum
                                          else _with_momentum(optimizer, TRY_MOMENTUM),
                                          # decay has already halved the rate: would less of it do better?
                                          _with_decay(optimizer, _round(optimizer.effective_decay * LESS_DECAY))
                                          if optimizer.effective_decay and rate < first_rate / 2 else None))


def _original_rate(optimizer, old_rate, new_rate) -> float | None:
    """The setting's rate before a raise, from the rates used just before and just after it (decay
    shrinks both alike), to three figures."""
    if new_rate <= 0:
        return None
    return float(f"{optimizer.learning_rate * old_rate / new_rate:.3g}")


def caption_of(snapshot) -> Caption | None:
    """The caption of a trainer's ``Snapshot`` (its history, setting, size and divergence), not yet tried."""
    sizes = snapshot.sizes
    return caption(snapshot.history, snapshot.optimizer, sizes[-1], len(sizes) - 2, snapshot.divergence)
