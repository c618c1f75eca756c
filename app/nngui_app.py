"""Entry script that PyInstaller freezes into the ``nngui`` executables (see app/nngui.spec).

Every launcher runs it: ``nngui`` (and on Windows ``nngui-cli``) dispatch ``train``, ``race``
and the desktop app just as ``python -m nngui`` does.
"""

import os
import sys


def give_windowless_program_somewhere_to_print():
    """Windows' windowed ``nngui.exe`` starts with no console: sys.stdout and sys.stderr are None.

    Anything that writes to them (a warning, a traceback, the self-test's report) would raise;
    give them the null device instead, so the app runs the same with or without a console.
    """
    if sys.stdout is None or sys.stderr is None:
        sink = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
        sys.stdout = sys.stdout or sink
        sys.stderr = sys.stderr or sink


if __name__ == "__main__":
    give_windowless_program_somewhere_to_print()
    from nngui.__main__ import main

    sys.exit(main())
