"""Figure modules: one per post, each declaring FIGURES and values()."""
