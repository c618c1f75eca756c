"""The lesson being given and the step it is at (Qt-free, like the rest of the model).

The window's lesson bar shows it and turns its events into what a step does; PageDown and
PageUp (what a presentation clicker sends) call ``next`` and ``previous``.
"""

from __future__ import annotations

from psygnal import Signal

from nngui.teaching.lessons import Lesson, Step


class LessonModel:
    """A lesson and its current step; ``step_changed(index)`` on arriving at a step, ``closed()`` at the end."""

    step_changed = Signal(int)
    closed = Signal()
    opening = Signal()   # a lesson is about to open where none was: the state to come back to is the one now

    def __init__(self):
        self._lesson: Lesson | None = None
        self._index = 0
        self.source = ""   # where the lesson came from (a file name), for messages

    @property
    def lesson(self) -> Lesson | None:
        return self._lesson

    @property
    def index(self) -> int:
        """The current step, counted from 0."""
        return self._index

    @property
    def step(self) -> Step | None:
        return self._lesson.steps[self._index] if self._lesson is not None else None

    @property
    def active(self) -> bool:
        return self._lesson is not None

    def position(self) -> str:
        """``step 2 of 5``."""
        return f"step {self._index + 1} of {len(self._lesson)}" if self._lesson is not None else ""

    def open(self, lesson: Lesson, source: str = "", index: int = 0) -> None:
        """Start ``lesson`` at its first step (or at step ``index``: the last, coming back from the next lesson)."""
        if not isinstance(lesson, Lesson):
            raise TypeError(f"expected a Lesson, got {type(lesson).__name__}")
        if self._lesson is None:
            self.opening.emit()
        index = min(max(index, 0), len(lesson) - 1)
        self._lesson, self._index, self.source = lesson, index, source
        self.step_changed.emit(index)

    def go_to(self, index: int) -> bool:
        """Arrive at step ``index``; False (and nothing happens) when there is no such step."""
        if self._lesson is None or not 0 <= index < len(self._lesson):
            return False
        self._index = index
        self.step_changed.emit(index)
        return True

    def next(self) -> bool:
        return self.go_to(self._index + 1)

    def previous(self) -> bool:
        return self.go_to(self._index - 1)

    def close(self) -> None:
        if self._lesson is not None:
            self._lesson, self._index, self.source = None, 0, ""
            self.closed.emit()
