"""The Loss surface tab, driven through the real window: presets, a click for the start, Play, Step, Reset."""

import numpy as np
import pytest

from nngui.engine import OptimizerConfig
from nngui.surfaces.surface import SURFACES, SurfaceRace
from nngui.surfaces.presets import load_surface_presets
from nngui.gui.qt import QtCore, QtWidgets

PRESETS = load_surface_presets()
Left = QtCore.Qt.MouseButton.LeftButton


@pytest.fixture
def view(window, user):
    """The window with its Loss surface tab chosen by a click on the tab."""
    tabs = user.find("viewTabs", QtWidgets.QTabWidget)
    assert tabs.tabBar().isVisible()
    index = [tabs.tabText(i) for i in range(tabs.count())].index("Loss surface")
    user.qtbot.mouseClick(tabs.tabBar(), Left, pos=tabs.tabBar().tabRect(index).center())
    surface_view = user.find("surfaceView")
    assert tabs.currentWidget() is surface_view
    user.qtbot.waitExposed(surface_view.plot)
    return surface_view


def expected_paths(view, steps):
    """The paths the engine walks for the window's runs from the view's start."""
    experiment = view.model.experiment.experiment
    race = SurfaceRace(view.surface, view.start, experiment.runs, experiment.labels)
    race.run(steps)
    return race.paths()


def drawn_paths(view):
    return [view.plot.path_data(i) for i in range(len(view.race.runs))]


def click_plot(user, view, x, y):
    plot = view.plot
    user.qtbot.mouseClick(plot.viewport(), Left, pos=plot.data_to_widget(x, y))


def test_every_control_has_a_name_an_accessible_name_and_a_tooltip(view):
    controls = view.findChildren(QtWidgets.QComboBox) + view.findChildren(QtWidgets.QAbstractButton)
    assert len(controls) == 6
    for widget in controls + [view.plot, view.notes, view.status]:
        assert widget.objectName() and widget.accessibleName() == widget.objectName()
        assert widget.toolTip().strip(), widget.objectName()
    assert view.window().view_tabs.tabToolTip(1).startswith("Loss surfaces of two weights")


def test_a_click_sets_the_start_and_play_draws_the_engines_paths(view, user):
    user.choose("surfacePresetCombo", PRESETS["momentum-past-local-minimum"].title)
    assert view.model.experiment.experiment.runs == PRESETS["momentum-past-local-minimum"].runs
    assert view.surface is SURFACES["two-minima"] and view.step_limit == 200
    click_plot(user, view, 1.5, -1.2)
    x, y = view.start
    assert x == pytest.approx(1.5, abs=0.03) and y == pytest.approx(-1.2, abs=0.03)
    assert view.plot.start_position() == (x, y)
    user.choose("surfaceSpeedCombo", "200/s")
    user.click("surfacePlayButton")
    assert view.playing and user.find("surfacePlayButton").text() == "Pause"
    user.qtbot.waitUntil(lambda: not view.playing, timeout=20_000)
    assert view.race.steps == 200
    for drawn, engine in zip(drawn_paths(view), expected_paths(view, 200)):
        np.testing.assert_array_equal(drawn, engine)
        assert drawn.shape == (201, 2)
    # from this start too, SGD stays in the local minimum and momentum reaches the global one
    (global_x, _), (local_x, _) = view.surface.minima
    sgd, momentum = (path[-1] for path in drawn_paths(view))
    assert sgd[0] == pytest.approx(local_x, abs=1e-2) and momentum[0] == pytest.approx(global_x, abs=1e-2)
    assert user.find("surfaceStatus").text().startswith("Step 200 of 200 from (1.5")
    assert user.find("surfacePlayButton").text() == "Play"


def test_a_click_outside_the_surface_changes_nothing(view, user):
    before = view.start
    plot = view.plot
    corner = plot.data_to_widget(*view.surface.bounds[0::2])
    user.qtbot.mouseClick(plot.viewport(), Left, pos=corner - QtCore.QPoint(20, -20))
    assert view.start == before


def test_step_and_reset(view, user):
    view.load_preset("decay-settles")
    user.click("surfaceStepButton")
    user.click("surfaceStepButton")
    assert view.race.steps == 2
    for drawn, engine in zip(drawn_paths(view), expected_paths(view, 2)):
        np.testing.assert_array_equal(drawn, engine)
    # SGD at 0.2 across the valley 0.1 x² + 5 y²: y = 3 → 3 − 0.2 · 10 · 3 = −3 → 3
    assert drawn_paths(view)[0][:, 1].tolist() == [3.0, -3.0, 3.0]
    user.click("surfaceResetButton")
    assert view.race.steps == 0
    assert [path.tolist() for path in drawn_paths(view)] == [[[-8.0, 3.0]], [[-8.0, 3.0]]]


def test_editing_a_run_starts_the_paths_again_with_its_new_settings(view, user):
    view.load_preset("decay-settles")
    user.click("surfaceStepButton")
    user.type_into("learningRateSpin", "0.1")
    assert view.model.experiment.experiment.runs[0] == OptimizerConfig("sgd", 0.1, 0.0, 0.0)
    assert view.race.steps == 0 and view.race.runs[0].config.learning_rate == 0.1
    user.click("surfaceStepButton")
    np.testing.assert_array_equal(drawn_paths(view)[0], [[-8.0, 3.0], [-8.0 + 0.1 * 0.2 * 8.0, 0.0]])
    assert "SGD" in user.find("surfaceNotes").text()


def test_a_path_leaving_the_plot_is_cut_with_a_note_and_no_warning(view, user, recwarn):
    # the window's own run, lr 1 with momentum, is far too fast for a surface
    assert view.model.experiment.experiment.runs[0].learning_rate == 1.0
    user.click("surfaceStepButton")
    run = view.race.runs[0]
    assert run.divergence.startswith("left the plot at step 1")
    assert drawn_paths(view)[0].tolist() == [list(view.start)]
    notes = user.find("surfaceNotes").text()
    assert "left the plot at step 1" in notes and "Every path left the plot" in notes
    user.click("surfacePlayButton")   # played to its end: plays again from the start, and stops at once
    user.qtbot.waitUntil(lambda: not view.playing)
    assert len(recwarn) == 0


def test_a_preset_by_name_and_an_unknown_one(view, user):
    assert view.load_preset("too-high-learning-rate")
    preset = PRESETS["too-high-learning-rate"]
    assert user.find("surfaceFunctionCombo").currentData() == "valley"
    assert user.find("surfacePresetCombo").currentText() == preset.title
    assert view.model.experiment.experiment.runs == preset.runs
    assert user.find("surfaceDescription").isVisible() and preset.title in user.find("surfaceDescription").text()
    before = (view.surface, view.start, view.model.experiment.experiment)
    assert not view.load_preset("no-such-preset")
    assert (view.surface, view.start, view.model.experiment.experiment) == before
    assert "no surface preset called 'no-such-preset'" in user.find("surfaceStatus").text()
    # Undo gives the race its runs back
    window = view.window()
    window.undo_action.trigger()
    assert view.model.experiment.experiment.runs != preset.runs
    assert tuple(run.config for run in view.race.runs) == view.model.experiment.experiment.runs


def test_choosing_a_function_draws_it_from_its_own_start(view, user):
    user.choose("surfaceFunctionCombo", "Rosenbrock valley")
    assert view.surface is SURFACES["rosenbrock"] and view.start == (-1.5, 2.0)
    assert view.plot.getPlotItem().titleLabel.text.startswith("(1 − x)² + 100 (y − x²)²")
    x_range, y_range = view.plot.view_box.viewRange()
    assert x_range == pytest.approx([-2, 2]) and y_range == pytest.approx([-1, 3])
    assert not user.find("surfaceDescription").isVisible()


def test_projector_mode_enlarges_the_paths_and_marks_and_off_restores_them(view, user):
    from nngui.gui.window import projector
    from nngui.gui.maps.surface_plot import PATH_WIDTH, POINT_SIZE, START_SIZE
    plot = view.plot
    view.load_preset("momentum-past-local-minimum")

    def sizes():
        return ([path.opts["pen"].widthF() for path in plot.paths], [p.opts["size"] for p in plot.points],
                plot.start_mark.opts["size"], plot.getPlotItem().getAxis("bottom").label.font().pointSizeF())

    normal = sizes()
    assert normal[:3] == ([PATH_WIDTH] * 2, [POINT_SIZE] * 2, START_SIZE)
    window = view.window()
    window.projector.projector_action.trigger()
    big = sizes()
    assert big[:3] == ([PATH_WIDTH * projector.LINE_SCALE] * 2, [POINT_SIZE * projector.POINT_SCALE] * 2,
                       START_SIZE * projector.POINT_SCALE)
    assert big[3] > normal[3]
    # new runs keep the projector's look
    user.click("addRunButton")
    assert [path.opts["pen"].widthF() for path in plot.paths] == [PATH_WIDTH * projector.LINE_SCALE] * 3
    window.projector.projector_action.trigger()
    assert [path.opts["pen"].widthF() for path in plot.paths] == [PATH_WIDTH] * 3
    assert sizes()[2:] == normal[2:]


def test_a_broken_preset_file_is_left_out_and_named(tmp_path, monkeypatch):
    from nngui.gui.maps import surface_view
    folder = tmp_path / "surfaces"
    folder.mkdir()
    good = PRESETS["decay-settles"]
    (folder / "good.json").write_text(good.dumps(), encoding="utf-8")
    (folder / "broken.json").write_text(good.dumps().replace('"valley"', '"himmelblau"'), encoding="utf-8")
    monkeypatch.setattr(surface_view, "resource_path", lambda name: tmp_path / name)
    presets, problems = surface_view.read_surface_presets()
    assert list(presets) == ["good"] and presets["good"].runs == good.runs
    assert len(problems) == 1 and "broken.json: function: unknown function 'himmelblau'" in problems[0]


def test_without_the_surfaces_folder_there_are_no_presets_and_a_reason(tmp_path, monkeypatch):
    from nngui.gui.maps import surface_view

    def missing(name):
        raise FileNotFoundError(f"nngui resource missing: {tmp_path / name}")

    monkeypatch.setattr(surface_view, "resource_path", missing)
    presets, problems = surface_view.read_surface_presets()
    assert presets == {} and problems == [f"nngui resource missing: {tmp_path / 'surfaces'}"]


def test_a_presets_words_go_when_its_runs_change_so_they_never_describe_other_runs(view, user):
    preset = PRESETS["too-high-learning-rate"]
    assert view.load_preset("too-high-learning-rate")
    description = user.find("surfaceDescription")
    assert description.isVisible() and preset.title in description.text()
    # the runs edited in the window (here the first run's rate, as its box would)
    view.model.experiment.set_run(0, learning_rate=1.0)
    assert not description.isVisible() and description.text() == ""
    assert user.find("surfacePresetCombo").currentData() is None
    # Undo brings the preset's runs back, not its words: choosing the preset again does
    view.window().undo_action.trigger()
    assert view.model.experiment.experiment.runs == preset.runs and not description.isVisible()
    assert view.load_preset("too-high-learning-rate") and description.isVisible()
    # the chapter's runs, by Compare
    view.window().compare_action.trigger()
    assert not description.isVisible()
    # a new start: its paths are not the preset's either
    assert view.load_preset("too-high-learning-rate") and description.isVisible()
    click_plot(user, view, 0.5, 0.5)
    assert not description.isVisible()
