"""The stage, measured: the chapter's race of three on a 1024×768 projector and a 1920×1080 screen.

Each size runs the real window in a process of its own whose offscreen screen has that size
(``stage_probe.py``), in the application's own style and font: Compare (Ctrl+K), Step, train to epoch 2,000, projector mode (F5), a
lesson's step, the code panel (F3). The numbers come from the widgets' geometry and the view
boxes' ranges.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = Path(__file__).with_name("stage_probe.py")
#: The data's side on each map, in pixels.
NORMAL_MAP_ROOM = 160
PROJECTOR_MAP_ROOM = 260
#: The loss plot's data area in projector mode, in pixels tall: alone, and under a lesson's step.
PROJECTOR_LOSS_HEIGHT = 250
LESSON_LOSS_HEIGHT = 200
#: The least a plot shown may have to draw in (never a sliver).
PLOT_MINIMUM = 60


@functools.lru_cache(maxsize=None)
def probe(width: int, height: int, tmp: str, *args: str):
    config = Path(tmp) / f"screen-{width}x{height}.json"
    config.write_text(json.dumps({"screens": [{"name": "stage", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", PYQTGRAPH_QT_LIB="PySide6")
    done = subprocess.run([sys.executable, str(PROBE), str(width), str(height), *args], env=env, capture_output=True,
                          text=True, timeout=300, cwd=Path(__file__).parents[2])
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def stage_1024(tmp_path_factory):
    return probe(1024, 768, str(tmp_path_factory.mktemp("stage")))


@pytest.fixture(scope="module")
def stage_1920(tmp_path_factory):
    return probe(1920, 1080, str(tmp_path_factory.mktemp("stage")))


@pytest.fixture(scope="module")
def lesson_steps_1024(tmp_path_factory):
    """Every step of every shipped lesson in projector mode at 1024×768, each trained to its epoch."""
    return probe(1024, 768, str(tmp_path_factory.mktemp("stage")), "lessons")


def _rooms(look):
    """Each map's data on screen, the shorter side, in pixels."""
    return [min(m["data_px"]) for m in look["maps"]]


def _geometry(look):
    """What must not move while training: every map (and its room), plot (and its data's height), the captions."""
    return ([(m["rect"], m["box"]) for m in look["maps"]],
            {name: (p["rect"], p["data"][1]) for name, p in look["plots"].items()}, look["captions"])


@pytest.mark.parametrize("size", ["stage_1024", "stage_1920"])
def test_a_race_of_three_shows_every_map_whole_with_room_to_draw_its_data(size, request):
    stage = request.getfixturevalue(size)
    for look in ("epoch_1", "epoch_2000", "projector"):
        maps = stage[look]["maps"]
        assert len(maps) == 3 and all(m["visible"] for m in maps), look
        # never cut by its column or the window; every point inside the range drawn
        assert all(m["in_grid"] and m["box_in_view"] and m["data_shown"] for m in maps), look
        assert stage[look]["in_window"], look


def test_the_maps_draw_their_data_160_px_normally_and_260_in_projector_mode_at_1024x768(stage_1024):
    assert min(_rooms(stage_1024["epoch_1"])) >= NORMAL_MAP_ROOM, _rooms(stage_1024["epoch_1"])
    assert min(_rooms(stage_1024["projector"])) >= PROJECTOR_MAP_ROOM, _rooms(stage_1024["projector"])


def test_the_maps_grow_with_the_screen(stage_1024, stage_1920):
    for look in ("epoch_1", "projector"):
        assert min(_rooms(stage_1920[look])) > 1.3 * min(_rooms(stage_1024[look])), look
    assert min(_rooms(stage_1920["projector"])) >= PROJECTOR_MAP_ROOM


def test_at_1920x1080_the_drawing_takes_the_room_the_maps_width_leaves(stage_1920):
    # the maps stand in a row, as wide as the column lets them be: their frames end under their numbers,
    # and the network drawing below has the rest (no empty frame under a map)
    for m in stage_1920["epoch_2000"]["maps"]:
        assert m["rect"][3] - m["box"][1] <= 40, m


@pytest.mark.parametrize("size", ["stage_1024", "stage_1920"])
def test_nothing_moves_while_training(size, request):
    stage = request.getfixturevalue(size)
    assert stage["epoch"] == 2000
    assert _geometry(stage["epoch_2000"]) == _geometry(stage["epoch_1"])


def test_projector_mode_at_1024x768_shows_every_plot_readable_and_the_lesson_in_two_lines(stage_1024):
    projector, lesson = stage_1024["projector"], stage_1024["lesson"]
    assert projector["window"] == [0, 0, 1024, 768]
    for look in (projector, lesson):
        for name, plot in look["plots"].items():
            # each plot shown has room to draw in, never a sliver, and numbers on its y axis
            assert not plot["visible"] or (min(plot["data"]) >= PLOT_MINIMUM and plot["y_ticks"] >= 1), name
    assert projector["plots"]["lossPlot"]["y_ticks"] >= 2


def test_projector_mode_at_1024x768_gives_the_loss_plot_250_px_and_the_code_its_size_uncut(stage_1024):
    projector, lesson = stage_1024["projector"], stage_1024["lesson"]
    assert projector["window"] == [0, 0, 1024, 768] and lesson["window"] == [0, 0, 1024, 768]
    assert projector["plots"]["lossPlot"]["data"][1] >= PROJECTOR_LOSS_HEIGHT
    assert projector["plots"]["lossPlot"]["y_ticks"] >= 3
    assert lesson["plots"]["lossPlot"]["data"][1] >= LESSON_LOSS_HEIGHT
    # the plots a race's projector layout sets aside are hidden, never a sliver
    for name in ("accuracyPlot", "learningRatePlot"):
        plot = projector["plots"][name]
        assert not plot["visible"] or min(plot["data"]) >= PLOT_MINIMUM, name
    code = stage_1024["code"]
    # the code panel opened over a lesson's step: readable, no line cut, and the window still the screen
    assert code["visible"] and code["cut"] == 0 and code["window"] == [0, 0, 1024, 768]
    assert code["source_lines"] >= 5
    # the code at the projector's size, as every other text (the application's style sheet, polishing the
    # widgets anew with the larger font, once gave the code back its normal 10.5 pt)
    from nngui.gui.window.projector import FONT_SCALE
    from nngui.gui.window.theme import BASE_FONT_POINT_SIZE
    assert code["point_size"] == code["shown_point_size"] == pytest.approx(FONT_SCALE * BASE_FONT_POINT_SIZE)


def test_projector_mode_at_1024x768_meets_the_classroom_numbers(stage_1024):
    projector, lesson = stage_1024["projector"], stage_1024["lesson"]
    assert projector["plots"]["lossPlot"]["data"][1] >= PROJECTOR_LOSS_HEIGHT
    assert projector["plots"]["lossPlot"]["y_ticks"] >= 3
    assert lesson["plots"]["lossPlot"]["data"][1] >= LESSON_LOSS_HEIGHT and lesson["text_lines"] <= 2
    assert stage_1024["code"]["cut"] == 0


#: Under a lesson's step in projector mode: the maps' data side, in pixels; while a warning (a diverged run)
#: takes two lines under the status line, the loss plot keeps its 200 px and the map gives way to this.
LESSON_MAP_ROOM = 160
LESSON_MAP_ROOM_WITH_WARNING = 90
#: A loss surface's plot under a lesson's step, in pixels tall (the network's plots step aside for it).
LESSON_SURFACE_HEIGHT = 180


def test_every_lesson_step_fits_a_1024x768_projector(lesson_steps_1024):
    steps = lesson_steps_1024
    assert len(steps) >= 30
    for step in steps:
        name = step["step"]
        # the window is the screen: nothing wider than it (a long lesson title gives way), nothing cut
        assert step["window"] == [0, 0, 1024, 768] and step["least_width"] <= 1024, name
        assert step["cut"] == [], name
        assert step["text_lines"] <= 2, name
        if step["view"] == "network":
            # a single run's map stands beside its drawing, a race's maps in a row: never a sliver
            least = LESSON_MAP_ROOM_WITH_WARNING if step["banner"] else LESSON_MAP_ROOM
            assert step["maps"] and min(step["maps"]) >= least, (name, step["maps"])
            assert step["loss"] is not None and step["loss"] >= LESSON_LOSS_HEIGHT, (name, step["loss"])
        elif step["view"] == "surface":
            # the surface is the step: the network's plots give it their room
            assert step["loss"] is None and step["surface"][1] >= LESSON_SURFACE_HEIGHT, (name, step["surface"])
    assert {step["view"] for step in steps} >= {"network", "surface"}
    assert any(step["drawing"] for step in steps) and any(step["banner"] for step in steps)
