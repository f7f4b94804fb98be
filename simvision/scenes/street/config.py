"""Scene-file parameters of the street generator (the ``params:`` section of ``scenes/street*.yaml``)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from simvision.distributions import Choice, FloatRange, IntRange, Strict, choice_of, within
from simvision.world.assets.animals import SPECIES_NAMES

CLASSES: tuple[str, ...] = (
    "background",
    "road",
    "sidewalk",
    "building",
    "pole",
    "traffic light",
    "traffic sign",
    "vegetation",
    "terrain",
    "sky",
    "person",
    "rider",
    "car",
    "truck",
    "bus",
    "motorcycle",
    "bicycle",
    "animal",
)  # Cityscapes names (plus ``animal``), so writers can map them to real datasets' ids
#: background classes: labeled in the maps, but not objects (no boxes in previews, not counted as occluded or tiny)
STUFF = frozenset({"road", "sidewalk", "terrain", "sky", "building", "vegetation"})
#: road users and street furniture with a shape of their own
THINGS = frozenset(CLASSES[1:]) - STUFF - {"pole"}
LAYOUTS: tuple[str, ...] = ("straight", "junction", "curve")
WEATHERS: tuple[str, ...] = ("clear", "rain", "fog", "snow")
SKIES: tuple[str, ...] = ("clear", "overcast")
ANIMALS: tuple[str, ...] = SPECIES_NAMES
# Default species weights: dogs and cats are what a city street meets; deer, boar and fox stray in from the edge of
# town, farm animals are rarer still (estimates, not cited).
ANIMAL_WEIGHTS: dict[str, float] = {
    "dog_small": 2, "dog_medium": 3, "dog_large": 2, "cat": 2, "fox": 1,
    "deer": 1.5, "boar": 0.5, "horse": 0.5, "cow": 0.5, "sheep": 0.5,
}  # fmt: skip
OLD_ANIMALS = {
    "dog": ("dog_small", "dog_medium", "dog_large"),
    "deer": ("deer",),
}  # scene files before the assets


def _even(keys: tuple[str, ...]) -> Choice:
    return Choice(choices={k: 1.0 for k in keys})


def _range(lo: int, hi: int) -> IntRange:
    return IntRange(min=lo, max=hi)


def _frange(lo: float, hi: float) -> FloatRange:
    return FloatRange(min=lo, max=hi)


class TrafficParams(Strict):
    """How many of each road user; each count is drawn uniformly from its range. The bounds are a few times the
    shipped scenes' busiest street (counts past them only pile objects into each other): at 40 cars, 40 parked, 10
    trucks, 10 buses, 20 bicycles, 20 motorcycles, 60 pedestrians and 10 animals one 640x480 frame took 80 s on a
    loaded 2-core machine."""

    car: Annotated[IntRange, within(0, 30)] = Field(default_factory=lambda: _range(2, 8))
    parked_car: Annotated[IntRange, within(0, 30)] = Field(default_factory=lambda: _range(0, 6))
    truck: Annotated[IntRange, within(0, 6)] = Field(default_factory=lambda: _range(0, 1))
    bus: Annotated[IntRange, within(0, 6)] = Field(default_factory=lambda: _range(0, 1))
    bicycle: Annotated[IntRange, within(0, 12)] = Field(
        default_factory=lambda: _range(0, 2), description="each with a rider"
    )
    motorcycle: Annotated[IntRange, within(0, 12)] = Field(
        default_factory=lambda: _range(0, 1), description="each with a rider"
    )
    pedestrian: Annotated[IntRange, within(0, 40)] = Field(default_factory=lambda: _range(2, 10))
    crossing_pedestrian_prob: float = Field(
        default=0.2, ge=0, le=1, description="chance a pedestrian is on the road"
    )
    animal_prob: float = Field(default=0.1, ge=0, le=1, description="chance an image has animals at all")
    animal: Annotated[IntRange, within(0, 10)] = Field(
        default_factory=lambda: _range(1, 1), description="how many animals in an image that has any"
    )
    animal_on_road_prob: float = Field(
        default=0.7, ge=0, le=1, description="given an animal: on the road (else verge)"
    )
    animal_species: Annotated[Choice, choice_of(ANIMALS)] = Field(
        default_factory=lambda: Choice(choices=dict(ANIMAL_WEIGHTS))
    )

    @model_validator(mode="before")
    @classmethod
    def _old_species(cls, data: Any) -> Any:
        """Scene files before the asset library gave ``animal`` as a species choice over ``dog``/``deer``: read
        it as ``animal_species`` (a dog's weight split over the three dog sizes)."""
        if isinstance(data, dict) and isinstance(data.get("animal"), dict) and "choices" in data["animal"]:
            if "animal_species" in data:
                raise ValueError("give the species as animal_species, the count as animal: {min, max}")
            old = data["animal"]["choices"]
            if not set(old) <= set(OLD_ANIMALS):
                raise ValueError(
                    f"animal species {sorted(set(old) - set(OLD_ANIMALS))} unknown; use animal_species"
                )
            new = {s: w / len(OLD_ANIMALS[k]) for k, w in old.items() for s in OLD_ANIMALS[k]}
            data = {k: v for k, v in data.items() if k != "animal"} | {"animal_species": {"choices": new}}
        return data

    @field_validator("animal")
    @classmethod
    def _count(cls, v: IntRange) -> IntRange:
        if v.min < 0:
            raise ValueError(f"animal count must be >= 0, got min {v.min}")
        return v


class StreetFurnitureParams(Strict):
    """Static things along the road."""

    lanes: Annotated[IntRange, within(1, 8)] = Field(
        default_factory=lambda: _range(2, 4), description="total lanes, both directions"
    )
    lane_width: Annotated[FloatRange, within(2, 6)] = Field(default_factory=lambda: _frange(3.0, 3.6))
    sidewalk_width: Annotated[FloatRange, within(1, 20)] = Field(default_factory=lambda: _frange(2.0, 4.5))
    building_height: Annotated[FloatRange, within(2, 300)] = Field(default_factory=lambda: _frange(6.0, 30.0))
    tree_prob: float = Field(default=0.5, ge=0, le=1, description="chance of a tree per sidewalk slot")
    sign_count: Annotated[IntRange, within(0, 20)] = Field(default_factory=lambda: _range(1, 4))
    lamp_spacing: Annotated[FloatRange, within(5, 500)] = Field(default_factory=lambda: _frange(22.0, 35.0))


class CameraParams(Strict):
    height: Annotated[FloatRange, within(0.2, 50)] = Field(
        default_factory=lambda: _frange(1.3, 1.7), description="metres above the road"
    )
    pitch_deg: Annotated[FloatRange, within(-60, 60)] = Field(
        default_factory=lambda: _frange(-1.0, 6.0), description="> 0 looks down"
    )
    yaw_deg: Annotated[FloatRange, within(-90, 90)] = Field(
        default_factory=lambda: _frange(-6.0, 6.0), description="heading off the lane"
    )
    roll_deg: Annotated[FloatRange, within(-45, 45)] = Field(default_factory=lambda: _frange(-1.5, 1.5))
    focal_mm: Annotated[FloatRange, within(8, 600)] = Field(
        default_factory=lambda: _frange(18.0, 30.0), description="on a 36 mm sensor"
    )


class WeatherParams(Strict):
    kind: Annotated[Choice, choice_of(WEATHERS)] = Field(
        default_factory=lambda: Choice(choices={"clear": 2, "rain": 1, "fog": 1, "snow": 1})
    )
    intensity: Annotated[FloatRange, within(0, 1)] = Field(
        default_factory=lambda: _frange(0.3, 1.0), description="0 = trace, 1 = heavy"
    )
    fog_density: Annotated[FloatRange, within(0, 1)] = Field(
        default_factory=lambda: _frange(0.01, 0.06), description="fog extinction at intensity 1, per metre"
    )
    fog_height: Annotated[FloatRange, within(0.5, 10000)] = Field(
        default_factory=lambda: _frange(8.0, 40.0), description="metres"
    )


class LightParams(Strict):
    time_of_day: Annotated[FloatRange, within(0, 24)] = Field(
        default_factory=lambda: _frange(6.0, 23.5), description="hours, 0..24"
    )

    @field_validator("time_of_day")
    @classmethod
    def _hours(cls, v: FloatRange) -> FloatRange:
        if v.min < 0 or v.max > 24:
            raise ValueError(f"hours must lie in 0..24, got {v.min}..{v.max}")
        return v

    sky: Annotated[Choice, choice_of(SKIES)] = Field(
        default_factory=lambda: Choice(choices={"clear": 2, "overcast": 1})
    )
    sun_heading_deg: Annotated[FloatRange, within(-360, 720)] = Field(
        default_factory=lambda: _frange(0.0, 360.0)
    )
    headlights_on_prob: float = Field(
        default=0.3, ge=0, le=1, description="by day; always on at dusk and night"
    )


class StreetParams(Strict):
    layout: Annotated[Choice, choice_of(LAYOUTS)] = Field(default_factory=lambda: _even(LAYOUTS))
    street: StreetFurnitureParams = Field(default_factory=StreetFurnitureParams)
    traffic: TrafficParams = Field(default_factory=TrafficParams)
    camera: CameraParams = Field(default_factory=CameraParams)
    weather: WeatherParams = Field(default_factory=WeatherParams)
    light: LightParams = Field(default_factory=LightParams)
    min_transmittance: float = Field(
        default=0.1,
        ge=0,
        le=1,
        description="objects seen through less fog than this are marked too faint to label",
    )
