"""The code, running: the engine's own optimizer source beside the selected run's live values."""
