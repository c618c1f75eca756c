"""``nngui export [train or race flags] --out DIR``: train headless, then write the slide pack.

The pack: ``loss``, ``accuracy`` and ``learning_rate`` as PNG and SVG, each run's decision
boundary as ``boundary_<n>.png`` / ``.svg``, every run's history as ``history.csv`` and the
experiment as ``experiment.json`` (it opens in the window and in ``--config``). The pictures
are drawn by the window's own view classes (``LossPlot``, ``BoundaryView``, …) on Qt's
offscreen platform, so no window is ever shown and no display is needed.

Runs: ``--run SPEC`` as in ``nngui race``; or train's ``--optimizer``, ``--learning-rate``,
``--decay``, ``--momentum`` for one run as in ``nngui train``; otherwise the runs of
``--config FILE``, else the chapter's three.
"""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import sys
from pathlib import Path

from nngui.cli import console, train as cli, race as cli_race
from nngui.engine import ExperimentError
from nngui.files import guards as files
from nngui.engine.experiment import OPTIMIZER_KINDS
from nngui.files.history_csv import history_csv
from nngui.engine.trainer import probability_grid
from nngui.engine.checks import one_line, shown_path
from nngui.files import experiment_io

#: The size the views are drawn at, in pixels (PNGs have ``exports.PNG_SCALE`` times as many).
PLOT_SIZE = (720, 440)
MAP_SIZE = (560, 560)
#: Grid points per side of a decision boundary (the window's).
MAP_RESOLUTION = 200
OPTIMIZER_FLAGS = ("optimizer", "learning_rate", "decay", "momentum")

EPILOG = f"""\
Writes into DIR (made if missing): loss, accuracy and learning_rate .png and .svg; each
run's decision boundary as boundary_1.png, boundary_1.svg, ...; history.csv (every run's
epoch, loss, accuracy, learning rate, test loss and test accuracy); experiment.json.
Existing files of those names are replaced.

Runs: --run SPEC (repeatable, as in nngui race), or train's --optimizer / --learning-rate
/ --decay / --momentum for one run, else the runs of --config FILE, else the chapter's
three (sgd, decay, momentum). The other flags are train's and race's, --data FILE.csv too.

Exit status: {cli.EXIT_OK} written (runs that diverged say so); {cli.EXIT_USAGE} bad flag, file or
output folder (one line on stderr); {cli.EXIT_INTERRUPTED} interrupted; 143 terminated (SIGTERM).
"""


def build_parser():
    """Train's and race's flags, and ``--out DIR``."""
    parser = cli.new_parser("export", "Train headless and write the pictures and numbers of a slide pack.", EPILOG)
    cli.add_data_and_network_arguments(parser)
    opt = parser.add_argument_group("optimizer (one run, as nngui train)")
    opt.add_argument("--optimizer", choices=OPTIMIZER_KINDS, help="sgd, decay or momentum")
    opt.add_argument("--learning-rate", type=float, metavar="X", help="learning rate")
    opt.add_argument("--decay", type=float, metavar="X", help="learning-rate decay")
    opt.add_argument("--momentum", type=float, metavar="X", help="momentum")
    runs = parser.add_argument_group("runs (a race, as nngui race)")
    runs.add_argument("--run", type=cli_race.parse_run, action="append", metavar="SPEC",
                      help="one run: KIND[:key=value,...] (repeat for 1 to 4 runs)")
    cli.add_run_and_output_arguments(parser)
    parser.add_argument("--out", type=cli.file_name, metavar="DIR", required=True,
                        help="the folder the pack is written into")
    return parser


def experiment_from_args(args):
    """The experiment the flags describe (see the module's note for which runs)."""
    single = [flag for flag in OPTIMIZER_FLAGS if getattr(args, flag) is not None]
    if single and args.run is not None:
        raise cli.UsageError(f"--run: give the runs with --run or one run with --{single[0].replace('_', '-')}, "
                             "not both")
    if single:
        experiment = cli.experiment_from_args(args)
        return dataclasses.replace(experiment, runs=experiment.runs[:1])
    if args.config is not None and args.run is None:
        return cli.experiment_from_args(args)
    return cli_race.experiment_from_args(args)


def _out_folder(text) -> Path:
    folder = Path(text)
    if folder.is_symlink() and not folder.exists():  # a link to nothing, or one that leads back to itself
        try:
            os.stat(text)
            why = "a symbolic link that cannot be followed"
        except OSError as error:
            why = ("a symbolic link that leads back to itself" if error.errno == errno.ELOOP
                   else "a symbolic link to nothing (what it names does not exist)")
        raise cli.UsageError(f"--out: {shown_path(text)} is {why}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise cli.UsageError(f"--out: cannot make the folder {shown_path(text)}: "
                             f"{error.strerror or error}") from None
    if not folder.is_dir():
        raise cli.UsageError(f"--out: {shown_path(text)} is not a folder")
    return folder


def make_app():
    """The QApplication, on Qt's offscreen platform when this process makes it, themed like the window."""
    from nngui.gui.qt import QtWidgets
    app = QtWidgets.QApplication.instance()
    if app is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # nothing is shown: no display is needed
        from nngui.gui.window import theme
        theme.configure_before_app()
        app = QtWidgets.QApplication(["nngui export"])
        theme.apply_theme(app)
    return app


def draw_pack(race, folder: Path) -> list[Path]:
    """Draw ``race``'s plots and maps with the window's views and write the pack into ``folder``; the files.

    Between two drawing steps it stops for a Ctrl-C noted meanwhile (``console.interruption_point``).
    """
    make_app()
    console.interruption_point()
    from . import exports
    from nngui.gui.maps.boundary_grid import title_text
    from nngui.gui.maps.boundary_view import MAP_MARGIN, BoundaryView
    from nngui.gui.plots.plot_ranges import PlotRanges
    from nngui.gui.plots.plots import AccuracyPlot, LearningRatePlot, LossPlot
    from nngui.gui.plots.run_styles import run_styles

    experiment = race.experiment
    labels = race.labels
    snapshot = race.snapshot()
    histories = [run.history for run in snapshot.runs]
    styles = run_styles(len(labels))
    plots = {"loss": LossPlot(), "accuracy": AccuracyPlot(), "learning_rate": LearningRatePlot()}
    for plot in plots.values():
        plot.resize(*PLOT_SIZE)
        plot.set_runs(labels, styles)
        plot.update_runs(histories)
    plots["learning_rate"].set_plans([(run.learning_rate, run.effective_decay) for run in experiment.runs],
                                     experiment.epochs)
    ranges = PlotRanges(plots["loss"], plots["accuracy"], plots["learning_rate"])
    ranges.update_runs(histories, experiment.epochs, [run.learning_rate for run in experiment.runs])
    written = []
    for name, plot in plots.items():
        console.interruption_point()
        written += _write_both(exports, plot, folder / name)
        plot.close()
    bounds = race.data_bounds(MAP_MARGIN)
    X = race.X_train if not len(race.X_test) else _concatenate(race.X_train, race.X_test)
    y = race.y_train if not len(race.y_test) else _concatenate(race.y_train, race.y_test)
    test_mask = [False] * len(race.X_train) + [True] * len(race.X_test)
    for index, run in enumerate(snapshot.runs):
        console.interruption_point()
        accuracy = run.record.accuracy if run.record is not None else None
        view = BoundaryView(title=title_text(labels[index], accuracy, bool(run.divergence)))
        view.resize(*MAP_SIZE)
        view.set_data(X, y, experiment.dataset.classes, bounds, test_mask)
        if not run.divergence:
            view.set_probabilities(probability_grid(run.parameters, run.activation, bounds, MAP_RESOLUTION))
        written += _write_both(exports, view, folder / f"boundary_{index + 1}")
        view.close()
    console.interruption_point()
    history = folder / "history.csv"
    files.write_file_atomically(history, history_csv(labels, histories).encode("utf-8"), follow_links=False)
    experiment_file = folder / "experiment.json"
    files.write_file_atomically(experiment_file, experiment_io.dumps(experiment).encode("utf-8"), follow_links=False)
    return [*written, history, experiment_file]


def _concatenate(first, second):
    import numpy as np
    return np.concatenate([first, second])


def _write_both(exports, widget, stem: Path) -> list[Path]:
    # laid out as on screen (on the offscreen platform nothing is seen): titles and axes get their room
    from nngui.gui.qt import QtWidgets
    widget.show()
    for _ in range(3):
        QtWidgets.QApplication.processEvents()
    paths = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    for path in paths:
        console.interruption_point()
        content = exports.plot_svg(widget) if path.suffix == ".svg" else exports.plot_png(widget)
        # the pack's own names: a link planted in the folder is replaced, never written through
        files.write_file_atomically(path, content, follow_links=False)
    return paths


def export(experiment, every, as_json, out, folder) -> int:
    """Train ``experiment``'s runs (printing their lines as ``nngui race`` does), then write the pack."""
    labels = experiment.labels
    width = max(map(len, labels))
    prefixes = tuple(label.ljust(width) + "  " for label in labels) if len(labels) > 1 else ("",)
    race = cli.run_race(experiment, every, out, prefixes)
    # Qt calls the views' Python code while they are drawn: Ctrl-C stops between drawing steps only
    with console.interrupts_between_steps():
        written = draw_pack(race, folder)
    if as_json:
        runs = [{"label": label, **cli.run_summary(trainer)} for label, trainer in zip(labels, race.trainers)]
        print(json.dumps({"files": [str(path) for path in written], "runs": runs}, allow_nan=False), file=out)
    else:
        for path in written:
            print(f"wrote {shown_path(path)}", file=out)
        for label, trainer in zip(labels, race.trainers):
            if trainer.divergence:
                print(f"{label}: {trainer.divergence}", file=out)
    out.flush()
    return cli.EXIT_OK


def main(argv=None) -> int:
    """``nngui export [options] --out DIR``; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        experiment = experiment_from_args(args)
        cli.check_memory(experiment, args, window=True)  # the pack draws each run's decision boundary
        folder = _out_folder(args.out)
    except SystemExit as stop:  # --help
        return stop.code if isinstance(stop.code, int) else cli.EXIT_OK
    except (cli.UsageError, ExperimentError) as error:
        print(f"nngui export: error: {one_line(error)}", file=sys.stderr)
        return cli.EXIT_USAGE
    try:
        every = args.every if args.every is not None else (None if args.json else 0)
        return export(experiment, every, args.json, sys.stdout, folder)
    except ExperimentError as error:
        print(f"nngui export: error: {one_line(error)}", file=sys.stderr)
        return cli.EXIT_USAGE
    except KeyboardInterrupt as stop:  # Ctrl-C or SIGTERM
        word, status = console.stopped(stop)
        print(f"nngui export: {word}", file=sys.stderr)
        return status
