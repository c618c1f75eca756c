"""A check in its own process: loops, exits, crashes, floods and allocations end with a verdict, never the checker."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from nngui.check import Verdict
from nngui.check.isolated import GRACE_SECONDS, check_isolated
from nngui.check.result import Problem

SUBMISSIONS = Path(__file__).parent / "submissions"
#: short, so that the cases that stall cost a second each
LIMIT = 1.5


def test_a_right_class_matches_in_its_own_process_too():
    result = check_isolated(SUBMISSIONS / "lesson_momentum.py", time_limit=20)
    assert result.verdict is Verdict.MATCHES and result.bit_for_bit
    assert result.seconds > 0


def test_an_endless_loop_is_stopped_at_the_time_limit_and_its_line_named():
    result = check_isolated(SUBMISSIONS / "endless_loop.py", time_limit=LIMIT)
    assert result.verdict is Verdict.ERROR and result.problem is Problem.CODE
    assert result.error.startswith(f"the code did not finish within the time limit of {LIMIT:g} s")
    line = next(i for i, text in enumerate((SUBMISSIONS / "endless_loop.py").read_text().splitlines(), 1)
                if "while self.step > 3" in text)
    assert f"stopped in post_update_params, line {line + 1}" in result.error or \
           f"stopped in post_update_params, line {line}" in result.error
    assert result.seconds < LIMIT + GRACE_SECONDS + 5


@pytest.mark.skipif(os.name != "posix", reason="the worker's own timer is POSIX's")
def test_a_loop_that_silences_the_timer_is_killed(tmp_path):
    stubborn = tmp_path / "stubborn.py"
    stubborn.write_text("import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
                        "class A:\n    def update_params(self, layer):\n        pass\nwhile True:\n    pass\n")
    result = check_isolated(stubborn, time_limit=LIMIT)
    assert result.verdict is Verdict.ERROR
    assert result.error == (f"the code did not finish within the time limit of {LIMIT:g} s and was stopped: "
                            "an endless loop?")


def test_sys_exit_in_a_method_ends_only_the_worker():
    result = check_isolated(SUBMISSIONS / "sys_exit.py", time_limit=20)
    assert result.verdict is Verdict.ERROR and "sys.exit(0) in post_update_params" in result.error


def test_os_exit_and_a_crash_say_how_the_process_ended(tmp_path):
    leaving = tmp_path / "leaving.py"
    leaving.write_text("import os\nclass A:\n    def __init__(self, learning_rate=1.0):\n        os._exit(7)\n"
                       "    def update_params(self, layer):\n        pass\n")
    result = check_isolated(leaving, time_limit=20)
    assert result.verdict is Verdict.ERROR and "exit status 7" in result.error
    crashing = tmp_path / "crashing.py"
    crashing.write_text("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n")
    if os.name == "posix":
        result = check_isolated(crashing, time_limit=20)
        assert result.verdict is Verdict.ERROR and "SIGSEGV" in result.error


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the address-space limit is measured on Linux")
def test_a_runaway_allocation_meets_the_memory_limit(tmp_path):
    greedy = tmp_path / "greedy.py"
    greedy.write_text("class A:\n    def __init__(self, learning_rate=1.0):\n        self.x = bytearray(2 * 1024**3)\n"
                      "    def update_params(self, layer):\n        pass\n")
    result = check_isolated(greedy, time_limit=20, memory_limit=256)
    assert result.verdict is Verdict.ERROR
    assert result.error.startswith("MemoryError: the code ran out of memory in __init__, line 3")
    assert result.error.endswith("(limit 256 MB)")


def test_a_flood_of_prints_goes_nowhere_and_the_class_is_still_checked():
    result = check_isolated(SUBMISSIONS / "print_flood.py", time_limit=20)
    assert result.verdict is Verdict.MATCHES


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands in for the frozen executable")
def test_a_frozen_bundle_starts_its_checking_processes_through_its_own_executable(tmp_path, monkeypatch):
    """A PyInstaller bundle has no ``python -m``: its executable is ``nngui``, and ``nngui check --worker`` serves."""
    from nngui.check.isolated import _PACKAGE_PARENT
    from nngui.check.remote import RemoteOptimizer
    executable = tmp_path / "nngui"
    executable.write_text(f'#!/bin/sh\nPYTHONPATH="{_PACKAGE_PARENT}" exec "{sys.executable}" -m nngui "$@"\n')
    executable.chmod(0o755)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(executable))
    result = check_isolated(SUBMISSIONS / "mistake_step_sign.py", time_limit=20)
    assert result.verdict is Verdict.DIFFERS and result.hint.startswith("the sign of the step")
    remote = RemoteOptimizer(SUBMISSIONS / "init_raises.py", "Optimizer_SGD_Decay_Momentum",
                             {"learning_rate": 2.0, "decay": 0.0, "momentum": 0.0})
    assert remote.learning_rate == 2.0
    remote.close()
