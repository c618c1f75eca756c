"""The exact number box: every legal value shown and kept exactly, typed text checked, classroom keys safe."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from nngui.gui.controls.number_box import NumberBox, format_number
from nngui.gui.qt import QtCore, QtGui, QtWidgets

Key = QtCore.Qt.Key


@pytest.fixture
def host(qtbot):
    """A window with a number box and a button, shown and active."""
    window = QtWidgets.QWidget()
    layout = QtWidgets.QVBoxLayout(window)
    box = NumberBox("rateBox", "A rate.", 0.0001, 100.0, 1.0, adaptive=True, step=0.0001, label="Learning rate")
    button = QtWidgets.QPushButton("other")
    layout.addWidget(box)
    layout.addWidget(button)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.committed, window.refusals = [], []
    box.value_committed.connect(window.committed.append)
    box.refused.connect(window.refusals.append)
    return window, box


def type_into(qtbot, box, text, key=Key.Key_Return):
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, key)


@pytest.mark.parametrize("value, text", [(0.123456789, "0.123456789"), (1.23e-7, "1.23e-07"), (1.0, "1"),
                                         (0.987654, "0.987654"), (100.0, "100")])
def test_a_value_is_shown_with_every_digit_it_has(value, text):
    assert format_number(value) == text
    assert float(text) == value


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.floats(min_value=0.0001, max_value=100.0, allow_nan=False))
def test_any_legal_value_survives_set_show_and_parse(qapp, value):
    box = NumberBox("b", "tip", 0.0001, 100.0, 1.0)
    box.setValue(value)
    assert box.value() == value
    assert box.parse(box.lineEdit().text()) == value


def test_whole_numbers_beyond_a_c_int(qtbot):
    box = NumberBox("seed", "tip", 0, 2**32 - 1, 0, integer=True, label="Seed")
    qtbot.addWidget(box)
    box.setValue(3_000_000_000)
    assert box.lineEdit().text() == "3000000000" and box.value() == 3_000_000_000
    box.setValue(2**32 - 1)
    assert box.value() == 4_294_967_295


def test_typing_and_enter_commits_exactly_and_hands_the_keyboard_back(qtbot, host):
    window, box = host
    type_into(qtbot, box, "0.123456789")
    assert window.committed == [0.123456789]
    assert not box.hasFocus()
    assert QtWidgets.QApplication.focusWidget() is not box


def test_out_of_range_or_nonsense_is_refused_with_a_sentence_and_the_value_stays(qtbot, host):
    window, box = host
    type_into(qtbot, box, "500")
    assert window.committed == [] and box.value() == 1.0 and box.lineEdit().text() == "1"
    assert window.refusals == ["Learning rate: must be between 0.0001 and 100, got 500"]


def test_page_keys_and_the_wheel_over_an_unfocused_box_change_nothing(qtbot, host):
    window, box = host
    box.setFocus()
    qtbot.keyClick(box, Key.Key_PageDown)
    qtbot.keyClick(box, Key.Key_PageUp)
    assert box.value() == 1.0 and window.committed == []
    window.setFocus()
    wheel = QtGui.QWheelEvent(QtCore.QPointF(5, 5), QtCore.QPointF(box.mapToGlobal(QtCore.QPoint(5, 5))),
                              QtCore.QPoint(), QtCore.QPoint(0, -120), QtCore.Qt.MouseButton.NoButton,
                              QtCore.Qt.KeyboardModifier.NoModifier, QtCore.Qt.ScrollPhase.NoScrollPhase, False)
    QtWidgets.QApplication.sendEvent(box, wheel)
    assert box.value() == 1.0 and window.committed == []


def test_arrows_step_by_a_tenth_of_the_decade_without_float_noise(qtbot, host):
    window, box = host
    box.stepBy(1)
    box.stepBy(1)
    assert window.committed == [1.1, 1.2]
    box.setValue(1.0)
    box.stepBy(-1)
    assert box.value() == 0.99
    box.setValue(0.001)
    box.stepBy(1)
    assert box.value() == 0.0011


def test_the_special_text_stands_for_the_minimum(qtbot):
    box = NumberBox("limit", "tip", 0, 10_000_000, 10001, integer=True, special="No limit")
    qtbot.addWidget(box)
    box.setValue(0)
    assert box.lineEdit().text() == "No limit" and box.parse("No limit") == 0
