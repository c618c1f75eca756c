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
from nngui.engine.race import Race
from nngui.teaching.tries import tried_caption

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

--at EPOCH:RUN:SPEC (repeatable) changes run RUN's optimizer (RUN counts from 1 in --run
order) to SPEC after EPOCH epochs, as an edit in the window does: the optimizer's step and
momentum buffers are kept, and the change applies from epoch EPOCH on.

Output: each run's course lines after its name, then a table of each run's last epoch
(and why any run diverged). With --json: one JSON line instead of the table,
{{"runs": [{{"label", "optimizer", "epoch", "accuracy", "loss", "learning_rate",
"test_accuracy", "test_loss", "diverged", "divergence", "steps", "caption"}}, ...],
"config": {{...}}}}, each field meaning what it means in `nngui train --json` ("steps": the
updates made). "caption" is what the window's caption says of the run after its last
epoch: {{"kind", "sentence", "try", "tried"}}, "try" the suggested setting as a SPEC (or
null: none helped), "tried" {{"from_epoch", "epochs", "loss_with", "loss_without"}} (or
null). A suggestion is tried before it is shown: --epochs FROM+EPOCHS with
--at FROM:RUN:TRY gives loss_with exactly, and without the --at loss_without.
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
    # --- changes during the race (--at) ---
    runs.add_argument("--at", type=parse_at, action="append", metavar="EPOCH:RUN:SPEC",
                      help="change run RUN (from 1) to SPEC after EPOCH epochs, keeping its step and momentum "
                           "(repeatable), e.g. --at 500:1:sgd:lr=0.5")
    cli.add_run_and_output_arguments(parser)
    return parser


def parse_at(text) -> tuple[int, int, OptimizerConfig]:
    """``(epoch, run index from 0, optimizer)`` of ``--at EPOCH:RUN:SPEC``; ``ArgumentTypeError`` says what is wrong."""
    epoch, _, rest = text.partition(":")
    run, colon, spec = rest.partition(":")
    if not colon:
        raise argparse.ArgumentTypeError(f"{text!r}: expected EPOCH:RUN:SPEC, e.g. 500:1:sgd:lr=0.5")
    numbers = []
    for name, value, least in (("EPOCH", epoch, 0), ("RUN", run, 1)):
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r}: {name}: expected a whole number, got {value!r}") from None
        if number < least:
            raise argparse.ArgumentTypeError(f"{text!r}: {name}: must be {least} or more, got {number}")
        numbers.append(number)
    try:
        config = parse_run(spec)
    except argparse.ArgumentTypeError as error:
        raise argparse.ArgumentTypeError(f"{text!r}: SPEC {error}") from None
    return numbers[0], numbers[1] - 1, config


def run_spec(config: OptimizerConfig) -> str:
    """``config`` as a ``--run`` SPEC that ``parse_run`` reads back exactly: ``sgd:lr=0.5``."""
    values = {"lr": config.learning_rate, "decay": config.decay, "momentum": config.momentum}
    keys = KIND_KEYS[config.kind]
    return f"{config.kind}:" + ",".join(f"{key}={_spec_number(values[key])}" for key in keys)


def _spec_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e16 else repr(float(value))


def experiment_from_args(args) -> Experiment:
    """The experiment: ``--config``'s (or the chapter's three runs) with the flags and ``--run``s applied.

    The ``--at`` changes, checked against it, are kept on ``args.changes``.
    """
    experiment = cli.experiment_from_args(args, default=Experiment(runs=CHAPTER_RUNS))
    if args.run is not None:
        try:
            experiment = dataclasses.replace(experiment, runs=tuple(args.run))
        except ExperimentError as error:
            raise cli.UsageError(f"--run: {error.problem}") from None
    # a command that shares this parser's runs but not --at (nngui export) has no changes
    args.changes = _checked_changes(getattr(args, "at", None) or (), experiment)
    global _CHANGES
    _CHANGES = args.changes
    return experiment


# --- changes during the race (--at) -----------------------------------------------------------

#: the --at changes of the command being run (``race()`` takes the experiment, every, json and out only)
_CHANGES: tuple = ()


def _checked_changes(changes, experiment) -> tuple:
    """The ``--at`` changes in the order they apply; ``UsageError`` for an epoch or run the race has not."""
    for epoch, run, config in changes:
        where = f"--at {epoch}:{run + 1}:..."
        if epoch >= experiment.epochs:
            raise cli.UsageError(f"{where}: EPOCH must be below --epochs ({experiment.epochs}), got {epoch}")
        if run >= len(experiment.runs):
            raise cli.UsageError(f"{where}: RUN must be 1 to {len(experiment.runs)} (the runs in --run order), "
                                 f"got {run + 1}")
    # stable: two changes of one run at one epoch apply in the order given, the last one counting
    return tuple(sorted(changes, key=lambda change: change[0]))


def run_race_with_changes(experiment, every, out, prefixes, changes) -> Race:
    """``cli.run_race`` with each ``(epoch, run, config)`` of ``changes`` applied after ``epoch`` epochs."""
    if not changes:
        return cli.run_race(experiment, every, out, prefixes)
    race = Race(experiment)
    trainers, last_epoch = race.trainers, experiment.epochs - 1

    def report(index, record):
        if (every and record.epoch % every == 0) or record.epoch == last_epoch or trainers[index].divergence:
            print(prefixes[index] + record.course_line(), file=out)

    for epoch, run, config in (*changes, (experiment.epochs, None, None)):
        race.run(epoch - race.epoch, every=report if every is not None else None)
        if run is not None and race.epoch == epoch:
            race.set_optimizer(run, config)
    return race


def caption_json(trainer) -> dict:
    """A run's caption in ``--json``: its kind, sentence, the suggested SPEC and the numbers of its try."""
    found = tried_caption(trainer)
    if found is None:
        return {"kind": None, "sentence": None, "try": None, "tried": None}
    tried = found.tried

    def number(x):
        return x if math.isfinite(x) else None

    return {"kind": found.kind, "sentence": found.sentence,
            "try": run_spec(tried.config) if tried is not None else None,
            "tried": None if tried is None else {"from_epoch": tried.from_epoch, "epochs": tried.epochs,
                                                 "loss_with": number(tried.loss_with),
                                                 "loss_without": number(tried.loss_without)}}


def race(experiment, every, as_json, out) -> int:
    """Race ``experiment``'s runs, printing each run's lines after its name, then a table or JSON."""
    labels = experiment.labels
    width = max(map(len, labels))
    result = run_race_with_changes(experiment, every, out, tuple(label.ljust(width) + "  " for label in labels),
                                   _CHANGES)
    if as_json:
        runs = [{"label": label, "optimizer": optimizer_dict(trainer.optimizer_config), **cli.run_summary(trainer),
                 "caption": caption_json(trainer)}
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
