"""Files in the window: the session and settings, experiment files, recent files, exports and the slide pack."""
