"""Checks of plain values, each failing with one message that names the field."""

from __future__ import annotations

import json
import math
import numbers

from .safe_text import one_line, shown_path


class ExperimentError(ValueError):
    """A bad setting or experiment file; ``str()`` is one line that names the field.

    The line is always short and printable (``safe_text.one_line``): the file's path is
    escaped and shortened, and whoever quotes input in ``field`` or ``problem`` quotes it
    with ``safe_text.shown``.
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
