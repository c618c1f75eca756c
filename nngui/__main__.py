"""``python -m nngui`` starts the desktop app; ``python -m nngui train …`` and ``race …`` the headless CLI."""

from __future__ import annotations

import sys


def main(argv=None):
    """Dispatch: ``train …`` and ``race …`` to the CLI, anything else (``--self-test`` too) to the desktop app."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] == "train":
        from nngui.cli import main as cli_main
        return cli_main(argv[1:])
    if argv and argv[0] == "race":
        from nngui.cli_race import main as race_main
        return race_main(argv[1:])
    from nngui.gui.app import main as gui_main
    return gui_main(argv)


if __name__ == "__main__":
    sys.exit(main())
