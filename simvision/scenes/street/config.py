"""Scene-file parameters of the street generator (the ``params:`` section of ``scenes/street*.yaml``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from simvision.distributions import Choice, FloatRange, IntRange, Strict, choice_of, within
from simvision.world.assets.animals import SPECIES_NAMES
from simvision.world.imaging import ImagingParams

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
    "static",
    "dynamic",
    "ego_vehicle",
)  # Cityscapes names (plus ``animal``), so writers can map them to real datasets' ids
# ``static`` is Cityscapes' void class of fixed street furniture with no class of its own (bins, benches, bollards,
# hydrants, cones); ``dynamic`` its void class for "things that might not be there the next hour" (bags, boxes,
# parked e-scooters, debris): distractors with exact masks, ignored by Cityscapes' evaluation (trainId 255), left
# out of BDD100K detection and KITTI, a category of their own in COCO and YOLO (drop them there to treat them as
# unlabeled); ``ego_vehicle`` is Cityscapes' void ``ego vehicle`` (id 1): the camera car's own bonnet and dashboard
# at the bottom of a dashcam frame (last, so the other class ids stay as they were), never a detection target
EGO = "ego_vehicle"
#: background classes: labeled in the maps, but not objects (no boxes in previews, not counted as occluded or tiny)
STUFF = frozenset({"road", "sidewalk", "terrain", "sky", "building", "vegetation", "static", EGO})
#: road users and street furniture with a shape of their own
THINGS = frozenset(CLASSES[1:]) - STUFF - {"pole", "dynamic"}
LAYOUTS: tuple[str, ...] = ("straight", "junction", "curve")
# urban: terraces at the back of the sidewalk; suburban: houses set back behind front gardens (lawn, hedge)
DISTRICTS: tuple[str, ...] = ("urban", "suburban")
WEATHERS: tuple[str, ...] = ("clear", "rain", "fog", "snow")
SKIES: tuple[str, ...] = ("clear", "overcast")
ANIMALS: tuple[str, ...] = SPECIES_NAMES
DISTRACTORS: tuple[str, ...] = ("bag", "box", "scooter", "debris")
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
    parked_car: Annotated[IntRange, within(0, 40)] = Field(
        default_factory=lambda: _range(4, 18), description="parked cars, in rows along both kerbs"
    )
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

    queue_prob: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="chance an image has a queue of vehicles (at a junction's stop line)",
    )
    queue_length: Annotated[IntRange, within(1, 30)] = Field(
        default_factory=lambda: _range(2, 6), description="vehicles in a queue (taken from the counts above)"
    )
    queue_gap: Annotated[FloatRange, within(0.3, 20)] = Field(
        default_factory=lambda: _frange(1.5, 4.0), description="bumper-to-bumper gap in a queue, metres"
    )
    parked_row: Annotated[IntRange, within(1, 40)] = Field(
        default_factory=lambda: _range(3, 10), description="parked cars per row along one kerb"
    )
    parked_gap: Annotated[FloatRange, within(0.3, 20)] = Field(
        default_factory=lambda: _frange(0.6, 2.5),
        description="gap between parked cars in a row, metres (skewed to the short end: nose to tail)",
    )
    parked_left_share: float = Field(
        default=0.45, ge=0, le=1, description="share of parked cars along the left-hand (oncoming) kerb"
    )
    parked_hole_prob: float = Field(
        default=0.15, ge=0, le=1, description="chance of a longer hole (driveway, 4-12 m) before a parked car"
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


class PeopleParams(Strict):
    """How pedestrians (``traffic.pedestrian`` of them) gather: in groups, at parked cars, or alone."""

    group_prob: float = Field(
        default=0.35, ge=0, le=1, description="chance a sidewalk pedestrian starts a group (pair or more)"
    )
    group_size: Annotated[IntRange, within(2, 20)] = Field(
        default_factory=lambda: _range(2, 4), description="people in a group"
    )
    group_spacing: Annotated[FloatRange, within(0.5, 5)] = Field(
        default_factory=lambda: _frange(0.6, 1.5),
        description="centre distance of a group member to the groupmate it walks with, metres",
    )
    at_car_prob: float = Field(
        default=0.15, ge=0, le=1, description="chance a parked car has a person at one of its doors"
    )


class DistractorParams(Strict):
    """Unlabeled-in-most-formats clutter (class ``dynamic``): bags, boxes, parked e-scooters, debris."""

    count: Annotated[IntRange, within(0, 30)] = Field(
        default_factory=lambda: _range(0, 3), description="distractors per image"
    )
    kind: Annotated[Choice, choice_of(DISTRACTORS)] = Field(
        default_factory=lambda: Choice(choices={"bag": 2, "box": 2, "scooter": 2, "debris": 1})
    )
    on_road_prob: float = Field(
        default=0.2, ge=0, le=1, description="chance a distractor lies on the road (else the sidewalk)"
    )


class StreetFurnitureParams(Strict):
    """Static things along the road."""

    lanes: Annotated[IntRange, within(1, 8)] = Field(
        default_factory=lambda: _range(2, 4), description="total lanes, both directions"
    )
    lane_width: Annotated[FloatRange, within(2, 6)] = Field(default_factory=lambda: _frange(3.0, 3.6))
    sidewalk_width: Annotated[FloatRange, within(1, 20)] = Field(default_factory=lambda: _frange(2.0, 4.5))
    building_height: Annotated[FloatRange, within(2, 300)] = Field(default_factory=lambda: _frange(6.0, 30.0))
    district: Annotated[Choice, choice_of(DISTRICTS)] = Field(
        default_factory=lambda: Choice(choices={"urban": 4, "suburban": 1}),
        description="urban: buildings at the back of the sidewalk; suburban: houses behind front gardens",
    )
    front_garden: Annotated[FloatRange, within(0, 40)] = Field(
        default_factory=lambda: _frange(2.5, 7.0),
        description="suburban: depth of the front gardens between sidewalk and house, metres",
    )
    house_height: Annotated[FloatRange, within(2, 300)] = Field(
        default_factory=lambda: _frange(6.0, 11.0), description="suburban: house height, metres"
    )
    tree_row_prob: float = Field(
        default=0.75, ge=0, le=1, description="chance a sidewalk (one side of one block) has a row of trees"
    )
    tree_prob: float = Field(default=0.5, ge=0, le=1, description="chance of a tree per slot of a tree row")
    verge_prob: float = Field(
        default=0.35,
        ge=0,
        le=1,
        description="chance of a grass verge along the kerb per block side (sidewalk >= 3 m)",
    )
    hedge_prob: float = Field(
        default=0.3, ge=0, le=1, description="chance of hedges along the building line per block side"
    )
    # Signs as towns have them: several posts per block side near the kerb, 1-3 plates each, plates on lamp posts
    # too (estimates from Cityscapes' dashcam sequences: ~1.2 % of the pixels are signs, ~8 per frame).
    sign_spacing: Annotated[FloatRange, within(3, 500)] = Field(
        default_factory=lambda: _frange(6.0, 18.0),
        description="metres between sign posts along one kerb (each gap drawn from the range)",
    )
    sign_plates: Annotated[IntRange, within(1, 4)] = Field(
        default_factory=lambda: _range(1, 3), description="plates on one sign post (stacked, 2-2.5 m up)"
    )
    lamp_sign_prob: float = Field(
        default=0.35, ge=0, le=1, description="chance a lamp post carries sign plates too"
    )
    lamp_spacing: Annotated[FloatRange, within(5, 500)] = Field(default_factory=lambda: _frange(16.0, 28.0))
    crossing_prob: float = Field(
        default=0.5, ge=0, le=1, description="chance a street without a junction has a mid-block crossing"
    )
    crossing_light_prob: float = Field(
        default=0.8, ge=0, le=1, description="chance a mid-block crossing has traffic lights (else a zebra)"
    )
    mast_prob: float = Field(
        default=0.6,
        ge=0,
        le=1,
        description="chance a signalised approach has a cantilever mast with lights over the lanes",
    )


# Per mount, the ranges a scene file leaves out (it may still give any of them). Dashcam: behind the windscreen
# (KITTI's camera is 1.65 m up); roof: a sensor rig on the roof (nuScenes ~1.8 m, Waymo ~2.1 m); cctv: a 4-8 m pole
# at the kerb, pitched down 15-35 deg and turned towards the road; eye_level: a pedestrian on the sidewalk.
MOUNT_DEFAULTS: dict[str, dict[str, dict[str, Any]]] = {
    "dashcam": {},
    "roof": {
        "height": {"min": 1.8, "max": 2.3},
        "pitch_deg": {"min": 0.0, "max": 8.0},
        "bonnet": {"prob": 0.3, "rows": {"min": 0.02, "max": 0.08}, "dashboard_prob": 0.0},
    },
    "cctv": {
        "height": {"min": 4.0, "max": 8.0},
        "pitch_deg": {"min": 15.0, "max": 35.0},
        "yaw_deg": {"min": 10.0, "max": 35.0},
        "roll_deg": {"min": -0.5, "max": 0.5},
        "bonnet": {"prob": 0.0},
    },
    "eye_level": {
        "height": {"min": 1.6, "max": 1.9},  # eyes 1.45-1.75 m above a 0.15 m kerb
        "pitch_deg": {"min": -2.0, "max": 8.0},
        "yaw_deg": {"min": 5.0, "max": 30.0},
        "roll_deg": {"min": -3.0, "max": 3.0},
        "bonnet": {"prob": 0.0},
    },
}
VEHICLE_MOUNTS = frozenset({"dashcam", "roof"})


class BonnetParams(Strict):
    """The camera car's own bonnet (and dashboard) at the bottom of the frame, class ``ego_vehicle``. ``rows``:
    the share of the frame's rows it covers at the centre column (Cityscapes' dashcam ~10-20 %, BDD100K's a few
    to ~20 %; a roof camera sees at most the bonnet's front edge); ``dashboard``: the share of those rows that is
    dashboard (BDD100K-like mounts low behind the windscreen) when there is one. The front edge stays 0.8-3 m
    ahead of the camera, so a very wide lens (9-11 mm on 36 mm) sees more than ``rows`` and a long lens or a camera
    looking up less. Dashcam defaults; a roof mount's are ``prob`` 0.3, ``rows`` 2-8 %, no dashboard; kerb-side
    mounts have no car (``prob`` 0)."""

    prob: float = Field(default=0.9, ge=0, le=1, description="chance an image shows the ego vehicle")
    rows: Annotated[FloatRange, within(0.0, 0.45)] = Field(
        default_factory=lambda: _frange(0.06, 0.2), description="share of the frame's rows covered"
    )
    dashboard_prob: float = Field(default=0.35, ge=0, le=1, description="chance the dashboard shows below it")
    dashboard: Annotated[FloatRange, within(0.0, 0.9)] = Field(
        default_factory=lambda: _frange(0.2, 0.5), description="share of the covered rows that is dashboard"
    )


class CameraParams(Strict):
    """Where the camera sits (``mount``) and how it points. ``yaw_deg`` of a kerb-side mount (cctv, eye_level)
    turns it from along the road towards the road. ``height`` is above the road surface for every mount."""

    mount: Literal["dashcam", "roof", "cctv", "eye_level"] = "dashcam"
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
    bonnet: BonnetParams = Field(default_factory=BonnetParams)
    imaging: ImagingParams = Field(
        default_factory=ImagingParams, description="the camera's image pipeline (exposure, tone, colour)"
    )

    @model_validator(mode="before")
    @classmethod
    def _mount_defaults(cls, data: Any) -> Any:
        """A mount's own ranges for the fields the scene file leaves out (the bonnet's field by field)."""
        mount = data.get("mount") if isinstance(data, dict) else None
        if (
            isinstance(mount, str) and mount in MOUNT_DEFAULTS
        ):  # anything else: the field's own check names it
            own = MOUNT_DEFAULTS[data["mount"]]
            merged = {**own, **data}
            if isinstance(data.get("bonnet"), dict) and "bonnet" in own:
                merged["bonnet"] = {**own["bonnet"], **data["bonnet"]}
            data = merged
        return data

    @model_validator(mode="after")
    def _bonnet_on_a_car(self) -> CameraParams:
        if self.bonnet.prob > 0 and self.mount not in VEHICLE_MOUNTS:
            raise ValueError(
                f"bonnet.prob {self.bonnet.prob}: a {self.mount} camera has no car; "
                f"a bonnet needs mount {' or '.join(sorted(VEHICLE_MOUNTS))} (or bonnet.prob 0)"
            )
        return self


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
    people: PeopleParams = Field(default_factory=PeopleParams)
    distractors: DistractorParams = Field(default_factory=DistractorParams)
    camera: CameraParams = Field(default_factory=CameraParams)
    weather: WeatherParams = Field(default_factory=WeatherParams)
    light: LightParams = Field(default_factory=LightParams)
    min_transmittance: float = Field(
        default=0.1,
        ge=0,
        le=1,
        description="objects seen through less fog than this are marked too faint to label",
    )
