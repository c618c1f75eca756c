"""The main window and its layout: the app's start, the window, projector mode, themes, the status line."""
