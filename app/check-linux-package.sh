#!/usr/bin/env bash
# Check the Linux release archive as a teacher would use it:
#   app/check-linux-package.sh dist/nngui-<version>-linux-<machine>.tar.gz
# Its contents (the app, install.sh, the menu entry, every icon size), the menu entry against
# the freedesktop spec (desktop-file-validate, Debian/Ubuntu: desktop-file-utils), then
# install.sh into an empty home folder with a bare environment: the installed entry points at
# the installed binary, which passes app/check-bundle.sh (version, self-test offscreen, the
# course's last line); then uninstall.sh leaves nothing behind.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -eq 1 ] || { echo "usage: $0 ARCHIVE" >&2; exit 2; }
archive="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
python="${NNGUI_PYTHON:-python3}"
version="$("$python" "$root/app/platform_meta.py" version)"
top="nngui-$version"
expected_name="$("$python" "$root/app/platform_meta.py" archive "linux-$(uname -m)")"

fail() { echo "check-linux-package: $*" >&2; exit 1; }
command -v desktop-file-validate >/dev/null 2>&1 \
    || fail "desktop-file-validate is missing (Debian/Ubuntu: apt-get install desktop-file-utils)"
[ "$(basename "$archive")" = "$expected_name" ] || fail "archive is named $(basename "$archive"), expected $expected_name"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "--- contents"
tar -tzf "$archive" >"$work/list"
[ "$(cut -d/ -f1 "$work/list" | sort -u)" = "$top" ] || fail "everything should sit in one folder $top/"
need=(install.sh README.txt LICENSE nngui/nngui nngui/_internal/resources/icons/nngui.svg
      share/applications/nngui.desktop share/icons/hicolor/scalable/apps/nngui.svg)
for size in 16 24 32 48 64 128 256 512; do need+=("share/icons/hicolor/${size}x${size}/apps/nngui.png"); done
for f in "${need[@]}"; do grep -qx "$top/$f" "$work/list" || fail "archive lacks $top/$f"; done
echo "$(wc -l <"$work/list") entries, $(du -h "$archive" | cut -f1); the app, install.sh, the menu entry and ${#need[@]} named files present"
tar -xzf "$archive" -C "$work"
[ -x "$work/$top/install.sh" ] && [ -x "$work/$top/nngui/nngui" ] || fail "install.sh and nngui/nngui must be executable"

echo "--- desktop-file-validate (as shipped)"
desktop-file-validate "$work/$top/share/applications/nngui.desktop"
echo "valid"

echo "--- install.sh into an empty home"
home="$work/home"
mkdir -p "$home"
bare() { (cd "$home" && env -i PATH=/usr/bin:/bin HOME="$home" "$@"); }
bare bash "$work/$top/install.sh"
entry="$home/.local/share/applications/nngui.desktop"
app="$home/.local/lib/nngui/nngui"
[ -f "$entry" ] || fail "install.sh wrote no $entry"
[ -x "$app" ] || fail "install.sh installed no $app"
[ "$(readlink "$home/.local/bin/nngui")" = "$app" ] || fail "$home/.local/bin/nngui does not link to $app"
for f in "${need[@]}"; do
    case "$f" in share/icons/*) [ -f "$home/.local/$f" ] || fail "install.sh did not install $f" ;; esac
done
echo "--- desktop-file-validate (installed)"
desktop-file-validate "$entry"
echo "valid"
grep -qx "Exec=\"$app\"" "$entry" || fail "the installed entry's Exec= is not the installed binary: $(grep '^Exec=' "$entry")"
grep -qx "TryExec=$app" "$entry" || fail "the installed entry's TryExec= is not the installed binary"
grep -qx "Icon=nngui" "$entry" || fail "the installed entry names no icon nngui"
cat "$entry"

echo "--- the installed app"
bare "$root/app/check-bundle.sh" "$home/.local/bin/nngui" "$version"

echo "--- install again (an update), then uninstall"
bare bash "$work/$top/install.sh" >/dev/null
bare "$home/.local/lib/nngui/uninstall.sh"
left="$(find "$home" \( -type f -o -type l \) -not -path "$home/.config/*" -not -path "$home/.cache/*" \
    -not -path "$home/.local/state/*" -not -name 'icon-theme.cache' -not -name 'mimeinfo.cache')"
[ -z "$left" ] || fail "uninstall left files behind: $left"
echo "check-linux-package: $(basename "$archive") passed"
