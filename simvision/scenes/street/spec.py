"""The sampled street scene: plain data, renderer-agnostic (no bpy), JSON-serialisable and replayable.

Units: metres, degrees for the camera and sun, radians for object yaw; world Z up, the road starts along +Y.
"""

from __future__ import annotations

from typing import Any, Literal

from simvision.world.camera import PinholeCamera
from simvision.world.spec import (
    CameraSpec,
    ImagingSpec,
    LampSpec,
    MaterialSpec,
    SunSpec,
    Vec3,
    WeatherSpec,
    _Spec,
)

__all__ = [
    "CameraSpec",
    "ImagingSpec",
    "LampSpec",
    "MaterialSpec",
    "SunSpec",
    "WeatherSpec",
    "LayoutSpec",
    "ObjectSpec",
    "StreetSpec",
]


class LayoutSpec(_Spec):
    """The road: a centreline (straight, or an arc of ``curvature`` 1/m) from ``start`` to ``length`` metres."""

    kind: Literal["straight", "junction", "curve"]
    lanes: int
    lane_width: float
    sidewalk_width: float
    curvature: float
    length: float
    start: float = -30.0
    junction_at: float | None = None  # distance along the road of a crossing road's centre
    cross_width: float = 0.0
    crossing_at: float | None = None  # distance along the road of a mid-block zebra crossing
    edge_lines: bool = False  # solid lines along both kerbs
    surface_seed: int = 0  # the road's wear: manholes, patches, sealed cracks, worn dashes (road_surface)
    district: Literal["urban", "suburban"] = "urban"  # what lines the sidewalks: terraces, or front gardens

    @property
    def road_half(self) -> float:
        return self.lanes * self.lane_width / 2


class ObjectSpec(_Spec):
    """One labeled object. Its mesh is a pure function of ``asset`` (a detailed procedural asset's builder and
    params, ``street.assets``) or, without one, of ``(kind, size, variant)`` (``street.models``), placed at
    ``position`` (ground centre) with ``yaw``; road, sidewalk and terrain meshes come from the layout. ``size`` is
    the footprint placement reserved: the mesh stays inside it."""

    id: int
    cls: str
    kind: str
    position: Vec3
    yaw: float
    size: Vec3  # length (along local x), width, height
    variant: int = 0
    materials: tuple[MaterialSpec, ...]
    group: int = 0  # objects that belong together (a rider and their bicycle, a pole and its sign)
    tags: tuple[str, ...] = ()
    asset: dict[str, Any] | None = None  # {"builder": ..., "params": {...}} (+ "plate" text for vehicles)


class StreetSpec(_Spec):
    width: int
    height: int
    camera: CameraSpec
    layout: LayoutSpec
    objects: tuple[ObjectSpec, ...]
    lamps: tuple[LampSpec, ...]
    sun: SunSpec
    weather: WeatherSpec
    time_of_day: float
    exposure: float  # the auto exposure's compensation, stops (the camera meters every frame)
    min_transmittance: float
    render_seed: int
    # where the camera sits; records from before mounts hold none (they were dashcams)
    mount: Literal["dashcam", "roof", "cctv", "eye_level"] = "dashcam"
    # the camera's image pipeline; records from before it hold none (they get ImagingSpec's defaults)
    imaging: ImagingSpec | None = None

    def pinhole(self) -> PinholeCamera:
        return self.camera.pinhole(self.width, self.height)

    def attributes(self) -> dict[str, str]:
        """Per-image attributes named as BDD100K does (weather, timeofday, scene)."""
        if self.weather.kind == "clear":
            weather = "overcast" if self.sun.sky == "overcast" else "clear"
        else:
            weather = {"rain": "rainy", "fog": "foggy", "snow": "snowy"}[self.weather.kind]
        e = self.sun.elevation_deg
        tod = "daytime" if e > 6 else "dawn/dusk" if e > -6 else "night"
        return {"weather": weather, "timeofday": tod, "scene": "city street"}
