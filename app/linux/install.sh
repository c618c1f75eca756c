#!/usr/bin/env bash
# Install nngui from this folder (the unpacked release archive) for the current user:
#
#   ./install.sh                  the app into ~/.local/lib/nngui, a command ~/.local/bin/nngui,
#                                 the menu entry and icons into ~/.local/share
#   ./install.sh --prefix DIR     the same under DIR (e.g. sudo ./install.sh --prefix /usr/local)
#   ./install.sh --uninstall      remove what it installed (also: ~/.local/lib/nngui/uninstall.sh)
#
# Nothing needs root, and nothing outside those folders is touched. Installing again replaces
# the app (an update); your settings and experiment files are kept.
set -euo pipefail

usage() {
    sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

say() { printf 'nngui: %s\n' "$*"; }
die() { printf 'nngui: %s\n' "$*" >&2; exit 1; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prefix="${HOME:?HOME is not set}/.local"
mode=install
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || die "--prefix needs a folder"; prefix="$2"; shift 2 ;;
        --prefix=*) prefix="${1#--prefix=}"; shift ;;
        --uninstall) mode=uninstall; shift ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument: $1 (see ./install.sh --help)" ;;
    esac
done
case "$prefix" in /*) ;; *) prefix="$PWD/$prefix" ;; esac
prefix="${prefix%/}"

libdir="$prefix/lib/nngui"          # the app: the nngui binary and its _internal/ folder
bindir="$prefix/bin"                # a link to it, for the command line
appsdir="$prefix/share/applications"
iconsdir="$prefix/share/icons/hicolor"
entry="$appsdir/nngui.desktop"

# A desktop entry's Exec= takes a quoted path; these characters would need escaping there.
case "$libdir" in
    *[\"\`\$\\%]* | *$'\n'*) die "cannot install under $prefix: the path holds one of \" \` \$ \\ % or a newline" ;;
esac

# The icon files an install writes (sizes as shipped in share/icons/hicolor).
icon_files() {
    local dir
    for dir in "$1"/*/apps; do
        [ -d "$dir" ] || continue
        find "$dir" -maxdepth 1 -name 'nngui.*' -printf "%P\n" | while read -r name; do
            printf '%s/%s\n' "${dir#"$1"/}" "$name"
        done
    done
}

refresh_caches() {
    # Menus notice a new entry by themselves (it opens no file types: no MIME cache to update);
    # an icon theme with a cache rereads it when the folder changes.
    touch "$iconsdir" 2>/dev/null || true
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$iconsdir/index.theme" ]; then
        gtk-update-icon-cache -q -t -f "$iconsdir" 2>/dev/null || true
    fi
}

is_our_app() {
    [ -x "$1/nngui" ] && [ -d "$1/_internal" ]
}

uninstall() {
    local removed=0 rel
    if [ -L "$bindir/nngui" ] && [ "$(readlink "$bindir/nngui")" = "$libdir/nngui" ]; then
        rm -f "$bindir/nngui"; removed=1
    fi
    if [ -f "$entry" ] && grep -q "^X-nngui-Installed-By=install.sh" "$entry"; then
        rm -f "$entry"; removed=1
    fi
    if [ -d "$iconsdir" ]; then
        while read -r rel; do
            rm -f "$iconsdir/$rel"; removed=1
        done < <(icon_files "$iconsdir")
    fi
    if is_our_app "$libdir"; then
        rm -rf "$libdir"; removed=1
    fi
    if [ "$removed" = 1 ]; then
        refresh_caches
        say "removed nngui from $prefix"
    else
        say "nngui is not installed in $prefix"
    fi
}

install_app() {
    local bundle="$here/nngui" exec_line
    is_our_app "$bundle" || die "no app next to this script ($bundle/nngui): run install.sh from the unpacked archive"
    [ -f "$here/share/applications/nngui.desktop" ] || die "the archive lacks share/applications/nngui.desktop"
    if [ -e "$libdir" ] && ! is_our_app "$libdir"; then
        die "$libdir exists and is not an nngui install; move it away first"
    fi

    mkdir -p "$prefix/lib" "$bindir" "$appsdir" "$iconsdir"
    # Copy next to the old install, then swap: an interrupted copy never leaves half an app.
    rm -rf "$libdir.new"
    cp -R "$bundle" "$libdir.new"
    rm -rf "$libdir"
    mv "$libdir.new" "$libdir"
    cp "$here/install.sh" "$libdir/install.sh"
    {
        echo '#!/usr/bin/env bash'
        echo "# Removes nngui installed under $prefix by install.sh."
        printf 'exec bash %q --uninstall --prefix %q\n' "$libdir/install.sh" "$prefix"
    } >"$libdir/uninstall.sh"
    chmod 755 "$libdir/install.sh" "$libdir/uninstall.sh"

    if [ -e "$bindir/nngui" ] && ! { [ -L "$bindir/nngui" ] && [ "$(readlink "$bindir/nngui")" = "$libdir/nngui" ]; }; then
        say "left $bindir/nngui alone (it is not this install's link); the app is $libdir/nngui"
    else
        ln -sfn "$libdir/nngui" "$bindir/nngui"
    fi

    # The menu entry runs the installed binary by its full path (the menu's PATH may lack ~/.local/bin).
    exec_line="Exec=\"$libdir/nngui\""
    sed -e "s|^Exec=.*|$exec_line|" -e "s|^TryExec=.*|TryExec=$libdir/nngui|" \
        "$here/share/applications/nngui.desktop" >"$entry.new"
    echo "X-nngui-Installed-By=install.sh" >>"$entry.new"
    mv "$entry.new" "$entry"
    chmod 644 "$entry"

    (cd "$here/share/icons/hicolor" && find . -path '*/apps/nngui.*' -type f) | while read -r rel; do
        mkdir -p "$iconsdir/$(dirname "$rel")"
        cp "$here/share/icons/hicolor/$rel" "$iconsdir/$rel"
    done
    refresh_caches

    say "installed $("$libdir/nngui" --version 2>/dev/null || echo nngui) into $libdir"
    say "start it from the applications menu (Education), or run: $bindir/nngui"
    case ":$PATH:" in
        *":$bindir:"*) ;;
        *) say "($bindir is not on your PATH yet; it usually is after logging in again)" ;;
    esac
    say "remove it with: $libdir/uninstall.sh"
}

case "$mode" in
    install) install_app ;;
    uninstall) uninstall ;;
esac
