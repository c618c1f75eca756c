"""Built on the runs: two-weight loss surfaces, the network's own loss landscape, paths across them, checkpoints,
and what a setting costs in memory (budget)."""
