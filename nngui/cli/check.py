"""``nngui check``: a student's optimizer class raced against the lesson's SGD, number by number.

One file: ``nngui check FILE.py [--class NAME] [--json] [--time-limit S]``; a class's folder:
``nngui check DIR --report FILE.csv [--jobs N]``; a file to start from:
``nngui check --template FILE.py``. The checking itself is ``nngui.check``'s.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from . import train as cli
from nngui.check.checker import EPOCHS
from nngui.check.isolated import DEFAULT_MEMORY_LIMIT_MB, DEFAULT_TIME_LIMIT, check_isolated
from nngui.check.result import Problem, Verdict
from nngui.engine.checks import ExperimentError, one_line, shown_path

EXIT_MATCHES = 0
EXIT_DIFFERS = 1
EXIT_USAGE = 2
EXIT_ERROR = 3
MAX_TIME_LIMIT = 3600.0
MAX_JOBS = 64

EPILOG = f"""\
The class is the file's class with an update_params method (--class NAME when there are
several). Its __init__ says which settings it is checked in: learning_rate alone as plain SGD
(lr 1, and lr 0.7); with decay also SGD + decay (lr 1, decay 1e-3; lr 0.7, decay 1e-2); with
momentum also SGD + momentum (lr 1, momentum 0.9) and SGD + decay + momentum (the chapter's
lr 1, decay 1e-3, momentum 0.9; and lr 0.7, decay 1e-2, momentum 0.5). In each, {EPOCHS} epochs
on the chapter's spiral (100 x 3, 64 ReLU neurons, seed 0): the lesson's calls (pre_update_params,
update_params for each layer, post_update_params), and after every call each layer's weights,
biases and momentum buffers and current_learning_rate compared with the engine's SGD, which
starts from the same weights.

Verdicts: matches (every number within 1e-12, relative; it says whether bit for bit),
differs (the first number that differs, where, and a hint naming the likely mistake and the
lesson's line), error (the code's own message and line; a time-out says so).

The file runs in a process of its own, within a time limit (--time-limit, default
{DEFAULT_TIME_LIMIT:g} s for the whole check) and a memory limit ({DEFAULT_MEMORY_LIMIT_MB} MB of address space,
set with setrlimit: Linux holds it, macOS may not; on Windows only the time limit holds), so
an endless loop, sys.exit(), a crash or a flood
of prints ends with a verdict. This isolates a submission's crashes and loops: it is NOT a
security sandbox. The file's code runs with your rights and can read, write and delete your
files: check only code you would run yourself.

A folder: DIR --report FILE.csv checks every .py file in DIR, --jobs at a time (default:
the number of cores), each in its own process; one row a file (file, class, verdict,
first_difference, hint, seconds, error) and a summary line.

--json prints one line: {{"file", "class", "verdict", "settings": [...], "epochs",
"first_difference": {{"setting", "epoch", "call", "layer", "array", "index", "expected",
"actual"}} or null, "hint", "error"}}.

Exit status: {EXIT_MATCHES} matches (a folder: the report was written); {EXIT_DIFFERS} differs;
{EXIT_USAGE} bad flag, a file that cannot be read, --class naming no class, several classes and
no --class; {EXIT_ERROR} error (the code raised, stalled, ended the process, or has no optimizer
class); 130 interrupted.
"""


def _positive_seconds(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not 0 < value <= MAX_TIME_LIMIT:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most {MAX_TIME_LIMIT:g} s, got {text!r}")
    return value


def _jobs(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 1 <= value <= MAX_JOBS:
        raise argparse.ArgumentTypeError(f"must be 1 to {MAX_JOBS}, got {value}")
    return value


def build_parser():
    parser = cli.new_parser("check", "Check a student's optimizer class against the lesson's SGD, "
                                     "or a folder of them.", EPILOG)
    parser.add_argument("path", nargs="?", metavar="FILE.py | DIR", help="the student's file, or a folder of them")
    parser.add_argument("--class", dest="class_name", metavar="NAME", help="the class to check")
    parser.add_argument("--json", action="store_true", default=False, help="print the result as one JSON line")
    parser.add_argument("--time-limit", type=_positive_seconds, default=DEFAULT_TIME_LIMIT, metavar="S",
                        help=f"seconds a file's check may take (default {DEFAULT_TIME_LIMIT:g})")
    parser.add_argument("--report", type=cli.file_name, metavar="FILE.csv",
                        help="with a folder: write one CSV row per file")
    parser.add_argument("--jobs", type=_jobs, metavar="N", help="with a folder: files checked at once "
                                                                "(default: the number of cores)")
    parser.add_argument("--template", type=cli.file_name, metavar="FILE.py",
                        help="write the chapter's three classes as stubs to fill in, and stop")
    return parser


def main(argv=None) -> int:
    """``nngui check …``; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] in (["--worker"], ["--remote"]):
        _serve(argv[0], argv[1:])  # a frozen bundle's checking process (isolated.python_command): never returns
    try:
        args = build_parser().parse_args(argv)
        if args.template is not None:
            if args.path is not None or args.report is not None:
                raise cli.UsageError("--template writes a file: give it alone")
            return write_template(args.template)
        if args.path is None:
            raise cli.UsageError("give a student's FILE.py, a folder with --report FILE.csv, or --template FILE.py")
        if os.path.isdir(args.path):
            if args.report is None:
                raise cli.UsageError(f"{shown_path(args.path)} is a folder: give --report FILE.csv for its report")
            if args.json:
                raise cli.UsageError("--json is for one file; a folder's results go to --report")
            return check_folder(args)
        if args.report is not None or args.jobs is not None:
            raise cli.UsageError("--report and --jobs are for a folder of files")
    except SystemExit as stop:  # --help
        return stop.code if isinstance(stop.code, int) else EXIT_MATCHES
    except cli.UsageError as error:
        print(f"nngui check: error: {one_line(error)}", file=sys.stderr)
        return EXIT_USAGE
    return check_one(args)


def _serve(role, argv):
    """Be the checker's worker or a race's student process (``python -m nngui.check.<role>`` elsewhere)."""
    try:
        if role == "--worker":
            from nngui.check.worker import main as work
            work(argv)
        else:
            from nngui.check.remote import serve
            serve(argv[0], argv[1], json.loads(argv[2]), int(argv[3]))
    finally:
        os._exit(0)


def check_one(args) -> int:
    result = check_isolated(args.path, args.class_name, args.time_limit)
    out = sys.stdout
    if args.json:
        print(json.dumps(result.to_dict(), allow_nan=False), file=out)
    else:
        print(describe(result), file=out)
    if result.verdict is Verdict.MATCHES:
        return EXIT_MATCHES
    if result.verdict is Verdict.DIFFERS:
        return EXIT_DIFFERS
    if result.problem is Problem.USAGE:
        if not args.json:
            out.flush()
        return EXIT_USAGE
    return EXIT_ERROR


def describe(result) -> str:
    """The result for a person: a verdict line, each setting, then the first difference and hint, or the error."""
    name = result.class_name or "the file"
    if result.verdict is Verdict.ERROR:
        lines = [f"{result.file}: {name}: error: {result.error}"]
    else:
        how = ""
        if result.verdict is Verdict.MATCHES:
            how = " bit for bit" if result.bit_for_bit else " within 1e-12 (not bit for bit)"
        verb = "matches" if result.verdict is Verdict.MATCHES else "differs from"
        lines = [f"{result.file}: {name} {verb} the lesson's SGD{how}"]
    if result.settings:
        width = max(len(s.setting) for s in result.settings)
        for s in result.settings:
            detail = ""
            if s.verdict == "matches":
                detail = ", bit for bit" if s.bit_for_bit else f", largest difference {s.largest_difference:.1e}"
            lines.append(f"  {s.setting.ljust(width)}  {s.verdict}{detail}")
        if result.verdict is Verdict.MATCHES:
            lines.append(f"  {result.epochs} epochs a setting; every weight, bias and momentum buffer "
                         "compared after every call")
    if result.first_difference is not None:
        lines.append(f"first difference: {result.first_difference.describe()}")
    if result.hint:
        lines.append(f"hint: {result.hint}")
    return "\n".join(lines)


def check_folder(args) -> int:
    from nngui.check.folder import check_folder as check_all, report_csv, submissions, summary
    from nngui.files.guards import write_file_atomically
    files = submissions(args.path)
    if not files:
        print(f"nngui check: error: no .py files in {shown_path(args.path)}", file=sys.stderr)
        return EXIT_USAGE
    began = time.monotonic()
    out = sys.stdout

    def each(result):
        print(f"{result.verdict.value:8} {result.file}", file=out, flush=True)

    results = check_all(args.path, args.jobs, args.class_name, args.time_limit, each=each)
    try:
        write_file_atomically(args.report, report_csv(results).encode("utf-8"))
    except ExperimentError as error:
        print(f"nngui check: error: {one_line(error)}", file=sys.stderr)
        return EXIT_USAGE
    print(f"{summary(results)} in {time.monotonic() - began:.1f} s; report: {shown_path(args.report)}", file=out)
    return EXIT_MATCHES


def write_template(path) -> int:
    from nngui.check.template import TEMPLATE
    try:
        with open(path, "x", encoding="utf-8") as file:  # never over a student's own work
            file.write(TEMPLATE)
    except FileExistsError:
        print(f"nngui check: error: {shown_path(path)} exists: the template is only written to a new file",
              file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        print(f"nngui check: error: {shown_path(path)}: {error.strerror or error}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {shown_path(path)}: fill in a class, then `nngui check {shown_path(path)} --class Optimizer_SGD`",
          file=sys.stdout)
    return EXIT_MATCHES
