"""``nngui train``: train headless and print the course's lines, for scripts, homework and the book.

Exit codes: 0 trained, 2 bad flag or experiment file (one line on stderr),
3 training diverged (the reason on stderr), 130 interrupted.

The parser's shared parts, the experiment built from flags and the training loop are also
``nngui race``'s (``cli/race.py``): a single run trains as a race of one.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass

from nngui.cli import console
from nngui.surfaces import budget
from nngui.engine import DATASETS, OPTIMIZER_KINDS, Experiment, ExperimentError, Race
from nngui.engine.layers import ACTIVATIONS, INITS
from nngui.engine.checks import one_line

# nngui.files.experiment_io is imported where a file is read or --json written: a plain
# `nngui train` never needs it, and starting is part of every command's time

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_DIVERGED = 3
EXIT_INTERRUPTED = 130

#: flag destination -> (section of the experiment or None, field name)
FIELDS = {
    "dataset": ("dataset", "name"), "samples": ("dataset", "samples"), "classes": ("dataset", "classes"),
    "noise": ("dataset", "noise"), "test_split": ("dataset", "test_split"),
    "hidden": ("network", "hidden"), "activation": ("network", "activation"),
    "optimizer": ("optimizer", "kind"), "learning_rate": ("optimizer", "learning_rate"),
    "decay": ("optimizer", "decay"), "momentum": ("optimizer", "momentum"),
    "seed": (None, "seed"), "epochs": (None, "epochs"), "book": (None, "book"),
    "init": ("network", "init"), "batch_size": (None, "batch_size"),
    "points": ("dataset", "points"),
}
#: ``--batch-size full``: every training point in one batch (the default)
FULL_BATCH = "full"

EPILOG = f"""\
Without --config the defaults are the chapter's final setting: spiral 100 x 3, noise 0.2,
64 ReLU neurons, SGD + momentum 0.9 with learning rate 1.0 and decay 1e-3, 10001 epochs,
seed 0. With --config FILE the file's experiment is the starting point and every flag
given overrides it; of a file with several runs, train trains the first (nngui race
trains them all). Changing --dataset without --noise uses that set's default noise,
and without --classes keeps the classes when the set allows them (xor and moons have 2).

--book reproduces the course's own run (its spiral and weights from numpy's legacy
RandomState, float32): `nngui train --book --every 1000` prints the course's lines.

--batch-size N trains in mini-batches: each epoch shuffles the training points (the order
is drawn from the seed and the epoch) and updates once per N points, so an epoch makes
ceil(points / N) updates and decay follows updates; the printed loss and accuracy are
those of all training points as the epoch begins. --batch-size full (the default) is
the lesson's one update per epoch. --init he or glorot scales the starting weights to
each layer's inputs instead of the lesson's 0.01 * N(0, 1). Book mode needs both defaults.

Exit status: {EXIT_OK} trained; {EXIT_USAGE} bad flag or experiment file (one line on stderr);
{EXIT_DIVERGED} training diverged (the reason on stderr; with --json the summary still
prints, with "diverged": true); {EXIT_INTERRUPTED} interrupted; 143 terminated (SIGTERM).
"""


class UsageError(Exception):
    """A bad flag or file: one line for stderr, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        # argparse would print usage and the message on two lines and exit; one line is enough
        raise UsageError(message)

    def exit(self, status=0, message=None):
        if message:
            (sys.stderr if status else sys.stdout).write(message)
        raise SystemExit(status)

    def _print_message(self, message, file=None):
        # argparse ignores a failed write: --help into a full disk exited 0. A failure to write
        # standard output reaches console.run (one line, exit 1); stderr never fails (console)
        if message:
            (file or sys.stderr).write(message)


def _hidden(text):
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected neurons per hidden layer like 64 or 64,32, got {text!r}") from None
    return sizes


def _memory_limit(text):
    try:
        return budget.parse_size(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def check_memory(experiment, args, window=False) -> None:
    """``UsageError`` naming ``--memory-limit`` when the setting's estimated peak passes it (``budget``)."""
    problem = budget.over_limit(experiment, args.memory_limit, window)
    if problem is not None:
        raise UsageError(f"--memory-limit: {problem}; use fewer runs, neurons or points, or a higher "
                         "--memory-limit")


def file_name(text):
    """argparse type of a file-name flag: any name but an empty one (the file is read later, checked)."""
    if not text:
        raise argparse.ArgumentTypeError("expected a file name, got an empty one")
    return text


def _batch_size(text):
    if text.strip().lower() == FULL_BATCH:
        return FULL_BATCH
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of points or 'full', got {text!r}") from None


def _count(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def new_parser(command, description, epilog):
    """An ``nngui COMMAND`` parser whose errors are one line; every option defaults to "not given"."""
    return _Parser(prog=f"nngui {command}", description=description, epilog=epilog,
                   formatter_class=argparse.RawDescriptionHelpFormatter, argument_default=None, allow_abbrev=False)


def add_data_and_network_arguments(parser):
    """``--dataset`` … ``--activation``: what is learnt, and by which network."""
    data = parser.add_argument_group("data")
    data.add_argument("--dataset", choices=tuple(DATASETS), help="2-D data set (default spiral)")
    data.add_argument("--samples", type=int, metavar="N", help="points per class (default 100)")
    data.add_argument("--classes", type=int, metavar="N", help="number of classes, 2 to 6 (default 3)")
    data.add_argument("--noise", type=float, metavar="X", help="noise, 0 to 1 (default: the set's own)")
    data.add_argument("--test-split", type=float, metavar="X",
                      help="fraction held out for test loss and accuracy, 0 to 0.9 (default 0)")
    data.add_argument("--data", type=file_name, metavar="FILE.csv",
                      help="train on your own points: a CSV file of x,y,label rows (header optional; "
                           "2 to 5000 points, |x|, |y| <= 100, labels 0 to 5)")
    net = parser.add_argument_group("network")
    net.add_argument("--hidden", type=_hidden, metavar="N[,N...]", help="neurons per hidden layer (default 64)")
    net.add_argument("--activation", choices=tuple(ACTIVATIONS), help="hidden activation (default relu)")
    net.add_argument("--init", choices=INITS, help="starting weights: lesson 0.01*N(0,1), he N(0,1)*sqrt(2/inputs) "
                                                   "or glorot N(0,1)*sqrt(2/(inputs+outputs)) (default lesson)")


def add_run_and_output_arguments(parser):
    """``--epochs`` … ``--json``: how long, from which seed or file, and what is printed."""
    run = parser.add_argument_group("run")
    run.add_argument("--epochs", type=int, metavar="N", help="train epochs 0 ... N-1 (default 10001)")
    run.add_argument("--seed", type=int, metavar="N", help="random seed (default 0)")
    run.add_argument("--batch-size", type=_batch_size, metavar="N",
                     help="training points per update, shuffled each epoch; 'full': all of them, "
                          "one update an epoch (default full)")
    run.add_argument("--book", action=argparse.BooleanOptionalAction,
                     help="reproduce the course's exact run (spiral only)")
    run.add_argument("--config", type=file_name, metavar="FILE", help="start from this experiment file")
    run.add_argument("--memory-limit", type=_memory_limit, metavar="SIZE", default=budget.DEFAULT_LIMIT,
                     help="refuse a setting whose estimated peak memory is larger, e.g. 2GB or 800MB; none: "
                          f"no limit (default {budget.in_words(budget.DEFAULT_LIMIT)})")
    out = parser.add_argument_group("output")
    out.add_argument("--every", type=_count, metavar="K",
                     help="print the course's line every K epochs and for the last (0: only the last; "
                          "default 0, or no lines with --json)")
    out.add_argument("--json", action="store_true", default=False,
                     help="print a one-line JSON summary of the last epoch and the configuration, last")


def build_parser():
    """The ``nngui train`` argument parser."""
    parser = new_parser("train", "Train a network headless and print the course's lines.", EPILOG)
    add_data_and_network_arguments(parser)
    opt = parser.add_argument_group("optimizer")
    opt.add_argument("--optimizer", choices=OPTIMIZER_KINDS, help="sgd, decay (SGD + decay) or momentum "
                                                                  "(SGD + momentum, with decay) (default momentum)")
    opt.add_argument("--learning-rate", type=float, metavar="X", help="learning rate (default 1.0)")
    opt.add_argument("--decay", type=float, metavar="X", help="learning-rate decay (default 1e-3)")
    opt.add_argument("--momentum", type=float, metavar="X", help="momentum (default 0.9)")
    add_run_and_output_arguments(parser)
    return parser


def experiment_from_args(args, default=None) -> Experiment:
    """The experiment: ``--config``'s (or ``default``, else ``Experiment()``) with every given flag applied."""
    if args.config is not None:
        from nngui.files.experiment_io import load
        base = load(args.config)
    else:
        base = default or Experiment()
    # a command without optimizer flags (race) has no such attributes
    given = {dest: getattr(args, dest) for dest in FIELDS if getattr(args, dest, None) is not None}
    dataset = base.dataset
    if "dataset" in given and given["dataset"] != "custom" and dataset.points:
        given["points"] = ()  # a drawn set has no given points
    if "dataset" in given and given["dataset"] != dataset.name and "points" not in given:
        info = DATASETS[given["dataset"]]
        # a new set starts from its own noise, and from classes it can have
        given.setdefault("noise", info.default_noise)
        given.setdefault("classes", min(max(dataset.classes, info.min_classes), info.max_classes))
    if getattr(args, "data", None) is not None:
        given.update(_data_file_fields(args.data, given, base))
    sections = {name: {} for name in ("dataset", "network", "optimizer")}
    top = {}
    for dest, value in given.items():
        section, name = FIELDS[dest]
        (sections[section] if section else top)[name] = value
    if top.get("batch_size") == FULL_BATCH:
        top["batch_size"] = None
    try:
        # each section is checked alone first, so an error names the flag that caused it
        replaced = {name: dataclasses.replace(getattr(base, name), **values)
                    for name, values in sections.items() if values}
        if "optimizer" in replaced:
            replaced["runs"] = (replaced.pop("optimizer"), *base.runs[1:])
        return dataclasses.replace(base, **replaced, **top)
    except ExperimentError as error:
        flag = _flag_for(error.field, given)
        if not flag:
            raise UsageError(str(error)) from None
        layer = error.field.partition("[")[2].rstrip("]")
        where = f"{flag}: layer {int(layer) + 1}" if layer.isdigit() else flag
        raise UsageError(f"{where}: {error.problem}") from None


def _data_file_fields(path, given, base) -> dict:
    """The flags ``--data FILE.csv`` stands for: the custom data set of the file's points."""
    from nngui.files.csv_data import read_csv
    from nngui.engine.datasets import CUSTOM
    if given.get("dataset", CUSTOM) != CUSTOM:
        raise UsageError(f"--data: the points come from the file; leave out --dataset {given['dataset']}")
    try:
        data = read_csv(path)
    except ExperimentError as error:
        raise UsageError(f"--data: {error}") from None
    if "classes" in given and given["classes"] < data.classes:
        raise UsageError(f"--classes: the file's labels need at least {data.classes} classes, "
                         f"got {given['classes']}")
    fields = {"dataset": CUSTOM, "points": data.points, "classes": given.get("classes", data.classes)}
    if base.book and "book" not in given:
        fields["book"] = False  # the course's numbers are its spiral's: your points train as themselves
    return fields


def _flag_for(field, given):
    """``--learning-rate`` for ``optimizer.learning_rate`` when that flag was given, else None."""
    field = field.split("[")[0]  # network.hidden[1] is --hidden's
    for dest, (section, name) in FIELDS.items():
        if field == (f"{section}.{name}" if section else name):
            if dest in given:
                return "--data" if dest == "points" else "--" + dest.replace("_", "-")
            return None
    return None


def run_summary(trainer) -> dict:
    """One run's last epoch in ``--json``: its numbers (null where not finite or not measured) and divergence."""
    def number(x):
        return x if math.isfinite(x) else None

    record = trainer.last_record
    has_test = len(trainer.X_test) > 0
    return {
        "epoch": record.epoch,
        "accuracy": number(record.accuracy),
        "loss": number(record.loss),
        "learning_rate": record.start_learning_rate,
        "test_accuracy": number(record.test_accuracy) if has_test else None,
        "test_loss": number(record.test_loss) if has_test else None,
        "diverged": trainer.divergence is not None,
        "divergence": trainer.divergence,
        "steps": trainer.steps,
    }


def run_race(experiment, every, out, prefixes) -> Race:
    """Train every run of ``experiment`` on one clock, printing run i's course lines after ``prefixes[i]``.

    A line every ``every`` epochs, for the last epoch and for the epoch a run diverged at
    (``every=0``: only those; ``None``: no lines at all).
    """
    race = Race(experiment)
    trainers, last_epoch = race.trainers, experiment.epochs - 1

    def report(index, record):
        if (every and record.epoch % every == 0) or record.epoch == last_epoch or trainers[index].divergence:
            print(prefixes[index] + record.course_line(), file=out)

    race.run(experiment.epochs, every=report if every is not None else None)
    return race


def train(experiment, every, as_json, out):
    """Run ``experiment``'s first run (a race of one), printing lines to ``out``; returns the exit code."""
    race = run_race(dataclasses.replace(experiment, runs=experiment.runs[:1]), every, out, ("",))
    trainer = race.trainers[0]
    if as_json:
        from nngui.files.experiment_io import to_dict
        summary = {**run_summary(trainer), "config": to_dict(race.experiment)}
        print(json.dumps(summary, allow_nan=False), file=out)
    out.flush()
    if trainer.divergence:
        print(trainer.divergence, file=sys.stderr)
        return EXIT_DIVERGED
    return EXIT_OK


@dataclass(frozen=True)
class Command:
    """A headless command: its parser, the experiment its flags describe, and how it trains."""

    name: str
    build_parser: Callable[[], argparse.ArgumentParser]
    experiment_from_args: Callable[[argparse.Namespace], Experiment]
    train: Callable[..., int]  # (experiment, every, as_json, out) -> exit code


TRAIN = Command("train", build_parser, experiment_from_args, train)


def main(argv=None, command=TRAIN) -> int:
    """``nngui train [options]`` (or another ``command``'s); returns the exit code instead of exiting."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = command.build_parser()
    try:
        args = parser.parse_args(argv)
        experiment = command.experiment_from_args(args)
        check_memory(experiment, args)
    except SystemExit as stop:  # --help
        return stop.code if isinstance(stop.code, int) else EXIT_OK
    except (UsageError, ExperimentError) as error:
        # argparse quotes the words it refuses raw: one_line escapes and shortens them
        print(f"nngui {command.name}: error: {one_line(error)}", file=sys.stderr)
        return EXIT_USAGE
    every = args.every if args.every is not None else (None if args.json else 0)
    try:
        return command.train(experiment, every, args.json, sys.stdout)
    except KeyboardInterrupt as stop:  # Ctrl-C or SIGTERM
        word, status = console.stopped(stop)
        print(f"nngui {command.name}: {word}", file=sys.stderr)
        return status
    except BrokenPipeError:
        # the reader (e.g. `| head`) has gone: send what is left to nowhere and stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
