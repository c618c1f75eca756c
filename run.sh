#!/usr/bin/env bash
# Start nngui: ./run.sh [args]   (./run.sh train --book --every 1000 for the headless CLI)
# Creates .venv when missing, installs the project when pyproject.toml changed,
# checks that Qt can load (naming any missing Debian packages), then runs `python -m nngui`.
set -euo pipefail
# shellcheck source=app/setup-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/app/setup-env.sh"

platform="$(nngui_qt_platform "$@")" || exit 1
# shellcheck disable=SC2119  # no extras
nngui_setup
if [ -n "$platform" ]; then
    [ -z "${QT_QPA_PLATFORM:-}" ] && [ "$platform" = offscreen ] && export QT_QPA_PLATFORM=offscreen
    nngui_ensure_qt "$platform"
fi
exec "$NNGUI_VENV/bin/python" -m nngui "$@"
