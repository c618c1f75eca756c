"""What the app says to a class: lesson files and their steps, the claims a step makes of its runs, captions."""
