"""Ctrl-C while ``nngui export`` draws: stopped between drawing steps, never inside Qt's or pyqtgraph's code (issue 18)."""

from __future__ import annotations

import os
import signal

import pytest

from nngui.cli import console
from nngui.engine import Experiment, Race
from nngui.gui.files import export_pack
from nngui.gui.plots.plots import LossPlot


@pytest.fixture
def ctrl_c_as_export_has_it():
    """SIGINT handled as inside ``nngui export`` (``console.run``); pytest's own handler given back after."""
    previous = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # a background job inherits it ignored: as a terminal gives it
    console.catch_interrupts()
    try:
        with console.unwinding_interrupts():
            yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.fixture
def race():
    race = Race(Experiment(epochs=2))
    race.run(2)
    return race


def test_ctrl_c_inside_a_views_resize_stops_the_export_between_steps(race, tmp_path, monkeypatch, capfd,
                                                                      ctrl_c_as_export_has_it):
    sent = []
    resize = LossPlot.resizeEvent

    def resize_and_interrupt(self, event):
        # Ctrl-C lands while Qt runs pyqtgraph's own Python override (the SIGSEGV was here)
        if not sent:
            sent.append(True)
            os.kill(os.getpid(), signal.SIGINT)
        resize(self, event)
        sent.append("resize finished")

    monkeypatch.setattr(LossPlot, "resizeEvent", resize_and_interrupt)
    with pytest.raises(KeyboardInterrupt):
        with console.interrupts_between_steps():
            export_pack.draw_pack(race, tmp_path)
    assert sent[:2] == [True, "resize finished"]  # the override ran to its end
    assert "KeyboardInterrupt" not in capfd.readouterr().err  # nothing "ignored" by PySide on the way
    assert not (tmp_path / "accuracy.png").exists()  # stopped at the next step, not after the pack
    # a second Ctrl-C now ends the process at once, as everywhere while a command unwinds
    assert signal.getsignal(signal.SIGINT) is console.exit_now


def test_without_ctrl_c_the_pack_is_whole_and_ctrl_c_raises_again_after(race, tmp_path, ctrl_c_as_export_has_it):
    folder = tmp_path / "pack"
    folder.mkdir()
    with console.interrupts_between_steps():
        written = export_pack.draw_pack(race, folder)
    assert sorted(path.name for path in written) == sorted(path.name for path in folder.iterdir())
    assert signal.getsignal(signal.SIGINT) is console._first_interrupt
