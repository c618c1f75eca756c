"""The settings file never constructs an object; a bad one is ignored with one note (issue 8, items 1 and 2)."""

import os
import shutil

import pytest

from nngui.gui.files import session
from nngui.gui.qt import QtCore, QtGui
from nngui.gui.files.settings_store import SettingsStore, format_ini, parse_ini

FIFO_TIMEOUT_S = 30


class RunsACommand:
    """Pickles to ``os.system(command)``: what an attacker would put in a PyObjectWrapper."""

    def __init__(self, command):
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


def qsettings_file(path, values):
    """Have QSettings itself write ``values`` to ``path`` (an INI file), exactly as PySide writes them."""
    settings = QtCore.QSettings(str(path), QtCore.QSettings.Format.IniFormat)
    for key, value in values.items():
        settings.setValue(key, value)
    settings.sync()
    assert settings.status() == QtCore.QSettings.Status.NoError
    del settings
    return path


@pytest.fixture
def crafted(tmp_path):
    """``(settings file, marker)``: a settings file whose window geometry would run ``touch marker``."""
    marker = tmp_path / "marker"
    path = qsettings_file(tmp_path / "crafted.ini", {
        "window/geometry": RunsACommand(f"touch {marker}"), "view/projector": True})
    assert b"@Variant(" in path.read_bytes() and b"PyObjectWrapper" in path.read_bytes()
    return path, marker


def test_the_crafted_file_really_runs_its_command_when_qsettings_reads_it(crafted, tmp_path):
    # the exploit the issue reports, reproduced on a copy: this is what the app must never do
    path, marker = crafted
    copy = shutil.copy(path, tmp_path / "copy.ini")
    QtCore.QSettings(str(copy), QtCore.QSettings.Format.IniFormat).value("window/geometry")
    assert marker.exists(), "QSettings no longer unpickles: the crafted file proves nothing"


def install(source, isolated_settings):
    target = isolated_settings / "nngui" / "nngui.conf"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)
    assert session.default_settings_path() == str(target)
    return target


def test_a_crafted_settings_file_never_runs_and_the_window_opens(qtbot, crafted, isolated_settings, capsys,
                                                                  close_window, new_window):
    path, marker = crafted
    installed = install(path, isolated_settings)
    window = new_window(show=False)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.data is not None)
    assert not marker.exists()
    note = capsys.readouterr().err
    assert note == (f"nngui: ignoring the settings file {installed}: window/geometry holds @Variant(…), "
                    "a serialized object, which nngui never reads\n")
    # the whole file is ignored: not even its harmless projector flag is taken
    assert not window.findChild(QtGui.QAction, "projectorAction").isChecked()
    assert "ignoring the settings file" in window.statusBar().currentMessage()
    close_window(window)
    # closing writes clean settings over it: plain values only, the command gone
    text = installed.read_text()
    assert "@Variant" not in text and "PyObjectWrapper" not in text and "geometry=" in text
    assert not marker.exists()


@pytest.mark.parametrize("line", [
    "other=@Variant(\\0\\0\\0\\x7f\\0\\0\\0\\x18PySide::PyObjectWrapper\\0\\0\\0\\0\\0)",  # a key nngui never reads
    "list=a, @Variant(\\0\\0\\0\\n\\0\\0\\0\\0)",  # hidden in a list
    "when=@DateTime(\\0\\0\\0\\x10\\0)",
    "place=@Rect(0 0 10 10)",
])
def test_any_typed_value_anywhere_refuses_the_file(tmp_path, line):
    path = tmp_path / "nngui.conf"
    path.write_text(f"[view]\nprojector=true\n\n[extra]\n{line}\n")
    notes = []
    store = SettingsStore(path, note=notes.append)
    assert not store.flag("view/projector")
    assert len(notes) == 1 and "a serialized object, which nngui never reads" in notes[0]
    assert store.problem == notes[0]


@pytest.mark.parametrize("content, problem", [
    (b"[window]\ngeometry=\"@ByteArray(\\q)\"\n", "line 2: unknown escape \\q"),
    (b"[window]\ngeometry=\"unclosed\n", "line 2: a quoted value does not end"),
    (b"[window\n", "line 1: a section name must end with ]"),
    (b"just words\n", "line 1: expected key=value"),
    (b"[files]\ndirectory=\xff\n", "the file is not UTF-8 text (byte 18)"),
    (b"x" * 1_000_001, "the file is larger than 1 MB"),
])
def test_a_corrupt_file_is_ignored_with_one_note(tmp_path, content, problem):
    path = tmp_path / "nngui.conf"
    path.write_bytes(content)
    notes = []
    store = SettingsStore(path, note=notes.append)
    assert store.value("window/geometry") is None and store.text("files/directory") == ""
    assert notes == [f"ignoring the settings file {path}: {problem}"]


@pytest.mark.timeout(FIFO_TIMEOUT_S)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_as_settings_file_is_refused_at_once_and_the_window_opens(qtbot, isolated_settings, capsys,
                                                                        close_window, new_window):
    fifo = isolated_settings / "nngui" / "nngui.conf"
    fifo.parent.mkdir()
    os.mkfifo(fifo)  # QSettings would wait here for a writer for ever
    window = new_window(show=False)
    window.show()
    qtbot.waitUntil(lambda: window.data is not None)
    assert capsys.readouterr().err == (f"nngui: ignoring the settings file {fifo}: cannot read the file: it is a "
                                       "named pipe (FIFO), not a regular file\n")
    close_window(window)
    # nor is the FIFO replaced on closing: one note says the settings could not be saved
    assert not fifo.is_file() and fifo.exists()
    assert "cannot save the settings" in capsys.readouterr().err


def test_plain_values_qsettings_wrote_are_read_unchanged(tmp_path):
    session_text = '{\n  "title": "a, b = c; \\\\ \\"q\\" é\t",\n  "x": "@at"\n}\n'
    values = {
        "window/geometry": QtCore.QByteArray(bytes(range(256)) + b"0a\x00123"),
        "session/experiment": session_text,
        "files/directory": " /home/x y/é,=; ",
        "view/projector": True,
        "other/at": "@not a variant",
        "top": "level",
    }
    store = SettingsStore(qsettings_file(tmp_path / "s.ini", values), note=pytest.fail)
    assert store.data("window/geometry") == bytes(range(256)) + b"0a\x00123"
    assert store.text("session/experiment") == session_text
    assert store.text("files/directory") == " /home/x y/é,=; "
    assert store.flag("view/projector") is True
    assert store.text("other/at") == "@not a variant"
    assert store.text("top") == "level"


def test_what_the_store_writes_is_what_qsettings_writes(tmp_path):
    values = {"window/geometry": bytes(range(256)) + b"0a\x00123", "session/experiment": 'a\n"b", c\x01d',
              "files/directory": " /x y/é ", "view/projector": "true", "other/at": "@x", "top": "level"}
    ours = tmp_path / "ours.ini"
    ours.write_text(format_ini(values))
    theirs = qsettings_file(tmp_path / "theirs.ini", {
        key: QtCore.QByteArray(value) if isinstance(value, bytes) else value for key, value in values.items()})
    assert ours.read_text() == theirs.read_text()
    assert parse_ini(ours.read_bytes()) == values


def test_changes_are_written_at_once_and_merged_with_another_windows(tmp_path):
    path = tmp_path / "nngui" / "nngui.conf"
    first, second = SettingsStore(path, note=pytest.fail), SettingsStore(path, note=pytest.fail)
    first.update({"view/projector": True, "window/geometry": b"\x01\x02"})
    second.setValue("files/directory", "/data")
    again = SettingsStore(path, note=pytest.fail)
    assert again.flag("view/projector") and again.data("window/geometry") == b"\x01\x02"
    assert again.text("files/directory") == "/data"
    again.remove("view/projector")
    assert not SettingsStore(path).flag("view/projector", default=False)
    with pytest.raises(TypeError):
        again.setValue("view/object", RunsACommand("true"))  # only plain values are ever stored
