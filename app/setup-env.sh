# shellcheck shell=bash
# Shared set-up for run.sh, test.sh, app/build.sh and .ci/run: source it, then call nngui_setup.
#
#   NNGUI_VENV    where the virtual environment lives (default: <repo>/.venv)
#   NNGUI_PYTHON  the Python to create it with (default: the first of python3, python3.13 ...
#                 python3.11 on PATH that is 3.11 or newer)
#
# The project is (re)installed only when pyproject.toml changed or a new extra is asked for:
# a stamp inside the venv records the hash and the extras installed.

NNGUI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NNGUI_VENV="${NNGUI_VENV:-$NNGUI_ROOT/.venv}"
case "$NNGUI_VENV" in /*) ;; *) NNGUI_VENV="$PWD/$NNGUI_VENV" ;; esac
NNGUI_STAMP="$NNGUI_VENV/.nngui-install-stamp"

# Debian 12 packages Qt needs even offscreen, and a font so text is not drawn as empty boxes.
NNGUI_QT_DEBS="libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libx11-6 libxkbcommon0 libdbus-1-3 fonts-dejavu-core"
# ... and what real X11 windows (the xcb platform plugin) need on top (used by .ci/run).
# shellcheck disable=SC2034
NNGUI_XCB_DEBS="libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xfixes0 libxcb-sync1 libxcb-shm0 libxcb-xkb1 libxkbcommon-x11-0 libx11-xcb1"

nngui_log() { printf 'nngui: %s\n' "$*" >&2; }
nngui_die() { nngui_log "$*"; exit 1; }
nngui_is_root() { [ "$(id -u)" = 0 ]; }

_nngui_apt_updated=0
# Install Debian packages when root; otherwise print the exact command and fail.
nngui_apt_install() {
    [ $# -gt 0 ] || return 0
    if nngui_is_root && command -v apt-get >/dev/null 2>&1; then
        nngui_log "installing Debian packages: $*"
        if [ "$_nngui_apt_updated" = 0 ]; then
            DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || return 1
            _nngui_apt_updated=1
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
    else
        nngui_log "missing system packages; install them with:"
        printf '    sudo apt-get update && sudo apt-get install -y %s\n' "$*" >&2
        return 1
    fi
}

# Print those of the given Debian packages that are not installed (nothing off Debian).
nngui_missing_debs() {
    command -v dpkg-query >/dev/null 2>&1 || return 0
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || echo "$pkg"
    done
}

# Make sure the given Debian packages are installed (installing them when root).
nngui_ensure_debs() {
    local missing
    missing="$(nngui_missing_debs "$@" | tr '\n' ' ')"
    [ -z "${missing// /}" ] && return 0
    # shellcheck disable=SC2086  # one word per package
    nngui_apt_install $missing
}

nngui_find_python() {
    local cand
    for cand in "${NNGUI_PYTHON:-}" python3 python3.13 python3.12 python3.11; do
        if [ -z "$cand" ] || ! command -v "$cand" >/dev/null 2>&1; then continue; fi
        # print the real interpreter, not a wrapper such as a pyenv shim
        "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 11) or print(sys.executable))' \
            2>/dev/null && return 0
    done
    return 1
}

nngui_ensure_venv() {
    if [ -x "$NNGUI_VENV/bin/python" ] \
        && "$NNGUI_VENV/bin/python" -c 'import importlib.util, sys; sys.exit(not importlib.util.find_spec("pip"))' \
            >/dev/null 2>&1; then
        return 0
    fi
    if [ -e "$NNGUI_VENV" ]; then
        # only ever replace a virtual environment, never some other folder
        [ -f "$NNGUI_VENV/pyvenv.cfg" ] || nngui_die "$NNGUI_VENV exists but is not a virtual environment; move it away or set NNGUI_VENV"
        nngui_log "$NNGUI_VENV does not work (its Python or pip fails to run); creating it anew"
    fi
    local py version
    if ! py="$(nngui_find_python)"; then
        nngui_apt_install python3 python3-venv || nngui_die "Python 3.11 or newer is needed (python3 on PATH)"
        py="$(nngui_find_python)" || nngui_die "Python 3.11 or newer is needed (python3 on PATH)"
    fi
    version="$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    nngui_log "creating $NNGUI_VENV with $py (Python $version)"
    if ! "$py" -m venv --clear "$NNGUI_VENV" >/dev/null 2>&1; then
        # Debian ships venv's pip bootstrap separately (python3.11-venv).
        nngui_apt_install "python$version-venv" || nngui_die "cannot create a virtual environment"
        "$py" -m venv --clear "$NNGUI_VENV" || nngui_die "cannot create a virtual environment at $NNGUI_VENV"
    fi
}

# Install the project (editable) with the given extras, unless the stamp says it already is.
nngui_ensure_installed() {
    local hash old_hash="" old_extras="" want extra spec started
    hash="$( { cat "$NNGUI_ROOT/pyproject.toml"; echo "$NNGUI_ROOT"; } | sha256sum | cut -d' ' -f1)"
    [ -f "$NNGUI_STAMP" ] && read -r old_hash old_extras <"$NNGUI_STAMP"
    want=""
    [ "$old_hash" = "$hash" ] && want="${old_extras//,/ }"
    local needed=0
    for extra in "$@"; do
        case " $want " in *" $extra "*) ;; *) want="$want $extra"; needed=1 ;; esac
    done
    [ "$old_hash" = "$hash" ] && [ "$needed" = 0 ] && return 0
    # shellcheck disable=SC2086  # word splitting trims the list
    want="$(echo $want | tr ' ' ',')"
    spec="$NNGUI_ROOT"
    [ -n "$want" ] && spec="${NNGUI_ROOT}[$want]"
    nngui_log "installing nngui${want:+[$want]} into $NNGUI_VENV (the first time takes a minute or two)"
    started=$SECONDS
    rm -f "$NNGUI_STAMP"
    "$NNGUI_VENV/bin/python" -m pip install --disable-pip-version-check --no-input -q -e "$spec" \
        || nngui_die "pip could not install nngui (see above)"
    echo "$hash ${want:-}" >"$NNGUI_STAMP"
    nngui_log "installed in $((SECONDS - started)) s"
}

# Soname of a missing shared library -> the Debian 12 package that provides it.
nngui_deb_for_soname() {
    case "$1" in
        libEGL.so.*) echo libegl1 ;;
        libGL.so.*) echo libgl1 ;;
        libOpenGL.so.*) echo libopengl0 ;;
        libGLX.so.*) echo libglx0 ;;
        libgthread-2.0.so.* | libglib-2.0.so.* | libgobject-2.0.so.*) echo libglib2.0-0 ;;
        libfontconfig.so.*) echo libfontconfig1 ;;
        libfreetype.so.*) echo libfreetype6 ;;
        libX11.so.*) echo libx11-6 ;;
        libX11-xcb.so.*) echo libx11-xcb1 ;;
        libxkbcommon.so.*) echo libxkbcommon0 ;;
        libxkbcommon-x11.so.*) echo libxkbcommon-x11-0 ;;
        libdbus-1.so.*) echo libdbus-1-3 ;;
        libSM.so.*) echo libsm6 ;;
        libICE.so.*) echo libice6 ;;
        libxcb.so.*) echo libxcb1 ;;
        libxcb-cursor.so.*) echo libxcb-cursor0 ;;
        libxcb-icccm.so.*) echo libxcb-icccm4 ;;
        libxcb-keysyms.so.*) echo libxcb-keysyms1 ;;
        libxcb-image.so.*) echo libxcb-image0 ;;
        libxcb-render-util.so.*) echo libxcb-render-util0 ;;
        libxcb-util.so.*) echo libxcb-util1 ;;
        libxcb-*.so.*)  # libxcb-shape.so.0 -> libxcb-shape0
            local base="${1#lib}"; base="${base%%.so.*}"; echo "lib${base}${1##*.so.}" ;;
        libwayland-*.so.*)
            local base="${1#lib}"; base="${base%%.so.*}"; echo "lib${base}${1##*.so.}" ;;
        *) echo "?$1" ;;
    esac
}

nngui_qt_dir() {
    local dir
    for dir in "$NNGUI_VENV"/lib/python3*/site-packages/PySide6/Qt; do
        [ -d "$dir" ] && { echo "$dir"; return 0; }
    done
    return 1
}

# Print the Debian packages for the shared libraries Qt's GUI libraries (and plugin) cannot find.
nngui_qt_missing_debs() {
    local platform="$1" qt files f
    qt="$(nngui_qt_dir)" || return 0
    files="$qt/lib/libQt6Gui.so.6 $qt/lib/libQt6Widgets.so.6 $qt/plugins/platforms/libqoffscreen.so"
    case "$platform" in
        xcb) files="$files $qt/lib/libQt6XcbQpa.so.6 $qt/plugins/platforms/libqxcb.so" ;;
        wayland) files="$files $qt/lib/libQt6WaylandClient.so.6 $qt/plugins/platforms/libqwayland.so" ;;
    esac
    for f in $files; do
        [ -e "$f" ] && ldd "$f" 2>/dev/null
    done | awk '/=> not found/ {print $1}' | sort -u | while read -r soname; do
        nngui_deb_for_soname "$soname"
    done | sort -u
    # fontconfig with no font at all draws every letter as an empty box
    if [ -z "$(find /usr/share/fonts /usr/local/share/fonts "${HOME:-/nonexistent}/.local/share/fonts" "${HOME:-/nonexistent}/.fonts" \
        \( -name '*.ttf' -o -name '*.otf' -o -name '*.ttc' -o -name '*.pfb' \) -print -quit 2>/dev/null)" ]; then
        echo fonts-dejavu-core
    fi
}

# Can this venv's PySide6 create a QGuiApplication offscreen? Prints Qt's error when not.
_nngui_qt_loads() {
    # shellcheck disable=SC2069  # keep Qt's stderr, drop stdout
    QT_QPA_PLATFORM=offscreen "$NNGUI_VENV/bin/python" -c '
import sys
from PySide6 import QtGui, QtWidgets  # noqa: F401
app = QtGui.QGuiApplication(sys.argv[:1])
' 2>&1 >/dev/null
}

# Check that Qt loads (and, for platform xcb, that the X11 plugin finds its libraries);
# otherwise name the Debian packages, install them when root, and check again.
nngui_ensure_qt() {
    local platform="${1:-offscreen}" error missing
    if error="$(_nngui_qt_loads)"; then
        missing="$(nngui_qt_missing_debs "$platform" | tr '\n' ' ')"
        [ -z "${missing// /}" ] && return 0
    else
        missing="$(nngui_qt_missing_debs "$platform" | tr '\n' ' ')"
        # shellcheck disable=SC2086  # one word per package
        [ -n "${missing// /}" ] || missing="$(nngui_missing_debs $NNGUI_QT_DEBS | tr '\n' ' ')"
        [ -n "${missing// /}" ] || nngui_die "Qt does not load: $error"
    fi
    case "$missing" in
        *'?'*)
            nngui_log "Qt cannot find these libraries: $(echo "$missing" | tr ' ' '\n' | grep '^?' | tr -d '?' | tr '\n' ' ')"
            missing="$(echo "$missing" | tr ' ' '\n' | grep -v '^?' | tr '\n' ' ')" ;;
    esac
    [ -n "$error" ] && nngui_log "Qt does not load: $(printf '%s' "$error" | tail -n 3)"
    # shellcheck disable=SC2086  # one word per package
    nngui_apt_install $missing || exit 1
    error="$(_nngui_qt_loads)" || nngui_die "Qt still does not load: $error"
    missing="$(nngui_qt_missing_debs "$platform" | tr '\n' ' ')"
    [ -z "${missing// /}" ] || nngui_die "Qt still misses libraries: $missing"
}

# Decide the Qt platform for `python -m nngui ARGS`; print it (xcb, offscreen, ...), or print
# nothing when no Qt is needed (`train ...`). With no display and no QT_QPA_PLATFORM, --self-test
# and --help run offscreen (exporting QT_QPA_PLATFORM=offscreen is the caller's job); anything
# else fails with one line instead of letting Qt abort.
nngui_qt_platform() {
    [ "${1:-}" = train ] && return 0
    local arg offscreen_ok=0
    for arg in "$@"; do
        case "$arg" in --self-test | -h | --help | --version) offscreen_ok=1 ;; esac
    done
    case "${QT_QPA_PLATFORM:-}" in
        xcb*) echo xcb; return 0 ;;
        ?*) echo "${QT_QPA_PLATFORM%%:*}"; return 0 ;;
    esac
    if [ -n "${DISPLAY:-}" ]; then
        echo xcb  # also Qt's fallback when a Wayland session lacks the wayland plugin's libraries
    elif [ -n "${WAYLAND_DISPLAY:-}" ]; then
        echo wayland
    elif [ "$offscreen_ok" = 1 ]; then
        echo offscreen
    else
        nngui_log "no display: set DISPLAY, run under xvfb-run (xvfb-run -a ./run.sh), or use QT_QPA_PLATFORM=offscreen for a window nobody sees"
        return 1
    fi
}

# venv + project with the given extras installed.
nngui_setup() {
    nngui_ensure_venv
    nngui_ensure_installed "$@"
}
