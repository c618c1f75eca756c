"""Every shipped lesson step's sentence takes at most two lines on the lesson bar in projector mode at 1024×768.

The class reads the sentence off the projector while the plots keep their room. The bar is
measured in the real window (F5, then the projector's 1024×768), each step's sentence shown
with the bar's own ``show_step``, as the bar shows it there. Nothing is trained.
"""

from __future__ import annotations

from nngui.teaching import lessons
from nngui.gui.files.session import FRAME_CHECKS_MS
from nngui.gui.qt import QtCore, QtGui, QtWidgets
from nngui.gui.window.projector import FONT_SCALE, FULL_SCREEN_CHECK_MS
from nngui.gui.window.theme import BASE_FONT_POINT_SIZE

from .test_projector import at_projector_size

SHIPPED = [(path, lesson) for path, lesson in lessons.shipped_lessons()]
#: Lines a step's sentence may take on the bar in projector mode.
MAX_LINES = 2
#: The sentence's width in projector mode at 1024 pixels is the window's less the bar's frame and margins.
LEAST_WIDTH = 900


def _show(bar, lesson, number, text):
    """Put ``text`` on the bar as step ``number`` of ``lesson`` (the bar's own way of showing a step)."""
    bar.show_step(lesson.title, f"step {number} of {len(lesson)}", text, number == 1, number == len(lesson))


def _height(bar, lesson, number, text):
    """The height the label gives ``text`` at the width it has."""
    _show(bar, lesson, number, text)
    label = bar.text_label
    return label.heightForWidth(label.width())


def _laid_out_at(label, height):
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.LayoutRequest)
    QtWidgets.QApplication.processEvents()
    return label.height() == height


def _too_long(bar):
    """``(lines of one line's height, longest's lines, [what is too long])`` over every shipped step, in the
    label's present font. One line is a single word measured the same way: the bar's markup may make the
    sentence larger than the label's own font, whose line spacing is then not the measure."""
    path, lesson = SHIPPED[0]
    line = _height(bar, lesson, 1, "Predict.")
    assert line >= bar.text_label.fontMetrics().lineSpacing()
    too_long, most = [], 0.0
    for path, lesson in SHIPPED:
        for number, step in enumerate(lesson.steps, 1):
            lines = _height(bar, lesson, number, step.text) / line
            most = max(most, lines)
            if lines > MAX_LINES + 0.01:
                too_long.append(f"{path.name} step {number}: {len(step.text)} characters, {lines:.2f} lines")
    return line, most, too_long


def test_every_step_of_every_shipped_lesson_takes_at_most_two_lines_in_projector_mode_at_1024(window, qtbot):
    assert SHIPPED and all(isinstance(lesson, lessons.Lesson) for _, lesson in SHIPPED)
    window.findChild(QtGui.QAction, "projectorAction").trigger()
    path, first = SHIPPED[0]
    window.lessons.open(first, path.name)
    # the first launch's checks of the window's place, and projector mode's of full screen, move the
    # window when they come: they come first
    qtbot.wait(max(*FRAME_CHECKS_MS, FULL_SCREEN_CHECK_MS) + 200)
    at_projector_size(window, qtbot)
    bar = window.lessons.bar
    label = bar.text_label
    assert window.projector.on and bar.isVisible() and label.isVisible()
    # the width projector mode really gives the sentence at 1024 pixels, not a wider one
    assert LEAST_WIDTH < label.width() <= 1024, label.width()

    # the measure is what the window shows: laid out, the step the bar shows takes the height measured,
    # a single word one line's, and the step a whole number of lines
    step = first.steps[0].text
    assert bar.sentence() == step
    measured = _height(bar, first, 1, step)
    qtbot.waitUntil(lambda: _laid_out_at(label, measured), timeout=3000)
    line = _height(bar, first, 1, "Predict.")
    qtbot.waitUntil(lambda: _laid_out_at(label, line), timeout=3000)
    assert measured > line and abs(measured / line - round(measured / line)) < 0.05, (measured, line)

    line, most, too_long = _too_long(bar)
    assert not too_long, (f"a lesson sentence takes more than {MAX_LINES} lines in projector mode at 1024×768 "
                          f"(one line: {line} px, {label.width()} px wide):\n" + "\n".join(too_long))
    assert most > 1.5   # the measure counts a second line
    # the longest sentence, laid out, is as tall as measured and leaves the label its width
    longest = max(((lesson, number, step.text) for _, lesson in SHIPPED
                   for number, step in enumerate(lesson.steps, 1)), key=lambda found: len(found[2]))
    measured = _height(bar, *longest)
    qtbot.waitUntil(lambda: _laid_out_at(label, measured), timeout=3000)
    assert measured / line <= MAX_LINES + 0.01 and label.width() > LEAST_WIDTH
    assert window.size() == QtCore.QSize(1024, 768)

    # and in the application's own font (10.5 pt, 16.8 pt in projector mode), larger than the test
    # platform's: a teacher's projector shows the sentence in it, at the same width
    font = QtGui.QFont(label.font())
    font.setPointSizeF(BASE_FONT_POINT_SIZE * FONT_SCALE)
    before = QtGui.QFont(label.font())
    label.setFont(font)
    try:
        line, most, too_long = _too_long(bar)
    finally:
        label.setFont(before)
    assert not too_long, (f"a lesson sentence takes more than {MAX_LINES} lines in projector mode at 1024×768 "
                          f"in the application's {font.pointSizeF():g} pt (one line: {line} px):\n"
                          + "\n".join(too_long))
