"""nngui: watch a neural network learn, optimizer by optimizer."""

__version__ = "0.1.0"
