#!/usr/bin/env bash
# Check a built nngui executable the way a teacher would use it, on any platform:
#   app/check-bundle.sh EXECUTABLE VERSION
# EXECUTABLE is the console program: dist/nngui/nngui on Linux, nngui-cli.exe on Windows,
# nngui.app/Contents/MacOS/nngui-cli on macOS. It must print `nngui VERSION` for --version,
# pass --self-test (offscreen: the real window, nobody sees it) and end the course's run,
# `train --book --every 1000`, on the course's last line. Runs in the workflow on all three
# platforms (bash on Windows too) and in .ci/run.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 EXECUTABLE VERSION" >&2; exit 2; }
exe="$1" version="$2"
# The last line of the course's run (the chapter's own numbers, digit for digit).
BOOK_LAST_LINE="epoch: 10000, acc: 0.957, loss: 0.121, lr: 0.09091735612328393"

fail() { echo "check-bundle: $*" >&2; exit 1; }
[ -f "$exe" ] || fail "no executable at $exe"

# Windows' console programs end lines with CR LF; compare the text without the CR.
said="$("$exe" --version | tr -d '\r')"
[ "$said" = "nngui $version" ] || fail "--version said '$said', expected 'nngui $version'"
echo "--version: $said"

QT_QPA_PLATFORM=offscreen "$exe" --self-test || fail "--self-test failed (exit $?)"

course="$("$exe" train --book --every 1000 | tr -d '\r')" || fail "train --book failed"
printf '%s\n' "$course"
last="$(printf '%s\n' "$course" | tail -n 1)"
[ "$last" = "$BOOK_LAST_LINE" ] || fail "the course ended on '$last', expected '$BOOK_LAST_LINE'"
echo "check-bundle: $exe passed (version, self-test, the course's last line)"
