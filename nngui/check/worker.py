"""The process a check runs in: ``python -m nngui.check.worker RESULT FILE [options]``.

Started by ``isolated.check_isolated``, never by hand. It limits itself (memory with
``setrlimit`` on POSIX; time with its own timer, which names the student's line, under the
parent's hard limit), checks the file, writes the result as JSON to RESULT and ends with
``os._exit`` so that nothing the student's code left behind (threads, ``atexit``) runs after.
The student's prints go to the null device: its standard streams are the parent's choice.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
import traceback

BEGAN = time.monotonic()


def _limit_memory(megabytes: int) -> bool:
    """The address space may grow ``megabytes`` beyond what is in use now (POSIX; False elsewhere)."""
    try:
        import resource
    except ImportError:  # Windows: no rlimits; only the time limit holds there
        return False
    in_use = 0
    try:
        with open("/proc/self/statm") as statm:
            in_use = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        pass  # macOS has no /proc: the limit counts from nothing
    limit = in_use + megabytes * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        return False
    return True


def _stalled(error, path, limit) -> str:
    """The time-out's message, with the student's line where it stood when stopped."""
    where = ""
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == path:
            where = f" (stopped in {frame.name}, line {frame.lineno}: `{(frame.line or '').strip()}`)"
    from nngui.engine.checks import one_line
    return one_line(f"the code did not finish within the time limit of {limit:g} s{where}: an endless loop?")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m nngui.check.worker")
    parser.add_argument("result")
    parser.add_argument("file")
    parser.add_argument("--class", dest="class_name")
    parser.add_argument("--name")
    parser.add_argument("--time-limit", type=float, required=True)
    parser.add_argument("--memory-limit", type=int, required=True, help="megabytes")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops this process
    from nngui.threads import one_blas_thread
    one_blas_thread()
    from . import deadline
    from .checker import check_file
    from .result import Problem, failed
    _limit_memory(args.memory_limit)
    deadline.start(max(args.time_limit - (time.monotonic() - BEGAN), 0.01))
    try:
        result = check_file(args.file, args.class_name, shown_name=args.name)
        deadline.cancel()
    except deadline.Deadline as error:
        result = failed(args.name, Problem.CODE, _stalled(error, args.file, args.time_limit), args.class_name)
    except MemoryError:
        result = failed(args.name, Problem.CODE, f"the code ran out of memory (limit {args.memory_limit} MB)",
                        args.class_name)
    if result.error and result.error.startswith("MemoryError"):
        result = failed(result.file, Problem.CODE, f"{result.error} (limit {args.memory_limit} MB)",
                        result.class_name, result.classes)
    temporary = args.result + ".part"
    with open(temporary, "w", encoding="utf-8") as out:
        json.dump(result.timed(time.monotonic() - BEGAN).to_transport(), out)
    os.replace(temporary, args.result)


if __name__ == "__main__":
    try:
        main()
    finally:
        sys.stdout.flush()
        os._exit(0)
