"""Each guard of the careful file read and of the temporary-file sweep, checked on its own (issue 18).

Each test fails when its guard is removed: the stat before open, the fstat after it, the size
cap before any read, and the owner check of the sweep (run as another user).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from nngui.engine import ExperimentError
from nngui.files import guards as files

ROOT = Path(__file__).resolve().parents[2]


class Recorder:
    """Wraps one ``os`` function as ``guards`` calls it, recording the first argument of each call."""

    def __init__(self, monkeypatch, name):
        self.calls = []
        real = getattr(os, name)

        def record(*args, **kwargs):
            self.calls.append(args[0])
            return real(*args, **kwargs)

        monkeypatch.setattr(files.os, name, record)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_is_refused_before_it_is_ever_opened(tmp_path, monkeypatch):
    # opening a FIFO or a device can do something (wake a writer, rewind a tape): looked at first
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    opened = Recorder(monkeypatch, "open")
    with pytest.raises(ExperimentError, match="named pipe"):
        files.read_regular_file(fifo, 100)
    assert opened.calls == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_file_swapped_for_a_fifo_between_stat_and_open_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "settings.conf"
    path.write_text("[view]\n")
    real_stat = os.stat
    swapped = []

    def stat_then_swap(name, *args, **kwargs):
        info = real_stat(name, *args, **kwargs)
        if os.fspath(name) == str(path) and not swapped:  # a regular file when looked at ...
            swapped.append(True)
            os.unlink(path)
            os.mkfifo(path)                                # ... a FIFO when opened
        return info

    monkeypatch.setattr(files.os, "stat", stat_then_swap)
    try:
        with pytest.raises(ExperimentError, match="named pipe"):
            files.read_regular_file(path, 100)
    finally:
        monkeypatch.undo()
    assert swapped


def test_a_file_over_the_cap_is_refused_without_reading_a_byte(tmp_path, monkeypatch):
    path = tmp_path / "huge.json"
    path.write_bytes(b"x" * 5000)
    reads = Recorder(monkeypatch, "read")
    try:
        with pytest.raises(ExperimentError, match="larger than 1 kB"):
            files.read_regular_file(path, 1000)
    finally:
        monkeypatch.undo()
    assert reads.calls == []


@pytest.fixture
def shared_folder():
    """A folder anyone can reach and write, without the sticky bit (pytest's own is root's alone); removed after."""
    folder = Path(tempfile.mkdtemp(prefix="nngui-shared-"))
    os.chmod(folder, 0o777)  # anyone may remove anything in it
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _stale(path):
    path.write_text("half a save")
    then = time.time() - files.STALE_AFTER_S - 60
    os.utime(path, (then, then))
    return path


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="making another user's file and running as that user needs root")
@pytest.mark.skipif(shutil.which("setpriv") is None, reason="setpriv is not installed")
def test_the_sweep_never_removes_another_users_temporary_file(shared_folder):
    folder = shared_folder
    roots = _stale(folder / ".nngui-0123abcd.tmp")
    own_later = folder / ".nngui-89abcdef.tmp"
    code = ("import os, sys, time\n"
            "from nngui.files import guards\n"
            f"path = {str(own_later)!r}\n"
            "open(path, 'w').write('half a save')\n"
            "then = time.time() - guards.STALE_AFTER_S - 60\n"
            "os.utime(path, (then, then))\n"
            f"print(sorted(guards.remove_stale_temporaries({str(folder)!r})))\n")
    done = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c", code],
                          cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True,
                          timeout=60)
    if done.returncode != 0 and "Permission denied" in done.stderr:
        pytest.skip(f"the user nobody cannot run this Python here: {done.stderr.strip()[-200:]}")
    assert done.returncode == 0, done.stderr
    # as nobody: its own leftover goes, root's stays (it could have removed it: the folder is open to all)
    assert done.stdout == "['.nngui-89abcdef.tmp']\n"
    assert roots.exists() and not own_later.exists()
