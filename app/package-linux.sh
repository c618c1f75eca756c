#!/usr/bin/env bash
# Pack the built bundle (dist/nngui/, made by app/build.sh) into the Linux release archive
#   dist/nngui-<version>-linux-<machine>.tar.gz
# holding one folder nngui-<version>/ with
#   nngui/                              the app (run nngui/nngui)
#   install.sh                          puts it into ~/.local with a menu entry (see its --help)
#   share/applications/nngui.desktop    the menu entry
#   share/icons/hicolor/<n>x<n>/apps/nngui.png, share/icons/hicolor/scalable/apps/nngui.svg
#   README.txt, LICENSE
# The version is nngui.__version__ (app/platform_meta.py reads it); prints the archive's path.
# Usage: app/package-linux.sh [BUNDLE]   (BUNDLE defaults to dist/nngui; NNGUI_DIST: where to write)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundle="${1:-$root/dist/nngui}"
python="${NNGUI_PYTHON:-python3}"

[ -x "$bundle/nngui" ] && [ -d "$bundle/_internal" ] \
    || { echo "package-linux: no bundle at $bundle (build it with app/build.sh)" >&2; exit 1; }
version="$("$python" "$root/app/platform_meta.py" version)"
machine="$(uname -m)"
archive="${NNGUI_DIST:-$root/dist}/$("$python" "$root/app/platform_meta.py" archive "linux-$machine")"
top="nngui-$version"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$top/share/applications" "$stage/$top/share/icons/hicolor/scalable/apps"
cp -a "$bundle" "$stage/$top/nngui"
install -m 755 "$root/app/linux/install.sh" "$stage/$top/install.sh"
install -m 644 "$root/app/linux/nngui.desktop" "$stage/$top/share/applications/nngui.desktop"
install -m 644 "$root/resources/icons/nngui.svg" "$stage/$top/share/icons/hicolor/scalable/apps/nngui.svg"
for png in "$root"/resources/icons/nngui-*.png; do
    size="$(basename "$png" .png)"; size="${size#nngui-}"
    mkdir -p "$stage/$top/share/icons/hicolor/${size}x${size}/apps"
    install -m 644 "$png" "$stage/$top/share/icons/hicolor/${size}x${size}/apps/nngui.png"
done
install -m 644 "$root/LICENSE" "$stage/$top/LICENSE"
cat >"$stage/$top/README.txt" <<TEXT
nngui $version for Linux ($machine): watch a neural network learn.

Run it from here:        ./nngui/nngui
Install it for yourself: ./install.sh   (the applications menu gets nngui; no root needed)
Remove it again:         ~/.local/lib/nngui/uninstall.sh

Command line: nngui train --book --every 1000, nngui race, nngui --self-test, nngui --help.
The app needs no Python. It needs the system's OpenGL/EGL, X11 (or Wayland) libraries,
fontconfig and a font, which every desktop has; on a bare Debian or Ubuntu:
  sudo apt-get install -y libegl1 libgl1 libxcb1 libfontconfig1 fonts-dejavu-core
TEXT

mkdir -p "$(dirname "$archive")"
rm -f "$archive"
tar --sort=name --owner=0 --group=0 --numeric-owner -czf "$archive" -C "$stage" "$top"
echo "packed $(basename "$archive"): $(du -h "$archive" | cut -f1)" >&2
echo "$archive"
