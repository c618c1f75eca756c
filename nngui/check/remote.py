"""A student's optimizer in a process of its own, behind a stand-in with the lesson's protocol and attributes.

``RemoteOptimizer`` is what a race runs for a student's class: each call (``pre_update_params()``,
``update_params(layer)``, ``post_update_params()``) sends the layer's arrays to the student's
process, where the class updates a layer of its own (so whatever the class keeps on the layer
stays there), and takes back the new weights, biases and momentum buffers. A call that raises
ends with ``StudentFailed`` and the student's message and line; one that does not answer within
``call_time_limit`` seconds has its process killed and ends the same way, so a class that stalls
mid-race stops its own run and nothing else. As with the checker, this isolates loops and
crashes; it is not a security sandbox.

The stand-in mirrors the attributes the engine's views read: ``learning_rate``,
``current_learning_rate``, ``step``, ``decay``, ``momentum`` (the class's own when it has
them, else the setting's, and ``step`` counts the epochs). Beyond the protocol it offers what a
race in the window asks of a run: ``apply_setting`` (new numbers at an epoch boundary, set on
the student's object), ``checkpoint``/``restore`` (the object and its layers, pickled in the
student's process, for looking back), a copy (``copy.deepcopy``: a second process in the same
state, for trying a caption's suggestion) and ``recording_lines()`` (the lines of the student's
file the next calls ran, for Step into).

The channel works the same on Linux, Windows and macOS: length-prefixed pickle frames over the
student's process's binary stdin and stdout (its own ``print`` goes to the null device), read in
the parent by a thread of the stand-in's own that feeds a queue, so a call's time limit is a
``queue.get(timeout=…)``. ``python -m nngui.check.remote FILE CLASS ARGUMENTS MEMORY_MB`` is
the student's side.
"""

from __future__ import annotations

import json
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
import weakref
from contextlib import contextmanager

import numpy as np

from .isolated import _PACKAGE_PARENT, DEFAULT_MEMORY_LIMIT_MB, _kill, python_command

#: Seconds one call may take before the student's process is stopped.
DEFAULT_CALL_TIME_LIMIT = 5.0
#: Seconds loading the file and making the object (or restoring one) may take.
START_TIME_LIMIT = 20.0
#: Seconds the stand-in waits for its reading thread once the process has been stopped.
READER_JOIN_SECONDS = 5.0
#: What separates the file from the class in an ``OptimizerConfig.student``: ``path::ClassName``.
SEPARATOR = "::"
_SENT = ("weights", "biases", "dweights", "dbiases")
_KEPT = ("weights", "biases", "weights_momentums", "biases_momentums")
_ATTRIBUTES = ("learning_rate", "current_learning_rate", "step", "decay", "momentum")
#: The settings a running class can be given, in the order ``apply_setting`` takes them.
SETTINGS = ("learning_rate", "decay", "momentum")
_HEADER = struct.Struct("<Q")
_ENDED = object()  # put on the queue by the reading thread when the channel closes


class StudentFailed(RuntimeError):
    """The student's call raised, stalled, or its process ended: the message says which, and where."""


# --- the channel: one frame is 8 bytes of length, then a pickle ---------------------------------


def send(stream, message) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def receive(stream):
    """The next frame's message; ``EOFError`` when the other side has closed the channel."""
    (size,) = _HEADER.unpack(_read_exactly(stream, _HEADER.size))
    return pickle.loads(_read_exactly(stream, size))


def _read_exactly(stream, size) -> bytes:
    data = stream.read(size)
    if data is None or len(data) < size:
        raise EOFError("the channel was closed")
    return data


def _read_answers(stream, answers) -> None:
    """The reading thread: every frame onto ``answers``, then ``_ENDED`` once the channel closes."""
    try:
        while True:
            answers.put(receive(stream))
    except BaseException:  # EOF, a broken pipe, a torn frame: the process has ended either way
        pass
    finally:
        answers.put(_ENDED)
        try:
            stream.close()
        except OSError:
            pass


# --- the parent's side -----------------------------------------------------------------------


def split_student(student: str) -> tuple[str, str]:
    """``path::ClassName`` as ``(path, class name)``."""
    path, _, class_name = student.rpartition(SEPARATOR)
    return path, class_name


class RemoteOptimizer:
    """The class ``class_name`` of the file at ``path``, made with ``arguments``, run in a process of its own.

    ``arguments`` may name ``learning_rate``, ``decay`` and ``momentum``: the student's side passes
    the ones its ``__init__`` takes by name. ``state``: a ``checkpoint()`` to start from instead.
    """

    def __init__(self, path, class_name: str, arguments: dict, call_time_limit: float = DEFAULT_CALL_TIME_LIMIT,
                 memory_limit: int = DEFAULT_MEMORY_LIMIT_MB, state: bytes | None = None):
        self.path, self.class_name = os.path.abspath(path), class_name
        self.arguments, self.memory_limit = dict(arguments), int(memory_limit)
        self.call_time_limit = call_time_limit
        self.learning_rate = float(arguments.get("learning_rate", 1.0))
        self.current_learning_rate = self.learning_rate
        self.decay = float(arguments.get("decay", 0.0))
        self.momentum = float(arguments.get("momentum", 0.0))
        self.step = 0
        #: the lines of the student's file the last call ran, while ``recording_lines()`` is on
        self.lines: tuple[int, ...] = ()
        self._recording = False
        self._layers: dict[int, int] = {}   # id of the run's layer -> its place, as the student's side keys them
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (_PACKAGE_PARENT, env.get("PYTHONPATH"))))
        env["OPENBLAS_NUM_THREADS"] = env["OMP_NUM_THREADS"] = "1"
        if os.name == "posix":
            # its own session: a Ctrl-C in the terminal is the window's alone, and the group can be killed
            detached = {"start_new_session": True}
        else:
            detached = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.CREATE_NO_WINDOW}
        self._process = subprocess.Popen(
            [*python_command("remote"), self.path, class_name, json.dumps(self.arguments), str(self.memory_limit)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, **detached)
        self._to = self._process.stdin
        self._answers: queue.SimpleQueue = queue.SimpleQueue()
        self._reader = threading.Thread(target=_read_answers, args=(self._process.stdout, self._answers),
                                         name=f"studentAnswers-{self._process.pid}", daemon=True)
        self._reader.start()
        self._finalizer = weakref.finalize(self, _stop, self._process, self._to, self._reader)
        self._answer("__init__", START_TIME_LIMIT)
        if state is not None:
            self._call("restore", state, limit=START_TIME_LIMIT)

    # --- the lesson's protocol ---

    def pre_update_params(self):
        self._call("pre_update_params")

    def update_params(self, layer):
        # the student's side keeps one layer of its own for each of the run's layers, by its place
        place = self._layers.setdefault(id(layer), len(self._layers))
        arrays = self._call("update_params", (place, {name: np.asarray(getattr(layer, name)) for name in _SENT}))
        for name, value in arrays.items():
            setattr(layer, name, np.array(value, dtype=layer.weights.dtype))

    def post_update_params(self):
        self._call("post_update_params")
        self.step += 1 if self._student_step is None else 0

    # --- what a race in the window asks beyond it ---

    def apply_setting(self, learning_rate, decay, momentum) -> tuple[str, ...]:
        """New numbers for the student's object, as the engine's ``SGD`` takes them at an epoch boundary.

        Each is set on the object's attribute of that name; with no decay ``current_learning_rate``
        becomes the rate, with no momentum the layers' momentum buffers go (momentum switched on
        again starts from rest). Returns the settings the object has no attribute for (a number
        that is 0 is never missed).
        """
        return tuple(self._call("set", dict(zip(SETTINGS, (learning_rate, decay, momentum)))))

    def checkpoint(self) -> bytes | None:
        """The student's object and its layers, pickled by its process (None if they cannot be)."""
        return self._call("checkpoint")

    def restore(self, state: bytes) -> None:
        """Put the student's object and its layers back as ``checkpoint()`` took them."""
        self._call("restore", state, limit=START_TIME_LIMIT)

    def __deepcopy__(self, memo):
        """A second process with the student's object and layers as they are now (a run copied for a try)."""
        try:
            state = self.checkpoint()
            if state is None:
                raise StudentFailed(f"{self.class_name} cannot be copied: its object cannot be pickled")
            twin = RemoteOptimizer(self.path, self.class_name, self.arguments, self.call_time_limit,
                                   self.memory_limit, state=state)
        except (StudentFailed, OSError, ValueError) as error:
            return Unstarted(str(error), self)  # the copy stops at its first call, saying why; the run goes on
        # the copy's layers are new objects: met in the same order, they take the same places
        twin.step = self.step
        return twin

    @contextmanager
    def recording_lines(self):
        """While entered, each call records the lines of the student's file it ran (in ``lines``)."""
        self._recording, self.lines = True, ()
        try:
            yield self
        finally:
            self._recording = False

    def close(self):
        """Stop the student's process (also done when the stand-in is collected)."""
        self._finalizer()

    # --- the channel ---

    def _call(self, name, argument=None, limit=None):
        if not self._finalizer.alive:
            raise StudentFailed("the student's process has ended")
        try:
            send(self._to, (name, argument, self._recording))
        except (OSError, ValueError):
            self.close()
            raise StudentFailed(f"the student's process ended before {name}") from None
        return self._answer(name, self.call_time_limit if limit is None else limit)

    def _answer(self, name, limit):
        try:
            message = self._answers.get(timeout=limit)
        except queue.Empty:
            self.close()
            raise StudentFailed(f"{name} did not finish within {limit:g} s and was stopped: an endless loop?") from None
        if message is _ENDED:
            self.close()
            raise StudentFailed(f"the student's code ended its process during {name}")
        kind, payload, attributes, lines = message
        if kind == "error":
            self.close()
            raise StudentFailed(payload)
        self._mirror(attributes)
        if self._recording:
            self.lines = tuple(lines)
        return payload

    _student_step = None

    def _mirror(self, attributes):
        for name in ("learning_rate", "current_learning_rate", "decay", "momentum"):
            if attributes.get(name) is not None:
                setattr(self, name, attributes[name])
        self._student_step = attributes.get("step")
        if self._student_step is not None:
            self.step = self._student_step

    def __repr__(self):
        return f"RemoteOptimizer({self.class_name}, pid {self._process.pid})"


def _stop(process, to_child, reader):
    try:
        to_child.close()
    except OSError:
        pass
    if process.poll() is None:
        _kill(process)
    if reader is not threading.current_thread():
        reader.join(READER_JOIN_SECONDS)  # the channel closed with the process: the thread ends at once


class Unstarted:
    """The stand-in for a class whose process could not start (or be copied): every call says why.

    ``like`` is the run's setting (an ``OptimizerConfig``) or the optimizer it stands in for.
    """

    def __init__(self, message, like):
        self.message = message
        self.learning_rate = like.learning_rate
        self.current_learning_rate = getattr(like, "current_learning_rate", like.learning_rate)
        self.decay = getattr(like, "effective_decay", getattr(like, "decay", 0.0))
        self.momentum = getattr(like, "effective_momentum", getattr(like, "momentum", 0.0))
        self.step = getattr(like, "step", 0)

    def _fail(self, *args):
        raise StudentFailed(self.message)

    pre_update_params = update_params = post_update_params = apply_setting = _fail

    def checkpoint(self):
        return None

    def restore(self, state):
        pass  # nothing to restore into: the first call says why


def student_optimizer(config, call_time_limit: float = DEFAULT_CALL_TIME_LIMIT):
    """The optimizer of a run whose ``config.student`` names a student's class (``path::ClassName``).

    The class is made with the run's numbers (those its ``__init__`` takes); a process that cannot
    start gives a stand-in whose first call stops the run with the reason.
    """
    path, class_name = split_student(config.student)
    arguments = {"learning_rate": config.learning_rate, "decay": config.effective_decay,
                 "momentum": config.effective_momentum}
    try:
        return RemoteOptimizer(path, class_name, arguments, call_time_limit=call_time_limit)
    except (StudentFailed, OSError, ValueError) as error:
        return Unstarted(str(error), config)


# --- the student's side ------------------------------------------------------------------------


class _Layer:
    """The student's layer: the arrays it is sent, and whatever the class keeps on it."""


def _attributes(student) -> dict:
    values = {}
    for name in _ATTRIBUTES:
        value = getattr(student, name, None)
        try:
            values[name] = None if value is None else (int(value) if name == "step" else float(value))
        except (TypeError, ValueError):
            values[name] = None
    return values


class _Lines:
    """Records the lines of one file that run in this thread while entered (``sys.settrace``)."""

    def __init__(self, filename):
        self.filename, self.seen = filename, {}

    def _global(self, frame, event, arg):
        return self._local if frame.f_code.co_filename == self.filename else None

    def _local(self, frame, event, arg):
        if event == "line":
            self.seen.setdefault(frame.f_lineno, None)
        return self._local

    def __enter__(self):
        sys.settrace(self._global)
        return self

    def __exit__(self, *exc):
        sys.settrace(None)
        return False


def _set(student, layers, values) -> tuple[str, ...]:
    """``apply_setting`` on the student's side: the engine's ``Trainer.set_optimizer``, on the class's attributes."""
    missing = []
    for name, value in values.items():
        if hasattr(student, name):
            setattr(student, name, value)
        elif value or name == "learning_rate":
            missing.append(name)
    if not values["decay"] and hasattr(student, "current_learning_rate"):
        student.current_learning_rate = values["learning_rate"]   # pre_update_params() decays only with a decay
    if not values["momentum"]:
        for layer in layers.values():
            for name in ("weights_momentums", "biases_momentums"):
                if hasattr(layer, name):
                    delattr(layer, name)
    return tuple(missing)


def _checkpoint(student, layers) -> bytes | None:
    kept = {place: {k: v for k, v in vars(layer).items() if k not in _SENT} for place, layer in layers.items()}
    try:
        return pickle.dumps((vars(student), kept), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # an attribute that cannot be pickled (a file, a generator): look-backs replay instead
        return None


def _restore(student, layers, state) -> None:
    attributes, kept = pickle.loads(state)
    vars(student).clear()
    vars(student).update(attributes)
    layers.clear()
    for place, values in kept.items():
        layer = layers[place] = _Layer()
        vars(layer).update(values)


def _channel(fd, mode):
    """A binary file on a duplicate of ``fd`` (on Windows set to binary mode, no newline translation)."""
    duplicate = os.dup(fd)
    if os.name == "nt":
        import msvcrt
        msvcrt.setmode(duplicate, os.O_BINARY)
    return os.fdopen(duplicate, mode)


def serve(path, class_name, arguments, memory_limit) -> None:
    import signal
    from .loading import StudentError, accepted_parameters, find_class, load, raised
    from .worker import _limit_memory
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    to_parent, from_parent = _channel(1, "wb"), _channel(0, "rb")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)  # the student's prints go nowhere: the channel is the duplicate
    _limit_memory(memory_limit)
    submission = None
    try:
        submission = load(path)
        cls = find_class(submission, class_name)
        student = cls(**{k: v for k, v in arguments.items() if k in accepted_parameters(cls)})
    except StudentError as error:
        send(to_parent, ("error", error.message, None, ()))
        return
    except BaseException as error:
        send(to_parent, ("error", raised(error, submission, "__init__").message, None, ()))
        return
    send(to_parent, ("ok", None, _attributes(student), ()))
    layers = {}
    while True:
        try:
            name, argument, record = receive(from_parent)
        except EOFError:
            return
        lines = _Lines(submission.path)
        try:
            if name == "update_params":
                place, arrays = argument
                layer = layers.setdefault(place, _Layer())
                for key, value in arrays.items():
                    setattr(layer, key, value)
                with lines if record else _nothing():
                    student.update_params(layer)
                payload = {key: np.asarray(getattr(layer, key), dtype=np.float64) for key in _KEPT
                           if hasattr(layer, key)}
            elif name == "set":
                payload = _set(student, layers, argument)
            elif name == "checkpoint":
                payload = _checkpoint(student, layers)
            elif name == "restore":
                _restore(student, layers, argument)
                payload = None
            else:
                method = getattr(student, name, None)
                if callable(method):
                    with lines if record else _nothing():
                        method()
                payload = None
        except BaseException as error:
            sys.settrace(None)
            send(to_parent, ("error", raised(error, submission, name).message, None, ()))
            return
        send(to_parent, ("ok", payload, _attributes(student), tuple(lines.seen)))


@contextmanager
def _nothing():
    yield


if __name__ == "__main__":
    try:
        serve(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), int(sys.argv[4]))
    finally:
        os._exit(0)
