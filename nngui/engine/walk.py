"""One epoch call by call: what each call of the protocol was, the optimizer's state, one weight's update.

``Trainer.walk_epoch()`` yields a ``WalkStep`` after each call of the lesson's protocol::

    loss = network.forward(X, y)          # "forward": forward pass, loss and accuracy
    network.backward(y)                   # "backward"
    optimizer.pre_update_params()         # "pre_update_params"
    optimizer.update_params(layer)        # "update_params", once per trainable layer
    optimizer.post_update_params()        # "post_update_params": the epoch is done

``OptimizerState`` is what the optimizer holds (its attributes and the size of each layer's
gradient and momentum), ``LayerUpdate`` the arrays of one layer's last update, and
``weight_update()`` the numbers of one weight's update, recomputed exactly as ``SGD`` does.
``LineRecorder`` notes which lines of a class's methods ran (for showing the code running).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np

from .history import frozen

FORWARD = "forward"
BACKWARD = "backward"
PRE_UPDATE = "pre_update_params"
UPDATE = "update_params"
POST_UPDATE = "post_update_params"
#: The calls of one epoch in order (``update_params`` once per trainable layer).
CALLS = (FORWARD, BACKWARD, PRE_UPDATE, UPDATE, POST_UPDATE)


@dataclass(frozen=True)
class WalkStep:
    """The call just made: ``call`` (one of ``CALLS``), of epoch ``epoch``.

    ``layer`` is the trainable layer's index (0 = input side) for ``update_params``, else None.
    ``batch`` numbers the update within the epoch, of ``batches`` (0 of 1 with full-batch training).
    """

    call: str
    epoch: int
    layer: int | None = None
    batch: int = 0
    batches: int = 1

    @property
    def done(self) -> bool:
        """The epoch is complete after this call (the last batch's ``post_update_params()``)."""
        return self.call == POST_UPDATE and self.batch == self.batches - 1

    def title(self) -> str:
        """How the protocol writes it: ``optimizer.update_params(layer 1)``."""
        if self.call == FORWARD:
            title = "loss = network.forward(X, y)"
        elif self.call == BACKWARD:
            title = "network.backward(y)"
        elif self.call == UPDATE:
            title = f"optimizer.update_params(layer {self.layer + 1})"
        else:
            title = f"optimizer.{self.call}()"
        # with mini-batches the calls repeat for every batch: say which one
        return f"{title}  · batch {self.batch + 1} of {self.batches}" if self.batches > 1 else title


def protocol(layers: int) -> tuple[WalkStep, ...]:
    """The calls of one full-batch epoch of a network with ``layers`` trainable layers (epoch 0)."""
    return (WalkStep(FORWARD, 0), WalkStep(BACKWARD, 0), WalkStep(PRE_UPDATE, 0),
            *(WalkStep(UPDATE, 0, i) for i in range(layers)), WalkStep(POST_UPDATE, 0))


@dataclass(frozen=True)
class OptimizerState:
    """An optimizer's attributes and, per trainable layer, the norm of ``dweights`` and ``weights_momentums``.

    A norm is None where the layer has none yet (no backward pass, no momentum used).
    """

    learning_rate: float
    current_learning_rate: float
    step: int
    decay: float
    momentum: float
    dweights_norms: tuple[float | None, ...]
    momentums_norms: tuple[float | None, ...]


def optimizer_state(optimizer, layers) -> OptimizerState:
    """The state of ``optimizer`` (an ``SGD``) and of the ``layers`` it updates, as plain numbers."""
    def norm(layer, name):
        array = getattr(layer, name, None)
        return None if array is None else float(np.linalg.norm(array))

    return OptimizerState(float(optimizer.learning_rate), float(optimizer.current_learning_rate),
                          int(optimizer.step), float(optimizer.decay), float(optimizer.momentum),
                          tuple(norm(layer, "dweights") for layer in layers),
                          tuple(norm(layer, "weights_momentums") for layer in layers))


@dataclass(frozen=True)
class LayerUpdate:
    """One layer's last ``update_params``: the rate and momentum it used, and read-only copies of the arrays.

    ``momentums_before`` is None when the update used no momentum, or used it for the first time
    (then ``SGD`` starts the buffer at zeros, as here).
    """

    epoch: int
    learning_rate: float
    momentum: float
    dweights: np.ndarray
    weights_before: np.ndarray
    weights_after: np.ndarray
    momentums_before: np.ndarray | None
    momentums_after: np.ndarray | None

    @classmethod
    def before(cls, epoch, optimizer, layer) -> dict:
        """What the update is about to read: call just before ``optimizer.update_params(layer)``."""
        return dict(epoch=epoch, learning_rate=optimizer.current_learning_rate, momentum=optimizer.momentum,
                    dweights=frozen(layer.dweights), weights_before=frozen(layer.weights),
                    momentums_before=frozen(getattr(layer, "weights_momentums", None)) if optimizer.momentum
                    else None)

    @classmethod
    def after(cls, before: dict, layer) -> LayerUpdate:
        """The finished record: call just after ``optimizer.update_params(layer)``."""
        momentums = getattr(layer, "weights_momentums", None) if before["momentum"] else None
        return cls(weights_after=frozen(layer.weights), momentums_after=frozen(momentums), **before)


@dataclass(frozen=True)
class WeightUpdate:
    """The numbers of one weight's update: ``u = momentum × m − rate × dw``; ``w_after = w_before + u``."""

    momentum: float
    momentum_before: float
    learning_rate: float
    dweight: float
    update: float
    weight_before: float
    weight_after: float


def weight_update(update: LayerUpdate, row: int, column: int) -> WeightUpdate:
    """Weight ``[row, column]``'s share of ``update``, computed with the same expressions and dtypes as ``SGD``.

    Each array is cut to its 1×1 piece, so numpy casts exactly as in the whole-array update.
    """
    cut = np.s_[row:row + 1, column:column + 1]
    dweights = update.dweights[cut]
    rate, momentum = update.learning_rate, update.momentum
    if momentum:
        previous = (update.momentums_before[cut] if update.momentums_before is not None
                    else np.zeros_like(update.weights_before[cut]))
        change = momentum * previous - rate * dweights
        momentum_before = float(previous[0, 0])
    else:
        change = -rate * dweights
        momentum_before = 0.0
    return WeightUpdate(float(momentum), momentum_before, float(rate), float(dweights[0, 0]), float(change[0, 0]),
                        float(update.weights_before[cut][0, 0]), float(update.weights_after[cut][0, 0]))


class LineRecorder:
    """While entered, records the source lines run inside the methods of ``cls`` (this thread only).

    With ``instance``, only its own calls count (a race's other optimizers run the same code).
    ``lines`` are file line numbers, in the order they first ran. A tracer set before (a
    debugger, coverage) is put back on exit.
    """

    def __init__(self, cls, instance=None):
        self._codes = {f.__code__ for f in vars(cls).values() if hasattr(f, "__code__")}
        self._instance = instance
        self._seen: dict[int, None] = {}
        self._previous = None

    @property
    def lines(self) -> tuple[int, ...]:
        return tuple(self._seen)

    def _global(self, frame, event, arg):
        if frame.f_code not in self._codes:
            return None
        if self._instance is not None and frame.f_locals.get("self") is not self._instance:
            return None
        return self._local

    def _local(self, frame, event, arg):
        if event == "line":
            self._seen.setdefault(frame.f_lineno, None)
        return self._local

    def __enter__(self):
        self._previous = sys.gettrace()
        sys.settrace(self._global)
        return self

    def __exit__(self, *exc):
        sys.settrace(self._previous)
        return False
