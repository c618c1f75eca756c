"""Lessons and captions in the window: the lesson bar and its steps, the captions, looking back on a timeline."""
