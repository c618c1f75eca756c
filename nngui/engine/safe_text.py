"""Input quoted in a message, made safe to print: escaped, shortened, on one line.

A key, a value or a file name comes from a file or a command line and can hold anything:
a newline that splits an error into three lines, an ESC sequence that retitles the
terminal, a NUL, half a megabyte of one character. Every message that quotes input
passes it through ``shown`` (or ``shown_path``), and every finished message through
``one_line``, so what reaches a terminal or a message box is one short line of
printable text.
"""

from __future__ import annotations

import os

#: Characters of one quoted value (a key, a word) before it is cut with an ellipsis.
MAX_SHOWN = 80
#: Characters of a quoted path; its middle is cut, so that the file's name still shows.
MAX_SHOWN_PATH = 120
#: Characters of one whole message line.
MAX_MESSAGE = 400
ELLIPSIS = "…"

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(char: str, backslash: bool) -> str:
    """``char`` as it is shown: itself when printable, else a Python-style escape."""
    if char == "\\":
        return "\\\\" if backslash else char
    if char.isprintable():
        return char
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _head(text: str, limit: int, backslash: bool) -> tuple[str, bool]:
    """At most ``limit`` characters of ``text`` escaped, whole escapes only; and whether it was cut."""
    pieces, length = [], 0
    for char in text:
        piece = _escape(char, backslash)
        if length + len(piece) > limit:
            return "".join(pieces), True
        pieces.append(piece)
        length += len(piece)
    return "".join(pieces), False


def shown(text, limit: int = MAX_SHOWN) -> str:
    """``text`` escaped like a Python string literal's inside (``\\n``, ``\\x1b``, ``\\\\``), cut to ``limit``.

    Only the first ``limit`` characters are ever looked at, so a huge input costs nothing.
    """
    text = str(text)
    head, cut = _head(text[:limit + 1], limit, backslash=True)
    if not cut:
        return head
    return _head(text[:limit], limit - len(ELLIPSIS), backslash=True)[0] + ELLIPSIS


def shown_path(path, limit: int = MAX_SHOWN_PATH) -> str:
    """A file's path escaped (backslashes kept as they are) and, when long, cut in the middle."""
    text = os.fsdecode(path) if isinstance(path, (bytes, os.PathLike)) else str(path)
    whole, cut = _head(text[:limit + 1], limit, backslash=False)
    if not cut:
        return whole
    half = (limit - len(ELLIPSIS)) // 2
    head = _head(text[:half], half, backslash=False)[0]
    # the tail, escaped from its end: whole escapes only
    pieces, length = [], 0
    for char in reversed(text[-half:]):
        piece = _escape(char, backslash=False)
        if length + len(piece) > half:
            break
        pieces.append(piece)
        length += len(piece)
    return head + ELLIPSIS + "".join(reversed(pieces))


def one_line(message, limit: int = MAX_MESSAGE) -> str:
    """A finished message as one printable line: control characters escaped, cut to ``limit``.

    Backslashes stay as they are, so text that ``shown`` already escaped is not escaped twice.
    """
    text = str(message)
    line, cut = _head(text[:limit + 1], limit, backslash=False)
    if not cut:
        return line
    return _head(text[:limit], limit - len(ELLIPSIS), backslash=False)[0] + ELLIPSIS
