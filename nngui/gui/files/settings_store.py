"""The app's settings file, read and written by the app itself: plain text, bytes and flags, nothing else.

Qt's ``QSettings`` turns a value written as ``@Variant(…)`` back into whatever object it
describes, and for PySide's ``PyObjectWrapper`` that means ``pickle.loads``: a crafted
settings file ran a shell command when the window read its geometry. So the app never
lets QSettings read its settings. ``SettingsStore`` reads the same INI file (the one
QSettings would use, in the same format, so nothing a user had is lost) through
``files.read_regular_file``, keeps only strings and ``@ByteArray(…)`` bytes, and refuses
the whole file, with a one-line note, if any value is a typed Qt value (``@Variant``,
``@DateTime``, ``@Rect``, …) or the file is not well formed: no byte of it can construct
an object. It writes the file back atomically in the format QSettings writes.

Reading is typed: ``text``, ``flag`` and ``data`` return a ``str``, ``bool`` or ``bytes``
(or the default). ``value`` / ``setValue`` answer the window's QSettings-style calls with
the same plain values.
"""

from __future__ import annotations

import os
import string
import sys

from nngui.files import guards as files
from nngui.engine.checks import ExperimentError, one_line, shown, shown_path

#: The settings hold a window's place, a few words and one experiment: far below this.
MAX_BYTES = 1_000_000
#: QSettings' section for keys without a group.
GENERAL = "General"
_KEY_CHARS = frozenset(string.ascii_letters + string.digits + "_-.")
_HEX = frozenset(string.hexdigits)
_OCTAL = frozenset("01234567")
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
            '"': '"', "?": "?", "'": "'", "\\": "\\"}
_ESCAPED = {value: "\\" + key for key, value in _ESCAPES.items() if key not in "?'"}


class SettingsError(ValueError):
    """The settings file is not one the app reads; the message says where and why."""


def _note(message: str) -> None:
    if sys.stderr is not None:
        try:
            print(f"nngui: {one_line(message)}", file=sys.stderr, flush=True)
        except (OSError, ValueError):
            pass


class SettingsStore:
    """The settings at ``path``: read once now, written on every change (merged with the file's)."""

    def __init__(self, path, note=_note):
        self.path = os.fspath(path)
        self._note = note
        #: why the file was ignored or could not be written, or None
        self.problem: str | None = None
        self._ignored: set[str] = set()   # keys whose values were ignored (each said once)
        self._values = self._read(report=True)

    # --- reading --------------------------------------------------------------------------

    def text(self, key: str, default: str = "") -> str:
        """The text stored under ``key``, or ``default`` if there is none (or bytes)."""
        value = self._values.get(key)
        return value if isinstance(value, str) else default

    def flag(self, key: str, default: bool = False) -> bool:
        """``True`` or ``False`` as stored under ``key`` (``true`` / ``false``), else ``default``.

        Any other value is ignored with one line on stderr.
        """
        return self.choice(key, {"true": True, "false": False}, default)

    def choice(self, key: str, choices: dict, default=None):
        """``choices[text]`` for the exact text stored under ``key``, ``default`` if there is none.

        Any other value — unknown words, digits of another script (``²``), a number with 5,000
        digits, bytes — is ignored with one line on stderr naming the key: the app starts as if
        it were not there. Nothing is converted before it is matched, so nothing can fail.
        """
        value = self._values.get(key)
        if value is None or value == "":
            return default
        if isinstance(value, str) and value in choices:
            return choices[value]
        words = ", ".join(shown(str(text), 12) for text in choices)
        self.ignore(key, f"expected one of {words}")
        return default

    def data(self, key: str) -> bytes | None:
        """The bytes stored under ``key``, or None (text there is ignored with one line on stderr)."""
        value = self._values.get(key)
        if isinstance(value, str) and value:
            self.ignore(key, "expected bytes (@ByteArray(…)), got text")
        return value if isinstance(value, bytes) else None

    def ignore(self, key: str, why: str) -> None:
        """Say once, on stderr, that the value under ``key`` is not used (the rest of the file is)."""
        if key in self._ignored:
            return
        self._ignored.add(key)
        value = self._values.get(key)
        shown_value = f"@ByteArray(… {len(value):,} bytes)" if isinstance(value, bytes) else shown(value or "", 40)
        self._note(f"ignoring {shown(key)}={shown_value} in the settings file {shown_path(self.path)}: {why}")

    def value(self, key: str, default=None):
        """QSettings-style: the plain value (``str`` or ``bytes``) under ``key``, or ``default``."""
        return self._values.get(key, default)

    # --- writing --------------------------------------------------------------------------

    def update(self, values: dict) -> bool:
        """Store ``values`` (text, a flag, a number or bytes each; None removes) in one write; False if it failed."""
        changes = {key: _plain(key, value) for key, value in values.items()}
        # merge with the file as it is now: another window may have saved since
        merged = self._read(report=False)
        merged.update(changes)
        merged = {key: value for key, value in merged.items() if value is not None}
        try:
            os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
            files.write_file_atomically(self.path, format_ini(merged).encode("utf-8"))
        except (OSError, ExperimentError) as error:
            message = error.strerror if isinstance(error, OSError) else str(error)
            self._fail(f"cannot save the settings: {message}")
            self._values.update(changes)
            return False
        self._values = merged
        return True

    def setValue(self, key: str, value) -> None:  # noqa: N802 - QSettings' name
        """QSettings-style: store one plain value."""
        self.update({key: value})

    def remove(self, key: str) -> None:
        self.update({key: None})

    def sync(self) -> None:
        """QSettings-style; every change is written at once, so there is nothing left to write."""

    # --- the file -------------------------------------------------------------------------

    def _read(self, report) -> dict:
        try:
            return parse_ini(files.read_regular_file(self.path, MAX_BYTES))
        except ExperimentError as error:
            if not os.path.lexists(self.path):
                return {}  # no settings yet: the first run
            problem = error.problem
        except SettingsError as error:
            problem = str(error)
        if report:
            self._fail(f"ignoring the settings file {shown_path(self.path)}: {problem}")
        return {}

    def _fail(self, message):
        if self.problem != message:
            self._note(message)
        self.problem = message


def _plain(key, value):
    if not key or set(key) - _KEY_CHARS - {"/"} or "//" in key or key.startswith("/") or key.endswith("/"):
        raise ValueError(f"settings key {key!r}: use letters, digits, _ - . and / between groups")
    if value is None or isinstance(value, (str, bytes)):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)  # as QSettings writes a number: text
    if isinstance(value, bytearray):
        return bytes(value)
    if type(value).__name__ == "QByteArray":
        return bytes(value.data())
    raise TypeError(f"settings key {key}: only text, a flag, a number or bytes can be stored, "
                    f"not {type(value).__name__}")


# --- the INI format QSettings writes -------------------------------------------------------

def parse_ini(content: bytes) -> dict:
    """``{"group/key": str | bytes}`` of an INI file as QSettings writes it; SettingsError otherwise."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SettingsError(f"the file is not UTF-8 text (byte {error.start})") from None
    values, section = {}, ""
    for number, line in enumerate(text.split("\n"), 1):
        line = line.strip(" \t\r")
        if not line or line[0] in ";#":
            continue
        if line[0] == "[":
            if not line.endswith("]"):
                raise SettingsError(f"line {number}: a section name must end with ]")
            section = _unescape_key(line[1:-1].strip(), number)
            section = "" if section == GENERAL else section
            continue
        key, equals, raw = line.partition("=")
        key = _unescape_key(key.strip(" \t"), number)
        if not equals or not key:
            raise SettingsError(f"line {number}: expected key=value")
        key = f"{section}/{key}" if section else key
        value = _unescape_value(raw.strip(" \t"), number)
        if isinstance(value, list):
            for item in value:
                _typed(item, key)  # refuses a typed value hidden in a list
            continue  # a list of words: nothing the app stores
        values[key] = _typed(value, key)
    return values


def _typed(text, key):
    """The plain value a QSettings string stands for: ``str``, ``bytes``; SettingsError for any typed value."""
    if not text.startswith("@"):
        return text
    if text.startswith("@@"):
        return text[1:]
    if text.startswith("@ByteArray(") and text.endswith(")"):
        try:
            return text[len("@ByteArray("):-1].encode("latin-1")
        except UnicodeEncodeError:
            raise SettingsError(f"{shown(key)}: bytes above 255 in @ByteArray") from None
    kind = text.partition("(")[0]
    raise SettingsError(f"{shown(key)} holds {shown(kind, 20)}(…), a serialized object, which nngui never reads")


def _unescape_key(text, number):
    out, i = [], 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            out.append("/")
        elif char == "%":
            width = 4 if text[i + 1:i + 2] == "U" else 2
            start = i + 1 + (width == 4)
            digits = text[start:start + width]
            if len(digits) != width or set(digits) - _HEX:
                raise SettingsError(f"line {number}: a bad %-escape in a key")
            out.append(chr(int(digits, 16)))
            i = start + width
            continue
        else:
            out.append(char)
        i += 1
    return "".join(out)


def _unescape_value(text, number):
    """A value's text without its quotes and escapes: a ``str``, or a ``list`` for comma-separated words."""
    items, current = [], []
    quoted = in_quotes = False
    i, end = 0, len(text)
    while i < end:
        char = text[i]
        if char == "\\":
            if i + 1 >= end:
                raise SettingsError(f"line {number}: a value ends in a lone backslash")
            code, i = text[i + 1], i + 2
            if code in _ESCAPES:
                current.append(_ESCAPES[code])
                continue
            digits = _HEX if code == "x" else _OCTAL if code in _OCTAL else None
            if digits is None:
                raise SettingsError(f"line {number}: unknown escape \\{shown(code)}")
            start = i if code == "x" else i - 1
            while i < end and text[i] in digits:
                i += 1
            if i == start:
                raise SettingsError(f"line {number}: \\x without hex digits")
            value = int(text[start:i], 16 if code == "x" else 8)
            if value > 0xFFFF or 0xD800 <= value <= 0xDFFF:
                raise SettingsError(f"line {number}: an escape beyond one character")
            current.append(chr(value))
        elif char == '"':
            in_quotes, quoted = not in_quotes, True
            i += 1
        elif char == "," and not in_quotes:
            items.append("".join(current) if quoted else "".join(current).rstrip(" \t"))
            current, quoted = [], False
            i += 1
            while i < end and text[i] in " \t":
                i += 1
        else:
            current.append(char)
            i += 1
    if in_quotes:
        raise SettingsError(f"line {number}: a quoted value does not end")
    if items:
        return items + ["".join(current)]
    return "".join(current)


def _escape_key(key):
    return "".join(char if char in _KEY_CHARS else "\\" if char == "/" else f"%{ord(char):02X}" for char in key)


def _escape_value(text, as_text=True):
    """QSettings' escaping of one string (as text: UTF-8 kept; as bytes: all above 126 as \\x)."""
    out, quote, hex_next = [], False, False
    for char in text:
        code = ord(char)
        quote = quote or char in ";,="
        if hex_next and char in _HEX:
            out.append(f"\\x{code:x}")  # else the digit would join the escape before it
            continue
        hex_next = False
        if char == "\0":
            out.append("\\0")
            hex_next = True
        elif char in _ESCAPED:
            out.append(_ESCAPED[char])
        elif code <= 0x1F or (code >= 0x7F and not as_text):
            out.append(f"\\x{code:x}")
            hex_next = True
        else:
            out.append(char)
    result = "".join(out)
    return f'"{result}"' if quote or result[:1] == " " or result[-1:] == " " else result


def _format_value(value):
    if isinstance(value, bytes):
        return _escape_value("@ByteArray(" + value.decode("latin-1") + ")", as_text=False)
    return _escape_value("@" + value if value.startswith("@") else value)


def format_ini(values: dict) -> str:
    """The INI text QSettings writes for ``values`` (``str`` or ``bytes`` each), sections in order."""
    sections = {}
    for key, value in values.items():
        group, _, name = key.partition("/") if "/" in key else (GENERAL, "", key)
        sections.setdefault(group, {})[name] = value
    blocks = []
    for group in sorted(sections, key=lambda name: (name != GENERAL, name)):
        lines = [f"[{_escape_key(group)}]"]
        lines += [f"{_escape_key(name)}={_format_value(value)}" for name, value in sorted(sections[group].items())]
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)
