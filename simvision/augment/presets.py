"""Named augmentation presets, selectable in a scene file (``augment: {preset: NAME}``) or with ``--augment NAME``.

Each preset is a list of scene-file effect entries (name, p and ranges; defaults fill the rest). Stages run in the
order ink -> paper -> light -> camera -> sensor whatever order they are listed in.
"""

from __future__ import annotations

from typing import Any

PRESETS: dict[str, list[dict[str, Any]]] = {
    "none": [],
    # a flatbed or document scanner: flat, even light, faded or slightly bled print, mild blur and compression
    "scan": [
        {"name": "thermal_fade", "p": 0.4, "strength": {"min": 0.1, "max": 0.35}},
        {"name": "ink_bleed", "p": 0.2, "spread": {"min": 0.4, "max": 0.8}},
        {"name": "lighting_gradient", "p": 0.3, "strength": {"min": 0.05, "max": 0.15}},
        {"name": "camera", "p": 1.0, "tilt_deg": {"min": -2, "max": 2}, "yaw_deg": {"min": -2, "max": 2},
         "roll_deg": {"min": -2, "max": 2}, "focal": {"min": 3, "max": 4}, "zoom": {"min": 1.0, "max": 1.02}},
        {"name": "gaussian_blur", "p": 0.5, "sigma": {"min": 0.3, "max": 0.7}},
        {"name": "gaussian_noise", "p": 0.5, "sigma": {"min": 1, "max": 3}},
        {"name": "jpeg", "p": 0.5, "quality": {"min": 75, "max": 95}},
    ],
    # a phone held over a receipt on a table: perspective, uneven indoor light, a shadow, sensor noise
    "phone_photo": [
        {"name": "wrinkle", "p": 0.3, "amplitude": {"min": 0.5, "max": 2}},
        {"name": "lighting_gradient", "p": 0.6},
        {"name": "color_temperature", "p": 0.5, "temperature": {"min": 3500, "max": 7500}},
        {"name": "shadow", "p": 0.3},
        {"name": "glare", "p": 0.15, "strength": {"min": 0.3, "max": 0.7}},
        {"name": "camera", "p": 1.0, "tilt_deg": {"min": -12, "max": 12}, "yaw_deg": {"min": -8, "max": 8},
         "roll_deg": {"min": -3, "max": 3}, "focal": {"min": 1.2, "max": 2.0}},
        {"name": "lens", "p": 0.5, "k": {"min": -0.15, "max": 0.15}},
        {"name": "gaussian_blur", "p": 0.4},
        {"name": "motion_blur", "p": 0.2, "length": {"min": 3, "max": 5}},
        {"name": "gaussian_noise", "p": 0.6},
        {"name": "jpeg", "p": 0.7, "quality": {"min": 60, "max": 92}},
    ],
    # a receipt that lived in a pocket: crumpled, folded, curled, torn, then photographed
    "crumpled": [
        {"name": "wrinkle", "p": 1.0},
        {"name": "fold", "p": 0.6},
        {"name": "curl", "p": 0.3},
        {"name": "torn_edge", "p": 0.3},
        {"name": "thermal_fade", "p": 0.3},
        {"name": "ink_bleed", "p": 0.2},
        {"name": "stain", "p": 0.2},
        {"name": "lighting_gradient", "p": 0.5},
        {"name": "shadow", "p": 0.4},
        {"name": "camera", "p": 1.0, "tilt_deg": {"min": -15, "max": 15}, "yaw_deg": {"min": -10, "max": 10}},
        {"name": "gaussian_noise", "p": 0.5},
        {"name": "jpeg", "p": 0.5},
    ],
    # everything at once, strongly: for robustness training and stress tests of the labels
    "harsh": [
        {"name": "wrinkle", "p": 0.7, "amplitude": {"min": 2, "max": 4}},
        {"name": "fold", "p": 0.5},
        {"name": "curl", "p": 0.4},
        {"name": "torn_edge", "p": 0.4},
        {"name": "thermal_fade", "p": 0.5, "strength": {"min": 0.3, "max": 0.6}},
        {"name": "ink_bleed", "p": 0.4, "spread": {"min": 0.8, "max": 1.5}},
        {"name": "stain", "p": 0.4},
        {"name": "lighting_gradient", "p": 0.8, "strength": {"min": 0.3, "max": 0.5}},
        {"name": "color_temperature", "p": 0.6},
        {"name": "shadow", "p": 0.6},
        {"name": "glare", "p": 0.4},
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
