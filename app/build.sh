#!/usr/bin/env bash
# Build the one-folder executable dist/nngui/ (binary dist/nngui/nngui) with PyInstaller.
# Installs the build extra into the venv first (same set-up as run.sh).
set -euo pipefail
# shellcheck source=app/setup-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup-env.sh"

nngui_setup build
nngui_ensure_qt offscreen
# PyInstaller reads shared-library headers with objdump (Debian: binutils)
command -v objdump >/dev/null 2>&1 || nngui_apt_install binutils || exit 1
# ... and bundles libpython, which Debian's own python3 keeps in a package of its own
read -r base version < <("$NNGUI_VENV/bin/python" -c \
    'import sys; print(sys.base_prefix, "%d.%d" % sys.version_info[:2])')
if [ "$base" = /usr ]; then
    nngui_ensure_debs "libpython$version" || exit 1
fi

cd "$NNGUI_ROOT"
started=$SECONDS
"$NNGUI_VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller app/nngui.spec
echo "built dist/nngui in $((SECONDS - started)) s: $(du -sh dist/nngui | cut -f1)" \
    "($(find dist/nngui -type f | wc -l) files)"
