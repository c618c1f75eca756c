"""``python -m nngui`` and the ``nngui`` command: a command word runs that command, anything else the desktop app."""

import _signal  # signal's C half: built in, loaded before any module of ours (no enums to build)
import os
import sys


def _exit_now(signum, frame):
    """Ctrl-C before the commands' own handling is in place: the one line and 130, at once."""
    try:
        os.write(2, b"nngui: interrupted\n")
    except OSError:
        pass
    os._exit(130)


# Ctrl-C from this module's first line when it is the program (python -m nngui, the nngui
# command), before anything slow loads: console.catch_interrupts() takes over in main(). Only
# Python's own handler is replaced: an ignored SIGINT stays ignored, and a host's is its own.
if ((__name__ == "__main__" or os.path.basename(sys.argv[0] or "") == "nngui")
        and _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler):
    _signal.signal(_signal.SIGINT, _exit_now)

from .cli import console  # noqa: E402 - after Ctrl-C is taken

#: ``nngui <word> …`` runs this ``module:function`` with the arguments after the word; it
#: returns the exit status and prints its results on standard output.
COMMANDS = {
    "train": "nngui.cli.train:main",
    "race": "nngui.cli.race:main",
    "surface": "nngui.cli.surface:main",
    "export": "nngui.gui.files.export_pack:main",
    "check": "nngui.cli.check:main",
}
#: Without a command word (options such as ``--self-test`` or Qt's ``-platform`` aside).
DESKTOP_APP = "nngui.gui.window.app:main"
EXIT_USAGE = 2


def main(argv=None) -> int:
    """Dispatch: a command from ``COMMANDS``, the desktop app, or an unknown word's error; the exit status."""
    # first of all, and for the rest of the process: Ctrl-C during the imports below is one line too
    console.catch_interrupts()
    with console.errors_never_fail():
        try:
            return _dispatch(sys.argv[1:] if argv is None else list(argv))
        except KeyboardInterrupt as stop:  # raised in a command (console.run) to unwind it
            word, status = console.stopped(stop)
            console.say("nngui", word)
            return status


def _dispatch(argv) -> int:
    word = argv[0] if argv else ""
    if word in COMMANDS or not word or word.startswith("-"):
        from nngui.threads import one_blas_thread
        one_blas_thread()
    if word in COMMANDS:
        return console.run(f"nngui {word}", _load(COMMANDS[word]), argv[1:])
    if word and not word.startswith("-"):
        from nngui.engine.checks import shown
        console.say("nngui", f"unknown command '{shown(word)}' (commands: {', '.join(COMMANDS)}; "
                             "without one, nngui opens its window)")
        return EXIT_USAGE
    # the window needs no standard output; its --help and --version print there, as every command does
    prints = any(word in ("-h", "--help", "--version") for word in argv)
    return console.run("nngui", _load(DESKTOP_APP), argv, needs_output=prints, unwind=False)


def _load(target):
    import importlib
    module, _, function = target.partition(":")
    return getattr(importlib.import_module(module), function)


if __name__ == "__main__":
    sys.exit(main())
