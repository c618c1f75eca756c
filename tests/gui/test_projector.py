"""Projector mode: larger text, thicker curves, larger points; off restores the exact normal look."""

from __future__ import annotations

from nngui.gui import projector
from nngui.gui.qt import QtGui, QtWidgets


def _action(window, name):
    action = window.findChild(QtGui.QAction, name)
    assert action is not None, f"no action named {name!r}"
    return action


def _point_sizes(scatter):
    """The size of every point (a uniform size is kept once, in the item's options)."""
    sizes = scatter.data["size"]
    return set(float(s) if s >= 0 else float(scatter.opts["size"]) for s in sizes)


def _look(window):
    """Everything projector mode changes, as plain numbers."""
    runs = len(window.experiment().runs)
    widths = {(plot.objectName(), index, role): plot.run_curve(index, role).opts["pen"].widthF()
              for plot in window.plots() for index in range(runs)
              for role in (("lr",) if plot is window.learning_rate_plot else ("train", "test"))}
    return {
        "app_font": QtWidgets.QApplication.font().pointSizeF(),
        "status_font": window.status_label.font().pointSizeF(),
        "panel_font": window.transport_panel.play_button.font().pointSizeF(),
        "network_font": window.network_view.font().pointSizeF(),
        "tick_font": window.loss_plot.getPlotItem().getAxis("left").style["tickFont"],
        "legend": [entry.font().pointSizeF() for entry in window.run_legend.entries()],
        "title": window.loss_plot.getPlotItem().titleLabel.opts["size"],
        "widths": widths,
        "points": set().union(*(_point_sizes(view.scatter) for view in window.boundary_grid.views())),
        "column": window.control_scroll.minimumWidth(),
    }


def test_the_view_menu_holds_both_actions_with_names_tips_and_keys(window):
    menu = window.menuBar().findChild(QtWidgets.QMenu, "viewMenu")
    assert menu is not None
    assert [a.objectName() for a in menu.actions()][:2] == ["projectorAction", "fullScreenAction"]
    for name, key in (("projectorAction", "F5"), ("fullScreenAction", "F11")):
        action = _action(window, name)
        assert action.isCheckable() and not action.isChecked()
        assert action.shortcut().toString() == key
        assert key in action.toolTip() and action.statusTip() == action.toolTip()
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["File", "Edit", "Training", "Lessons", "View", "Help"]


def test_projector_mode_enlarges_everything_and_off_restores_it_exactly(window, user):
    window.compare_action.trigger()
    user.qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 3)
    user.click("stepButton")
    normal = _look(window)
    assert normal["tick_font"] is None and normal["widths"][("lossPlot", 0, "train")] == 2.0
    assert normal["points"] == {8.0}

    _action(window, "projectorAction").trigger()
    big = _look(window)
    assert _action(window, "projectorAction").isChecked()
    assert big["app_font"] == normal["app_font"] * projector.FONT_SCALE
    for key in ("status_font", "panel_font", "network_font"):
        assert big[key] > normal[key], key
    assert big["tick_font"].pointSizeF() == big["app_font"]
    assert big["title"] == "16.2pt"
    assert all(size == big["app_font"] for size in big["legend"]) and len(big["legend"]) >= 3
    for key, width in normal["widths"].items():
        assert big["widths"][key] == width * projector.LINE_SCALE, key
    assert big["widths"][("lossPlot", 0, "train")] == 3.0
    assert big["points"] == {8.0 * projector.POINT_SCALE}
    # the panels' column widens with its text instead of clipping it
    assert big["column"] > normal["column"]

    _action(window, "projectorAction").trigger()
    assert not _action(window, "projectorAction").isChecked()
    assert _look(window) == normal


def test_new_data_keeps_the_larger_points(window, user, qtbot):
    _action(window, "projectorAction").trigger()
    user.type_into("samplesSpin", "50")
    view = user.find("boundaryView1")
    qtbot.waitUntil(lambda: len(view.scatter.data) == 150)
    assert _point_sizes(view.scatter) == {8.0 * projector.POINT_SCALE}


def test_training_runs_in_projector_mode(window, user, qtbot):
    _action(window, "projectorAction").trigger()
    user.type_into("epochLimitSpin", "0")
    user.click("playButton")
    qtbot.waitUntil(lambda: window.latest is not None and window.latest.epoch >= 50, timeout=20_000)
    user.pause()
    x, y = user.curve("lossPlot")
    assert len(x) >= 50 and len(y) == len(x)
    assert window.loss_plot.run_curve(0, "train").opts["pen"].widthF() == 3.0


def test_closing_gives_the_application_its_font_back_and_the_choice_is_remembered(qtbot, close_window):
    from nngui.gui import MainWindow
    normal = QtWidgets.QApplication.font().pointSizeF()
    first = MainWindow()
    first.show()
    qtbot.waitUntil(lambda: first.data is not None)
    _action(first, "projectorAction").trigger()
    close_window(first)
    assert QtWidgets.QApplication.font().pointSizeF() == normal

    second = MainWindow()
    second.show()
    qtbot.waitUntil(lambda: second.data is not None)
    assert _action(second, "projectorAction").isChecked()
    assert QtWidgets.QApplication.font().pointSizeF() == normal * projector.FONT_SCALE
    # the training settings still start at the chapter's defaults
    assert second.transport_panel.epoch_limit() == 10001
    _action(second, "projectorAction").trigger()
    close_window(second)
    assert QtWidgets.QApplication.font().pointSizeF() == normal


def test_full_screen_action_follows_the_window(window, qtbot):
    action = _action(window, "fullScreenAction")
    action.trigger()
    qtbot.waitUntil(lambda: window.isFullScreen())
    assert action.isChecked()
    window.showNormal()
    qtbot.waitUntil(lambda: not action.isChecked())
    assert not window.isFullScreen()
