"""File ▸ Open and Save with files that are not what they seem (issue 8, items 2, 4, 7 and 10 in the window)."""

import json
import os
import stat

import pytest

from nngui.engine import Experiment
from nngui.files.experiment_io import TOP_KEYS, VERSION
from nngui.engine.checks import MAX_MESSAGE, shown
from nngui.gui.qt import QtGui, QtWidgets
from nngui.files import experiment_io

FIFO_TIMEOUT_S = 30


@pytest.fixture
def warnings(monkeypatch):
    """The text of every warning box the window shows (instead of showing it)."""
    shown_texts = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda parent, title, text, *rest: shown_texts.append(text))
    return shown_texts


def choose_file(monkeypatch, path):
    """The file dialog answers ``path``, as if the user picked it."""
    for name in ("getOpenFileName", "getSaveFileName"):
        monkeypatch.setattr(QtWidgets.QFileDialog, name, lambda *args, **kwargs: (str(path), ""))


def trigger(window, name):
    """Choose the menu action ``name`` (File ▸ Open is ``openAction``)."""
    action = window.findChild(QtGui.QAction, name)
    assert action is not None, name
    action.trigger()


def what_the_box_shows(text):
    """The words a message box with ``text`` displays (rich text rendered, plain text as it is)."""
    if QtGui.Qt.mightBeRichText(text):
        document = QtGui.QTextDocument()
        document.setHtml(text)
        return document.toPlainText()
    return text


@pytest.mark.timeout(FIFO_TIMEOUT_S)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_file_open_on_a_fifo_says_so_at_once(window, user, tmp_path, monkeypatch, warnings):
    fifo = tmp_path / "lesson.json"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer for ever
    before = window.experiment()
    choose_file(monkeypatch, fifo)
    trigger(window, "openAction")
    assert warnings == [f"{fifo}: cannot read the file: it is a named pipe (FIFO), not a regular file"
                        "\n\nNothing was changed."]
    assert window.experiment() == before


@pytest.mark.parametrize("key", ["k" * 500_000, "a\nb\x1b]0;pwned\x07\x00"])
def test_a_hostile_key_gives_a_short_escaped_box_that_fits_the_screen(qtbot, window, tmp_path, warnings, key):
    data = json.loads(experiment_io.dumps(Experiment()))
    data[key] = 1
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data))
    assert not window.files.open_experiment(path)
    [text] = warnings
    first_line = text.split("\n")[0]
    assert first_line == f"{path}: {shown(key)}: unknown key (expected one of {', '.join(TOP_KEYS[VERSION])})"
    assert len(first_line) <= MAX_MESSAGE and first_line.isprintable()
    # the box the user would see (word wrap is decided when it is shown) fits a 1024×768 projector
    box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Warning, "Cannot open the experiment", text,
                                parent=window)
    box.show()
    qtbot.waitExposed(box)
    assert box.width() <= 1024 and box.height() <= 768, box.size()
    box.close()
    box.deleteLater()


def test_a_key_that_looks_like_html_is_shown_as_written(window, tmp_path, warnings):
    key = '<img src="/usr/share/icons/x.png"><b>bold</b>'
    data = json.loads(experiment_io.dumps(Experiment()))
    data[key] = 1
    path = tmp_path / "html.json"
    path.write_text(json.dumps(data))
    assert not window.files.open_experiment(path)
    assert f"{path}: {key}: unknown key" in what_the_box_shows(warnings[0])


def test_the_status_bar_names_an_opened_file_escaped(window, tmp_path):
    path = tmp_path / "run\x1b[31m\n.json"
    experiment_io.save(path, Experiment(seed=3))
    assert window.files.open_experiment(path)
    assert window.statusBar().currentMessage().startswith("Opened run\\x1b[31m\\n.json: ")


def test_file_save_writes_through_a_link_and_refuses_a_device(window, tmp_path, monkeypatch, warnings):
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    choose_file(monkeypatch, link)
    trigger(window, "saveAction")
    assert warnings == [] and link.is_symlink() and experiment_io.load(target) == window.experiment()

    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    choose_file(monkeypatch, fifo)
    trigger(window, "saveAction")
    assert warnings == [f"{fifo}: cannot write the file: it is a named pipe (FIFO); only a regular file is "
                        "ever replaced"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
