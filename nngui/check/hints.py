"""The hint for a difference: the known mistake that gives the student's very numbers, else the line to look at."""

from __future__ import annotations

from .compare import first_mismatch
from .duel import POST, PRE, RATE, Duel, Point, state
from .mistakes import (BIASES_LINE, DECAY_LINE, MISTAKES, MOMENTUM_LINE, STEP_LINE, STORE_LINE, Mistake)
from .settings import Setting

#: A mistake explains a difference when its numbers are the student's this closely (the same
#: mistake written in other words may round differently).
MATCH_TOLERANCE = 1e-9


def known_mistake(setting: Setting, point: Point, student_state: dict, has_pre: bool, has_post: bool,
                  start=None) -> Mistake | None:
    """The first of ``MISTAKES`` whose replay reaches ``student_state`` at ``point``, or None."""
    for mistake in MISTAKES:
        def make(m=mistake):
            return m.optimizer(setting.learning_rate, setting.decay, setting.momentum)
        duel = Duel(make, setting, has_pre, has_post, start=start)
        for reached in duel.points(point.epoch + 1):
            if reached == point:
                rate = getattr(duel.student, RATE) if (RATE, None) in student_state else None
                replayed = state(rate, duel.student_layers)
                if set(replayed) >= set(student_state) and first_mismatch(
                        student_state, replayed, tolerance=MATCH_TOLERANCE) is None:
                    return mistake
                break
    return None


def line_hint(array: str, call: str, momentum: bool) -> str:
    """Where to look when no known mistake gives the student's numbers: the lesson's line for that value."""
    if array == RATE:
        if call == PRE:
            return f"the decayed rate differs; the lesson's line: `{DECAY_LINE}`, with step counting the updates made, from 0"
        return "current_learning_rate changes outside pre_update_params: only pre_update_params sets it"
    if call in (PRE, POST):
        return f"{call} changed layer.{array}: only update_params moves the weights, biases and momentums"
    if array.endswith("momentums"):
        return f"the momentum buffer differs; the lesson's lines: `{MOMENTUM_LINE}` then `{STORE_LINE}`"
    if momentum:
        return f"the update with momentum differs; the lesson's line: `{MOMENTUM_LINE}`"
    return f"the step differs; the lesson's line: `{BIASES_LINE if array == 'biases' else STEP_LINE}`"
