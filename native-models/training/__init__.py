"""Training helpers for the bundled emoji models (issue 3): data access, checkpoints, loops."""
