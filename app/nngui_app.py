"""Entry script that PyInstaller freezes into the ``nngui`` executable (see app/nngui.spec)."""

import sys

from nngui.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
