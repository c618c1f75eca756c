#!/usr/bin/env bash
# Run the whole test suite: ./test.sh [pytest args]; the exit code is pytest's.
# Same set-up as run.sh with the test extra; Qt runs offscreen.
set -euo pipefail
# shellcheck source=app/setup-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/app/setup-env.sh"

nngui_setup test
nngui_ensure_qt offscreen

export QT_QPA_PLATFORM=offscreen
export PYQTGRAPH_QT_LIB=PySide6
cd "$NNGUI_ROOT"
exec "$NNGUI_VENV/bin/python" -m pytest "$@"
