"""``nngui`` in a real process: hostile files, broken output, Ctrl-C, unknown commands (issue 8)."""

import os
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
    return subprocess.run([sys.executable, "-m", "nngui", *args], cwd=ROOT, text=True, timeout=TIMEOUT_S,
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
