"""The known mistakes: each is the lesson's SGD with one line written wrong, and the line it breaks.

A difference is explained by replaying each mistake from the same start to the call where the
student's numbers first differ: the mistake whose numbers there are the student's is named in
the hint. The mistakes are tried in this order; where two give the same numbers in a setting
(the step's sign everywhere, or only with momentum), the one tried first is named, so the more
particular one comes first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nngui.engine import SGD

#: the lesson's lines, as the chapter prints them (with their underscores)
DECAY_LINE = "self.current_learning_rate = self.learning_rate * (1 / (1 + self.decay * self.step))"
STEP_LINE = "layer.weights += -self.current_learning_rate * layer.dweights"
BIASES_LINE = "layer.biases += -self.current_learning_rate * layer.dbiases"
MOMENTUM_LINE = "weights_updates = self.momentum * layer.weights_momentums - self.current_learning_rate * layer.dweights"
STORE_LINE = "layer.weights_momentums = weights_updates"
COUNT_LINE = "self.step += 1  (in post_update_params)"
CREATE_LINE = "if not hasattr(layer, 'weights_momentums'): layer.weights_momentums = np.zeros_like(layer.weights)"
APPLY_LINE = "layer.weights += weights_updates"


@dataclass(frozen=True)
class Mistake:
    """A known mistake: its key, what the hint says, the lesson's line it breaks, and the optimizer that makes it."""

    key: str
    says: str
    line: str
    optimizer: type

    def hint(self) -> str:
        return f"{self.says}; the lesson's line: `{self.line}`"


def _momentum_update(self, layer, weights_updates_of, biases_updates_of):
    if not hasattr(layer, "weights_momentums"):
        layer.weights_momentums = np.zeros_like(layer.weights)
        layer.biases_momentums = np.zeros_like(layer.biases)
    weights_updates = weights_updates_of(layer.weights_momentums, layer.dweights)
    layer.weights_momentums = weights_updates
    biases_updates = biases_updates_of(layer.biases_momentums, layer.dbiases)
    layer.biases_momentums = biases_updates
    return weights_updates, biases_updates


class _UpdateMistake(SGD):
    """SGD whose updates come from ``updates(layer)``: each mistake of ``update_params`` writes only that."""

    def update_params(self, layer):
        weights_updates, biases_updates = self.updates(layer)
        layer.weights += weights_updates
        layer.biases += biases_updates

    def updates(self, layer):
        if self.momentum:
            return _momentum_update(self, layer, self.momentum_step, self.momentum_step)
        return -self.current_learning_rate * layer.dweights, -self.current_learning_rate * layer.dbiases

    def momentum_step(self, momentums, gradients):
        return self.momentum * momentums - self.current_learning_rate * gradients


class MomentumGradientAdded(_UpdateMistake):
    def momentum_step(self, momentums, gradients):
        return self.momentum * momentums + self.current_learning_rate * gradients


class MomentumSubtracted(_UpdateMistake):
    def momentum_step(self, momentums, gradients):
        return -self.momentum * momentums - self.current_learning_rate * gradients


class MomentumUpdateSubtracted(_UpdateMistake):
    def update_params(self, layer):
        weights_updates, biases_updates = self.updates(layer)
        if self.momentum:
            layer.weights -= weights_updates
            layer.biases -= biases_updates
        else:
            layer.weights += weights_updates
            layer.biases += biases_updates


class StepSign(_UpdateMistake):
    def updates(self, layer):
        if self.momentum:
            return _momentum_update(self, layer, self.momentum_step_up, self.momentum_step_up)
        return self.current_learning_rate * layer.dweights, self.current_learning_rate * layer.dbiases

    def momentum_step_up(self, momentums, gradients):
        return self.momentum * momentums + self.current_learning_rate * gradients


class LearningRateNotCurrent(_UpdateMistake):
    def updates(self, layer):
        rate, self.current_learning_rate = self.current_learning_rate, self.learning_rate
        try:
            return super().updates(layer)
        finally:
            self.current_learning_rate = rate


class BiasesNotUpdated(_UpdateMistake):
    def update_params(self, layer):
        weights_updates, _ = self.updates(layer)
        layer.weights += weights_updates


class MomentumNotStored(_UpdateMistake):
    def updates(self, layer):
        if not self.momentum:
            return super().updates(layer)
        if not hasattr(layer, "weights_momentums"):
            layer.weights_momentums = np.zeros_like(layer.weights)
            layer.biases_momentums = np.zeros_like(layer.biases)
        return (self.momentum * layer.weights_momentums - self.current_learning_rate * layer.dweights,
                self.momentum * layer.biases_momentums - self.current_learning_rate * layer.dbiases)


class MomentumIgnored(_UpdateMistake):
    def updates(self, layer):
        return -self.current_learning_rate * layer.dweights, -self.current_learning_rate * layer.dbiases


class MomentumResetEachCall(_UpdateMistake):
    def updates(self, layer):
        if self.momentum:
            for name in ("weights_momentums", "biases_momentums"):
                if hasattr(layer, name):
                    delattr(layer, name)
        return super().updates(layer)


class StepPerLayer(SGD):
    def update_params(self, layer):
        super().update_params(layer)
        self.step += 1

    def post_update_params(self):
        pass


class StepNotCounted(SGD):
    def post_update_params(self):
        pass


class DecayFromNextStep(SGD):
    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate * (1 / (1 + self.decay * (self.step + 1)))


class DecayBracketsMultiplied(SGD):
    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate * (1 / 1 + self.decay * self.step)


class DecayBracketsAdded(SGD):
    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate * 1 / 1 + self.decay * self.step


class DecayBracketsStepOutside(SGD):
    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate * 1 / (1 + self.decay) * self.step


class DecayCompounds(SGD):
    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.current_learning_rate * (1 / (1 + self.decay * self.step))


BRACKETS = ("the decay formula's brackets: the rate is learning_rate / (1 + decay * step), "
            "the whole of 1 + decay * step under the 1 /")

MISTAKES = (
    Mistake("momentum_gradient_added",
            "momentum added instead of subtracted: with momentum the gradient's term is added to the "
            "buffer, so the weights climb the gradient", MOMENTUM_LINE, MomentumGradientAdded),
    Mistake("momentum_subtracted",
            "the previous update is subtracted: momentum carries the previous update on, "
            "`+ self.momentum * layer.weights_momentums`", MOMENTUM_LINE, MomentumSubtracted),
    Mistake("momentum_update_subtracted",
            "with momentum the update is subtracted from the weights: weights_updates already holds "
            "the minus sign, so it is added", APPLY_LINE, MomentumUpdateSubtracted),
    Mistake("step_sign",
            "the sign of the step: the weights move up the gradient; the lesson subtracts "
            "learning rate × gradient", STEP_LINE, StepSign),
    Mistake("learning_rate_not_current",
            "learning_rate is used where current_learning_rate belongs: the update must use the decayed rate",
            STEP_LINE, LearningRateNotCurrent),
    Mistake("biases_not_updated", "the biases are not updated: update_params moves the biases too",
            BIASES_LINE, BiasesNotUpdated),
    Mistake("momentum_ignored",
            "the momentum is never applied in this setting: the update is plain SGD's (is the momentum "
            "branch inside another condition, such as `if self.decay:`?)", MOMENTUM_LINE, MomentumIgnored),
    Mistake("momentum_not_stored",
            "the momentum is not stored: each update must be kept on the layer for the next one",
            STORE_LINE, MomentumNotStored),
    Mistake("momentum_reset_each_call",
            "the momentum buffers are reset to zeros at every call: create them only the first time",
            CREATE_LINE, MomentumResetEachCall),
    Mistake("step_per_layer",
            "step is counted per layer: it counts updates of the whole network, once per epoch, "
            "in post_update_params", COUNT_LINE, StepPerLayer),
    Mistake("step_not_counted",
            "step is never counted, so the rate never decays: post_update_params adds 1 to step",
            COUNT_LINE, StepNotCounted),
    Mistake("decay_from_next_step",
            "decay from step + 1 (or step starting at 1): the first update uses the full learning rate, "
            "step starts at 0 and is counted after the updates", DECAY_LINE, DecayFromNextStep),
    Mistake("decay_brackets_multiplied", BRACKETS, DECAY_LINE, DecayBracketsMultiplied),
    Mistake("decay_brackets_added", BRACKETS, DECAY_LINE, DecayBracketsAdded),
    Mistake("decay_brackets_step_outside", BRACKETS, DECAY_LINE, DecayBracketsStepOutside),
    Mistake("decay_compounds",
            "the rate is decayed from the last rate, so the decay compounds: it starts from "
            "self.learning_rate every time", DECAY_LINE, DecayCompounds),
)
