"""``nngui surface``: walk the race's optimizers on a two-weight loss surface and print their paths.

The runs are ``nngui race``'s ``--run SPEC``s (its parser), moved by the engine's own ``SGD``
(``engine/surface.py``). Never imports Qt.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from . import train as cli, race as cli_race
from nngui.engine.checks import ExperimentError, one_line
from nngui.files.experiment_io import optimizer_dict
from nngui.surfaces.surface import MAX_STEPS, SURFACES, SurfaceRace, check_start, check_steps, get_surface
from nngui.surfaces.presets import load_surface_presets

DEFAULT_STEPS = 100


EPILOG = f"""\
Functions, each with its plotted range (a start must lie in it):
{chr(10).join(f'  {name:<11} {surface.formula}; {surface.describe_bounds()}' for name, surface in SURFACES.items())}

Each --run SPEC is one run, exactly as in `nngui race`: KIND[:key=value,...], KIND one of
sgd, decay or momentum, keys lr, decay and momentum (a key not given takes the chapter's
value: lr 1.0, decay 1e-3, momentum 0.9). 1 to 4 runs start from the same point and take
one step each per tick: dweights is the surface's gradient at the point, then the
lesson's pre_update_params(), update_params(layer), post_update_params().

--preset NAME starts from a shipped preset's function, start, steps and runs; any other
flag given replaces the preset's. Without --preset, --function and --run are needed; the
start defaults to the function's own, --steps to {DEFAULT_STEPS} (at most {MAX_STEPS:,}).

A run whose point leaves the plotted range (or stops being a finite number) stops there;
its path ends at its last point inside, and its note says where it went.

Output: one line per run with its last point and loss. With --json one line,
{{"function", "start", "steps", "runs": [{{"label", "optimizer", "path": [[x, y], ...],
"diverged", "note"}}, ...]}}, where path holds the start and the point after each step.

Exit status: {cli.EXIT_OK} done (runs that left the plot say so); {cli.EXIT_USAGE} bad flag (one line on stderr).
"""


def _start(text):
    parts = text.split(",")
    try:
        if len(parts) != 2:
            raise ValueError
        return tuple(float(part) for part in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected X,Y like -1.5,2, got {text!r}") from None


def _steps(text):
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def _join_negative_start(argv):
    """``--start -1.5,2`` as ``--start=-1.5,2``: argparse takes a word starting with '-' for a flag.

    Any word after ``--start`` that starts with one '-' is its value (``-inf,0`` too, then refused
    as not finite): this parser has no one-dash flag but ``-h``.
    """
    joined = []
    for word in argv:
        if joined and joined[-1] == "--start" and word[:1] == "-" and word[1:2] not in ("-", "") and word != "-h":
            joined[-1] = "--start=" + word
        else:
            joined.append(word)
    return joined


def build_parser():
    parser = cli.new_parser("surface", "Walk 1 to 4 optimizers on a loss surface of two weights and print "
                                       "their paths.", EPILOG)
    parser.add_argument("--function", metavar="NAME", help=f"the surface: {', '.join(SURFACES)}")
    parser.add_argument("--start", type=_start, metavar="X,Y", help="where every run starts (default: the "
                                                                    "function's own start)")
    parser.add_argument("--run", type=cli_race.parse_run, action="append", metavar="SPEC",
                        help="one run as in nngui race: sgd:lr=0.01, momentum:lr=0.01,decay=0 (repeat for 1 to 4)")
    parser.add_argument("--steps", type=_steps, metavar="N", help=f"steps of each run (default {DEFAULT_STEPS})")
    parser.add_argument("--preset", metavar="NAME", help="start from a shipped preset (see --list-presets)")
    parser.add_argument("--list-presets", action="store_true", default=False, help="list the presets and stop")
    parser.add_argument("--json", action="store_true", default=False, help="print one JSON line")
    return parser


def race_from_args(args) -> tuple[SurfaceRace, int]:
    """The race the flags describe and its number of steps; ``cli.UsageError`` naming the flag."""
    preset = None
    if args.preset is not None:
        presets = load_surface_presets()
        if args.preset not in presets:
            raise cli.UsageError(f"--preset: unknown preset {args.preset!r}, expected one of {', '.join(presets)}")
        preset = presets[args.preset]
    name = args.function or (preset.function if preset else None)
    if name is None:
        raise cli.UsageError("--function: give a function (one of " + ", ".join(SURFACES) + ") or --preset NAME")
    try:
        surface = get_surface(name)
    except ExperimentError as error:
        raise cli.UsageError(f"--function: {error.problem}") from None
    runs = args.run or (preset.runs if preset else None)
    if not runs:
        raise cli.UsageError("--run: give 1 to 4 runs, e.g. --run sgd:lr=0.01 (or --preset NAME)")
    start = args.start or (preset.start if preset and surface.name == preset.function else surface.start)
    steps = args.steps if args.steps is not None else (preset.steps if preset else DEFAULT_STEPS)
    for flag, check, value in (("--start", check_start, (surface, start)), ("--steps", check_steps, (steps,))):
        try:
            check(*value)
        except ExperimentError as error:
            raise cli.UsageError(f"{flag}: {error.problem}") from None
    try:
        return SurfaceRace(surface, start, runs), steps
    except ExperimentError as error:
        raise cli.UsageError(f"--run: {error.problem}") from None


def report(race: SurfaceRace, as_json: bool, out) -> None:
    """The runs' paths as one JSON line, or a line per run."""
    if as_json:
        runs = [{"label": run.label, "optimizer": optimizer_dict(run.config), "path": [list(p) for p in run.path],
                 "diverged": run.divergence is not None, "note": run.divergence} for run in race.runs]
        print(json.dumps({"function": race.surface.name, "start": list(race.start), "steps": race.steps,
                          "runs": runs}, allow_nan=False), file=out)
        return
    x, y = race.start
    steps = f"{race.steps} step" + ("" if race.steps == 1 else "s")
    print(f"{race.surface.name} {race.surface.formula}, from ({x:g}, {y:g}), {steps}", file=out)
    width = max(map(len, race.labels))
    for run in race.runs:
        x, y = run.point
        where = f"step {len(run.path) - 1}: x = {x:.6g}, y = {y:.6g}, loss = {run.loss:.6g}"
        print(f"{run.label.ljust(width)}  {where}" + (f"  ({run.divergence})" if run.divergence else ""), file=out)


def main(argv=None) -> int:
    """``nngui surface [options]``; returns the exit code instead of exiting."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = build_parser().parse_args(_join_negative_start(argv))
        if args.list_presets:
            for name, preset in load_surface_presets().items():
                print(f"{name}: {preset.title} ({preset.function}, {len(preset.runs)} runs)")
            return cli.EXIT_OK
        race, steps = race_from_args(args)
    except SystemExit as stop:  # --help
        return stop.code if isinstance(stop.code, int) else cli.EXIT_OK
    except (cli.UsageError, ExperimentError, FileNotFoundError) as error:
        print(f"nngui surface: error: {one_line(error)}", file=sys.stderr)
        return cli.EXIT_USAGE
    try:
        race.run(steps)
        report(race, args.json, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return cli.EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
