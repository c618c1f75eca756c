"""The threads behind the window: the training worker, its drawing budget and the landscape's computation."""
