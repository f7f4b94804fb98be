"""Named augmentation presets, selectable in a scene file (``augment: {preset: NAME}``) or with ``--augment NAME``."""

from __future__ import annotations

from typing import Any

# Each preset is a list of scene-file effect entries (name, p and ranges); defaults fill the rest.
PRESETS: dict[str, list[dict[str, Any]]] = {
    "none": [],
    "scan": [
        {"name": "camera", "p": 1.0, "tilt_deg": {"min": -2, "max": 2}, "yaw_deg": {"min": -2, "max": 2},
         "roll_deg": {"min": -2, "max": 2}, "focal": {"min": 3, "max": 4}, "zoom": {"min": 1.0, "max": 1.02}},
        {"name": "gaussian_blur", "p": 0.5, "sigma": {"min": 0.3, "max": 0.7}},
        {"name": "gaussian_noise", "p": 0.5, "sigma": {"min": 1, "max": 3}},
        {"name": "jpeg", "p": 0.5, "quality": {"min": 75, "max": 95}},
    ],
    "phone_photo": [
        {"name": "camera", "p": 1.0, "tilt_deg": {"min": -12, "max": 12}, "yaw_deg": {"min": -8, "max": 8},
         "roll_deg": {"min": -3, "max": 3}, "focal": {"min": 1.2, "max": 2.0}},
        {"name": "lens", "p": 0.5, "k": {"min": -0.15, "max": 0.15}},
        {"name": "gaussian_blur", "p": 0.4},
        {"name": "motion_blur", "p": 0.2, "length": {"min": 3, "max": 5}},
        {"name": "gaussian_noise", "p": 0.6},
        {"name": "jpeg", "p": 0.7, "quality": {"min": 60, "max": 92}},
    ],
    "crumpled": [
        {"name": "camera", "p": 1.0, "tilt_deg": {"min": -15, "max": 15}, "yaw_deg": {"min": -10, "max": 10}},
        {"name": "gaussian_noise", "p": 0.5},
        {"name": "jpeg", "p": 0.5},
    ],
    "harsh": [
        {"name": "camera", "p": 1.0, "tilt_deg": {"min": -35, "max": 35}, "yaw_deg": {"min": -25, "max": 25},
         "roll_deg": {"min": -20, "max": 20}, "zoom": {"min": 1.0, "max": 1.4}},
        {"name": "lens", "p": 0.7},
        {"name": "motion_blur", "p": 0.4},
        {"name": "defocus", "p": 0.3},
        {"name": "shot_noise", "p": 0.5},
        {"name": "gaussian_noise", "p": 0.6, "sigma": {"min": 4, "max": 12}},
        {"name": "downscale", "p": 0.4},
        {"name": "jpeg", "p": 0.9, "quality": {"min": 30, "max": 70}},
    ],
}  # fmt: skip
