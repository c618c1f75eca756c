"""``nngui race``: train 1 to 4 optimizers from one start, on one clock, and compare their last epochs.

Shares ``nngui train``'s data, network, run and output flags, its parser and its training
loop (``cli.py``); only the runs (``--run SPEC``) and the report are its own.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math

from . import train as cli
from nngui.engine import (CHAPTER_RUNS, MAX_RUNS, OPTIMIZER_KINDS, Experiment, ExperimentError,
                          OptimizerConfig)
from nngui.files.experiment_io import optimizer_dict, to_dict

#: a SPEC's keys and the optimizer fields they set
SPEC_KEYS = {"lr": "learning_rate", "decay": "decay", "momentum": "momentum"}
#: the keys each kind uses; the numbers it does not use are stored as 0
KIND_KEYS = {"sgd": ("lr",), "decay": ("lr", "decay"), "momentum": ("lr", "decay", "momentum")}
#: a key not given takes the chapter's value: lr 1.0, decay 1e-3, momentum 0.9
SPEC_DEFAULTS = OptimizerConfig()

EPILOG = f"""\
Each --run SPEC is one run: KIND[:key=value,...], KIND one of sgd, decay (SGD + decay) or
momentum (SGD + momentum), keys lr (learning rate), decay and momentum, for example
momentum:lr=1,decay=1e-3,momentum=0.5. A kind takes only the keys it uses (sgd: lr;
decay: lr, decay; momentum: lr, decay, momentum); a key not given takes the chapter's
value (lr 1.0, decay 1e-3, momentum 0.9), and a number a kind does not use is 0. So
`--run sgd --run decay --run momentum` are the chapter's three runs, and momentum:decay=0
is momentum without decay.

1 to {MAX_RUNS} runs. Without --run: the runs of --config FILE, else the chapter's three.
--run given with --config replaces the file's runs. The other defaults are train's: spiral
100 x 3, noise 0.2, 64 ReLU neurons, 10001 epochs, seed 0.

Every run trains on the same data from the same initial weights, epoch e of each run before
epoch e + 1 of any; each run's numbers are exactly those `nngui train` prints with the same
flags and that run's optimizer, --book too. A run that diverges stops and the others go on.

Output: each run's course lines after its name, then a table of each run's last epoch
(and why any run diverged). With --json: one JSON line instead of the table,
{{"runs": [{{"label", "optimizer", "epoch", "accuracy", "loss", "learning_rate",
"test_accuracy", "test_loss", "diverged", "divergence", "steps"}}, ...], "config": {{...}}}},
each field meaning what it means in `nngui train --json` ("steps": the updates made).
With --batch-size every run sees the same batches in the same order.

Exit status: {cli.EXIT_OK} trained (runs that diverged say so, and the others trained on);
{cli.EXIT_USAGE} bad flag, --run or experiment file (one line on stderr); {cli.EXIT_INTERRUPTED} interrupted;
143 terminated (SIGTERM).
"""


def parse_run(spec) -> OptimizerConfig:
    """The optimizer of ``--run SPEC``; ``argparse.ArgumentTypeError`` saying what is wrong with it."""
    def refuse(problem):
        return argparse.ArgumentTypeError(f"{spec!r}: {problem}")

    kind, colon, rest = spec.partition(":")
    if kind not in OPTIMIZER_KINDS:
        raise refuse(f"unknown kind {kind!r}, expected {_either(OPTIMIZER_KINDS)}")
    uses = KIND_KEYS[kind]
    if colon and not rest.strip():
        raise refuse(f"nothing after ':' (give {kind} alone, or {kind}:key=value,...)")
    given = {}
    for item in rest.split(",") if colon else ():
        key, equals, text = (part.strip() for part in item.partition("="))
        if not equals or not key:
            raise refuse(f"expected key=value after {kind}:, got {item!r}")
        if key not in SPEC_KEYS:
            raise refuse(f"unknown key {key!r}, expected {_either(tuple(SPEC_KEYS))}")
        if key not in uses:
            raise refuse(f"{kind} does not use {key} (it takes {', '.join(uses)})")
        if key in given:
            raise refuse(f"{key} given twice")
        try:
            given[key] = float(text)
        except ValueError:
            raise refuse(f"{key}: expected a number, got {text!r}") from None
    numbers = {name: given.get(key, getattr(SPEC_DEFAULTS, name)) if key in uses else 0.0
               for key, name in SPEC_KEYS.items()}
    try:
        return OptimizerConfig(kind, **numbers)
    except ExperimentError as error:
        key = next(key for key, name in SPEC_KEYS.items() if error.field == "optimizer." + name)
        raise refuse(f"{key}: {error.problem}") from None


def _either(words) -> str:
    return f"{', '.join(words[:-1])} or {words[-1]}"


def build_parser():
    """The ``nngui race`` argument parser: train's, with ``--run`` for its optimizer flags."""
    parser = cli.new_parser("race", "Train 1 to 4 optimizers from one start, epoch by epoch, and compare them.",
                            EPILOG)
    cli.add_data_and_network_arguments(parser)
    runs = parser.add_argument_group("runs")
    runs.add_argument("--run", type=parse_run, action="append", metavar="SPEC",
                      help="one run: KIND[:key=value,...], e.g. sgd, decay:lr=0.5, momentum:momentum=0.5 "
                           "(repeat for 1 to 4 runs; default: the chapter's sgd, decay and momentum)")
    cli.add_run_and_output_arguments(parser)
    return parser


def experiment_from_args(args) -> Experiment:
    """The experiment: ``--config``'s (or the chapter's three runs) with the flags and ``--run``s applied."""
    experiment = cli.experiment_from_args(args, default=Experiment(runs=CHAPTER_RUNS))
    if args.run is None:
        return experiment
    try:
        return dataclasses.replace(experiment, runs=tuple(args.run))
    except ExperimentError as error:
        raise cli.UsageError(f"--run: {error.problem}") from None


def race(experiment, every, as_json, out) -> int:
    """Race ``experiment``'s runs, printing each run's lines after its name, then a table or JSON."""
    labels = experiment.labels
    width = max(map(len, labels))
    result = cli.run_race(experiment, every, out, tuple(label.ljust(width) + "  " for label in labels))
    if as_json:
        runs = [{"label": label, "optimizer": optimizer_dict(trainer.optimizer_config), **cli.run_summary(trainer)}
                for label, trainer in zip(labels, result.trainers)]
        print(json.dumps({"runs": runs, "config": to_dict(experiment)}, allow_nan=False), file=out)
    else:
        if every is not None:
            print(file=out)
        print(final_table(result), file=out)
        for label, trainer in zip(labels, result.trainers):
            if trainer.divergence:
                print(f"{label}: {trainer.divergence}", file=out)
    out.flush()
    return cli.EXIT_OK


def final_table(result) -> str:
    """Each run's last epoch, one row per run: epoch, accuracy, loss, learning rate (the course's numbers)."""
    has_test = len(result.X_test) > 0
    header = ["run", "epoch", "acc", "loss", *(["test acc", "test loss"] if has_test else []), "lr", ""]
    rows = [header]
    for label, trainer in zip(result.labels, result.trainers):
        record = trainer.last_record
        test = [_three(record.test_accuracy), _three(record.test_loss)] if has_test else []
        rows.append([label, str(record.epoch), _three(record.accuracy), _three(record.loss), *test,
                     str(record.start_learning_rate), "diverged" if trainer.divergence else ""])
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    lines = []
    for row in rows:
        # names left, numbers right (the learning rate, of varying length, left like the course prints it)
        cells = [cell.ljust(w) if column in (0, len(row) - 2, len(row) - 1) else cell.rjust(w)
                 for column, (cell, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _three(x) -> str:
    return f"{x:.3f}" if math.isfinite(x) else str(x)


RACE = cli.Command("race", build_parser, experiment_from_args, race)


def main(argv=None) -> int:
    """``nngui race [options]``; returns the exit code instead of exiting."""
    return cli.main(argv, RACE)
