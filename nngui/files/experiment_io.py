"""Experiment files: versioned JSON that the app saves, the command line reads and lesson presets use.

Version 3 looks like this (``title`` and ``description`` are optional, and so are
``init`` and ``batch_size``, see below; every other key is required, and no other key is allowed)::

    {
      "format": "nngui-experiment",
      "version": 3,
      "title": "The chapter's final setting",
      "description": "SGD with learning-rate decay and momentum on the spiral.",
      "dataset": {"name": "spiral", "samples": 100, "classes": 3, "noise": 0.2, "test_split": 0.0},
      "network": {"hidden": [64], "activation": "relu", "init": "lesson"},
      "runs": [
        {"kind": "sgd", "learning_rate": 1.0, "decay": 0.0, "momentum": 0.0},
        {"kind": "momentum", "learning_rate": 1.0, "decay": 0.001, "momentum": 0.9}
      ],
      "seed": 0,
      "epochs": 10001,
      "book": false,
      "batch_size": null
    }

``runs`` holds 1 to 4 optimizers that race from the same start. Version 1 had one
``"optimizer": {...}`` object instead; it still opens, as a race of one, and is saved as version 3.

Version 3 is version 2 with optional keys; a file without them means what it meant before,
and versions 1 and 2 still open:

- ``"dataset": {..., "points": [[x, y, label], ...]}``: the given points of the data set
  ``"custom"`` (painted or imported; 2 to 5000 of them, coordinates within ±100, labels
  0 … classes - 1), written only for that data set;
- ``"network": {..., "init": "lesson"}``: how the weights start (``lesson``, ``he`` or
  ``glorot``; left out: the lesson's ``0.01 · N(0, 1)``);
- ``"batch_size": null`` at the top: points per update (null, or left out: full batch).

This nngui always writes ``init`` and ``batch_size``.

Reading never executes anything (JSON only, never pickle) and refuses, with one
message naming the field, anything that is not exactly this.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from . import guards as files
from nngui.engine.checks import ExperimentError, show, shown
from nngui.engine.experiment import MAX_RUNS, DatasetConfig, Experiment, NetworkConfig, OptimizerConfig

FORMAT = "nngui-experiment"
VERSION = 3
#: Versions this nngui reads; older ones are read as what they meant.
READABLE_VERSIONS = (1, 2, 3)
MAX_BYTES = 1_000_000
MAX_DEPTH = 16
MAX_TITLE = 200
MAX_DESCRIPTION = 4000

SECTIONS = {
    "dataset": (DatasetConfig, ("name", "samples", "classes", "noise", "test_split")),
    "network": (NetworkConfig, ("hidden", "activation")),
}
OPTIMIZER_KEYS = ("kind", "learning_rate", "decay", "momentum")
TOP_KEYS = {
    1: ("format", "version", "title", "description", *SECTIONS, "optimizer", "seed", "epochs", "book"),
    2: ("format", "version", "title", "description", *SECTIONS, "runs", "seed", "epochs", "book"),
    3: ("format", "version", "title", "description", *SECTIONS, "runs", "seed", "epochs", "book", "batch_size"),
}
OPTIONAL_KEYS = ("title", "description")
#: Keys of a version 3 file that may be left out, by section ("" for the top), with what leaving them out means
OPTIONAL_V3 = {"": ("batch_size",), "network": ("init",), "dataset": ("points",)}


@dataclass(frozen=True)
class ExperimentFile:
    """An experiment with the words that introduce it: a lesson preset, or a saved run."""

    experiment: Experiment
    title: str = ""
    description: str = ""


def to_dict(experiment: Experiment, title=None, description=None) -> dict:
    """The JSON object of ``experiment``'s file; ``title`` and ``description`` are written when given."""
    data = {"format": FORMAT, "version": VERSION}
    if title:
        data["title"] = check_text(title, "title", MAX_TITLE)
    if description:
        data["description"] = check_text(description, "description", MAX_DESCRIPTION)
    dataset, network = experiment.dataset, experiment.network
    data["dataset"] = {"name": dataset.name, "samples": dataset.samples, "classes": dataset.classes,
                       "noise": dataset.noise, "test_split": dataset.test_split}
    if dataset.points:
        data["dataset"]["points"] = [list(point) for point in dataset.points]
    data["network"] = {"hidden": list(network.hidden), "activation": network.activation}
    data["network"]["init"] = network.init
    data["runs"] = [optimizer_dict(run) for run in experiment.runs]
    data.update(seed=experiment.seed, epochs=experiment.epochs, book=experiment.book)
    data["batch_size"] = experiment.batch_size
    return data


def optimizer_dict(optimizer: OptimizerConfig) -> dict:
    """One run's optimizer as the file writes it.

    A run trained by a student's class (``OptimizerConfig.student``) is written as the lesson's
    SGD with its numbers: a file is JSON only, and opening one never runs anyone's code.
    """
    return {"kind": optimizer.kind, "learning_rate": optimizer.learning_rate,
            "decay": optimizer.decay, "momentum": optimizer.momentum}


def _read_optimizer(section, field) -> OptimizerConfig:
    """One optimizer object of a file; errors name ``field`` (``optimizer`` or ``runs[2]``)."""
    if not isinstance(section, dict):
        raise ExperimentError(field, f"must be an object, got {show(section)}")
    check_keys(section, field + ".", OPTIMIZER_KEYS)
    try:
        return OptimizerConfig(**section)
    except ExperimentError as error:
        name = error.field.partition(".")[2]
        raise ExperimentError(f"{field}.{name}", error.problem) from None


def read_runs(data, version) -> tuple:
    if version == 1:
        return (_read_optimizer(data["optimizer"], "optimizer"),)
    runs = data["runs"]
    if not isinstance(runs, list):
        raise ExperimentError("runs", f"must be a list of 1 to {MAX_RUNS} optimizers, got {show(runs)}")
    if not 1 <= len(runs) <= MAX_RUNS:
        raise ExperimentError("runs", f"must have 1 to {MAX_RUNS} runs, got {len(runs)}")
    return tuple(_read_optimizer(run, f"runs[{i}]") for i, run in enumerate(runs))


def read_dict(data) -> ExperimentFile:
    """The experiment file described by a parsed JSON object; raises ``ExperimentError`` naming the field."""
    if not isinstance(data, dict):
        raise ExperimentError("", f"an experiment file holds one JSON object, got {show(data)}")
    if "format" not in data:
        raise ExperimentError("format", f'missing (an nngui experiment file starts with "format": "{FORMAT}")')
    if data["format"] != FORMAT:
        raise ExperimentError("format", f'must be "{FORMAT}" (is this an nngui experiment file?), '
                                        f"got {show(data.get('format'))}")
    version = data.get("version")
    if type(version) is not int or version not in READABLE_VERSIONS:
        readable = ", ".join(map(str, READABLE_VERSIONS[:-1])) + f" or {READABLE_VERSIONS[-1]}"
        raise ExperimentError("version", f"this nngui reads version {readable}, got {show(version)}")
    check_keys(data, "", TOP_KEYS[version], OPTIONAL_KEYS + _optional(version, ""))
    sections = {}
    for name, (cls, keys) in SECTIONS.items():
        section = data[name]
        if not isinstance(section, dict):
            raise ExperimentError(name, f"must be an object, got {show(section)}")
        check_keys(section, name + ".", keys + _optional(version, name), _optional(version, name))
        if "points" in section:
            section = {**section, "points": _points(section["points"])}
        sections[name] = cls(**section)
    runs = read_runs(data, version)
    experiment = Experiment(**sections, runs=runs, seed=data["seed"], epochs=data["epochs"], book=data["book"],
                            batch_size=data.get("batch_size"))
    return ExperimentFile(experiment, check_text(data.get("title", ""), "title", MAX_TITLE),
                          check_text(data.get("description", ""), "description", MAX_DESCRIPTION))


def _optional(version, section) -> tuple:
    """The keys a file of ``version`` may leave out in ``section`` beyond the title and description."""
    return OPTIONAL_V3.get(section, ()) if version >= 3 else ()


def _points(points):
    # JSON lists become tuples (the config is frozen); anything else is left for the config to refuse
    if isinstance(points, list):
        return tuple(tuple(point) if isinstance(point, list) else point for point in points)
    return points


def from_dict(data) -> Experiment:
    """The experiment described by a parsed JSON object."""
    return read_dict(data).experiment


def dumps(experiment: Experiment, title=None, description=None) -> str:
    """The file's text: indented JSON ending in a newline."""
    # indented by hand so that "hidden": [64, 32] stays on one line
    lines = []
    for key, value in to_dict(experiment, title, description).items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            inner = [f"    {json_value(item)}" for item in value]
            lines.append(f"  {json.dumps(key)}: [\n" + ",\n".join(inner) + "\n  ]")
        elif isinstance(value, dict):
            inner = [f"    {json.dumps(k)}: {json_value(v)}" if k != "points" else
                     f"    {json.dumps(k)}: [\n" + ",\n".join(f"      {json_value(p)}" for p in v) + "\n    ]"
                     for k, v in value.items()]
            lines.append(f"  {json.dumps(key)}: {{\n" + ",\n".join(inner) + "\n  }")
        else:
            lines.append(f"  {json.dumps(key)}: {json_value(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def load_json(text) -> object:
    """The JSON value in ``text`` (str or UTF-8 bytes), with every guard of a file read from a user:
    at most ``MAX_BYTES``, UTF-8, no deep nesting, no NaN or Infinity, no huge whole numbers, no
    repeated keys. Experiment and lesson files are both read through it."""
    if isinstance(text, (bytes, bytearray)):
        if len(text) > MAX_BYTES:
            raise ExperimentError("", f"the file is larger than 1 MB ({len(text)} bytes)")
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ExperimentError("", f"the file is not UTF-8 text (byte {error.start})") from None
    elif not isinstance(text, str):
        raise ExperimentError("", f"expected the file's text, got {type(text).__name__}")
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ExperimentError("", "the file is larger than 1 MB")
    _check_depth(text)
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_int=_parse_int,
                          object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as error:
        raise ExperimentError("", f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
    except (ValueError, RecursionError) as error:
        if isinstance(error, ExperimentError):
            raise
        raise ExperimentError("", f"invalid JSON: {error}") from None


def parse(text) -> ExperimentFile:
    """The experiment file in ``text`` (str or UTF-8 bytes), checked from size to every field."""
    return read_dict(load_json(text))


def loads(text) -> Experiment:
    """The experiment in an experiment file's text; raises ``ExperimentError``."""
    return parse(text).experiment


def read(path) -> ExperimentFile:
    """Read and check the experiment file at ``path``; errors name the file, then the field."""
    return files.read_checked(path, parse, MAX_BYTES)


def load(path) -> Experiment:
    """The experiment in the file at ``path``."""
    return read(path).experiment


def save(path, experiment: Experiment, title=None, description=None):
    """Write the file atomically, through symbolic links, only over a regular file (see ``files``)."""
    files.write_file_atomically(path, dumps(experiment, title, description).encode("utf-8"))


def shipped_presets(directory=None) -> list[tuple[Path, ExperimentFile | ExperimentError]]:
    """``[(path, ExperimentFile or the error reading it)]`` of the presets in ``directory`` by file name.

    By default the app's ``presets`` resources (none when they cannot be found).
    """
    return files.read_each(directory, read, "presets")


def load_presets(directory=None) -> dict[str, ExperimentFile]:
    """Every preset in ``directory`` (the app's ``presets`` resources by default) by file stem; a file
    that cannot be read raises its error."""
    return files.read_all(directory, read, "presets")


def json_value(value):
    return json.dumps(value, allow_nan=False, ensure_ascii=False)


def check_keys(mapping, prefix, allowed, optional=()):
    """Every key of ``mapping`` is one of ``allowed``, and each of those is there unless ``optional``."""
    for key in mapping:
        if key not in allowed:
            raise ExperimentError(prefix + shown(key), f"unknown key (expected one of {', '.join(allowed)})")
    for key in allowed:
        if key not in mapping and key not in optional:
            raise ExperimentError(prefix + key, "missing")


def check_text(value, field, limit, empty=True):
    """``value`` if it is text of at most ``limit`` characters (and, unless ``empty``, not blank)."""
    if not isinstance(value, str):
        raise ExperimentError(field, f"must be text, got {show(value)}")
    if len(value) > limit:
        raise ExperimentError(field, f"must be at most {limit} characters, got {len(value)}")
    if not empty and not value.strip():
        raise ExperimentError(field, "must not be empty")
    return value


_STRUCTURE = re.compile(r'[\\"\[\]{}]')


def _check_depth(text):
    """Refuse nesting deeper than ``MAX_DEPTH`` before parsing, so no parser ever recurses that deep."""
    depth = 0
    in_string = False
    skip = -1
    for match in _STRUCTURE.finditer(text):
        position, char = match.start(), match.group()
        if position == skip:
            continue
        if in_string:
            if char == "\\":
                skip = position + 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise ExperimentError("", f"the JSON is nested more than {MAX_DEPTH} levels deep")
        elif char in "]}":
            depth -= 1


def _refuse_constant(name):
    raise ExperimentError("", f"invalid JSON: {name} is not a number JSON allows")


def _parse_int(digits):
    # int() of thousands of digits is slow and refused by Python; no field needs more than 20
    if len(digits) > 20:
        raise ExperimentError("", f"invalid JSON: a whole number of {len(digits)} digits is too long")
    return int(digits)


def _unique_keys(pairs):
    data = {}
    for key, value in pairs:
        if key in data:
            raise ExperimentError(shown(key), "appears twice in the same object")
        data[key] = value
    return data
