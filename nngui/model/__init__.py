"""The window's state without Qt: the experiment being edited, the pace, the selected and pinned runs.

Views subscribe to its ``psygnal`` events; the model never knows its views.
Layers: ``nngui.gui`` → ``nngui.model`` → ``nngui.engine`` (import-linter).
"""

from .app_model import DEFAULT_PACE, MAX_PINS, PACES, AppModel, pace_label
from .pins import PinnedRun, pin_label
from .lesson_model import LessonModel
from .stop_reason import StopReason
from .experiment_model import LIMIT, NO_LIMIT_EPOCHS, REBUILD, SETTINGS, Change, ExperimentModel

__all__ = ["DEFAULT_PACE", "LIMIT", "MAX_PINS", "NO_LIMIT_EPOCHS", "PACES", "REBUILD", "SETTINGS", "AppModel", "StopReason",
           "Change", "ExperimentModel", "LessonModel", "PinnedRun", "pace_label", "pin_label"]
