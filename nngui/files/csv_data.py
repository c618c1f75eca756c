"""The class's own points as CSV: ``x,y,label`` rows in, the current data out.

A file holds one point a line, ``x,y,label``: two numbers and a class number 0 to 5 (the
first line may be a header such as ``x,y,label``; blank lines and lines starting with ``#``
are skipped). The whole file is checked before anything uses it, and the first bad line is
refused with its line number, so a half-read file never becomes the data.

Limits: at most ``MAX_BYTES`` (1 MB), 2 to 5000 points (``datasets.POINTS_RANGE``),
coordinates within ±100 (``datasets.COORDINATE_LIMIT``), labels 0 … 5 (``CLASSES_RANGE``),
and at least two classes among the labels. The data set has as many classes as the largest
label says (labels 0 and 2 make three classes, the middle one without points).
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass

from . import guards as files
from nngui.engine.checks import ExperimentError, shown
from nngui.engine.datasets import CLASSES_RANGE, COORDINATE_LIMIT, POINTS_RANGE

MAX_BYTES = 1_000_000
#: The longest a number may be written; no coordinate needs more.
MAX_NUMBER_LENGTH = 40
HEADER = ("x", "y", "label")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


@dataclass(frozen=True)
class CsvData:
    """The points of a CSV file, ``(x, y, label)`` each, and the number of classes they make."""

    points: tuple
    classes: int


def parse_csv(content) -> CsvData:
    """The points in ``content`` (UTF-8 bytes or text); ``ExperimentError`` naming the first bad line."""
    if isinstance(content, (bytes, bytearray)):
        if len(content) > MAX_BYTES:
            raise ExperimentError("", f"the file is larger than {MAX_BYTES // 1_000_000} MB")
        if b"\x00" in content:
            raise ExperimentError("", "this is not a CSV text file (it holds binary data)")
        try:
            content = bytes(content).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = content[:error.start].count(b"\n") + 1
            raise ExperimentError(f"line {line}", "is not UTF-8 text") from None
    elif not isinstance(content, str):
        raise ExperimentError("", f"expected the file's text, got {type(content).__name__}")
    if len(content) > MAX_BYTES or "\x00" in content:
        raise ExperimentError("", "this is not a CSV text file of at most 1 MB")
    points = []
    reader = csv.reader(io.StringIO(content, newline=""))
    first = True
    try:
        for row in reader:
            line = reader.line_num
            cells = [cell.strip() for cell in row]
            if not any(cells) or cells[0].startswith("#"):
                continue
            if first and _is_header(cells):
                first = False
                continue
            first = False
            if len(points) == POINTS_RANGE[1]:
                raise ExperimentError(f"line {line}", f"more than {POINTS_RANGE[1]} points (the most a data set "
                                                      "may hold)")
            points.append(_point(cells, line))
    except csv.Error as error:
        raise ExperimentError(f"line {reader.line_num}", f"is not CSV: {error}") from None
    if len(points) < POINTS_RANGE[0]:
        raise ExperimentError("", f"the file holds {len(points)} point{'s' if len(points) != 1 else ''}; "
                                  f"a data set needs at least {POINTS_RANGE[0]} (rows of x,y,label)")
    labels = {label for _, _, label in points}
    if len(labels) < 2:
        raise ExperimentError("", f"every point is of class {labels.pop()}: a data set needs points of "
                                  "at least two classes")
    return CsvData(tuple(points), max(max(labels) + 1, CLASSES_RANGE[0]))


def _is_header(cells) -> bool:
    # a header is a first row that is not all numbers; x,y,label in any case is the usual one
    return not all(_NUMBER.fullmatch(cell) for cell in cells)


def _point(cells, line):
    where = f"line {line}"
    if len(cells) != 3:
        raise ExperimentError(where, f"expected 3 values x,y,label, got {len(cells)}")
    x = _coordinate(cells[0], where, "x")
    y = _coordinate(cells[1], where, "y")
    text = cells[2]
    low, high = 0, CLASSES_RANGE[1] - 1
    value = _number(text)
    if value is None or not value.is_integer() or not low <= value <= high:
        raise ExperimentError(where, f"label must be a class number {low} to {high}, got {_quoted(text)}")
    return x, y, int(value)


def _coordinate(text, where, name) -> float:
    value = _number(text)
    if value is None:
        raise ExperimentError(where, f"{name} must be a number, got {_quoted(text)}")
    if not math.isfinite(value) or abs(value) > COORDINATE_LIMIT:
        raise ExperimentError(where, f"{name} must be between {-COORDINATE_LIMIT:g} and {COORDINATE_LIMIT:g}, "
                                     f"got {_quoted(text)}")
    return value


def _number(text):
    # a plain decimal only: float() would also take "nan", "inf", "1_000" and thousands of digits
    if len(text) > MAX_NUMBER_LENGTH or not _NUMBER.fullmatch(text):
        return None
    return float(text)


def _quoted(text) -> str:
    return f"'{shown(text[:MAX_NUMBER_LENGTH])}{'…' if len(text) > MAX_NUMBER_LENGTH else ''}'"


def read_csv(path) -> CsvData:
    """Read and check the CSV file at ``path``; errors name the file, then the line."""
    return files.read_checked(path, parse_csv, MAX_BYTES)


def to_csv(points) -> str:
    """``x,y,label`` with a header, one point a line, every number written exactly (it reads back the same)."""
    lines = [",".join(HEADER)]
    lines += [f"{float(x)!r},{float(y)!r},{int(label)}" for x, y, label in points]
    return "\n".join(lines) + "\n"


def write_csv(path, points) -> None:
    """Write ``points`` as a CSV file, atomically (see ``files``)."""
    files.write_file_atomically(path, to_csv(points).encode("utf-8"))
