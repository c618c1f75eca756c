"""The edge of the process, the same for every ``nngui`` command: standard output and Ctrl-C.

- Output: a command whose standard output is closed (``>&-``) or fails (``> /dev/full``)
  ends with exit status 1 and one line on stderr; when the reader goes away
  (``| head``) it ends quietly with 1, as Unix tools do. Never a traceback.
- Ctrl-C at any moment ends with exit status 130 and one line. While modules load it
  ends the process at once: a ``KeyboardInterrupt`` raised inside an extension's
  initialisation prints a traceback, and inside PySide's it aborts the interpreter.
  While a command runs, the first Ctrl-C raises ``KeyboardInterrupt``, which unwinds it
  (files close, a save removes its temporary file, printed lines are flushed) to the
  entry point that prints the line; a second one while that happens ends at once.

Imports only the standard library, so that it is in place before anything slow loads.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

EXIT_OUTPUT_FAILED = 1
EXIT_INTERRUPTED = 130
INTERRUPTED_LINE = "nngui: interrupted"


def say(prog: str, message: str) -> None:
    """One line ``prog: message`` on stderr; a closed or broken stderr is not an error."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(f"{prog}: {message}\n")
        stream.flush()
    except (OSError, ValueError):
        pass


#: The signals that stop a command the same way: Ctrl-C, and SIGTERM (a logout, ``kill``, a supervisor).
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
EXIT_TERMINATED = 128 + signal.SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C's ``KeyboardInterrupt`` so that a command unwinds (and cleans up) the same way."""


def stopped(stop: BaseException) -> tuple[str, int]:
    """``(word, exit status)`` for a ``KeyboardInterrupt`` that stopped a command: interrupted 130, terminated 143."""
    return ("terminated", EXIT_TERMINATED) if isinstance(stop, Terminated) else ("interrupted", EXIT_INTERRUPTED)


def exit_now(signum=None, frame=None):
    """End the process at once with 130 (143 for SIGTERM) and the one line (a second signal, or before anything ran)."""
    word, status = stopped(Terminated()) if signum == signal.SIGTERM else stopped(KeyboardInterrupt())
    try:
        os.write(2, f"nngui: {word}\n".encode())
    except OSError:
        pass
    os._exit(status)


def _ours(signum) -> bool:
    return signal.getsignal(signum) is exit_now


def _set(handler, current):
    """Give every stop signal whose handler is ``current`` the ``handler``."""
    for signum in STOP_SIGNALS:
        if signal.getsignal(signum) is current:
            signal.signal(signum, handler)


def _first_interrupt(signum, frame):
    _set(exit_now, _first_interrupt)  # a second one while unwinding ends at once
    raise Terminated if signum == signal.SIGTERM else KeyboardInterrupt


def catch_interrupts() -> None:
    """From now to the end of the process, Ctrl-C and SIGTERM end it with one line and 130 / 143 (see ``run``).

    Nothing changes where a signal is ignored (a background job, ``nohup``): it stays ignored.
    """
    try:
        for signum in STOP_SIGNALS:
            if signal.getsignal(signum) is not signal.SIG_IGN:
                signal.signal(signum, exit_now)
    except ValueError:  # not the main thread: leave Python's own handling
        pass


@contextlib.contextmanager
def unwinding_interrupts():
    """Inside, Ctrl-C and SIGTERM raise ``KeyboardInterrupt`` / ``Terminated`` (once) so the command cleans up."""
    if not any(_ours(signum) for signum in STOP_SIGNALS):
        yield  # ignored, or not ours to change
        return
    _set(_first_interrupt, exit_now)
    try:
        yield
    finally:
        _set(exit_now, _first_interrupt)


_pending = None  # the KeyboardInterrupt of a signal noted inside ``interrupts_between_steps``, not yet raised


def _note_interrupt(signum, frame):
    global _pending
    _pending = Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()
    _set(exit_now, _note_interrupt)  # a second one ends at once


@contextlib.contextmanager
def interrupts_between_steps():
    """Inside, Ctrl-C (and SIGTERM) is noted rather than raised: ``interruption_point()`` raises it where it is safe.

    For code that runs inside Qt: a ``KeyboardInterrupt`` raised in one of Qt's or pyqtgraph's
    Python overrides (``paint``, ``resizeEvent``) is printed and dropped by PySide, or kills the
    process. Outside ``unwinding_interrupts`` (ignored, or not ours) nothing changes.
    """
    global _pending
    if not any(signal.getsignal(signum) is _first_interrupt for signum in STOP_SIGNALS):
        yield
        return
    _pending = None
    _set(_note_interrupt, _first_interrupt)
    try:
        yield
        interruption_point()
    finally:
        _set(_first_interrupt, _note_interrupt)  # none came: raise the next one again


def interruption_point() -> None:
    """Raise the ``KeyboardInterrupt`` of a signal noted by ``interrupts_between_steps``, if one came."""
    global _pending
    if _pending is not None:
        stop, _pending = _pending, None
        raise stop


class _ErrorsNeverFail:
    """Standard error whose writes never raise: when it is full or closed there is no one to tell.

    The first failure points the descriptor at the null device, so that nothing still buffered
    fails again when the interpreter exits. Everything else is the stream's own.
    """

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        try:
            return self._stream.write(text)
        except (OSError, ValueError):
            self._give_up()
            return len(text)

    def flush(self):
        try:
            self._stream.flush()
        except (OSError, ValueError):
            self._give_up()

    def _give_up(self):
        try:
            descriptor = os.open(os.devnull, os.O_WRONLY)
            os.dup2(descriptor, self._stream.fileno())
            os.close(descriptor)
            self._stream.flush()
        except (OSError, ValueError, AttributeError):
            pass

    def __getattr__(self, name):
        return getattr(self._stream, name)


@contextlib.contextmanager
def errors_never_fail():
    """Inside, ``sys.stderr`` never raises (see ``_ErrorsNeverFail``): a usage error still exits 2."""
    stream = sys.stderr
    if isinstance(stream, _ErrorsNeverFail):
        yield
        return
    # closed at start (2>&-), Python sets it to None, and print(file=None) writes to standard output
    sys.stderr = _ErrorsNeverFail(stream if stream is not None else open(os.devnull, "w"))
    try:
        yield
    finally:
        if isinstance(sys.stderr, _ErrorsNeverFail):
            sys.stderr = stream


def run(prog: str, command, args, needs_output: bool = True, unwind: bool = True) -> int:
    """``command(args)``'s exit status, with standard output's failures turned into one line and exit 1.

    ``needs_output``: refuse at once when standard output is closed (a command that prints
    its results); the desktop app runs without it. ``unwind``: Ctrl-C raises
    ``KeyboardInterrupt`` inside the command (the desktop app handles Ctrl-C itself).
    """
    if sys.stdout is None and needs_output:
        say(prog, "error: standard output is closed")
        return EXIT_OUTPUT_FAILED
    try:
        if unwind:
            with unwinding_interrupts():
                code = command(args)
        else:
            code = command(args)
        if sys.stdout is not None:
            sys.stdout.flush()  # here, not at exit, where a failure could only print a traceback
        return code
    except BrokenPipeError:
        _discard_output()
        return EXIT_OUTPUT_FAILED
    except OSError as error:
        _discard_output()
        if error.filename is None:  # a file's error names the file; a stream's does not
            say(prog, f"error: cannot write to standard output: {error.strerror or error}")
        else:
            from nngui.engine.checks import shown_path
            say(prog, f"error: {shown_path(error.filename)}: {error.strerror or error}")
        return EXIT_OUTPUT_FAILED


def _discard_output():
    """Point standard output at the null device, so what is still buffered goes nowhere at exit."""
    try:
        descriptor = os.open(os.devnull, os.O_WRONLY)
        os.dup2(descriptor, sys.stdout.fileno())
        os.close(descriptor)
    except (OSError, ValueError, AttributeError):
        pass
