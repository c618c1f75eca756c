"""The headless commands: ``nngui train``, ``nngui race``, ``nngui surface``, and the process's edge (console)."""
