"""Reading only regular files, never blocking; saving through links, any name, all or nothing (issue 8)."""

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nngui.engine import Experiment, ExperimentError
from nngui.files import experiment_io, guards as files

ROOT = Path(__file__).resolve().parents[2]
#: long enough for any honest read; a FIFO that blocked would hang for ever
FIFO_TIMEOUT_S = 20

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


def entries(folder):
    return sorted(os.listdir(folder))


# --- reading ------------------------------------------------------------------------------

@needs_fifo
@pytest.mark.timeout(FIFO_TIMEOUT_S)
def test_a_fifo_is_refused_at_once_not_waited_on(tmp_path):
    fifo = tmp_path / "lesson.json"
    os.mkfifo(fifo)  # no writer will ever come: an open() that blocked would never return
    with pytest.raises(ExperimentError) as caught:
        experiment_io.read(fifo)
    assert str(caught.value) == f"{fifo}: cannot read the file: it is a named pipe (FIFO), not a regular file"
    with pytest.raises(ExperimentError, match="named pipe"):
        files.read_regular_file(fifo, 100)


def test_a_directory_and_a_device_are_refused_without_being_read(tmp_path):
    with pytest.raises(ExperimentError, match=f"^{tmp_path}: cannot read the file: it is a directory, not a regular"):
        experiment_io.read(tmp_path)
    with pytest.raises(ExperimentError, match="^/dev/zero: cannot read the file: it is a character device"):
        experiment_io.read("/dev/zero")  # endless: only refusing it before reading keeps this test finite


def test_a_link_to_a_regular_file_is_read(tmp_path):
    path = tmp_path / "run.json"
    experiment_io.save(path, Experiment(seed=4))
    (tmp_path / "link.json").symlink_to(path)
    assert experiment_io.load(tmp_path / "link.json") == Experiment(seed=4)


def test_no_more_than_the_cap_is_read(tmp_path):
    path = tmp_path / "data"
    path.write_bytes(b"x" * 101)
    assert files.read_regular_file(path, 101) == b"x" * 101
    with pytest.raises(ExperimentError, match=r"the file is larger than 100 bytes$"):
        files.read_regular_file(path, 100)


def test_an_empty_name_is_refused_by_name():
    with pytest.raises(ExperimentError, match="^cannot read the file: no file name was given$"):
        experiment_io.read("")


# --- saving -------------------------------------------------------------------------------

def test_saving_through_a_symlink_writes_the_target_and_keeps_the_link(tmp_path):
    target = tmp_path / "lessons" / "run.json"
    target.parent.mkdir()
    experiment_io.save(target, Experiment(seed=1))
    link = tmp_path / "run.json"
    link.symlink_to(Path("lessons") / "run.json")
    experiment_io.save(link, Experiment(seed=2))
    assert link.is_symlink() and os.readlink(link) == str(Path("lessons") / "run.json")
    assert experiment_io.load(target) == Experiment(seed=2)
    assert entries(tmp_path) == ["lessons", "run.json"] and entries(target.parent) == ["run.json"]


def test_saving_through_a_chain_of_links_and_a_dangling_one(tmp_path):
    target = tmp_path / "real.json"
    experiment_io.save(target, Experiment(seed=1))
    (tmp_path / "one.json").symlink_to("real.json")
    (tmp_path / "two.json").symlink_to("one.json")
    experiment_io.save(tmp_path / "two.json", Experiment(seed=3))
    assert experiment_io.load(target) == Experiment(seed=3)
    assert (tmp_path / "two.json").is_symlink() and (tmp_path / "one.json").is_symlink()
    # a link to a file not yet there: the file is created where the link points, as an editor does
    (tmp_path / "new.json").symlink_to("created.json")
    experiment_io.save(tmp_path / "new.json", Experiment(seed=5))
    assert (tmp_path / "new.json").is_symlink() and experiment_io.load(tmp_path / "created.json") == Experiment(seed=5)


def test_a_loop_of_links_is_refused(tmp_path):
    (tmp_path / "a.json").symlink_to("b.json")
    (tmp_path / "b.json").symlink_to("a.json")
    with pytest.raises(ExperimentError, match="cannot write the file: it is a symbolic link that leads back"):
        experiment_io.save(tmp_path / "a.json", Experiment())
    assert (tmp_path / "a.json").is_symlink() and (tmp_path / "b.json").is_symlink()


def test_a_file_name_of_the_longest_legal_length_saves(tmp_path):
    limit = os.pathconf(tmp_path, "PC_NAME_MAX") if hasattr(os, "pathconf") else 255
    path = tmp_path / ("n" * (limit - len(".json")) + ".json")
    experiment_io.save(path, Experiment(seed=7))
    assert experiment_io.load(path) == Experiment(seed=7)
    experiment_io.save(path, Experiment(seed=8))  # and replacing it
    assert experiment_io.load(path) == Experiment(seed=8)
    assert entries(tmp_path) == [path.name]


@pytest.mark.parametrize("path", ["", ".", "..", "folder/", "folder/."])
def test_a_name_that_is_no_file_is_the_engines_error_not_valueerror(tmp_path, monkeypatch, path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    with pytest.raises(ExperimentError) as caught:
        experiment_io.save(path, Experiment())
    assert str(caught.value).startswith(f"{path}: cannot write the file:" if path else "cannot write the file:")
    assert entries(tmp_path) == ["folder"] and entries(tmp_path / "folder") == []


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(ExperimentError, match="cannot write the file: it is a directory; only a regular file"):
        experiment_io.save(tmp_path, Experiment())


@needs_fifo
def test_a_fifo_is_not_replaced(tmp_path):
    fifo = tmp_path / "run.json"
    os.mkfifo(fifo)
    with pytest.raises(ExperimentError, match="it is a named pipe \\(FIFO\\); only a regular file is ever replaced"):
        experiment_io.save(fifo, Experiment())
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and entries(tmp_path) == ["run.json"]


def test_a_device_node_is_not_replaced_even_by_root(tmp_path):
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # /dev/null's numbers
    except (OSError, AttributeError) as error:
        pytest.skip(f"cannot make a device node here: {error}")
    with pytest.raises(ExperimentError, match="it is a character device; only a regular file is ever replaced"):
        experiment_io.save(device, Experiment())
    assert stat.S_ISCHR(os.lstat(device).st_mode) and entries(tmp_path) == ["null"]
    # and through a link to it
    (tmp_path / "link.json").symlink_to(device)
    with pytest.raises(ExperimentError, match="character device"):
        experiment_io.save(tmp_path / "link.json", Experiment())
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_a_replaced_file_keeps_its_mode_and_a_new_one_follows_the_umask(tmp_path):
    path = tmp_path / "run.json"
    path.write_text("old")
    os.chmod(path, 0o604)
    experiment_io.save(path, Experiment())
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o604
    umask = os.umask(0o027)
    try:
        experiment_io.save(tmp_path / "new.json", Experiment())
    finally:
        os.umask(umask)
    assert stat.S_IMODE(os.stat(tmp_path / "new.json").st_mode) == 0o640


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file away")
def test_root_saving_a_users_file_leaves_it_theirs(tmp_path):
    path = tmp_path / "run.json"
    path.write_text("old")
    os.chown(path, 1234, 5678)
    experiment_io.save(path, Experiment())
    assert (os.stat(path).st_uid, os.stat(path).st_gid) == (1234, 5678)


def test_every_failure_removes_its_own_temporary(tmp_path, monkeypatch):
    path = tmp_path / "run.json"
    experiment_io.save(path, Experiment())
    before = path.read_bytes()
    for name, error in (("fsync", OSError(5, "Input/output error")), ("write", OSError(28, "No space left on device")),
                        ("replace", KeyboardInterrupt())):
        def fail(*args, error=error):
            raise error
        with monkeypatch.context() as patch:
            patch.setattr(files.os, name, fail)
            with pytest.raises((ExperimentError, KeyboardInterrupt)):
                experiment_io.save(path, Experiment(seed=9))
        assert entries(tmp_path) == ["run.json"], name
        assert path.read_bytes() == before


def stale(path, age_s):
    path.write_text("half a save")
    then = time.time() - age_s
    os.utime(path, (then, then))
    return path


def test_stale_temporaries_of_killed_saves_are_removed_by_the_next_save(tmp_path):
    fcntl = pytest.importorskip("fcntl", reason="advisory locks are POSIX")
    old = stale(tmp_path / ".nngui-0123abcd.tmp", files.STALE_AFTER_S + 60)
    earlier_version = stale(tmp_path / ".run.json.0123456789ab.tmp", files.STALE_AFTER_S + 60)
    fresh = stale(tmp_path / ".nngui-89abcdef.tmp", 1)  # just made: its save may not hold it yet
    other_file = stale(tmp_path / ".other.json.0123456789ab.tmp", files.STALE_AFTER_S + 60)
    not_ours = stale(tmp_path / ".nngui-notours.tmp", files.STALE_AFTER_S + 60)
    abandoned = stale(tmp_path / ".nngui-00000001.tmp", files.ABANDONED_AFTER_S + 5)  # no save holds it
    held = stale(tmp_path / ".nngui-00000002.tmp", files.ABANDONED_AFTER_S + 5)
    saving = os.open(held, os.O_RDONLY)  # another window's save, slow, still writing: it holds its file
    try:
        fcntl.flock(saving, fcntl.LOCK_EX)
        experiment_io.save(tmp_path / "run.json", Experiment())
    finally:
        os.close(saving)
    assert not old.exists() and not earlier_version.exists() and not abandoned.exists()
    assert fresh.exists() and other_file.exists() and not_ours.exists() and held.exists()


def test_a_save_killed_outright_leaves_a_temporary_that_the_next_save_removes(tmp_path):
    """``kill -9`` in the middle of a save (here: while it syncs), as the issue's 150 kills did."""
    path = tmp_path / "run.json"
    script = (
        "import os, sys\n"
        "from nngui.engine import Experiment\n"
        "from nngui.files import experiment_io, guards as files\n"
        "def hang(descriptor):\n"
        "    print('writing', flush=True)\n"
        "    sys.stdin.read()\n"  # waits for ever: the parent kills it here
        "files.os.fsync = hang\n"
        f"experiment_io.save({str(path)!r}, Experiment())\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline() == "writing\n"
        child.kill()
    finally:
        child.wait(timeout=60)
        child.stdin.close()
        child.stdout.close()
    leftovers = [name for name in entries(tmp_path) if files.TEMPORARY.fullmatch(name)]
    assert len(leftovers) == 1 and not path.exists()
    # its lock ended with it: a save a few seconds later (not ten minutes) cleans it up
    then = time.time() - files.ABANDONED_AFTER_S - 1
    os.utime(tmp_path / leftovers[0], (then, then))
    experiment_io.save(path, Experiment())
    assert entries(tmp_path) == ["run.json"]


def test_read_each_reports_a_bad_file_beside_the_good_ones_and_read_all_raises_naming_it(tmp_path):
    experiment_io.save(tmp_path / "b-good.json", Experiment(seed=2))
    (tmp_path / "a-broken.json").write_text('{"format": "nngui-experiment", "version": 9}')
    (tmp_path / "notes.txt").write_text("not a preset")
    found = files.read_each(tmp_path, experiment_io.read)
    assert [path.name for path, _ in found] == ["a-broken.json", "b-good.json"]
    assert isinstance(found[0][1], ExperimentError) and "a-broken.json: version:" in str(found[0][1])
    assert found[1][1].experiment == Experiment(seed=2)
    with pytest.raises(ExperimentError, match=r"a-broken\.json: version:"):
        files.read_all(tmp_path, experiment_io.read)
    (tmp_path / "a-broken.json").unlink()
    assert files.read_all(tmp_path, experiment_io.read) == {"b-good": found[1][1]}


def test_a_checked_read_names_the_file_before_the_parsers_field(tmp_path):
    path = tmp_path / "run.json"
    path.write_text("{}")

    def parse(content):
        assert content == b"{}"
        raise ExperimentError("seed", "must be a whole number")

    with pytest.raises(ExperimentError) as caught:
        files.read_checked(path, parse, 100)
    assert str(caught.value) == f"{path}: seed: must be a whole number"
