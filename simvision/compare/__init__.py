"""Synthetic against real data: ``compare`` (distributions, realism classifier, diversity, advice), ``mix`` (a
training set of both, with provenance) and ``transfer`` (does the synthetic part help a detector)."""
