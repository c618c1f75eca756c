"""Surface presets: a function, a start, a number of steps and the runs that show one of the lesson's claims.

Shipped as JSON files in the app's ``surfaces`` resources, read as carefully as experiment
files (JSON only, every field checked, one message naming the field)::

    {
      "format": "nngui-surface",
      "version": 1,
      "title": "Momentum rolls past a local minimum",
      "description": "…",
      "function": "two-minima",
      "start": [1.9, 1.5],
      "steps": 200,
      "runs": [
        {"kind": "sgd", "learning_rate": 0.02, "decay": 0.0, "momentum": 0.0},
        {"kind": "momentum", "learning_rate": 0.02, "decay": 0.0, "momentum": 0.9}
      ]
    }

The runs are the race's run settings, as an experiment file writes them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from nngui.files import guards as files
from nngui.engine.checks import ExperimentError, show
from nngui.files.experiment_io import (MAX_BYTES, check_keys, check_text, json_value, load_json, optimizer_dict,
                                      read_runs)
from .surface import SurfaceRace, check_start, check_steps, get_surface

FORMAT = "nngui-surface"
VERSION = 1
KEYS = ("format", "version", "title", "description", "function", "start", "steps", "runs")
MAX_TITLE = 60
MAX_DESCRIPTION = 1000


@dataclass(frozen=True)
class SurfacePreset:
    """A surface, a start, a step count and 1 to 4 runs, with the words that say what they show."""

    name: str
    title: str
    description: str
    function: str
    start: tuple[float, float]
    steps: int
    runs: tuple

    @property
    def surface(self):
        return get_surface(self.function)

    def race(self) -> SurfaceRace:
        """A fresh race of the preset's runs from its start."""
        return SurfaceRace(self.surface, self.start, self.runs)

    def to_dict(self) -> dict:
        return {"format": FORMAT, "version": VERSION, "title": self.title, "description": self.description,
                "function": self.function, "start": list(self.start), "steps": self.steps,
                "runs": [optimizer_dict(run) for run in self.runs]}

    def dumps(self) -> str:
        """The file's text: one key a line, each run on a line of its own."""
        lines = []
        for key, value in self.to_dict().items():
            if key == "runs":
                lines.append('  "runs": [\n' + ",\n".join(f"    {json_value(run)}" for run in value) + "\n  ]")
            else:
                lines.append(f"  {json.dumps(key)}: {json_value(value)}")
        return "{\n" + ",\n".join(lines) + "\n}\n"


def read_dict(data, name="") -> SurfacePreset:
    """The preset described by a parsed JSON object; ``ExperimentError`` naming the field."""
    if not isinstance(data, dict):
        raise ExperimentError("", f"a surface preset holds one JSON object, got {show(data)}")
    if data.get("format") != FORMAT:
        raise ExperimentError("format", f'must be "{FORMAT}", got {show(data.get("format"))}')
    if type(data.get("version")) is not int or data["version"] != VERSION:
        raise ExperimentError("version", f"this nngui reads version {VERSION}, got {show(data.get('version'))}")
    check_keys(data, "", KEYS)
    surface = get_surface(data["function"]) if isinstance(data["function"], str) else None
    if surface is None:
        raise ExperimentError("function", f"must be a function's name, got {show(data['function'])}")
    start = data["start"]
    if not isinstance(start, list) or len(start) != 2 or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in start):
        raise ExperimentError("start", f"must be a list of two numbers [x, y], got {show(start)}")
    return SurfacePreset(name, check_text(data["title"], "title", MAX_TITLE),
                         check_text(data["description"], "description", MAX_DESCRIPTION),
                         surface.name, check_start(surface, start), check_steps(data["steps"]),
                         read_runs(data, 2))


def parse(text, name="") -> SurfacePreset:
    """The preset in ``text`` (str or UTF-8 bytes), with the experiment files' guards (``load_json``)."""
    return read_dict(load_json(text), name)


def read(path) -> SurfacePreset:
    """Read and check the preset file at ``path``; errors name the file, then the field."""
    return files.read_checked(path, lambda content: parse(content, Path(path).stem), MAX_BYTES)


def load_surface_presets(directory=None) -> dict[str, SurfacePreset]:
    """Every ``*.json`` preset in ``directory`` (the app's ``surfaces`` resources by default) by file stem."""
    return files.read_all(directory, read, "surfaces")
