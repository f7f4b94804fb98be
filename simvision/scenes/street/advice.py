"""What ``simvision compare`` suggests for a street scene file: per topic, (to raise the statistic, to lower it)."""

from __future__ import annotations

ADVICE: dict[str, tuple[str, str]] = {
    "brightness": (
        "move `light.time_of_day` towards midday; more `light.sky: clear` and `weather.kind: clear`",
        "more dusk and night in `light.time_of_day`; more `light.sky: overcast`, rain and fog in `weather.kind`",
    ),
    "contrast": (
        "more `light.sky: clear` (hard shadows); less fog in `weather.kind`, lower `weather.intensity`",
        "more fog and overcast; raise `weather.intensity` and `weather.fog_density`",
    ),
    "colour": (
        "daylight in `light.time_of_day`; less fog and snow in `weather.kind`",
        "more overcast, fog, snow and night (`light.sky`, `weather.kind`, `light.time_of_day`)",
    ),
    "objects_per_image": (
        "raise the `traffic.car`, `traffic.parked_car` and `traffic.pedestrian` ranges",
        "lower the `traffic.car`, `traffic.parked_car` and `traffic.pedestrian` ranges",
    ),
    "class_share": (
        "raise that class's `traffic.*` count range",
        "lower that class's `traffic.*` count range",
    ),
    "box_size": (
        "raise `camera.focal_mm` (a narrower view makes objects larger); lower `tiny_objects` edge-case rate",
        "lower `camera.focal_mm` (a wider view makes objects smaller)",
    ),
    "box_size:person": (
        "raise `camera.focal_mm`; narrower `street.sidewalk_width` brings pedestrians nearer the camera",
        "lower `camera.focal_mm`; wider `street.sidewalk_width`",
    ),
    "box_aspect": (
        "more wide objects: raise `traffic.car`, `traffic.bus`, `traffic.truck`",
        "more tall objects: raise `traffic.pedestrian`, `traffic.bicycle`",
    ),
    "box_cx": (
        "shift `camera.yaw_deg` to the left (objects move right)",
        "shift `camera.yaw_deg` to the right (objects move left)",
    ),
    "box_cy": (
        "lower `camera.pitch_deg` (the horizon and the objects on it move down the image)",
        "raise `camera.pitch_deg` (look down more: the horizon moves up); raise `camera.height`",
    ),
}
