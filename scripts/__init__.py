"""Scripts that turn the core's numbers into figures, and project commands."""
