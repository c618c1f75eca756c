"""Projector mode: full screen, every font ≥ 1.6×, thicker curves, larger points, high contrast, the
controls folded away; leaving it gives back exactly the look before."""

from __future__ import annotations

import pytest

from nngui.gui.maps.boundary_grid import title_point_size

from nngui.gui.maps.boundary_view import point_diameter
from nngui.gui.window import projector, themes
from nngui.gui.qt import QtCore, QtGui, QtWidgets, pg

Key = QtCore.Qt.Key


def _action(window, name):
    action = window.findChild(QtGui.QAction, name)
    assert action is not None, f"no action named {name!r}"
    return action


def _point_sizes(scatter):
    """The size of every point (a uniform size is kept once, in the item's options)."""
    sizes = scatter.data["size"]
    return set(float(s) if s >= 0 else float(scatter.opts["size"]) for s in sizes)


def _tick_size(plot, side):
    font = plot.getPlotItem().getAxis(side).style["tickFont"]
    return (font or plot.font()).pointSizeF()


def _fonts(window):
    """The point size of every kind of text a class reads, by what it is."""
    loss = window.loss_plot.getPlotItem()
    title = window.findChild(QtWidgets.QWidget, "boundaryTitle1")
    network_panel_label = window.network_panel.findChildren(QtWidgets.QLabel)[0]
    return {
        "status line": window.status_label.font().pointSizeF(),
        "status bar": window.statusBar().font().pointSizeF(),
        "panel button": window.transport_panel.play_button.font().pointSizeF(),
        "panel text": network_panel_label.font().pointSizeF(),
        "y axis label": loss.getAxis("left").label.font().pointSizeF(),
        "x axis label": window.learning_rate_plot.getPlotItem().getAxis("bottom").label.font().pointSizeF(),
        "tick labels": min(_tick_size(plot, side) for plot in window.plots() for side in ("left", "bottom")),
        "map tick labels": min(_tick_size(view, side) for view in window.boundary_grid.views()
                               for side in ("left", "bottom")),
        "legend": min(entry.font().pointSizeF() for entry in window.run_legend.entries()),
        "map captions": title.font().pointSizeF(),
        "network caption": window.network_view._small_font().pointSizeF(),
        "banner": window.message_banner.font().pointSizeF(),
    }


def _look(window):
    """Everything projector mode may change, as plain values."""
    runs = len(window.experiment().runs)
    curves = {(plot.objectName(), index, role): (plot.run_curve(index, role).opts["pen"].widthF(),
                                                 plot.run_curve(index, role).opts["pen"].color().name())
              for plot in window.plots() for index in range(runs)
              for role in (("lr", "planned") if plot is window.learning_rate_plot else ("train", "test"))}
    app = QtWidgets.QApplication.instance()
    palette = app.palette()
    roles = QtGui.QPalette.ColorRole
    return {
        "fonts": _fonts(window),
        "app font": app.font().toString(),
        "palette": [palette.color(role).name() for role in (roles.Window, roles.WindowText, roles.Base,
                                                            roles.Button, roles.Highlight)],
        "style sheet": app.styleSheet(),
        "theme": themes.current().name,
        "curves": curves,
        "plot backgrounds": [plot.backgroundBrush().color().name() for plot in window.findChildren(pg.PlotWidget)],
        "axis pens": [plot.getPlotItem().getAxis("left").pen().color().name() for plot in window.plots()],
        "titles": [plot.getPlotItem().titleLabel.isVisible() for plot in window.plots()],
        "epoch labels": [plot.getPlotItem().getAxis("bottom").label.isVisible() for plot in window.plots()],
        "points": set().union(*(_point_sizes(view.scatter) for view in window.boundary_grid.views())),
        "point scales": {view.point_scale for view in window.boundary_grid.views()},
        "points sized to their maps": all(
            _point_sizes(view.scatter) == {point_diameter(min(view.data_pixels()), view.point_scale)}
            for view in window.boundary_grid.views()),
        "point colours": sorted({b.color().name() for view in window.boundary_grid.views()
                                 for b in view.scatter.data["brush"]}),
        "network": (window.network_view.palette().color(QtGui.QPalette.ColorRole.Window).name(),
                    window.network_view.caption()),
        "banner": window.message_banner.styleSheet(),
        "shown": {name: window.findChild(QtWidgets.QWidget, name).isVisible()
                  for name in ("controlScroll", "raceToolBar", "projectorBar")},
        "menu bar": window.menuBar().isVisible(),
        "state": int(window.windowState().value),
        "geometry": window.geometry().getRect(),
        "splitters": {s.objectName(): s.sizes() for s in window.findChildren(QtWidgets.QSplitter) if s.isVisible()},
        "status": (window.status_label.wordWrap(), window.status_label.minimumHeight(),
                   window.status_label.maximumHeight()),
        "column": window.control_scroll.minimumWidth(),
    }


@pytest.fixture
def race(window, user, qtbot):
    """The chapter's three-run race (Ctrl+K), one epoch trained."""
    qtbot.keyClick(window, Key.Key_K, QtCore.Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 3)
    user.click("stepButton")
    qtbot.waitUntil(lambda: window.latest.epoch == 1)
    return window


def _same_look(after, before, window):
    """``after == before``; where the test screen (800 pixels) is narrower than the window's least width,
    the window started narrower than it may be and comes back at its least width: that part aside."""
    if before["geometry"][2] < window.minimumSizeHint().width():
        after, before = dict(after), dict(before)
        for look in (after, before):
            look.pop("geometry")
            look["splitters"] = {k: v for k, v in look["splitters"].items() if k != "stageSplitter"}
    assert after == before


def test_the_view_menu_holds_the_looks_with_names_tips_and_keys(window):
    menu = window.menuBar().findChild(QtWidgets.QMenu, "viewMenu")
    assert menu is not None
    assert [a.objectName() for a in menu.actions()][:3] == ["projectorAction", "fullScreenAction",
                                                            "darkThemeAction"]
    for name, key in (("projectorAction", "F5"), ("fullScreenAction", "F11"), ("darkThemeAction", "")):
        action = _action(window, name)
        assert action.isCheckable() and not action.isChecked()
        assert action.shortcut().toString() == key
        assert action.toolTip() and action.statusTip() == action.toolTip()
        if key:
            assert key in action.toolTip()
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["File", "Edit", "Training", "Lessons", "View", "Help"]


def test_projector_mode_scales_every_font_by_at_least_1_6_and_off_restores_everything_exactly(race, user, qtbot):
    window = race
    window.show_message("a warning")
    normal = _look(window)
    assert normal["curves"][("lossPlot", 0, "train")][0] == 2.0 and normal["point scales"] == {1.0}
    assert normal["points sized to their maps"]
    assert normal["shown"] == {"controlScroll": True, "raceToolBar": True, "projectorBar": False}

    qtbot.keyClick(window, Key.Key_F5)
    qtbot.waitUntil(lambda: window.isFullScreen())
    big = _look(window)
    assert _action(window, "projectorAction").isChecked()
    for what, size in normal["fonts"].items():
        if what == "map captions":
            # the maps' titles, larger than the text already (12 pt), grow to 15 pt, the status line's size:
            # three names fit their maps at 1024 pixels
            assert big["fonts"][what] == pytest.approx(title_point_size(projector.FONT_SCALE))
            assert big["fonts"][what] > size
            assert big["fonts"][what] >= max(big["fonts"].values()) - 0.6 * size
            continue
        if what == "banner":
            # a warning is the teacher's more than the class's (the status line says "diverged"): at the
            # projector bar's size it keeps to two lines, and the maps and plots their room
            assert big["fonts"][what] == pytest.approx(projector.BAR_FONT_SCALE * size)
            continue
        assert big["fonts"][what] >= projector.FONT_SCALE * size - 1e-9, what
    for key, (width, _color) in normal["curves"].items():
        assert big["curves"][key][0] == width * projector.LINE_SCALE, key
    assert big["point scales"] == {projector.POINT_SCALE} and big["points sized to their maps"]
    # the controls fold away: the plots get the room, the bar keeps Play, Step, Reset
    assert big["shown"] == {"controlScroll": False, "raceToolBar": False, "projectorBar": True}
    assert not big["menu bar"]
    assert big["theme"] == "high contrast" and big["palette"][0] == QtGui.QColor(themes.HIGH_CONTRAST.window).name()
    assert set(big["plot backgrounds"]) == {QtGui.QColor(themes.HIGH_CONTRAST.plot_background).name()}
    assert set(big["axis pens"]) == {QtGui.QColor(themes.HIGH_CONTRAST.plot_foreground).name()}
    # one line (cut with "…" where longer), at the larger font
    assert not big["status"][0] and big["status"][1] == big["status"][2] > normal["status"][1]
    assert big["banner"] != normal["banner"]
    # the bar's buttons, and the look-back slider lent to it, are the teacher's: 1.25×, a low bar
    bar, timeline = window.projector.bar, window.findChild(QtWidgets.QWidget, "timelineLabel")
    app_size = normal["fonts"]["panel text"]
    for widget in (bar.leave_button, bar.pace_label, timeline):
        assert widget.font().pointSizeF() == pytest.approx(projector.BAR_FONT_SCALE * app_size), widget.objectName()
    assert bar.height() < window.transport_panel.play_button.height() + 12

    qtbot.keyClick(window, Key.Key_F5)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert not _action(window, "projectorAction").isChecked()
    _same_look(_look(window), normal, window)
    assert timeline.font().pointSizeF() == pytest.approx(app_size)   # back under the views, at their size


def test_the_bar_plays_and_shows_the_controls_and_esc_leaves(race, user, qtbot):
    window = race
    before = _look(window)
    _action(window, "projectorAction").trigger()
    bar = user.find("projectorBar")
    assert bar.isVisible() and not user.find("controlScroll").isVisible()
    for name in ("projectorPlayButton", "projectorStepButton", "projectorResetButton", "controlsButton",
                 "leaveProjectorButton"):
        button = user.find(name)
        assert button.isVisible() and button.toolTip() and button.accessibleName() == name
    user.click("projectorStepButton")
    qtbot.waitUntil(lambda: window.latest.epoch == 2)
    full = window.geometry()
    user.click("controlsButton")
    assert user.find("controlScroll").isVisible() and user.find("learningRateSpin").isVisible()
    # with the column shown the window still fits a 1024-pixel projector, and keeps the screen where it can
    least = window.minimumSizeHint().width()
    assert least <= 1024
    if least <= full.width():
        assert window.geometry() == full
    # the column fits beside the maps: the plots step aside meanwhile, nothing is pushed off the screen
    assert not user.find("lossPlot").isVisible() and user.find("boundaryView1").isVisible()
    assert window.centralWidget().geometry().right() <= window.geometry().width()
    user.click("controlsButton")
    assert not user.find("controlScroll").isVisible() and user.find("lossPlot").isVisible()
    qtbot.keyClick(window, Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert not window.projector.on and not bar.isVisible()
    _same_look(_look(window), before, window)


def _text_rects(axis):
    """The rectangles of the tick labels ``axis`` draws now."""
    image = QtGui.QImage(10, 10, QtGui.QImage.Format.Format_ARGB32)
    painter = QtGui.QPainter(image)
    font = axis.style["tickFont"]
    if font is not None:
        painter.setFont(font)
    specs = axis.generateDrawSpecs(painter)
    painter.end()
    return [rect for rect, _flags, _text in specs[2]] if specs else []


def _laid_out(window):
    """Whether the layouts have placed every view at the window's present size: none is waiting to be
    laid out, and each plot's and map's drawing fills its widget."""
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.LayoutRequest)
    plots = [view for view in window.plots() if view.isVisible()]
    maps = [view for view in window.boundary_grid.views() if view.isVisible()]
    # a plot's drawing fills its widget; a map's (equal units on both axes) stands inside its widget
    return bool(plots) and all(view.centralWidget.geometry() == QtCore.QRectF(view.viewport().rect())
                               for view in plots) and all(
        QtCore.QRectF(view.viewport().rect()).contains(view.centralWidget.geometry()) for view in maps)


def at_projector_size(window, qtbot):
    """Projector mode on a 1024×768 projector: the test screen (800×800) is taken first, as a screen
    without a window manager is, then the window is made the projector's size and laid out."""
    qtbot.waitUntil(lambda: window.geometry() == window.screen().geometry())
    window.setWindowState(QtCore.Qt.WindowState.WindowNoState)   # a full-screen window keeps the screen's size
    window.resize(1024, 768)
    qtbot.waitUntil(lambda: window.size() == QtCore.QSize(1024, 768) and _laid_out(window))


def _overlaps(rects):
    return [(a, b) for i, a in enumerate(rects) for b in rects[i + 1:] if a.intersects(b)]


def test_tick_labels_never_collide_in_projector_mode_at_1024x768(race, user, qtbot):
    window = race
    user.train(1500)
    _action(window, "projectorAction").trigger()
    at_projector_size(window, qtbot)
    axes = [(plot.objectName(), side, plot.getPlotItem().getAxis(side))
            for plot in [*window.plots(), *window.boundary_grid.views()] if plot.isVisible()
            for side in ("left", "bottom")]
    # the race's maps are framed pictures there: the plots' axes are the ones with numbers
    shown = [(name, side, axis) for name, side, axis in axes if axis.isVisible()]
    assert {name for name, _side, _axis in shown} == {"lossPlot"}
    for name, side, axis in shown:
        rects = _text_rects(axis)
        assert len(rects) >= 2 or side == "left", (name, side, len(rects))
        assert not _overlaps(rects), (name, side)
    _action(window, "projectorAction").trigger()


def test_new_data_keeps_the_larger_points_and_the_theme(window, user, qtbot):
    _action(window, "projectorAction").trigger()
    user.click("controlsButton")
    user.type_into("samplesSpin", "50")
    view = user.find("boundaryView1")
    qtbot.waitUntil(lambda: len(view.scatter.data) == 150)
    sizes = _point_sizes(view.scatter)
    # (one size for all; resized when the map's size moves it by more than 0.05 px)
    assert len(sizes) == 1 and sizes.pop() == pytest.approx(point_diameter(min(view.data_pixels()),
                                                                           projector.POINT_SCALE), abs=0.05)
    assert {b.color().name() for b in view.scatter.data["brush"]} == {
        QtGui.QColor(c).name() for c in themes.HIGH_CONTRAST.class_colors[:3]}


def test_training_runs_in_projector_mode(window, user, qtbot):
    _action(window, "projectorAction").trigger()
    user.click("controlsButton")
    user.type_into("epochLimitSpin", "0")
    user.click("projectorPlayButton")
    qtbot.waitUntil(lambda: window.latest is not None and window.latest.epoch >= 50, timeout=20_000)
    user.pause()
    x, y = user.curve("lossPlot")
    assert len(x) >= 50 and len(y) == len(x)
    assert window.loss_plot.run_curve(0, "train").opts["pen"].widthF() == 3.0


def test_closing_gives_the_application_its_font_and_look_back_and_the_choice_is_remembered(qtbot, close_window,
                                                                                           new_window):
    app = QtWidgets.QApplication.instance()
    normal, palette = app.font().pointSizeF(), app.palette().color(QtGui.QPalette.ColorRole.Window).name()
    first = new_window(show=False)
    first.show()
    qtbot.waitUntil(lambda: first.data is not None)
    _action(first, "projectorAction").trigger()
    close_window(first)
    assert app.font().pointSizeF() == normal
    assert app.palette().color(QtGui.QPalette.ColorRole.Window).name() == palette
    assert themes.current() is themes.LIGHT

    second = new_window(show=False)
    second.show()
    qtbot.waitUntil(lambda: second.data is not None)
    assert _action(second, "projectorAction").isChecked() and second.isFullScreen()
    assert app.font().pointSizeF() == normal * projector.FONT_SCALE
    # the training settings still start at the chapter's defaults
    assert second.transport_panel.epoch_limit() == 10001
    _action(second, "projectorAction").trigger()
    close_window(second)
    assert app.font().pointSizeF() == normal


def test_full_screen_action_follows_the_window_and_esc_leaves_it(window, qtbot):
    action = _action(window, "fullScreenAction")
    action.trigger()
    qtbot.waitUntil(lambda: window.isFullScreen())
    assert action.isChecked()
    qtbot.keyClick(window, Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert not action.isChecked()
    action.trigger()
    qtbot.waitUntil(lambda: window.isFullScreen())
    window.showNormal()
    qtbot.waitUntil(lambda: not action.isChecked())


def test_in_projector_mode_no_legend_entry_or_map_title_is_cut(race, user, qtbot):
    window = race
    _action(window, "projectorAction").trigger()
    at_projector_size(window, qtbot)
    legend = window.run_legend
    # the legend strip names every run in full
    assert [entry.is_elided() for entry in legend.entries()] == [False] * len(legend.entries())
    # each map's title names its run in full on its first line, the accuracy on the second, every
    # title as tall as the others (the maps stand level)
    titles = [window.findChild(QtWidgets.QWidget, f"boundaryTitle{i}") for i in (1, 2, 3)]
    for title, label in zip(titles, window.experiment().labels):
        shown = title.shown_text()
        assert not title.is_elided() and "…" not in shown
        assert shown.split("\n") == [label, title.text().rsplit(" · ", 1)[1]]
        assert title.height() == titles[0].height()
    # the legend sits above the plots, never over them
    plots_top = min(plot.mapTo(window, QtCore.QPoint(0, 0)).y() for plot in window.plots())
    assert legend.mapTo(window, QtCore.QPoint(0, legend.height())).y() <= plots_top


def test_a_race_in_projector_mode_gives_the_maps_the_drawings_room_and_the_bar_the_slider(race, user, qtbot):
    window = race
    slider_bar = user.find("timelineBar")
    # (a window as short as this one gives a race's maps the drawing's room in the normal look too)
    drawing = window.network_view.isVisible()
    assert slider_bar.parentWidget() is not user.find("projectorBar")
    _action(window, "projectorAction").trigger()
    qtbot.waitUntil(lambda: window.isFullScreen())
    # the look-back slider rides in the projector bar, still at hand; a race's maps take the drawing's room
    assert slider_bar.parentWidget() is user.find("projectorBar") and user.find("timelineSlider").isVisible()
    assert not window.network_view.isVisible()
    _action(window, "projectorAction").trigger()
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert slider_bar.parentWidget() is not user.find("projectorBar") and slider_bar.isVisible()
    assert window.network_view.isVisible() == drawing


def test_a_race_in_projector_mode_shows_the_loss_plot_alone_and_the_bar_shows_the_others_on_request(race, user, qtbot):
    window = race
    before = _look(window)
    _action(window, "projectorAction").trigger()
    qtbot.waitUntil(lambda: window.isFullScreen())
    button = user.find("allPlotsButton")
    # the bar says the other plots stepped aside, and its button shows them
    assert button.isVisible() and button.isCheckable() and not button.isChecked() and "loss plot alone" in button.toolTip()
    assert window.loss_plot.isVisible()
    assert not window.accuracy_plot.isVisible() and not window.learning_rate_plot.isVisible()
    assert not window.captions.isVisible()
    user.click("allPlotsButton")
    qtbot.waitUntil(lambda: window.accuracy_plot.isVisible() and window.learning_rate_plot.isVisible())
    assert window.captions.isVisible()
    user.click("allPlotsButton")
    qtbot.waitUntil(lambda: not window.accuracy_plot.isVisible())
    _action(window, "projectorAction").trigger()
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert window.accuracy_plot.isVisible() and window.learning_rate_plot.isVisible() and window.captions.isVisible()
    _same_look(_look(window), before, window)
