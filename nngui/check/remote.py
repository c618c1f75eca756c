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
them, else the setting's, and ``step`` counts the epochs).

``python -m nngui.check.remote FILE CLASS ARGUMENTS MEMORY_MB`` is the student's side; POSIX only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import weakref
from multiprocessing.connection import Connection

import numpy as np

from .isolated import _PACKAGE_PARENT, DEFAULT_MEMORY_LIMIT_MB, _kill, python_command

#: Seconds one call may take before the student's process is stopped.
DEFAULT_CALL_TIME_LIMIT = 5.0
#: Seconds loading the file and making the object may take.
START_TIME_LIMIT = 20.0
_SENT = ("weights", "biases", "dweights", "dbiases")
_KEPT = ("weights", "biases", "weights_momentums", "biases_momentums")
_ATTRIBUTES = ("learning_rate", "current_learning_rate", "step", "decay", "momentum")


class StudentFailed(RuntimeError):
    """The student's call raised, stalled, or its process ended: the message says which, and where."""


class RemoteOptimizer:
    """The class ``class_name`` of the file at ``path``, made with ``arguments``, run in a process of its own."""

    def __init__(self, path, class_name: str, arguments: dict, call_time_limit: float = DEFAULT_CALL_TIME_LIMIT,
                 memory_limit: int = DEFAULT_MEMORY_LIMIT_MB):
        self.call_time_limit = call_time_limit
        self.learning_rate = float(arguments.get("learning_rate", 1.0))
        self.current_learning_rate = self.learning_rate
        self.decay = float(arguments.get("decay", 0.0))
        self.momentum = float(arguments.get("momentum", 0.0))
        self.step = 0
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (_PACKAGE_PARENT, env.get("PYTHONPATH"))))
        env["OPENBLAS_NUM_THREADS"] = env["OMP_NUM_THREADS"] = "1"
        self._process = subprocess.Popen(
            [*python_command("remote"), os.path.abspath(path), class_name,
             json.dumps(arguments), str(int(memory_limit))],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
            start_new_session=True)
        self._to = Connection(os.dup(self._process.stdin.fileno()), readable=False)
        self._from = Connection(os.dup(self._process.stdout.fileno()), writable=False)
        self._process.stdin.close()
        self._process.stdout.close()
        self._finalizer = weakref.finalize(self, _stop, self._process, self._to, self._from)
        self._answer("__init__", START_TIME_LIMIT)

    def pre_update_params(self):
        self._call("pre_update_params")

    def update_params(self, layer):
        # the student's side keeps one layer of its own for each of the run's layers
        arrays = self._call("update_params", id(layer), {name: np.asarray(getattr(layer, name)) for name in _SENT})
        for name, value in arrays.items():
            setattr(layer, name, np.array(value, dtype=layer.weights.dtype))

    def post_update_params(self):
        self._call("post_update_params")
        self.step += 1 if self._student_step is None else 0

    def close(self):
        """Stop the student's process (also done when the stand-in is collected)."""
        self._finalizer()

    def _call(self, name, layer_index=None, arrays=None):
        if not self._finalizer.alive:
            raise StudentFailed("the student's process has ended")
        try:
            self._to.send((name, layer_index, arrays))
        except OSError:
            self.close()
            raise StudentFailed(f"the student's process ended before {name}") from None
        return self._answer(name, self.call_time_limit)

    def _answer(self, name, limit):
        try:
            ready = self._from.poll(limit)
            message = self._from.recv() if ready else None
        except (EOFError, OSError):
            self.close()
            raise StudentFailed(f"the student's code ended its process during {name}") from None
        if message is None:
            self.close()
            raise StudentFailed(f"{name} did not finish within {limit:g} s and was stopped: an endless loop?")
        kind, payload, attributes = message
        if kind == "error":
            self.close()
            raise StudentFailed(payload)
        self._mirror(attributes)
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
        return f"RemoteOptimizer(pid {self._process.pid})"


def _stop(process, *connections):
    for connection in connections:
        try:
            connection.close()
        except OSError:
            pass
    if process.poll() is None:
        _kill(process)


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


def serve(path, class_name, arguments, memory_limit) -> None:
    import signal
    from .loading import StudentError, find_class, load, raised
    from .worker import _limit_memory
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    to_parent = Connection(os.dup(1), readable=False)
    from_parent = Connection(os.dup(0), writable=False)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)  # the student's prints go nowhere: the channel is the duplicate
    _limit_memory(memory_limit)
    try:
        submission = load(path)
        student = find_class(submission, class_name)(**arguments)
    except StudentError as error:
        to_parent.send(("error", error.message, None))
        return
    except BaseException as error:
        to_parent.send(("error", raised(error, submission, "__init__").message, None))
        return
    to_parent.send(("ok", None, _attributes(student)))
    layers = {}
    while True:
        try:
            name, layer_index, arrays = from_parent.recv()
        except EOFError:
            return
        try:
            if name == "update_params":
                layer = layers.setdefault(layer_index, _Layer())
                for key, value in arrays.items():
                    setattr(layer, key, value)
                student.update_params(layer)
                payload = {key: np.asarray(getattr(layer, key), dtype=np.float64) for key in _KEPT
                           if hasattr(layer, key)}
            else:
                method = getattr(student, name, None)
                if callable(method):
                    method()
                payload = None
        except BaseException as error:
            to_parent.send(("error", raised(error, submission, name).message, None))
            return
        to_parent.send(("ok", payload, _attributes(student)))


if __name__ == "__main__":
    try:
        serve(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), int(sys.argv[4]))
    finally:
        os._exit(0)
