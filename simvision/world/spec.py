"""The plain-data parts of a 3D scene that every 3D kind shares: camera, materials, lamps, sun and sky, weather.

JSON-serialisable pydantic models (a kind's spec embeds them, so a record holds them); no renderer imported.
Units: metres, degrees for the camera and sun; world Z up.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer

from simvision.world.camera import PinholeCamera

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


class MaterialSpec(_Spec):
    color: Vec3  # linear RGB 0..1
    roughness: float = 0.5
    metallic: float = 0.0
    emission: float = 0.0  # W/m^2-ish strength of an emissive surface (lamps, lights)
    transmission: float = 0.0


class LampSpec(_Spec):
    """A light. ``owner``: the id of the object it is mounted on (a car's head and tail lights), which carries it
    when it moves in a clip; 0 for a fixed light (left out of dumps, so stills without owners keep their bytes)."""

    kind: Literal["point", "spot"]
    position: Vec3
    direction: Vec3 = (0.0, 0.0, -1.0)
    color: Vec3 = (1.0, 0.85, 0.6)
    power_w: float = 500.0
    spot_deg: float = 90.0
    radius: float = 0.1
    owner: int = 0

    @model_serializer(mode="wrap")
    def _fixed_has_no_owner(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        out = handler(self)
        if not self.owner:
            out.pop("owner", None)
        return out


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


class ImagingSpec(_Spec):
    """The camera's image pipeline (:mod:`simvision.render.develop`): how its optics, auto exposure, white balance,
    tone curve, colour, sharpening and JPEG turn scene radiance into the frame. Sampled per image (cameras and
    their settings differ); the defaults are the middle of the street scene's ranges (records from before the pipeline have
    none and get it). The auto exposure meters each frame (a dark scene is exposed brighter); its compensation is
    the world's ``exposure`` (stops).

    ``max_gain_ev``: how far above a sunny day's exposure
    the camera can open up (longest shutter times analogue gain), after which dark scenes stay dark;
    ``blur_px``: the lens and demosaicing's Gaussian, px at 640 wide; ``flare``: veiling glare, the share of the
    frame's mean light scattered over it; ``awb``: how much of the grey-world cast the white balance removes;
    ``wb_error``: its residual red and blue log2 gains; ``contrast``: the tone curve's power (its log-log slope in the shadows: a
    toe that darkens them); ``white_ev``: stops above mid grey that clip to white; ``mid_grey``: the display value (linear)
    mid grey maps to; ``saturation``: the colour matrix's chroma scale; ``sharpen``: unsharp-mask amount;
    ``jpeg_quality``: the camera's own JPEG (0: none)."""

    max_gain_ev: float = 2.25
    blur_px: float = 0.5
    flare: float = 0.025
    awb: float = 0.6
    wb_error: tuple[float, float] = (0.0, 0.0)
    contrast: float = 1.15
    white_ev: float = 3.2
    mid_grey: float = 0.14
    saturation: float = 0.85
    sharpen: float = 0.3
    jpeg_quality: int = 0
