"""Files the app reads and writes, each read guarded: experiment files, CSV points and histories, safe replaces."""
