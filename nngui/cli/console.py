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


def exit_now(signum=None, frame=None):
    """End the process at once with 130 and the one line (for a second Ctrl-C, or before anything ran)."""
    try:
        os.write(2, (INTERRUPTED_LINE + "\n").encode())
    except OSError:
        pass
    os._exit(EXIT_INTERRUPTED)


def _first_interrupt(signum, frame):
    signal.signal(signal.SIGINT, exit_now)  # a second Ctrl-C while unwinding ends at once
    raise KeyboardInterrupt


def catch_interrupts() -> None:
    """From now to the end of the process, Ctrl-C ends it with one line and 130 (see ``run``).

    Nothing changes where SIGINT is ignored (a background job, ``nohup``): it stays ignored.
    """
    try:
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
            signal.signal(signal.SIGINT, exit_now)
    except ValueError:  # not the main thread: leave Python's own handling
        pass


@contextlib.contextmanager
def unwinding_interrupts():
    """Inside, Ctrl-C raises ``KeyboardInterrupt`` (once) so that the command can clean up on its way out."""
    if signal.getsignal(signal.SIGINT) is not exit_now:
        yield  # ignored, or not ours to change
        return
    signal.signal(signal.SIGINT, _first_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, exit_now)


_pending = False  # a Ctrl-C noted inside ``interrupts_between_steps``, not yet raised


def _note_interrupt(signum, frame):
    global _pending
    _pending = True
    signal.signal(signal.SIGINT, exit_now)  # a second Ctrl-C ends at once


@contextlib.contextmanager
def interrupts_between_steps():
    """Inside, Ctrl-C is noted rather than raised: ``interruption_point()`` raises it where it is safe.

    For code that runs inside Qt: a ``KeyboardInterrupt`` raised in one of Qt's or pyqtgraph's
    Python overrides (``paint``, ``resizeEvent``) is printed and dropped by PySide, or kills the
    process. Outside ``unwinding_interrupts`` (Ctrl-C ignored, or not ours) nothing changes.
    """
    global _pending
    if signal.getsignal(signal.SIGINT) is not _first_interrupt:
        yield
        return
    _pending = False
    signal.signal(signal.SIGINT, _note_interrupt)
    try:
        yield
        interruption_point()
    finally:
        if signal.getsignal(signal.SIGINT) is _note_interrupt:  # no Ctrl-C came: raise the next one again
            signal.signal(signal.SIGINT, _first_interrupt)


def interruption_point() -> None:
    """Raise the ``KeyboardInterrupt`` of a Ctrl-C noted by ``interrupts_between_steps``, if there was one."""
    global _pending
    if _pending:
        _pending = False
        raise KeyboardInterrupt


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
