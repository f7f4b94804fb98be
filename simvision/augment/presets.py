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
    # --- capture conditions (issue 17): where and how the receipt was captured -----------------------------------
    # a pale receipt on a white tablecloth: soft, even light and a bright, flat exposure leave little contrast
    # (pair with a white_cloth or linen background and pale paper, as scenes/receipt_white.yaml does)
    "white_on_white": [
        {"name": "thermal_fade", "p": 0.5, "strength": {"min": 0.1, "max": 0.4}},
        {"name": "lighting_gradient", "p": 0.6, "strength": {"min": 0.05, "max": 0.2}},
        {"name": "exposure", "p": 1.0, "ev": {"min": 0.1, "max": 0.5}, "flare": {"min": 0.04, "max": 0.14}},
        {"name": "color_temperature", "p": 0.4, "temperature": {"min": 4500, "max": 7000}},
        {"name": "camera", "p": 1.0, "tilt_deg": {"min": -10, "max": 10}, "yaw_deg": {"min": -8, "max": 8},
         "roll_deg": {"min": -4, "max": 4}, "focal": {"min": 1.2, "max": 2.0}},
        {"name": "gaussian_blur", "p": 0.5, "sigma": {"min": 0.3, "max": 0.9}},
        {"name": "gaussian_noise", "p": 0.6, "sigma": {"min": 1, "max": 4}},
        {"name": "jpeg", "p": 0.7, "quality": {"min": 70, "max": 92}},
    ],
    # a dark counter at night: one light level (low_light) sets the warm cast, under-exposure, shake blur and noise
    "night_counter": [
        {"name": "wrinkle", "p": 0.3, "amplitude": {"min": 0.5, "max": 2}},
        {"name": "lighting_gradient", "p": 0.8, "strength": {"min": 0.2, "max": 0.5}, "radial_p": 0.8},
        {"name": "camera", "p": 1.0, "tilt_deg": {"min": -15, "max": 15}, "yaw_deg": {"min": -10, "max": 10},
         "roll_deg": {"min": -5, "max": 5}, "focal": {"min": 1.2, "max": 2.0}},
        {"name": "low_light", "p": 1.0},
        {"name": "jpeg", "p": 0.8, "quality": {"min": 55, "max": 85}},
    ],
    # the phone's flash in a dim room: hot spot, dark corners, a blown-out mirror image on glossy thermal paper,
    # and the flash's hard-edged shadow of whatever is between it and the paper
    "flash": [
        {"name": "wrinkle", "p": 0.3, "amplitude": {"min": 0.5, "max": 2}},
        {"name": "flash", "p": 1.0},
        {"name": "shadow", "p": 0.3, "darkness": {"min": 0.4, "max": 0.7}, "penumbra": {"min": 0.002, "max": 0.01},
         "hand_p": 0.3},
        {"name": "camera", "p": 1.0, "tilt_deg": {"min": -8, "max": 8}, "yaw_deg": {"min": -8, "max": 8},
         "roll_deg": {"min": -4, "max": 4}, "focal": {"min": 1.2, "max": 1.8}},
        {"name": "lens", "p": 0.4, "k": {"min": -0.1, "max": 0.05}},
        {"name": "gaussian_noise", "p": 0.7, "sigma": {"min": 2, "max": 6}},
        {"name": "jpeg", "p": 0.7, "quality": {"min": 65, "max": 90}},
    ],
    # outdoors in daylight: bright, cool light, the hard shadow of a hand or the phone, some sun glare
    "daylight_outdoor": [
        {"name": "wrinkle", "p": 0.4, "amplitude": {"min": 0.5, "max": 2.5}},
        {"name": "exposure", "p": 0.6, "ev": {"min": -0.2, "max": 0.4}, "flare": {"min": 0.0, "max": 0.06}},
        {"name": "color_temperature", "p": 0.7, "temperature": {"min": 5500, "max": 8000}},
        {"name": "shadow", "p": 0.6, "darkness": {"min": 0.35, "max": 0.65}, "penumbra": {"min": 0.003,
         "max": 0.015}},
        {"name": "glare", "p": 0.2, "strength": {"min": 0.3, "max": 0.7}},
        {"name": "camera", "p": 1.0, "tilt_deg": {"min": -15, "max": 15}, "yaw_deg": {"min": -10, "max": 10},
         "roll_deg": {"min": -6, "max": 6}, "focal": {"min": 1.2, "max": 2.0}},
        {"name": "lens", "p": 0.3, "k": {"min": -0.1, "max": 0.1}},
        {"name": "gaussian_noise", "p": 0.5, "sigma": {"min": 1, "max": 3}},
        {"name": "jpeg", "p": 0.7, "quality": {"min": 70, "max": 92}},
    ],
    # a flatbed scanner (``scan`` covers document scanners too): the page lies on the glass, so no perspective,
    # only a small skew; the lamp is even and the scanner's levels push the paper to white
    "flatbed_scan": [
        {"name": "thermal_fade", "p": 0.4, "strength": {"min": 0.1, "max": 0.35}},
        {"name": "camera", "p": 1.0, "tilt_deg": {"min": 0, "max": 0}, "yaw_deg": {"min": 0, "max": 0},
         "roll_deg": {"min": -3, "max": 3}, "focal": {"min": 8, "max": 10}, "zoom": {"min": 1.0, "max": 1.02}},
        {"name": "exposure", "p": 1.0, "ev": {"min": 0.2, "max": 0.5}, "flare": {"min": 0.0, "max": 0.02}},
        {"name": "gaussian_blur", "p": 0.7, "sigma": {"min": 0.4, "max": 0.8}},
        {"name": "gaussian_noise", "p": 0.4, "sigma": {"min": 0.5, "max": 2}},
        {"name": "jpeg", "p": 0.5, "quality": {"min": 80, "max": 95}},
    ],
    # a fax or photocopy: skewed on the feeder, black-and-white at fax resolution, streaks and lost lines
    "fax": [
        {"name": "camera", "p": 1.0, "tilt_deg": {"min": 0, "max": 0}, "yaw_deg": {"min": 0, "max": 0},
         "roll_deg": {"min": -4, "max": 4}, "focal": {"min": 8, "max": 10}, "zoom": {"min": 1.0, "max": 1.02}},
        {"name": "fax", "p": 1.0},
    ],
}  # fmt: skip

#: Presets a scene file's weighted ``presets:`` choice draws from to mix capture conditions.
CAPTURE = ("white_on_white", "night_counter", "flash", "daylight_outdoor", "flatbed_scan", "fax")
