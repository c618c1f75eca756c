"""One way to make the window's actions and buttons: named, described, and reachable by keyboard.

Every interactive thing gets an ``objectName``, an accessible name and a tooltip that says
what it does (the status bar says it too). Keys are window-wide: they work whichever
widget has the focus, while a focused number box still claims the keys it types (it
accepts the ShortcutOverride), so typing a number is never hijacked.
"""

from __future__ import annotations

from nngui.gui.qt import QtCore, QtGui, QtWidgets


def standard_icon(widget: QtWidgets.QWidget, name: str) -> QtGui.QIcon:
    """The style's icon ``name`` (``SP_MediaPlay``…): a font may lack the ▶ and ⏸ characters."""
    return widget.style().standardIcon(getattr(QtWidgets.QStyle.StandardPixmap, name))


def make_action(parent: QtCore.QObject, name: str, text: str, tip: str = "", slot=None, keys=(),
                icon: QtGui.QIcon | None = None, checkable: bool = False,
                context=QtCore.Qt.ShortcutContext.WindowShortcut) -> QtGui.QAction:
    """An action named ``name``; ``slot`` takes no argument (or the checked state when ``checkable``)."""
    action = QtGui.QAction(text, parent)
    action.setObjectName(name)
    if icon is not None:
        action.setIcon(icon)
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    if isinstance(keys, (str, QtGui.QKeySequence.StandardKey)):
        keys = [keys]
    if keys:
        action.setShortcuts([QtGui.QKeySequence(key) for key in keys])
    if context is not None:
        action.setShortcutContext(context)
    action.setCheckable(checkable)
    if slot is not None:
        if checkable:
            action.toggled.connect(slot)
        else:
            action.triggered.connect(lambda checked=False: slot())
    return action


def make_button(name: str, text: str = "", tip: str = "", slot=None, action: QtGui.QAction | None = None,
                tool: bool = False, focus: bool = True) -> QtWidgets.QAbstractButton:
    """A push button (a tool button if ``tool``) named ``name``, clicking ``slot`` or showing ``action``.

    ``focus=False``: the button never takes the keyboard focus (the clicker's keys and Space stay
    the window's).
    """
    if action is not None and tool:
        button = QtWidgets.QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    else:
        button = QtWidgets.QToolButton() if tool else QtWidgets.QPushButton()
        if action is not None:
            # the button triggers the action, so a click and a key press do one and the same thing
            button.setIcon(action.icon())
            button.setText(action.text())
            tip = tip or action.toolTip()
            button.clicked.connect(action.trigger)
            action.changed.connect(lambda: (button.setText(action.text()), button.setIcon(action.icon()),
                                            button.setToolTip(action.toolTip()),
                                            button.setEnabled(action.isEnabled())))
        else:
            button.setText(text)
    button.setObjectName(name)
    button.setAccessibleName(name)
    if tip:
        button.setToolTip(tip)
    if slot is not None:
        button.clicked.connect(lambda checked=False: slot())
    if not focus:
        button.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
    return button
