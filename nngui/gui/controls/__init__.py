"""The controls a teacher sets: the data, network and training panels, the runs' list and exact number boxes."""
