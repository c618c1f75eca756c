"""A check in a process of its own, within a time and a memory limit: the checker survives whatever the file does.

An endless loop, ``sys.exit()``, ``os._exit()``, a crash of the interpreter, a flood of prints
or a runaway allocation ends that process with a verdict (``error`` and what happened), never
the caller. The limits: ``time_limit`` seconds for the whole check (the worker stops itself
and names the line; the process is killed ``GRACE_SECONDS`` later if it does not), and
``memory_limit`` megabytes of address space beyond what the worker uses when it starts
(``setrlimit(RLIMIT_AS)``: Linux holds it; macOS may not). On Windows there is no such limit and
no timer inside the worker: only the parent's time limit holds, by killing the process.

This isolates a submission's crashes and loops. It is not a security sandbox: the file's
code runs with the rights of whoever runs the check, and can read and write their files.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nngui.engine.checks import shown_path

from .result import CheckResult, Problem, failed

DEFAULT_TIME_LIMIT = 20.0
DEFAULT_MEMORY_LIMIT_MB = 1024
#: How long after the time limit a worker that has not stopped itself is killed.
GRACE_SECONDS = 1.0
#: Where ``nngui`` is imported from, for the worker (a checkout run without installing, too).
_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])


def python_command(role: str) -> list[str]:
    """How a process of ``role`` (``worker`` or ``remote``) is started: ``python -m nngui.check.<role>``, or
    in a frozen bundle, which has no ``-m``, its own executable with ``check --<role>``."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "check", f"--{role}"]
    return [sys.executable, "-m", f"nngui.check.{role}"]


def worker_command(result_path, path, class_name, name, time_limit, memory_limit) -> list[str]:
    command = [*python_command("worker"), str(result_path), str(path), "--name", name,
               "--time-limit", repr(float(time_limit)), "--memory-limit", str(int(memory_limit))]
    if class_name is not None:
        command += ["--class", class_name]
    return command


class Cancelled(Exception):
    """``cancel`` was set while the worker ran: it has been stopped."""


def check_isolated(path, class_name: str | None = None, time_limit: float = DEFAULT_TIME_LIMIT,
                   memory_limit: int = DEFAULT_MEMORY_LIMIT_MB, shown_name: str | None = None,
                   cancel=None) -> CheckResult:
    """Check the file in a worker process; its result, or ``error`` saying how the process ended.

    ``cancel`` (a ``threading.Event``, optional): once set, the worker is stopped and ``Cancelled`` raised.
    """
    name = shown_path(path) if shown_name is None else shown_name
    began = time.monotonic()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (_PACKAGE_PARENT, env.get("PYTHONPATH"))))
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[variable] = "1"  # with --jobs N, N workers share the cores
    with tempfile.TemporaryDirectory(prefix="nngui-check-") as folder:
        result_path = Path(folder) / "result.json"
        process = subprocess.Popen(
            worker_command(result_path, os.path.abspath(path), class_name, name, time_limit, memory_limit),
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
            start_new_session=os.name == "posix")  # the worker's children die with it, and a Ctrl-C is ours alone
        try:
            status = _wait(process, time.monotonic() + time_limit + GRACE_SECONDS, cancel)
        except subprocess.TimeoutExpired:
            _kill(process)
            return failed(name, Problem.CODE, f"the code did not finish within the time limit of {time_limit:g} s "
                                              "and was stopped: an endless loop?", class_name).timed(
                time.monotonic() - began)
        finally:
            if process.poll() is None:
                _kill(process)  # an interrupted caller leaves no worker behind
        try:
            data = json.loads(result_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return failed(name, Problem.CODE, _ended(status), class_name).timed(time.monotonic() - began)
    return CheckResult.from_transport(data).timed(time.monotonic() - began)


def _wait(process, deadline, cancel) -> int:
    """The worker's exit status; ``TimeoutExpired`` past ``deadline``, ``Cancelled`` once ``cancel`` is set."""
    while True:
        if cancel is not None and cancel.is_set():
            raise Cancelled
        left = deadline - time.monotonic()
        if left <= 0:
            raise subprocess.TimeoutExpired(process.args, 0)
        try:
            return process.wait(timeout=min(left, 0.05) if cancel is not None else left)
        except subprocess.TimeoutExpired:
            continue


def _ended(status: int) -> str:
    """Why a worker that wrote no result ended: a signal, or the file's code leaving the process."""
    if status < 0:
        try:
            what = signal.Signals(-status).name
        except ValueError:
            what = f"signal {-status}"
        return (f"the checking process was ended by {what}: the file's code crashed the interpreter "
                "or ran out of memory")
    return (f"the file's code ended the checking process (exit status {status}) before a verdict: "
            "os._exit(), or a crash")


def _kill(process):
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()
