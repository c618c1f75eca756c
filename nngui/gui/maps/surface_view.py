"""The loss-surface playground: the race's runs walking a two-weight surface, step by step.

The runs are the window model's (``model.experiment.experiment.runs``): the same settings,
names, colours and dash patterns as in the network race, moved by the engine's own ``SGD``
(``engine/surface.py``). The view keeps its own clock (Play, Pause, Step, Reset and a speed a
class can follow); editing a run in the Optimizers panel starts the paths again from the
start. A click on the plot moves the start; a preset sets the surface, the start, the number
of steps and the race's runs, and says what to watch for.
"""

from __future__ import annotations

import html
import math

from nngui.engine.checks import ExperimentError
from nngui.surfaces.surface import SURFACES, SurfaceRace
from nngui.surfaces.presets import read as read_preset
from nngui.model import AppModel
from nngui.resources import resource_path

from nngui.gui.window import themes
from nngui.gui.controls.panels import combo_box, select_data
from nngui.gui.window.projector import LINE_SCALE, POINT_SCALE
from nngui.gui.qt import QtCore, QtWidgets
from nngui.gui.plots.run_styles import run_styles
from .surface_plot import SurfacePlot

#: Steps per second a teacher can pick; the default lets a class follow each step.
SPEEDS = (1, 5, 20, 60, 200)
DEFAULT_SPEED = 20
#: The clock ticks this often; each tick makes the steps the speed asks for by then.
TICK_MS = 33
#: Without a preset, the paths stop after this many steps.
DEFAULT_STEP_LIMIT = 500
DEFAULT_FUNCTION = "two-minima"
#: The surface and preset boxes are at least this many characters wide.
MIN_COMBO_CHARACTERS = 8
TIP = ("Loss surfaces of two weights: the race's optimizers walk them with the lesson's own SGD code. "
       "Click the plot to choose where they start.")


def read_surface_presets():
    """``({name: SurfacePreset}, [problem, ...])``: the shipped presets that read cleanly, and why others did not."""
    presets, problems = {}, []
    try:
        directory = resource_path("surfaces")
    except FileNotFoundError as error:
        return presets, [str(error)]
    for path in sorted(directory.glob("*.json")):
        try:
            presets[path.stem] = read_preset(path)
        except ExperimentError as error:
            problems.append(str(error))
    return presets, problems


class SurfaceView(QtWidgets.QWidget):
    """Surface and preset choosers, its own Play/Pause/Step/Reset, the plot, and a note per run."""

    def __init__(self, model: AppModel, parent=None):
        super().__init__(parent)
        self.setObjectName("surfaceView")
        self.setAccessibleName("surfaceView")
        self.model = model
        self.presets, self.preset_problems = read_surface_presets()
        self.surface = SURFACES[DEFAULT_FUNCTION]
        self.start = self.surface.start
        self.step_limit = DEFAULT_STEP_LIMIT
        self.race: SurfaceRace | None = None
        self._preset = None   # the preset loaded last, if any
        self._owed = 0.0   # steps the clock owes: speed × time, made a whole step at a time
        # projector mode enlarges the application's font: the plot follows it (see event())
        self._normal_point_size = QtWidgets.QApplication.font().pointSizeF()
        self._make_widgets()
        self._make_layout()
        self.timer = QtCore.QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.model.experiment.changed.connect(self._on_model_changed)
        themes.follow(self, self._on_theme_changed)
        self.plot.set_surface(self.surface)
        self.rebuild()

    # --- construction -------------------------------------------------------------------

    def _make_widgets(self):
        self.function_combo = combo_box(
            "surfaceFunctionCombo", "The loss surface: a function of two weights, x and y. Choosing one starts "
            "the paths again from its usual start.",
            [(f"{s.title}", name) for name, s in SURFACES.items()])
        select_data(self.function_combo, self.surface.name)
        self.function_combo.currentIndexChanged.connect(self._on_function_combo_changed)
        tip = "A lesson on a surface: its function, start, number of steps and runs (the race's runs change too)."
        if self.preset_problems:
            tip += " Not loaded: " + "; ".join(self.preset_problems)
        self.preset_combo = combo_box("surfacePresetCombo", tip,
                                      [("Presets…", None)] + [(p.title, name) for name, p in self.presets.items()])
        self.preset_combo.activated.connect(self._on_preset_combo_activated)
        for combo in (self.function_combo, self.preset_combo):
            # long titles must not widen the window: the box shrinks to a few words, its list shows them whole
            combo.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(MIN_COMBO_CHARACTERS)
        self.play_button = self._button("surfacePlayButton", "Play",
                                        "Play or pause the paths on the surface (their own clock, not the network's)",
                                        self.toggle_play)
        self.step_button = self._button("surfaceStepButton", "Step", "One step of every run on the surface",
                                        self.step)
        self.reset_button = self._button("surfaceResetButton", "Reset",
                                         "Back to the start: every path begins again at step 0", self.reset)
        self.speed_combo = combo_box("surfaceSpeedCombo", "Steps a second while playing",
                                     [(f"{speed}/s", speed) for speed in SPEEDS])
        select_data(self.speed_combo, DEFAULT_SPEED)
        self.plot = SurfacePlot()
        self.plot.setObjectName("surfacePlot")
        self.plot.setAccessibleName("surfacePlot")
        self.plot.setToolTip("The loss over two weights: pale is low, dark is high, lines join equal loss; + marks "
                             "the minima. Click to start every run there. Each run's path has its colour, line "
                             "style and symbol.")
        self.plot.start_chosen.connect(self._on_plot_start_chosen)
        self.description = self._label("surfaceDescription", "What the chosen preset shows.")
        self.description.hide()
        self.status = self._label("surfaceStatus", "The step the paths have reached, and where they started.")
        self.notes = self._label("surfaceNotes", "Each run: where it is and its loss, or why its path stopped.")
        self.notes.setTextFormat(QtCore.Qt.TextFormat.RichText)

    def _button(self, name, text, tip, slot):
        # tool buttons: as narrow as their words, so the view fits beside the plots at 1024 pixels
        button = QtWidgets.QToolButton()
        button.setText(text)
        button.setObjectName(name)
        button.setAccessibleName(name)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    def _label(self, name, tip):
        label = QtWidgets.QLabel()
        label.setObjectName(name)
        label.setAccessibleName(name)
        label.setToolTip(tip)
        label.setWordWrap(True)
        return label

    def _make_layout(self):
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(2, 4, 2, 2)
        layout.setSpacing(4)
        choosers = QtWidgets.QHBoxLayout()
        choosers.addWidget(self.function_combo, 1)
        choosers.addWidget(self.preset_combo, 1)
        layout.addLayout(choosers)
        clock = QtWidgets.QHBoxLayout()
        for button in (self.play_button, self.step_button, self.reset_button):
            clock.addWidget(button)
        speed = QtWidgets.QLabel("Speed")
        speed.setBuddy(self.speed_combo)
        clock.addWidget(speed)
        clock.addWidget(self.speed_combo)
        clock.addStretch(1)
        layout.addLayout(clock)
        layout.addWidget(self.description)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.notes)

    def event(self, event):
        if event.type() in (QtCore.QEvent.Type.FontChange, QtCore.QEvent.Type.ApplicationFontChange):
            text_scale = QtWidgets.QApplication.font().pointSizeF() / self._normal_point_size
            on = text_scale > 1.01
            self.plot.set_scale(text_scale if on else 1.0, LINE_SCALE if on else 1.0, POINT_SCALE if on else 1.0)
        return super().event(event)

    # --- what the user (or a lesson) does -----------------------------------------------------

    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def set_function(self, name: str) -> None:
        """Show surface ``name`` from its usual start; paths begin again."""
        self.surface = SURFACES[name]
        self.start = self.surface.start
        self.step_limit = DEFAULT_STEP_LIMIT
        select_data(self.function_combo, name)
        self.description.hide()
        self.plot.set_surface(self.surface)
        self.rebuild()

    def set_start(self, x: float, y: float) -> None:
        """Start every run at ``(x, y)`` (inside the plot); paths begin again."""
        self.start = (x, y)
        if self._preset is not None and self.start != self.presets[self._preset].start:
            self._leave_preset()   # its words describe paths from its own start
        self.rebuild()

    def _leave_preset(self) -> None:
        """The runs shown are no longer the preset's: its title and words go, so nothing describes other runs."""
        self._preset = None
        select_data(self.preset_combo, None)
        self.description.clear()
        self.description.hide()

    def load_preset(self, name: str) -> bool:
        """Load shipped preset ``name``: its surface, start, steps and the race's runs. False if there is none."""
        preset = self.presets.get(name)
        if preset is None:
            self.status.setText(f"There is no surface preset called {name!r}.")
            return False
        try:
            # the race's runs are the surface's runs (Undo takes them back); a lesson may lock them
            self.model.experiment.set_runs(preset.runs, note=f"Surface preset: {preset.title}")
        except ExperimentError as error:
            self.status.setText(f"Not applied: {error}")
            select_data(self.preset_combo, self._preset)   # the chooser shows the preset still on screen
            return False
        self.pause()
        self.surface, self.start, self.step_limit = preset.surface, preset.start, preset.steps
        select_data(self.function_combo, preset.function)
        select_data(self.preset_combo, name)
        self._preset = name
        self.plot.set_surface(self.surface)
        self.description.setText(f"<b>{html.escape(preset.title)}.</b> {html.escape(preset.description)}")
        self.description.show()
        self.rebuild()
        return True

    def toggle_play(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def play(self) -> None:
        if self.race is None:
            return
        if self.race.finished or self.race.steps >= self.step_limit:
            self.rebuild()   # played to the end: play it again from the start
        self._owed = 0.0
        self.timer.start()
        self.play_button.setText("Pause")

    def pause(self) -> None:
        self.timer.stop()
        self.play_button.setText("Play")
        self._show_status()

    def step(self) -> None:
        """One step of every live run (not past the step limit)."""
        if self.race is None or self.race.finished or self.race.steps >= self.step_limit:
            return
        self.race.step()
        self._draw()

    def reset(self) -> None:
        self.pause()
        self.rebuild()

    def rebuild(self) -> None:
        """A fresh race of the model's runs from the start: step 0."""
        experiment = self.model.experiment.experiment
        self.race = SurfaceRace(self.surface, self.start, experiment.runs, experiment.labels)
        self.plot.set_runs(run_styles(len(experiment.runs)))
        self.plot.set_start(*self.start)
        self._draw()

    # --- events ---------------------------------------------------------------------------------

    def _on_function_combo_changed(self, index):
        self.pause()
        self.set_function(self.function_combo.itemData(index))
        select_data(self.preset_combo, None)
        self._preset = None

    def _on_preset_combo_activated(self, index):
        name = self.preset_combo.itemData(index)
        if name is not None:
            self.load_preset(name)

    def _on_plot_start_chosen(self, x, y):
        self.set_start(x, y)

    def _on_model_changed(self, change):
        # only the runs matter here; a new data set or network leaves the paths as they are
        if self._preset is not None and tuple(change.new.runs) != tuple(self.presets[self._preset].runs):
            self._leave_preset()
        if self.race is not None and tuple(change.new.runs) != tuple(run.config for run in self.race.runs):
            self.rebuild()

    def _on_theme_changed(self, _theme):
        # the runs' colours are the theme's: draw the paths and their names again in the new ones
        if self.race is not None:
            self.plot.set_runs(run_styles(len(self.race.runs)))
            self.plot.set_start(*self.start)
            self._draw()

    def _on_timer_timeout(self):
        race = self.race
        self._owed += self.speed_combo.currentData() * TICK_MS / 1000
        steps = math.floor(self._owed)
        if steps == 0:
            return
        self._owed -= steps
        for _ in range(steps):
            if race.finished or race.steps >= self.step_limit:
                break
            race.step()
        if race.finished or race.steps >= self.step_limit:
            self.pause()
        self._draw()

    # --- drawing --------------------------------------------------------------------------------

    def _draw(self):
        self.plot.set_paths(self.race.paths())
        self._show_status()
        self._show_notes()

    def _show_status(self):
        if self.race is None:
            return
        x, y = self.start
        text = f"Step {self.race.steps:,} of {self.step_limit:,} from ({x:.3g}, {y:.3g})"
        if self.race.steps == 0:
            text += ": click the plot to start elsewhere, press Play to walk"
        elif self.race.finished:
            text += ": every path has stopped"
        self.status.setText(text)

    def _show_notes(self):
        race = self.race
        styles = run_styles(len(race.runs))
        lines = []
        for run, style in zip(race.runs, styles):
            name = f'<span style="color:{style.color}; font-weight:bold">{html.escape(run.label)}</span>'
            if run.divergence:
                lines.append(f"{name} ({style.name}): ⚠ {html.escape(run.divergence)}")
            else:
                x, y = run.point
                lines.append(f"{name} ({style.name}): x = {x:.4g}, y = {y:.4g}, loss {run.loss:.4g}")
        if race.finished:
            lines.append("Every path left the plot: these learning rates are too high for this surface. "
                         "Lower them under Optimizers, or choose a preset.")
        self.notes.setText("<br>".join(lines))
