"""The sampled street scene: plain data, renderer-agnostic (no bpy), JSON-serialisable and replayable.

Units: metres, degrees for the camera and sun, radians for object yaw; world Z up, the road starts along +Y.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from simvision.geometry.camera import PinholeCamera

Vec3 = tuple[float, float, float]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CameraSpec(_Spec):
    position: Vec3
    yaw_deg: float
    pitch_deg: float
    roll_deg: float
    focal_mm: float
    sensor_mm: float = 36.0
    clip_start: float = 0.1
    clip_end: float = 1000.0

    def pinhole(self, width: int, height: int) -> PinholeCamera:
        return PinholeCamera(
            tuple(self.position),
            self.yaw_deg,
            self.pitch_deg,
            self.roll_deg,
            self.focal_mm,
            self.sensor_mm,
            width,
            height,
            self.clip_start,
            self.clip_end,
        )


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

    @property
    def road_half(self) -> float:
        return self.lanes * self.lane_width / 2


class MaterialSpec(_Spec):
    color: Vec3  # linear RGB 0..1
    roughness: float = 0.5
    metallic: float = 0.0
    emission: float = 0.0  # W/m^2-ish strength of an emissive surface (lamps, lights)
    transmission: float = 0.0


class ObjectSpec(_Spec):
    """One labeled object. Its mesh is a pure function of ``(kind, size, variant)`` (``street.models``) placed at
    ``position`` (ground centre) with ``yaw``; road, sidewalk and terrain meshes come from the layout."""

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


class LampSpec(_Spec):
    kind: Literal["point", "spot"]
    position: Vec3
    direction: Vec3 = (0.0, 0.0, -1.0)
    color: Vec3 = (1.0, 0.85, 0.6)
    power_w: float = 500.0
    spot_deg: float = 90.0
    radius: float = 0.1


class SunSpec(_Spec):
    elevation_deg: float
    heading_deg: float
    sky: Literal["clear", "overcast"]
    strength: float  # sun lamp irradiance, W/m^2 (0 when below the horizon or overcast)
    sky_strength: float


class WeatherSpec(_Spec):
    kind: Literal["clear", "rain", "fog", "snow"]
    intensity: float
    wetness: float  # 0 dry .. 1 flooded: darker, glossier road
    fog_density: float  # extinction per metre inside the fog volume (0 = none)
    fog_height: float
    snow_cover: float  # 0..1 of horizontal surfaces
    particles: int  # rain streaks or snow flakes near the camera
    particle_seed: int


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
    exposure: float
    min_transmittance: float
    render_seed: int

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
