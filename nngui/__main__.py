"""``python -m nngui`` and the ``nngui`` command: a command word runs that command, anything else the desktop app."""

from __future__ import annotations

import sys

from .cli import console

#: ``nngui <word> …`` runs this ``module:function`` with the arguments after the word; it
#: returns the exit status and prints its results on standard output.
COMMANDS = {
    "train": "nngui.cli.train:main",
    "race": "nngui.cli.race:main",
    "surface": "nngui.cli.surface:main",
    "export": "nngui.gui.files.export_pack:main",
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
        except KeyboardInterrupt:  # raised in a command (console.run) to unwind it
            console.say("nngui", "interrupted")
            return console.EXIT_INTERRUPTED


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
