"""The student's file: read, compiled and run as a module of its own; its optimizer class found.

Every failure is a ``StudentError`` whose message quotes the student's own words (escaped and
cut to one line, since a file can hold anything) and names their line: a syntax error its line
and column, an exception the last line of the file it passed through.
"""

from __future__ import annotations

import inspect
import itertools
import sys
import traceback
import types
from dataclasses import dataclass
from pathlib import Path

from nngui.engine.checks import one_line, shown, shown_path

from .result import Problem
from .settings import PARAMETERS

#: A submission larger than this is not a student's optimizer.
MAX_SOURCE_BYTES = 1_000_000
#: Module names given to students' files, each its own (a dataclass in a file needs its module in sys.modules).
_NAMES = itertools.count()
#: The lesson's names with underscores: pasted from the printed chapter they lose them.
_LESSON_NAMES = ("current_learning_rate", "learning_rate", "weights_updates", "biases_updates",
                 "weights_momentums", "biases_momentums", "pre_update_params", "post_update_params",
                 "update_params")


class StudentError(Exception):
    """The student's code could not be checked: ``message`` (one line), ``problem`` and maybe a ``hint``."""

    def __init__(self, message: str, problem: Problem = Problem.CODE, hint: str | None = None):
        super().__init__(message)
        self.message, self.problem, self.hint = message, problem, hint


@dataclass(frozen=True)
class Submission:
    """A loaded file: its name as shown, its lines, and its module's namespace."""

    path: str
    lines: tuple[str, ...]
    module: types.ModuleType

    def line(self, number) -> str:
        """Line ``number`` (from 1) of the file, stripped, escaped and shortened; '' if there is none."""
        if number and 1 <= number <= len(self.lines):
            return shown(self.lines[number - 1].strip())
        return ""


def read_source(path) -> str:
    """The file's text; ``StudentError`` (a usage problem) if it cannot be read as a Python file."""
    path = Path(path)
    name = shown_path(path)
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_SOURCE_BYTES + 1)
    except IsADirectoryError:
        raise StudentError(f"{name}: is a folder, not a Python file", Problem.USAGE) from None
    except OSError as error:
        raise StudentError(f"{name}: {error.strerror or error}", Problem.USAGE) from None
    if len(data) > MAX_SOURCE_BYTES:
        raise StudentError(f"{name}: larger than {MAX_SOURCE_BYTES:,} bytes: not an optimizer's source",
                           Problem.USAGE)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise StudentError(f"{name}: not UTF-8 text (byte {error.start})", Problem.USAGE) from None


def load(path, source: str | None = None) -> Submission:
    """Compile and run the file as a module (not as ``__main__``: code under ``if __name__ == "__main__":`` is not run)."""
    source = read_source(path) if source is None else source
    filename = str(path)
    lines = tuple(source.splitlines())
    try:
        code = compile(source, filename, "exec", dont_inherit=True)
    except SyntaxError as error:
        raise syntax_error(error, lines) from None
    except ValueError as error:  # a NUL byte in the source
        raise StudentError(f"the file cannot be compiled: {one_line(error)}") from None
    name = f"nngui_student_{next(_NAMES)}"
    module = types.ModuleType(name)
    module.__file__ = filename
    submission = Submission(filename, lines, module)
    sys.modules[name] = module
    try:
        exec(code, module.__dict__)
    except BaseException as error:
        if isinstance(error, KeyboardInterrupt) or _is_deadline(error):
            raise
        raise raised(error, submission, "while the file was loaded") from None
    return submission


def syntax_error(error: SyntaxError, lines) -> StudentError:
    """``SyntaxError at line 12, column 39: invalid syntax: `…the line…```, with a hint for a pasted name."""
    number = error.lineno
    text = lines[number - 1] if number and 1 <= number <= len(lines) else (error.text or "")
    where = f"line {number}" + (f", column {error.offset}" if error.offset else "") if number else "an unknown line"
    message = f"{type(error).__name__} at {where}: {one_line(error.msg)}: `{shown(text.strip())}`"
    return StudentError(message, hint=_pasted_name_hint(text))


def _pasted_name_hint(text) -> str | None:
    for name in _LESSON_NAMES:
        spaced = name.replace("_", " ")
        if spaced in text:
            return (f"a name cannot hold spaces: `{spaced}` is `{name}` (the printed lesson lost its "
                    f"underscores; the lesson's line is `layer.biases += -self.current_learning_rate * layer.dbiases`)")
    return None


def raised(error: BaseException, submission: Submission, during: str) -> StudentError:
    """The student's exception as one line: what it says, where (their function and line), when."""
    frame = _last_student_frame(error, submission.path)
    where = ""
    if frame is not None:
        where = f" in {frame.name}, line {frame.lineno}: `{submission.line(frame.lineno)}`"
    if isinstance(error, SystemExit):
        what = f"the code called sys.exit({'' if error.code is None else shown(repr(error.code))})"
    elif isinstance(error, MemoryError):
        what = "MemoryError: the code ran out of memory"
    else:
        text = one_line(error) if str(error) else ""
        what = type(error).__name__ + (f": {text}" if text else "")
    return StudentError(one_line(f"{what}{where} ({during})"), hint=_error_hint(error))


def _last_student_frame(error, filename):
    last = None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == filename:
            last = frame
    return last


def _error_hint(error) -> str | None:
    if isinstance(error, NameError) and getattr(error, "name", None) == "np":
        return "numpy is used as np: the lesson's file begins with `import numpy as np`"
    if isinstance(error, AttributeError) and getattr(error, "name", None) == "current_learning_rate":
        return ("current_learning_rate is read before it is set: the lesson's __init__ sets "
                "`self.current_learning_rate = learning_rate`")
    if isinstance(error, AttributeError) and getattr(error, "name", None) == "step":
        return "step is read before it is set: the lesson's __init__ sets `self.step = 0`"
    if isinstance(error, AttributeError) and getattr(error, "name", None) in ("weights_momentums",
                                                                              "biases_momentums"):
        return ("the momentum buffers are read before they exist: the lesson creates them on first use, "
                "`if not hasattr(layer, 'weights_momentums'): layer.weights_momentums = np.zeros_like(layer.weights)`")
    return None


def _is_deadline(error) -> bool:
    from .deadline import Deadline
    return isinstance(error, Deadline)


def find_class(submission: Submission, class_name: str | None = None) -> type:
    """The optimizer class: ``class_name``, or the one class defined in the file that has ``update_params``."""
    namespace = submission.module.__dict__
    found = optimizer_classes(submission)
    if class_name is not None:
        chosen = namespace.get(class_name)
        if not isinstance(chosen, type):
            defined = [name for name, value in namespace.items()
                       if isinstance(value, type) and value.__module__ == submission.module.__name__]
            raise StudentError(f"no class {shown(class_name)} in the file (classes: {', '.join(defined) or 'none'})",
                               Problem.USAGE)
        return chosen
    if not found:
        raise StudentError("no optimizer class in the file: no class has an update_params method "
                           "(the lesson's: `def update_params(self, layer):`)")
    if len(found) > 1:
        raise StudentError(f"{len(found)} optimizer classes in the file ({', '.join(c.__name__ for c in found)}): "
                           "choose one with --class NAME", Problem.USAGE)
    return found[0]


def optimizer_classes(submission: Submission) -> list[type]:
    """The classes defined in the file (not imported into it) that have ``update_params``, in the file's order."""
    return [value for value in submission.module.__dict__.values()
            if isinstance(value, type) and value.__module__ == submission.module.__name__
            and callable(getattr(value, "update_params", None))]


def accepted_parameters(cls) -> frozenset:
    """Which of ``learning_rate``, ``decay`` and ``momentum`` the class's ``__init__`` takes by name."""
    try:
        signature = inspect.signature(cls)
    except (TypeError, ValueError):
        raise StudentError(f"the __init__ of {cls.__name__} cannot be read") from None
    parameters = signature.parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return frozenset(PARAMETERS)
    accepted = frozenset(name for name in PARAMETERS if name in parameters
                         and parameters[name].kind is not inspect.Parameter.POSITIONAL_ONLY)
    if "learning_rate" not in accepted:
        raise StudentError(f"{cls.__name__}.__init__ takes no learning_rate (the lesson's: "
                           "`def __init__(self, learning_rate=1., decay=0., momentum=0.):`)")
    return accepted
