"""The Landscape tab in the real window: the engine's paths drawn, computed off the GUI thread, stale answers dropped."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from nngui.engine import CHAPTER_RUNS, Experiment, OptimizerConfig
from nngui.surfaces.landscape import network_landscape
from nngui.gui.training import landscape_worker
from nngui.gui.qt import QtCore
from nngui.gui.plots.run_styles import run_styles

Key = QtCore.Qt.Key
RESULT_MS = 30_000


def compare(window, user):
    """Press Ctrl+K (Compare) and wait for the race of three to be built."""
    user.qtbot.keyClick(window, Key.Key_K, QtCore.Qt.KeyboardModifier.ControlModifier)
    user.qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 3
                         and window.latest.epoch == 0)


def open_tab(window, user):
    """Click the Landscape tab like a user."""
    bar = window.view_tabs.tabBar()
    index = next(i for i in range(bar.count()) if bar.tabText(i) == "Landscape")
    user.qtbot.mouseClick(bar, QtCore.Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert window.view_tabs.currentWidget() is window.landscape_view


def engine_landscape(window, snapshot):
    train = ~window.data.test_mask
    return network_landscape([(run.label, run.trajectory) for run in snapshot.runs], snapshot.runs[0].activation,
                             window.data.X[train], window.data.y[train])


def round_trip(qtbot, view):
    """Wait until everything the landscape thread sent so far has reached the GUI thread.

    A call queued to the worker runs after the computation under way; its answer, queued back,
    arrives after anything that computation sent.
    """
    back = []
    worker = view.computer.worker
    QtCore.QTimer.singleShot(0, worker, lambda: QtCore.QTimer.singleShot(0, view, lambda: back.append(True)))
    qtbot.waitUntil(lambda: back == [True], timeout=RESULT_MS)


@pytest.fixture
def held(monkeypatch):
    """Landscape computations wait inside the worker thread until ``release`` is set."""
    state = {"entered": threading.Event(), "release": threading.Event(), "finished": threading.Event()}
    real = landscape_worker.make_picture

    def waiting(request, cancelled=None):
        state["entered"].set()
        assert state["release"].wait(RESULT_MS / 1000)
        try:
            return real(request, cancelled)
        finally:
            state["finished"].set()

    monkeypatch.setattr(landscape_worker, "make_picture", waiting)
    yield state
    state["release"].set()   # never leave the thread waiting


def test_the_tab_draws_the_engine_s_projection_of_each_run_s_path(window, user):
    compare(window, user)
    stop = user.train(40)
    view = window.landscape_view
    with user.qtbot.waitSignal(view.landscape_ready, timeout=RESULT_MS) as blocker:
        open_tab(window, user)   # paused training: the tab computes by itself when it opens
    picture = blocker.args[0]
    assert picture.epoch == 40 and view.picture is picture
    expected = engine_landscape(window, stop.snapshot)
    np.testing.assert_array_equal(picture.landscape.loss, expected.loss)
    drawn = view.path_data()
    assert len(drawn) == 3
    for (x, y), path in zip(drawn, expected.paths):
        np.testing.assert_array_equal(x, path.coordinates[:, 0])
        np.testing.assert_array_equal(y, path.coordinates[:, 1])
        assert len(x) == 41  # epochs 0 … 40: every epoch kept so far
    styles = run_styles(3)
    for curve, style in zip(view._paths, styles):
        assert curve.opts["pen"].color().name().lower() == style.color.lower()
    # what the plane holds, in words, and the axes named
    assert 0.5 < expected.explained < 1
    words = expected.explained_words()
    assert view.explained.text().startswith(words)
    assert f"{100 * expected.explained:.1f}%" in words or f"{100 * expected.explained:.0f}%" in words
    assert "what you see is a projection" in words
    bottom = view.plot.getPlotItem().getAxis("bottom").labelText
    first = f"{100 * expected.plane.shares[0]:.0f}%"
    assert bottom == f"direction 1 ({first})"
    assert f"Direction 1 holds {first}" in view.explained.text()
    assert "Epoch 40 ·" in view.status.text()
    # the start is marked at the middle of the grid
    x, y = view.start.getData()
    assert (list(x), list(y)) == ([0.0], [0.0])


def test_pausing_with_the_tab_shown_computes_again_and_compute_asks_on_demand(window, user):
    view = window.landscape_view
    with user.qtbot.waitSignal(view.landscape_ready, timeout=RESULT_MS) as blocker:
        open_tab(window, user)
    assert blocker.args[0].epoch == 0
    assert "No run has moved" in view.explained.text()
    with user.qtbot.waitSignal(view.landscape_ready, timeout=RESULT_MS,
                               check_params_cb=lambda picture: picture.epoch == 15):
        user.train(15)
    assert "The plane holds" in view.explained.text()
    button = user.find("landscapeComputeButton")
    assert button.accessibleName() == "landscapeComputeButton" and button.toolTip()
    with user.qtbot.waitSignal(view.landscape_ready, timeout=RESULT_MS) as blocker:
        user.click("landscapeComputeButton")
    assert blocker.args[0].epoch == 15 and blocker.args[0] is not None


def test_the_window_answers_events_while_a_landscape_is_computed(window, user, held, qtbot):
    compare(window, user)
    user.train(20)
    open_tab(window, user)
    qtbot.waitUntil(held["entered"].is_set)   # the worker thread is inside the computation
    seen = {}

    def on_timer():
        # the GUI thread runs this while the worker is still computing (it waits for us)
        seen["during"] = held["entered"].is_set() and not held["finished"].is_set()
        held["release"].set()

    with qtbot.waitSignal(window.landscape_view.landscape_ready, timeout=RESULT_MS) as blocker:
        QtCore.QTimer.singleShot(0, on_timer)
    assert seen == {"during": True}
    assert blocker.args[0].epoch == 20


def test_a_reset_drops_the_landscape_being_computed(window, user, held, qtbot):
    compare(window, user)
    user.train(20)
    view = window.landscape_view
    open_tab(window, user)
    qtbot.waitUntil(held["entered"].is_set)   # the landscape of epoch 20 is under way
    shown = []
    view.landscape_ready.connect(shown.append)
    with qtbot.waitSignal(window.controller.reset_done, timeout=RESULT_MS):
        user.key(Key.Key_R, window)
    assert view.picture is None and view.path_data() == []
    held["release"].set()   # the old computation goes on: its answer must not be shown
    round_trip(qtbot, view)
    assert shown == [] and view.picture is None
    held["entered"].clear()
    with qtbot.waitSignal(view.landscape_ready, timeout=RESULT_MS) as blocker:
        user.click("landscapeComputeButton")
    assert [picture.epoch for picture in shown] == [0]
    assert blocker.args[0].epoch == 0 and view.picture.epoch == 0
    assert all(len(x) == 1 for x, _ in view.path_data())   # the new race's paths: just the start


def test_a_run_that_diverged_keeps_its_path_up_to_where_it_stopped_and_says_so(window, user):
    runs = (CHAPTER_RUNS[0], OptimizerConfig("momentum", 100.0, 0.0, 0.9))
    assert window.apply_experiment(Experiment(book=True, runs=runs))
    user.qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 2)
    stop = user.train(70)
    assert stop.snapshot.runs[1].divergence and not stop.snapshot.runs[0].divergence
    view = window.landscape_view
    with user.qtbot.waitSignal(view.landscape_ready, timeout=RESULT_MS) as blocker:
        open_tab(window, user)
    expected = engine_landscape(window, stop.snapshot)
    (x0, _), (x1, _) = view.path_data()
    np.testing.assert_array_equal(x1, expected.paths[1].coordinates[:, 0])
    assert len(x1) < len(x0)   # it stopped training when it diverged
    assert f"{stop.snapshot.labels[1]} diverged: its path ends where it stopped." in view.explained.text()
    assert blocker.args[0].epoch == 70


def test_projector_mode_draws_the_paths_and_axis_text_larger_and_back(window, user):
    compare(window, user)
    user.train(10)
    view = window.landscape_view
    with user.qtbot.waitSignal(view.landscape_ready, timeout=RESULT_MS):
        open_tab(window, user)
    normal = view._paths[0].opts["pen"].widthF()
    user.key(Key.Key_F5, window)
    assert window.projector.on
    assert view._paths[0].opts["pen"].widthF() > normal
    assert view.start.opts["size"] > 18
    user.key(Key.Key_F5, window)
    assert not window.projector.on
    assert view._paths[0].opts["pen"].widthF() == normal


def test_closing_the_window_mid_computation_ends_the_landscape_thread(qtbot, held, close_window, new_window):
    window = new_window(show=False)
    window.resize(1024, 740)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.data is not None)
    view = window.landscape_view
    window.view_tabs.setCurrentWidget(view)   # the tab opens on paused training: it computes
    qtbot.waitUntil(held["entered"].is_set)
    assert view.computer.thread.isRunning()
    held["release"].set()
    close_window(window)
    assert not view.computer.thread.isRunning()
    window.deleteLater()
