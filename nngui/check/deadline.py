"""The time limit inside the worker process: an exception raised in the student's code where it stands.

The worker's own timer (SIGALRM, POSIX only) interrupts a Python loop between two instructions,
so the verdict can name the student's line; a loop that swallows every exception, or one inside
numpy, is killed by the parent process a little later (``isolated.GRACE_SECONDS``).
"""

from __future__ import annotations

import signal


class Deadline(BaseException):
    """The time limit ran out (a BaseException, so that a student's ``except Exception:`` lets it pass)."""


def _raise_deadline(signum, frame):
    raise Deadline


def start(seconds: float) -> bool:
    """Raise ``Deadline`` in the main thread after ``seconds``; False where there is no such timer (Windows)."""
    if not hasattr(signal, "setitimer"):
        return False
    signal.signal(signal.SIGALRM, _raise_deadline)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    return True


def cancel() -> None:
    if hasattr(signal, "setitimer"):
        signal.setitimer(signal.ITIMER_REAL, 0)
