"""One file checked in this process: load it, find the class, race it in each setting, name the first difference.

``check_file`` runs the student's code here, in the caller's process: the command line and the
window call ``isolated.check_isolated``, which runs this in a process of its own with limits.
"""

from __future__ import annotations

import time

from nngui.engine.checks import shown_path

from .compare import Tally, first_mismatch
from .duel import POST, PRE, Duel, state
from .hints import known_mistake, line_hint
from .loading import StudentError, accepted_parameters, find_class, load, optimizer_classes, read_source
from .result import CheckResult, Difference, Problem, SettingOutcome, Verdict, failed
from .settings import Setting, settings_for

#: Epochs each setting is raced for (the lesson's protocol once an epoch, full batch).
EPOCHS = 100


def check_file(path, class_name: str | None = None, epochs: int = EPOCHS, shown_name: str | None = None) -> CheckResult:
    """Check the optimizer class in the file at ``path`` (``class_name``, or its one class with ``update_params``)."""
    name = shown_path(path) if shown_name is None else shown_name
    began = time.perf_counter()
    try:
        source = read_source(path)
    except StudentError as error:
        return failed(name, error.problem, error.message)
    return check_source(source, path, class_name, epochs, name).timed(time.perf_counter() - began)


def check_source(source: str, path, class_name: str | None = None, epochs: int = EPOCHS,
                 shown_name: str | None = None) -> CheckResult:
    """Check the class in ``source`` (read from ``path``, whose name its errors give)."""
    name = shown_path(path) if shown_name is None else shown_name
    began = time.perf_counter()
    chosen = class_name
    classes = ()
    try:
        submission = load(path, source)
        classes = tuple(c.__name__ for c in optimizer_classes(submission))
        cls = find_class(submission, class_name)
        chosen = cls.__name__
        settings = settings_for(accepted_parameters(cls))
    except StudentError as error:
        return failed(name, error.problem, error.message, chosen, classes, error.hint)
    has_pre = callable(getattr(cls, PRE, None))
    has_post = callable(getattr(cls, POST, None))
    outcomes = []
    for setting in settings:
        try:
            outcome, difference, student_state, point = _race(cls, setting, epochs, has_pre, has_post, submission)
        except StudentError as error:
            outcomes.append(_outcome(setting, Verdict.ERROR))
            outcomes.extend(_outcome(s, None) for s in settings[len(outcomes):])
            return CheckResult(name, chosen, Verdict.ERROR, tuple(outcomes), epochs, error=error.message,
                               hint=error.hint, problem=Problem.CODE, classes=classes,
                               seconds=time.perf_counter() - began)
        outcomes.append(outcome)
        if difference is not None:
            mistake = known_mistake(setting, point, student_state, has_pre, has_post)
            hint = mistake.hint() if mistake else line_hint(difference.array, difference.call, bool(setting.momentum))
            outcomes.extend(_outcome(s, None) for s in settings[len(outcomes):])
            return CheckResult(name, chosen, Verdict.DIFFERS, tuple(outcomes), epochs, difference, hint,
                               classes=classes, seconds=time.perf_counter() - began)
    return CheckResult(name, chosen, Verdict.MATCHES, tuple(outcomes), epochs, classes=classes,
                       seconds=time.perf_counter() - began)


def _race(cls, setting: Setting, epochs, has_pre, has_post, submission):
    """One setting: ``(outcome, first difference or None, the student's state there, the point)``."""
    accepted = accepted_parameters(cls)
    duel = Duel(lambda: cls(**setting.arguments(accepted)), setting, has_pre, has_post, submission)
    tally = Tally()
    for point in duel.points(epochs):
        expected = state(duel.reference.current_learning_rate, duel.reference_layers)
        actual = state(duel.student_rate(), duel.student_layers)
        mismatch = first_mismatch(expected, actual, tally)
        if mismatch is not None:
            array, layer = mismatch.key
            # the layer of the array that differs (None for the rate): for update_params, the call's own layer
            difference = Difference(setting.label, point.epoch, point.call, layer, array,
                                    mismatch.index, mismatch.expected, mismatch.actual)
            return (_outcome(setting, Verdict.DIFFERS), difference,
                    state(duel.student_rate(), duel.student_layers, copy=True), point)
    return _outcome(setting, Verdict.MATCHES, tally), None, None, None


def _outcome(setting: Setting, verdict: Verdict | None, tally: Tally | None = None) -> SettingOutcome:
    return SettingOutcome(setting.label, setting.learning_rate, setting.decay, setting.momentum,
                          "not run" if verdict is None else verdict.value,
                          bit_for_bit=tally is not None and tally.bit_for_bit,
                          largest_difference=0.0 if tally is None else tally.largest)
