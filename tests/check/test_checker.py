"""The checker on a folder of submissions: the lesson's classes match, each known mistake is named, errors quote the student."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nngui.check import CHAPTER_SETTINGS, Verdict, check_file, check_source
from nngui.check.mistakes import MISTAKES
from nngui.check.result import CheckResult, Problem
from nngui.check.settings import settings_for

SUBMISSIONS = Path(__file__).parent / "submissions"


def check(name, **options):
    return check_file(SUBMISSIONS / name, **options)


@pytest.mark.parametrize("name, class_name, settings", [
    ("lesson_sgd.py", "Optimizer_SGD", 2),
    ("lesson_decay.py", "Optimizer_SGD_Decay", 4),
    ("lesson_momentum.py", "Optimizer_SGD_Decay_Momentum", 7),
    ("other_words.py", "MyOptimizer", 7),
])
def test_the_lessons_classes_match_in_every_setting_they_accept(name, class_name, settings):
    result = check(name)
    assert result.verdict is Verdict.MATCHES, result.to_dict()
    assert result.class_name == class_name
    assert [s.verdict for s in result.settings] == ["matches"] * settings
    assert result.first_difference is None and result.hint is None and result.error is None
    assert result.epochs >= 100


def test_the_lessons_own_lines_match_bit_for_bit():
    assert check("lesson_momentum.py").bit_for_bit


def test_other_words_that_round_differently_match_within_the_tolerance_but_not_bit_for_bit():
    # lr / (1 + decay * step) is not always lr * (1 / (1 + decay * step)) to the last bit
    result = check("other_words.py")
    assert result.verdict is Verdict.MATCHES
    decayed = [s for s in result.settings if s.decay]
    assert not all(s.bit_for_bit for s in decayed)
    assert all(0 < s.largest_difference <= 1e-12 for s in decayed if not s.bit_for_bit)
    assert all(s.bit_for_bit for s in result.settings if not s.decay)


def test_settings_follow_the_init_parameters():
    assert [s.label for s in settings_for({"learning_rate"})] == ["SGD (lr 1)", "SGD (lr 0.7)"]
    names = {s.name for s in settings_for({"learning_rate", "decay", "momentum"})}
    assert names == {"SGD", "SGD + decay", "SGD + momentum", "SGD + decay + momentum"}
    chapter = [s for s in CHAPTER_SETTINGS if (s.learning_rate, s.decay, s.momentum) == (1.0, 1e-3, 0.9)]
    assert len(chapter) == 1


#: file, first difference (setting, epoch, call, layer, array), the mistake's key
MISTAKE_FILES = [
    ("mistake_step_sign.py", ("SGD (lr 1)", 0, "update_params", 0, "weights"), "step_sign"),
    ("mistake_step_starts_at_one.py",
     ("SGD + decay (lr 1, decay 0.001)", 0, "pre_update_params", None, "current_learning_rate"),
     "decay_from_next_step"),
    ("mistake_step_per_layer.py",
     ("SGD + decay (lr 1, decay 0.001)", 1, "pre_update_params", None, "current_learning_rate"), "step_per_layer"),
    ("mistake_learning_rate.py", ("SGD + decay (lr 1, decay 0.001)", 1, "update_params", 0, "weights"),
     "learning_rate_not_current"),
    ("mistake_momentum_not_stored.py",
     ("SGD + momentum (lr 1, momentum 0.9)", 0, "update_params", 0, "weights_momentums"), "momentum_not_stored"),
    ("mistake_biases_not_updated.py", ("SGD (lr 1)", 0, "update_params", 0, "biases"), "biases_not_updated"),
    ("mistake_momentum_added.py", ("SGD + momentum (lr 1, momentum 0.9)", 0, "update_params", 0, "weights"),
     "momentum_gradient_added"),
    ("mistake_momentum_subtracted.py", ("SGD + momentum (lr 1, momentum 0.9)", 1, "update_params", 0, "weights"),
     "momentum_subtracted"),
    ("mistake_brackets.py",
     ("SGD + decay (lr 1, decay 0.001)", 1, "pre_update_params", None, "current_learning_rate"),
     "decay_brackets_multiplied"),
    ("mistake_momentum_reset.py", ("SGD + momentum (lr 1, momentum 0.9)", 1, "update_params", 0, "weights"),
     "momentum_reset_each_call"),
    ("mistake_step_not_counted.py",
     ("SGD + decay (lr 1, decay 0.001)", 1, "pre_update_params", None, "current_learning_rate"), "step_not_counted"),
    ("mistake_decay_compounds.py",
     ("SGD + decay (lr 1, decay 0.001)", 2, "pre_update_params", None, "current_learning_rate"), "decay_compounds"),
    ("mistake_no_decay_branch_momentum.py",
     ("SGD + momentum (lr 1, momentum 0.9)", 1, "update_params", 0, "weights"), "momentum_ignored"),
]


@pytest.mark.parametrize("name, where, key", MISTAKE_FILES, ids=[m[0] for m in MISTAKE_FILES])
def test_each_known_mistake_differs_where_it_first_shows_and_is_named(name, where, key):
    result = check(name)
    assert result.verdict is Verdict.DIFFERS
    difference = result.first_difference
    assert (difference.setting, difference.epoch, difference.call, difference.layer, difference.array) == where
    mistake = next(m for m in MISTAKES if m.key == key)
    assert result.hint == mistake.hint()
    assert mistake.line in result.hint
    # the settings before the one that differs matched, the ones after were not run
    verdicts = [s.verdict for s in result.settings]
    first = verdicts.index("differs")
    assert set(verdicts[:first]) <= {"matches"} and set(verdicts[first + 1:]) <= {"not run"}


def test_the_first_difference_holds_the_two_numbers_at_its_index():
    difference = check("mistake_biases_not_updated.py").first_difference
    assert difference.index == (0, 0)
    assert difference.actual == 0.0 and difference.expected != 0.0
    rate = check("mistake_step_starts_at_one.py").first_difference
    assert rate.index is None and rate.expected == 1.0 and rate.actual == pytest.approx(1 / 1.001, rel=1e-15)


def test_every_known_mistake_is_found_and_named_by_replaying_itself():
    """Each mistake's own optimizer, checked as a student's class, is named by its own hint (or one that says the same)."""
    for mistake in MISTAKES:
        source = f"from nngui.check.mistakes import {mistake.optimizer.__name__} as Student\n"
        result = check_source(source + "class Mine(Student):\n    pass\n", "student.py")
        assert result.verdict is Verdict.DIFFERS, mistake.key
        assert result.hint is not None and (mistake.says in result.hint or mistake.line in result.hint), mistake.key


def test_a_difference_no_known_mistake_explains_points_to_the_lessons_line():
    source = (SUBMISSIONS / "lesson_decay.py").read_text().replace(
        "layer.biases += -self.current_learning_rate * layer.dbiases",
        "layer.biases += -self.current_learning_rate * layer.dbiases * 0.5")
    result = check_source(source, "half_biases.py")
    assert result.verdict is Verdict.DIFFERS
    assert result.first_difference.array == "biases"
    assert result.hint == ("the step differs; the lesson's line: "
                           "`layer.biases += -self.current_learning_rate * layer.dbiases`")


def test_a_syntax_error_names_its_line_and_the_pasted_name():
    result = check("syntax_error.py")
    assert result.verdict is Verdict.ERROR and result.problem is Problem.CODE
    line = next(i for i, text in enumerate((SUBMISSIONS / "syntax_error.py").read_text().splitlines(), 1)
                if "current learning rate" in text)
    assert result.error.startswith(f"SyntaxError at line {line}")
    assert "`current learning rate` is `current_learning_rate`" in result.hint


def test_sys_exit_in_a_method_is_an_error_naming_the_method_and_line():
    result = check("sys_exit.py")
    assert result.verdict is Verdict.ERROR
    assert "the code called sys.exit(0) in post_update_params, line" in result.error
    assert "`sys.exit(0)`" in result.error


def test_an_exception_in_init_quotes_the_students_message_and_line():
    result = check("init_raises.py")
    assert result.verdict is Verdict.ERROR
    assert result.error.startswith("ValueError: learning_rate must be at least 1 in __init__, line 15:")
    assert "SGD (lr 0.7), __init__" in result.error
    assert [s.verdict for s in result.settings][:2] == ["matches", "error"]


def test_a_missing_import_says_which():
    result = check("missing_numpy.py")
    assert result.verdict is Verdict.ERROR and "NameError: name 'np' is not defined" in result.error
    assert result.hint.startswith("numpy is used as np")


def test_no_class_is_an_error_of_the_code_and_two_classes_ask_for_one():
    none = check("no_class.py")
    assert none.verdict is Verdict.ERROR and none.problem is Problem.CODE
    assert "no optimizer class in the file" in none.error
    two = check("two_classes.py")
    assert two.verdict is Verdict.ERROR and two.problem is Problem.USAGE
    assert "Optimizer_SGD, Optimizer_SGD_Backwards" in two.error and "--class" in two.error
    assert check("two_classes.py", class_name="Optimizer_SGD").verdict is Verdict.MATCHES
    backwards = check("two_classes.py", class_name="Optimizer_SGD_Backwards")
    assert backwards.verdict is Verdict.DIFFERS and backwards.hint.startswith("the sign of the step")
    missing = check("two_classes.py", class_name="Nope")
    assert missing.problem is Problem.USAGE and "no class Nope in the file" in missing.error


def test_a_file_that_cannot_be_read_is_a_usage_problem(tmp_path):
    assert check_file(tmp_path / "absent.py").problem is Problem.USAGE
    assert check_file(tmp_path).problem is Problem.USAGE
    (tmp_path / "latin1.py").write_bytes(b"# caf\xe9\n")
    assert "not UTF-8" in check_file(tmp_path / "latin1.py").error


def test_the_result_travels_as_json_and_back():
    import json
    for name in ("lesson_momentum.py", "mistake_step_sign.py", "sys_exit.py"):
        result = check(name)
        again = CheckResult.from_transport(json.loads(json.dumps(result.to_transport(), allow_nan=False)))
        assert again == result
        assert list(result.to_dict()) == ["file", "class", "verdict", "settings", "epochs", "first_difference",
                                          "hint", "error"]


def test_the_checker_leaves_numpy_and_the_engine_as_they_were():
    before = np.geterr()
    check("mistake_step_sign.py")
    assert np.geterr() == before
