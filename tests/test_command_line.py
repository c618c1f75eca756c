"""``nngui`` in a real process: hostile files, broken output, Ctrl-C, unknown commands (issue 8)."""

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: generous for a process that starts Python and numpy (and Qt); a hang would exceed it by far
TIMEOUT_S = 60


def nngui(*args, **kwargs):
    """``python -m nngui args`` from the checkout, in an empty home; the finished process."""
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("cwd", ROOT)
    return subprocess.run([sys.executable, "-m", "nngui", *args], text=True, timeout=TIMEOUT_S,
                          env=environment(kwargs.pop("home", None)), **kwargs)


def environment(home=None):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    if home is not None:
        env.update(HOME=str(home), XDG_CONFIG_HOME=str(Path(home) / ".config"))
    return env


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_as_config_is_refused_at_once(tmp_path):
    fifo = tmp_path / "f"
    os.mkfifo(fifo)  # `mkfifo /tmp/f; nngui train --config /tmp/f` used to wait for ever
    done = nngui("train", "--config", str(fifo))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (f"nngui train: error: {fifo}: cannot read the file: it is a named pipe (FIFO), "
                           "not a regular file\n")


def test_an_empty_config_name_is_an_error_naming_the_flag():
    done = nngui("train", "--config", "", "--epochs", "1")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "nngui train: error: argument --config: expected a file name, got an empty one\n"


# --- commands -----------------------------------------------------------------------------

def test_a_mistyped_command_is_unknown_and_lists_the_commands():
    # `nngui trian --epochs 5` used to open the window (and never return offscreen)
    done = nngui("trian", "--epochs", "5")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("nngui: unknown command 'trian' (commands: train, race, surface, export, check; "
                           "without one, nngui opens its window)\n")


@pytest.fixture
def sigint_restored():
    """The entry point takes Ctrl-C for the rest of the process: give pytest its own back."""
    previous = signal.getsignal(signal.SIGINT)
    yield
    signal.signal(signal.SIGINT, previous)


def test_the_command_list_is_the_table(monkeypatch, capsys, sigint_restored):
    from nngui import __main__ as entry
    monkeypatch.setitem(entry.COMMANDS, "surface", "nngui.cli.train:main")
    assert entry.main(["\x1b]0;x\x07"]) == 2
    assert capsys.readouterr().err == ("nngui: unknown command '\\x1b]0;x\\x07' (commands: train, race, surface, "
                                       "export, check; without one, nngui opens its window)\n")


# --- standard output ----------------------------------------------------------------------

@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("args, prog", [(("train", "--epochs", "3", "--json"), "nngui train"),
                                        (("--version",), "nngui")])
def test_a_full_stdout_is_one_line_and_exit_1(args, prog):
    with open("/dev/full", "w") as full:
        done = nngui(*args, capture_output=False, stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 1
    assert done.stderr == f"{prog}: error: cannot write to standard output: No space left on device\n"


def test_a_closed_stdout_is_one_line_and_exit_1():
    done = subprocess.run(["sh", "-c", 'exec "$0" -m nngui train --epochs 3 >&-', sys.executable], cwd=ROOT,
                          env=environment(), capture_output=True, text=True, timeout=TIMEOUT_S)
    assert (done.returncode, done.stderr) == (1, "nngui train: error: standard output is closed\n")


def test_a_reader_that_goes_away_ends_it_quietly():
    child = subprocess.Popen([sys.executable, "-m", "nngui", "train", "--epochs", "5000", "--every", "1"],
                             cwd=ROOT, env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdout.close()  # like `| head -0`: far more lines will come than a pipe holds
    err = child.communicate(timeout=TIMEOUT_S)[1]
    assert (child.returncode, err) == (1, b"")


# --- Ctrl-C -------------------------------------------------------------------------------

def default_sigint():
    """In the child before it runs: Ctrl-C as a terminal gives it, whatever this process was given.

    A job started in the background by a non-interactive shell (``./test.sh &`` in a script, many
    CI runners) inherits SIGINT ignored, and Python keeps an ignored SIGINT ignored: the app rightly
    respects that, and a test's Ctrl-C would never arrive.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextlib.contextmanager
def reaped(child):
    """Run the block with ``child``; if it is still running after (an error, a timeout), kill it and wait for it."""
    try:
        yield child
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def interrupt(args, when, stream="stderr", home=None, env=(), signum=signal.SIGINT):
    """Start ``nngui args``, send ``signum`` once ``when`` shows in its ``stream``; ``(exit status, stderr)``.

    ``-X importtime`` makes the interpreter say on stderr as each module has loaded: the
    signal then lands in the middle of start-up, at a known point, with no sleep.
    """
    child = subprocess.Popen([sys.executable, "-X", "importtime", "-m", "nngui", *args], cwd=ROOT,
                             env=dict(environment(home), **dict(env)), text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=default_sigint)
    seen = []
    with reaped(child):
        for line in child.stderr if stream == "stderr" else child.stdout:
            seen.append(line)
            if when in line:
                break
        child.send_signal(signum)
        out, err = child.communicate(timeout=TIMEOUT_S)
    assert any(when in line for line in seen), f"{when!r} never showed: {''.join(seen)[-2000:]}"
    err = ("".join(seen) if stream == "stderr" else "") + err
    return child.returncode, [line for line in err.splitlines() if not line.startswith("import time:")]


def assert_one_line(lines, line="nngui: interrupted"):
    assert not any("Traceback" in text or "KeyboardInterrupt" in text for text in lines), lines
    assert lines[-1] == line and lines.count(line) == 1, lines


def test_ctrl_c_while_numpy_loads_is_one_line_and_130():
    code, lines = interrupt(["train"], "numpy")  # the "about 50 ms in"
    assert code == 130
    assert_one_line(lines)


def test_ctrl_c_while_training_is_one_line_and_130():
    code, lines = interrupt(["train", "--every", "1", "--epochs", "1000000"], "epoch: 0,", stream="stdout")
    assert code == 130
    assert_one_line(lines, "nngui train: interrupted")


@pytest.mark.parametrize("when", ["shibokensupport", "PySide6.QtWidgets"])
def test_ctrl_c_while_qt_loads_is_one_line_and_130(tmp_path, when):
    # inside shiboken's start-up a KeyboardInterrupt aborts the interpreter ("Fatal Python error")
    code, lines = interrupt(["--self-test"], when, home=tmp_path)
    assert code == 130
    assert_one_line(lines)


#: Qt's own log of each Python slot it calls: a timer's slot shows the window's event loop is running
SLOT_LOG = {"QT_LOGGING_RULES": "qt.pyside.libpyside=true"}


def test_ctrl_c_in_the_window_closes_it_like_its_close_button(tmp_path):
    code, lines = interrupt([], "_on_plot_timer_timeout", home=tmp_path, env=SLOT_LOG)
    assert code == 130
    assert_one_line([line for line in lines if not line.startswith("qt.pyside")])
    # closed as by its close button: the place and the session were saved
    settings = (tmp_path / ".config" / "nngui" / "nngui.conf").read_text()
    assert "geometry=" in settings and "experiment=" in settings


def test_ctrl_c_during_the_self_test_reports_no_failure_and_leaves_nothing(tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    code, lines = interrupt(["--self-test"], "_on_plot_timer_timeout", home=tmp_path,
                            env=dict(SLOT_LOG, TMPDIR=str(scratch)))
    assert code == 130
    lines = [line for line in lines if not line.startswith("qt.pyside")]
    assert_one_line(lines)
    assert not any("FAILED" in line for line in lines)
    assert list(scratch.iterdir()) == []  # the self-test's throw-away settings folder is gone


# --- help, version, errors: the same edges for every command (issue 18) -------------------

COMMAND_WORDS = [(), ("train",), ("race",), ("surface",), ("export",)]


#: every command's --help, and the window's --version
PRINTING = [(words, "--help") for words in COMMAND_WORDS] + [((), "--version")]


def prog_of(words):
    return " ".join(("nngui", *words))


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("words, flag", PRINTING)
def test_help_and_version_into_a_full_stdout_say_so_and_exit_1(words, flag):
    with open("/dev/full", "w") as full:
        done = nngui(*words, flag, capture_output=False, stdout=full, stderr=subprocess.PIPE)
    # argparse ignores a failed write: --help exited 0 as if the text had been written
    assert (done.returncode, done.stderr) == (1, f"{prog_of(words)}: error: cannot write to standard output: "
                                                 "No space left on device\n")


@pytest.mark.parametrize("words, flag", PRINTING)
def test_help_and_version_with_stdout_closed_say_so_and_exit_1(words, flag):
    done = subprocess.run(["sh", "-c", 'exec "$0" -m nngui "$@" >&-', sys.executable, *words, flag], cwd=ROOT,
                          env=environment(), capture_output=True, text=True, timeout=TIMEOUT_S)
    assert (done.returncode, done.stderr) == (1, f"{prog_of(words)}: error: standard output is closed\n")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("args", [("train", "--bogus"), ("race", "--epochs", "x"), ("surface", "--steps", "y"),
                                  ("export", "--bogus"), ("train", "--config", "/nonexistent/x.json"), ("trian",)])
def test_a_bad_flag_is_exit_2_whatever_stderr_is(args):
    with open("/dev/full", "w") as full:
        done = nngui(*args, capture_output=False, stdout=subprocess.PIPE, stderr=full)
    assert (done.returncode, done.stdout) == (2, "")
    closed = subprocess.run(["sh", "-c", 'exec "$0" -m nngui "$@" 2>&-', sys.executable, *args], cwd=ROOT,
                            env=environment(), capture_output=True, text=True, timeout=TIMEOUT_S)
    # with stderr closed the one line went to standard output (print(file=None))
    assert (closed.returncode, closed.stdout) == (2, "")


@pytest.mark.parametrize("start, message", [
    (["--start=10.0000001,0"], "--start: (10.0000001, 0) is outside valley's plot"),   # never rounded to (10, 0)
    (["--start", "-inf,0"], "--start: must be two finite numbers, got (-inf, 0.0)"),  # a word of its own
    (["--start", "-1e999,0"], "--start: must be two finite numbers, got (-inf, 0.0)"),
])
def test_surface_start_messages_show_the_value_as_given(start, message):
    done = nngui("surface", "--function", "valley", "--run", "sgd", *start)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(f"nngui surface: error: {message}"), done.stderr


# --- SIGTERM and temporary files (issue 18) -------------------------------------------------

def saving_export(folder):
    """A child running ``nngui export`` whose first save stops in ``fsync`` after saying "syncing"."""
    script = (
        "import sys\n"
        "from nngui.files import guards\n"
        "def slow(descriptor):\n"
        "    print('syncing', flush=True)\n"
        "    sys.stdin.read()\n"  # waits for ever: the parent signals it here
        "guards.os.fsync = slow\n"
        "from nngui.__main__ import main\n"
        f"sys.exit(main(['export', '--epochs', '1', '--out', {str(folder)!r}]))\n"
    )
    return subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=environment(), text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=default_sigint)


@pytest.mark.parametrize("signum, line, status", [(signal.SIGTERM, "nngui export: terminated", 143),
                                                  (signal.SIGINT, "nngui export: interrupted", 130)])
def test_sigterm_or_ctrl_c_while_export_saves_removes_its_temporary_file(tmp_path, signum, line, status):
    child = saving_export(tmp_path / "pack")
    with reaped(child):
        assert "syncing\n" in iter(child.stdout.readline, "")  # after the race's lines
        child.send_signal(signum)
        out, err = child.communicate(timeout=TIMEOUT_S)
    assert (child.returncode, err) == (status, line + "\n")
    assert not [p.name for p in (tmp_path / "pack").iterdir() if p.name.endswith(".tmp")]


def test_sigterm_before_a_command_runs_is_one_line_and_143():
    code, lines = interrupt(["train"], "numpy", signum=signal.SIGTERM)
    assert code == 143
    assert_one_line(lines, "nngui: terminated")


def test_sigterm_while_training_is_one_line_and_143():
    code, lines = interrupt(["train", "--every", "1", "--epochs", "1000000"], "epoch: 0,", stream="stdout",
                            signum=signal.SIGTERM)
    assert code == 143
    assert_one_line(lines, "nngui train: terminated")


def test_ctrl_c_as_nngui_starts_its_own_code_is_one_line_and_130():
    # the first line of nngui.__main__ takes Ctrl-C: what comes before is Python's own start-up
    code, lines = interrupt(["train"], "| nngui.cli\n")  # nngui.__main__'s first import
    assert code == 130
    assert_one_line(lines)


# --- a pack's own files and links in its folder (issue 18) ----------------------------------

def test_export_never_writes_through_links_planted_in_its_folder(tmp_path):
    out, elsewhere = tmp_path / "pack", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    victim = elsewhere / "victim.txt"
    victim.write_text("someone else's file\n")
    (out / "loss.png").symlink_to(victim)                          # aimed at a file elsewhere
    (out / "history.csv").symlink_to(elsewhere / "made.csv")        # dangling: would create a file there
    (out / "experiment.json").symlink_to(out / "experiment.json")  # a loop
    done = nngui("export", "--epochs", "1", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert victim.read_text() == "someone else's file\n"
    assert sorted(p.name for p in elsewhere.iterdir()) == ["victim.txt"]
    for name in ("loss.png", "history.csv", "experiment.json"):
        assert not (out / name).is_symlink() and (out / name).is_file(), name
    assert (out / "loss.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_file_save_still_writes_through_a_link_the_user_chose(tmp_path):
    from nngui.engine import Experiment
    from nngui.files import experiment_io
    target = tmp_path / "real.json"
    experiment_io.save(target, Experiment(seed=1))
    (tmp_path / "link.json").symlink_to(target)
    experiment_io.save(tmp_path / "link.json", Experiment(seed=2))
    assert (tmp_path / "link.json").is_symlink() and experiment_io.read(target).experiment.seed == 2


@pytest.mark.parametrize("make, words", [
    (lambda out: out.symlink_to(out), "a symbolic link that leads back to itself"),
    (lambda out: out.symlink_to(out.parent / "nowhere"), "a symbolic link to nothing (what it names does not exist)"),
])
def test_a_broken_link_as_out_says_what_it_is(tmp_path, make, words):
    out = tmp_path / "out"
    make(out)
    done = nngui("export", "--epochs", "1", "--out", str(out))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"nngui export: error: --out: {out} is {words}\n"


# --- the memory budget (issue 18) -----------------------------------------------------------

LARGEST = ["--hidden", "256,256,256,256", "--samples", "2000", "--classes", "6"]


@pytest.mark.parametrize("args", [["race", *LARGEST, "--run", "sgd", "--run", "decay", "--run", "momentum",
                                   "--run", "sgd:lr=0.5"],
                                  ["export", *LARGEST, "--run", "sgd", "--run", "decay", "--run", "momentum",
                                   "--out", "never-made"]])
def test_a_setting_past_the_memory_limit_is_refused_before_it_starts(args, tmp_path):
    done = nngui(*args, "--epochs", "1", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert "this setting needs about" in done.stderr and "more than the 1 GB limit" in done.stderr
    assert done.stderr.count("\n") == 1
    assert not (tmp_path / "never-made").exists()


def test_a_higher_memory_limit_lets_it_run():
    done = nngui("train", "--hidden", "256", "--samples", "2000", "--classes", "6", "--epochs", "1",
                 "--memory-limit", "100MB")
    assert done.returncode == 2 and "more than the 100 MB limit" in done.stderr
    done = nngui("train", "--hidden", "256", "--samples", "2000", "--classes", "6", "--epochs", "1",
                 "--memory-limit", "1GB")
    assert done.returncode == 0, done.stderr


def test_sigterm_to_the_window_closes_it_like_its_close_button(tmp_path):
    code, lines = interrupt([], "_on_plot_timer_timeout", home=tmp_path, env=SLOT_LOG, signum=signal.SIGTERM)
    assert code == 143
    assert_one_line([line for line in lines if not line.startswith("qt.pyside")], "nngui: terminated")
    settings = (tmp_path / ".config" / "nngui" / "nngui.conf").read_text()
    assert "geometry=" in settings and "experiment=" in settings
