"""Hostile values in the settings file: each bad one is ignored with one line on stderr, the window always opens (issue 18)."""

from __future__ import annotations

import pytest

from nngui.gui.files import session
from nngui.gui.files.settings_store import SettingsStore
from nngui.model import DEFAULT_PACE


def settings_file(folder, lines):
    path = folder / "nngui" / "nngui.conf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(lines, encoding="utf-8")
    assert session.default_settings_path() == str(path)
    return path


HOSTILE = [
    ("[view]\npace=\u00b2\n", "view/pace"),                # a superscript two: isdigit() is true, int() refuses it
    ("[view]\npace=\u0663\n", "view/pace"),                # an Arabic-Indic three: int() takes it, the window never wrote it
    ("[view]\npace=" + "9" * 5000 + "\n", "view/pace"),    # past Python's int-string limit
    ("[view]\npace=-30\n", "view/pace"),
    ("[view]\npace=30.0\n", "view/pace"),
    ("[view]\npace=\" 30\"\n", "view/pace"),
    ("[view]\npace=@ByteArray(30)\n", "view/pace"),        # bytes where text belongs
    ("[view]\npace=1e3\n", "view/pace"),
    ("[view]\nprojector=yes\n", "view/projector"),
    ("[view]\ndark=\u0031\u0301\n", "view/dark"),
    ("[window]\ngeometry=a few words\n", "window/geometry"),  # text where bytes belong
]


@pytest.mark.parametrize("content, key", HOSTILE)
def test_a_bad_value_is_ignored_with_one_line_and_the_window_opens(new_window, isolated_settings, capsys,
                                                                   close_window, content, key):
    path = settings_file(isolated_settings, content)
    window = new_window()
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"nngui: ignoring {key}=") and str(path) in lines[0]
    assert len(lines[0]) < 400  # a 5,000-digit value is cut
    assert window.model.pace == DEFAULT_PACE
    assert not window.projector.on
    close_window(window)


@pytest.mark.parametrize("content", [
    "[view]\npace=\n",                                  # empty: as if not there, nothing to say
    "[files]\ndirectory=\\0\\x1b[2J\nrecent=\"\\0\\n\\n/\\x1b[2J\\n\"\n",   # NUL, escapes, empty lines
    "[session]\nexperiment=\"{\\\"version\\\": 99}\"\n",  # read only on Restore last session, which says so
    "[window]\ngeometry=@ByteArray(\\0\\0\\0\\0\\xff\\xff)\n",  # bytes Qt refuses: the first launch's size
])
def test_odd_values_elsewhere_open_the_window_quietly(new_window, isolated_settings, capsys, close_window, content):
    settings_file(isolated_settings, content)
    window = new_window()
    assert capsys.readouterr().err == ""
    assert window.model.pace == DEFAULT_PACE
    close_window(window)


@pytest.mark.parametrize("text, pace", [("1", 1), ("30", 30), ("1000", 1000), ("max", None)])
def test_the_paces_the_window_writes_are_read_back(tmp_path, text, pace):
    path = tmp_path / "nngui.conf"
    path.write_text(f"[view]\npace={text}\n")
    notes = []
    assert session.read_pace(SettingsStore(path, note=notes.append), "view/pace") == pace
    assert notes == []


def test_each_ignored_value_is_said_once(tmp_path):
    path = tmp_path / "nngui.conf"
    path.write_text("[view]\npace=\u00b2\nprojector=maybe\n")
    notes = []
    store = SettingsStore(path, note=notes.append)
    for _ in range(3):
        assert session.read_pace(store, "view/pace") == DEFAULT_PACE
        assert store.flag("view/projector") is False
    assert notes == [f"ignoring view/pace=\u00b2 in the settings file {path}: expected one of 1, 5, 10, 30, 100, 1000, max",
                     f"ignoring view/projector=maybe in the settings file {path}: expected one of true, false"]
    assert store.problem is None  # the rest of the file is read
