"""Material choices (linear RGB) for street furniture and surfaces, drawn from the scene stream (road users take
theirs from their assets' slot colours: ``street.assets``)."""

from __future__ import annotations

import numpy as np

from simvision.scenes.street.spec import MaterialSpec
from simvision.world.assets import signs as sign_designs

FACADES = [
    (0.45, 0.2, 0.12),
    (0.5, 0.48, 0.45),
    (0.62, 0.55, 0.42),
    (0.7, 0.7, 0.66),
    (0.3, 0.3, 0.32),
    (0.55, 0.35, 0.25),
]


def _pick(rng: np.random.Generator, options: list[tuple[float, float, float]], jitter: float = 0.1) -> tuple:
    base = np.asarray(options[int(rng.integers(len(options)))])
    return tuple(float(v) for v in np.clip(base * rng.uniform(1 - jitter, 1 + jitter, 3), 0, 1).round(4))


def m(
    color: tuple,
    roughness: float = 0.5,
    metallic: float = 0.0,
    emission: float = 0.0,
    transmission: float = 0.0,
) -> MaterialSpec:
    return MaterialSpec(
        color=color, roughness=roughness, metallic=metallic, emission=emission, transmission=transmission
    )


SHOP_SIGNS = [(0.6, 0.05, 0.04), (0.05, 0.12, 0.4), (0.02, 0.02, 0.02), (0.85, 0.8, 0.7), (0.1, 0.35, 0.12)]
DOORS = [(0.12, 0.06, 0.03), (0.03, 0.03, 0.035), (0.05, 0.1, 0.2), (0.35, 0.05, 0.04)]


def building(rng: np.random.Generator, lit: bool) -> tuple[MaterialSpec, ...]:
    """Facade, roof and trim, shop glass, doors, shop signs (lit at night), balconies (models.building slots)."""
    facade = _pick(rng, FACADES)
    return (
        m(facade, 0.85),
        m((0.08, 0.08, 0.09), 0.9),
        m((0.05, 0.06, 0.07), 0.1, emission=3.0 if lit else 0.0),
        m(_pick(rng, DOORS), 0.6),
        m(_pick(rng, SHOP_SIGNS, 0.05), 0.4, emission=2.0 if lit else 0.0),
        m(tuple(round(min(1.0, c * 1.15 + 0.05), 4) for c in facade), 0.8),
    )


# mown, trodden, dusty verges read olive and dull in street photos, not lawn green
VERGE_GRASS = [(0.07, 0.1, 0.035), (0.09, 0.11, 0.05), (0.1, 0.1, 0.06), (0.06, 0.09, 0.03)]


def verge(rng: np.random.Generator) -> tuple[MaterialSpec, ...]:
    return (m(_pick(rng, VERGE_GRASS), 0.95),)


def tree(rng: np.random.Generator) -> tuple[MaterialSpec, ...]:
    return (
        m(_pick(rng, [(0.05, 0.18, 0.03), (0.1, 0.2, 0.04), (0.04, 0.12, 0.03)]), 0.8),
        m((0.12, 0.07, 0.04), 0.9),
    )


def metal(rng: np.random.Generator) -> MaterialSpec:
    return m(_pick(rng, [(0.3, 0.3, 0.3), (0.08, 0.1, 0.08), (0.15, 0.15, 0.16)]), 0.4, metallic=0.8)


def lamp_post(rng: np.random.Generator, lit: bool) -> tuple[MaterialSpec, ...]:
    return (metal(rng), m((1.0, 0.8, 0.55), 0.3, emission=40.0 if lit else 0.0))


def traffic_light(lit_lens: int) -> tuple[MaterialSpec, ...]:
    lens = [(0.9, 0.05, 0.02), (0.9, 0.5, 0.02), (0.05, 0.8, 0.2)][lit_lens]
    return (m((0.03, 0.03, 0.03), 0.6), m(lens, 0.2, emission=25.0), m((0.05, 0.05, 0.05), 0.2))


def sign(rng: np.random.Generator, design: int) -> tuple[MaterialSpec, ...]:
    """A plate of ``design``: its face (the decal's mean colour under it; retroreflective sheeting, fairly
    smooth) and its bare back."""
    grey = float(rng.uniform(0.3, 0.5))
    return (m(sign_designs.face_colour(design), 0.35), m((grey, grey, grey * 1.02), 0.5, metallic=0.7))


def pedestrian_light(green: bool) -> tuple[MaterialSpec, ...]:
    lens = (0.05, 0.8, 0.2) if green else (0.9, 0.05, 0.02)
    return (m((0.03, 0.03, 0.03), 0.6), m(lens, 0.2, emission=20.0), m((0.05, 0.05, 0.05), 0.2))


def surfaces(rng: np.random.Generator) -> dict[str, tuple[MaterialSpec, ...]]:
    grey = float(rng.uniform(0.04, 0.09))
    pave = float(rng.uniform(0.3, 0.45))
    return {
        # asphalt, paint, manholes and grates, newer patches, crack sealant (road_surface's slots)
        "road": (
            m((grey, grey, grey * 1.05), 0.7),
            m((0.75, 0.75, 0.72), 0.6),
            m((0.07, 0.07, 0.075), 0.4, metallic=0.6),
            m((grey * 0.7, grey * 0.7, grey * 0.72), 0.8),
            m((0.015, 0.015, 0.016), 0.3),
            # traffic wear (road_surface's bands): wheel-track edges and cores, polished darker; lane centres
            m((grey * 0.9, grey * 0.9, grey * 0.945), 0.75),
            m((grey * 0.8, grey * 0.8, grey * 0.84), 0.65),
            m((grey * 0.95, grey * 0.95, grey * 0.99), 0.7),
        ),
        # paving slabs, kerb stones
        "sidewalk": (
            m((pave, pave * 0.97, pave * 0.93), 0.85),
            m((pave * 1.15, pave * 1.15, pave * 1.12), 0.8),
        ),
        "terrain": (m(_pick(rng, [(0.06, 0.13, 0.03), (0.13, 0.15, 0.05), (0.09, 0.075, 0.045)]), 0.95),),
    }
