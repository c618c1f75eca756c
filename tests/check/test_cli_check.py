"""``nngui check``: its output, --json shape, exit statuses, a folder's report and the template."""

from __future__ import annotations

import csv
import inspect
import json
import shutil
from pathlib import Path

import pytest

from nngui.__main__ import COMMANDS
from nngui.check import Verdict, check_source
from nngui.check.template import TEMPLATE, TEMPLATE_CLASSES
from nngui.cli.check import main

SUBMISSIONS = Path(__file__).parent / "submissions"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_check_is_a_command():
    assert COMMANDS["check"] == "nngui.cli.check:main"


def test_a_match_prints_each_setting_and_exits_0(capsys):
    code, out, err = run(capsys, SUBMISSIONS / "lesson_momentum.py")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].endswith("lesson_momentum.py: Optimizer_SGD_Decay_Momentum matches the lesson's SGD bit for bit")
    assert any("SGD + decay + momentum (lr 1, decay 0.001, momentum 0.9)" in line and "matches, bit for bit" in line
               for line in lines)


def test_a_difference_prints_where_and_the_hint_and_exits_1(capsys):
    code, out, _ = run(capsys, SUBMISSIONS / "mistake_step_per_layer.py")
    assert code == 1
    assert ("first difference: SGD + decay (lr 1, decay 0.001), epoch 1, after pre_update_params(): "
            "self.current_learning_rate: expected 0.9990009990009991, got 0.998003992015968") in out
    assert "hint: step is counted per layer" in out


def test_json_has_exactly_the_issues_shape(capsys):
    code, out, _ = run(capsys, SUBMISSIONS / "mistake_biases_not_updated.py", "--json")
    assert code == 1
    data = json.loads(out)
    assert list(data) == ["file", "class", "verdict", "settings", "epochs", "first_difference", "hint", "error"]
    assert data["verdict"] == "differs" and data["class"] == "Optimizer_SGD_Decay_Momentum"
    assert data["epochs"] == 100 and data["error"] is None
    difference = data["first_difference"]
    assert list(difference) == ["setting", "epoch", "call", "layer", "array", "index", "expected", "actual"]
    assert difference["setting"] == "SGD (lr 1)" and difference["call"] == "update_params"
    assert difference["layer"] == 0 and difference["array"] == "biases" and difference["index"] == [0, 0]
    assert difference["actual"] == 0.0
    assert data["hint"].startswith("the biases are not updated")


@pytest.mark.parametrize("argv, code", [
    (["syntax_error.py"], 3),
    (["no_class.py"], 3),
    (["sys_exit.py"], 3),
    (["two_classes.py"], 2),
    (["two_classes.py", "--class", "Nope"], 2),
    (["two_classes.py", "--class", "Optimizer_SGD"], 0),
    (["two_classes.py", "--class", "Optimizer_SGD_Backwards"], 1),
    (["absent.py"], 2),
])
def test_exit_statuses(capsys, argv, code):
    assert run(capsys, SUBMISSIONS / argv[0], *argv[1:])[0] == code


def test_an_error_prints_the_students_message_and_line(capsys):
    code, out, _ = run(capsys, SUBMISSIONS / "syntax_error.py", "--json")
    data = json.loads(out)
    assert code == 3 and data["verdict"] == "error" and data["first_difference"] is None
    assert data["error"].startswith("SyntaxError at line 39")
    assert "current_learning_rate" in data["hint"]


def test_a_time_out_says_so_with_the_limit(capsys):
    code, out, _ = run(capsys, SUBMISSIONS / "endless_loop.py", "--time-limit", "1")
    assert code == 3
    assert "did not finish within the time limit of 1 s" in out


@pytest.mark.parametrize("argv, message", [
    ([], "give a student's FILE.py"),
    (["--time-limit", "0", "x.py"], "--time-limit"),
    (["--jobs", "2", str(SUBMISSIONS / "lesson_sgd.py")], "--report and --jobs are for a folder"),
    ([str(SUBMISSIONS)], "give --report FILE.csv"),
])
def test_usage_errors_are_one_line_and_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("nngui check: error: ") and message in err and err.count("\n") == 1


def test_help_says_it_is_not_a_sandbox(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "NOT a" in out and "security sandbox" in out


def test_a_folder_gets_one_row_a_file_and_one_bad_file_stops_no_other(capsys, tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    for name in ("lesson_sgd.py", "mistake_step_sign.py", "endless_loop.py", "sys_exit.py", "syntax_error.py"):
        shutil.copy(SUBMISSIONS / name, folder / name)
    (folder / "=sum(1).py").write_text((SUBMISSIONS / "lesson_decay.py").read_text())
    (folder / "notes.txt").write_text("not a submission")
    report = tmp_path / "report.csv"
    code, out, _ = run(capsys, folder, "--report", report, "--jobs", "2", "--time-limit", "1")
    assert code == 0
    rows = list(csv.reader(report.open(encoding="utf-8")))
    assert rows[0] == ["file", "class", "verdict", "first_difference", "hint", "seconds", "error"]
    by_file = {row[0]: row for row in rows[1:]}
    assert sorted(by_file) == ["'=sum(1).py", "endless_loop.py", "lesson_sgd.py", "mistake_step_sign.py",
                               "syntax_error.py", "sys_exit.py"]
    assert by_file["lesson_sgd.py"][1:3] == ["Optimizer_SGD", "matches"]
    assert by_file["'=sum(1).py"][2] == "matches"  # a file name a spreadsheet would run stays text
    sign = by_file["mistake_step_sign.py"]
    assert sign[2] == "differs" and sign[3].startswith("SGD (lr 1), epoch 0, after update_params(layer 0)")
    assert sign[4].startswith("the sign of the step")
    assert by_file["endless_loop.py"][2] == "error" and "time limit of 1 s" in by_file["endless_loop.py"][6]
    assert by_file["sys_exit.py"][2] == "error" and "sys.exit(0)" in by_file["sys_exit.py"][6]
    assert by_file["syntax_error.py"][2] == "error" and "SyntaxError at line 39" in by_file["syntax_error.py"][6]
    assert all(float(row[5]) > 0 for row in rows[1:])
    assert "6 files: 2 match, 1 differ, 3 errors" in out.splitlines()[-1]


def test_a_folder_without_python_files_is_a_usage_error(capsys, tmp_path):
    code, _, err = run(capsys, tmp_path, "--report", tmp_path / "r.csv")
    assert code == 2 and "no .py files" in err


def test_the_template_is_written_once_with_the_lessons_names_and_signatures(capsys, tmp_path):
    target = tmp_path / "mine.py"
    assert run(capsys, "--template", target)[0] == 0
    assert target.read_text() == TEMPLATE
    code, _, err = run(capsys, "--template", target)
    assert code == 2 and "exists" in err  # a student's work is never overwritten
    namespace = {}
    exec(compile(TEMPLATE, "template.py", "exec"), namespace)
    signatures = {name: str(inspect.signature(namespace[name].__init__)) for name in TEMPLATE_CLASSES}
    assert signatures == {"Optimizer_SGD": "(self, learning_rate=0.9)",
                          "Optimizer_SGD_Decay": "(self, learning_rate=1.0, decay=0.0)",
                          "Optimizer_SGD_Decay_Momentum": "(self, learning_rate=1.0, decay=0.0, momentum=0.0)"}
    for name in TEMPLATE_CLASSES[1:]:
        for method in ("pre_update_params", "update_params", "post_update_params"):
            assert callable(getattr(namespace[name], method))


def test_an_unfilled_template_class_says_what_to_write():
    result = check_source(TEMPLATE, "mine.py", "Optimizer_SGD")
    assert result.verdict is Verdict.ERROR
    assert result.error.startswith("NotImplementedError: store the learning rate in __init__")


def test_the_lesson_walks_through_the_commands_that_exist(capsys, tmp_path):
    from nngui.teaching.lessons import shipped_lessons
    lesson = next(lesson for path, lesson in shipped_lessons() if path.stem == "09-check-your-optimizer")
    text = " ".join(step.text for step in lesson.steps)
    assert "nngui check --template my_optimizer.py" in text
    assert all(name in text for name in TEMPLATE_CLASSES)
    # the command the lesson gives, on the template it writes, runs and points at the class to fill in
    assert run(capsys, "--template", tmp_path / "my_optimizer.py")[0] == 0
    code, out, _ = run(capsys, tmp_path / "my_optimizer.py", "--class", "Optimizer_SGD")
    assert code == 3 and "NotImplementedError: store the learning rate" in out
