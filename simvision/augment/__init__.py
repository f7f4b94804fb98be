"""The degradation stage: clean rendered samples become photos (paper, camera, light, sensor), labels carried exactly.

Each effect is a *sampler* (rng + config -> plain JSON params) and a pure *apply* (target + params -> target). A
plan is the list of applied effects with their params; it is stored in every record, and ``apply_plan`` replays it.
"""
