#!/usr/bin/env bash
# Start nngui: ./run.sh [args]   (./run.sh train --book --every 1000 for the headless CLI)
# Creates .venv when missing, installs the project when pyproject.toml changed,
# checks that Qt can load (naming any missing Debian packages), then runs `python -m nngui`.
set -euo pipefail
# shellcheck source=app/setup-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/app/setup-env.sh"

nngui_setup

if [ "${1:-}" != train ]; then
    offscreen_ok=0
    for arg in "$@"; do
        case "$arg" in --self-test | -h | --help | --version) offscreen_ok=1 ;; esac
    done
    platform="${QT_QPA_PLATFORM:-}"
    if [ -z "$platform" ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
        if [ "$offscreen_ok" = 1 ]; then
            export QT_QPA_PLATFORM=offscreen
            platform=offscreen
        else
            nngui_log "no display: set DISPLAY, run under xvfb-run (xvfb-run -a ./run.sh), or use QT_QPA_PLATFORM=offscreen for a window nobody sees"
            exit 1
        fi
    fi
    # an X11 session (or Qt's xcb fallback) needs the xcb plugin's libraries too
    case "$platform" in
        "") [ -n "${DISPLAY:-}" ] && platform=xcb || platform=offscreen ;;
        xcb*) platform=xcb ;;
    esac
    nngui_ensure_qt "$platform"
fi

exec "$NNGUI_VENV/bin/python" -m nngui "$@"
