"""Checks of plain values, each failing with one message that names the field; and input quoted
in a message, made safe to print.

A key, a value or a file name comes from a file or a command line and can hold anything:
a newline that splits an error into three lines, an ESC sequence that retitles the
terminal, a NUL, half a megabyte of one character. Every message that quotes input
passes it through ``shown`` (or ``shown_path``), and every finished message through
``one_line``, so what reaches a terminal or a message box is one short line of
printable text.
"""

from __future__ import annotations

import json
import math
import numbers
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


class ExperimentError(ValueError):
    """A bad setting or experiment file; ``str()`` is one line that names the field.

    The line is always short and printable (``one_line``): the file's path is
    escaped and shortened, and whoever quotes input in ``field`` or ``problem`` quotes it
    with ``shown``.
    """

    def __init__(self, field, problem, source=None):
        self.field = field
        self.problem = problem
        self.source = source
        where = ": ".join(part for part in (source and shown_path(source), field) if part)
        super().__init__(one_line(f"{where}: {problem}" if where else problem))

    def with_source(self, source):
        """The same error, said of the file ``source``."""
        return ExperimentError(self.field, self.problem, source)


def show(value):
    """A value as the user wrote it: JSON spelling where there is one, shortened if long."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, (list, tuple)) and (len(value) > 10 or any(
            isinstance(item, (dict, list, tuple)) for item in value)):
        return f"a list of {len(value)} items"
    try:
        text = json.dumps(value if not isinstance(value, tuple) else list(value))
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _number(number):
    """``500`` rather than ``500.0``, ``0.0001`` rather than ``1e-04``; never rounded."""
    if isinstance(number, float) and number.is_integer() and abs(number) < 1e16:
        return str(int(number))
    return repr(number)


def check_int(value, field, low, high):
    """``value`` as an ``int`` in ``[low, high]``; booleans and floats are refused."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ExperimentError(field, f"must be a whole number, got {show(value)}")
    value = int(value)
    if not low <= value <= high:
        raise ExperimentError(field, f"must be between {_number(low)} and {_number(high)}, got {value}")
    return value


def check_real(value, field, low, high):
    """``value`` as a finite ``float`` in ``[low, high]``; whole numbers are welcome, booleans are not."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ExperimentError(field, f"must be a number, got {show(value)}")
    value = float(value)
    if not math.isfinite(value):
        raise ExperimentError(field, f"must be a finite number, got {show(value)}")
    if not low <= value <= high:
        raise ExperimentError(field, f"must be between {_number(low)} and {_number(high)}, got {_number(value)}")
    return value


def check_choice(value, field, choices):
    """``value``, which must be one of the strings ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise ExperimentError(field, f"must be one of {', '.join(choices)}; got {show(value)}")
    return value


def check_bool(value, field):
    """``value``, which must be ``True`` or ``False`` (not 0 or 1)."""
    if not isinstance(value, bool):
        raise ExperimentError(field, f"must be true or false, got {show(value)}")
    return value
