"""Scene-file ranges of the camera's image pipeline and their sampler: ``ImagingParams -> ImagingSpec``.

Any 3D kind embeds :class:`ImagingParams` in its camera parameters and draws one :class:`ImagingSpec` per image, so
every image comes from a plausibly different camera (exposure bias, tone curve, white-balance error, colour,
sharpening, JPEG) rather than one fixed look. The defaults span what automotive cameras do: they expose low to keep
highlights (the road at mid grey, the sky allowed to clip), keep saturation below the scene's, and their white
balance leaves some of the light's cast.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np
from pydantic import Field

from simvision.distributions import FloatRange, IntRange, Strict, within
from simvision.world.spec import ImagingSpec


def _r(lo: float, hi: float) -> FloatRange:
    return FloatRange(min=lo, max=hi)


class ImagingParams(Strict):
    """Ranges of :class:`~simvision.world.spec.ImagingSpec`'s fields (see there), each drawn uniformly; plus
    ``ev_bias``: the auto exposure's compensation, stops (the world's ``exposure``)."""

    ev_bias: Annotated[FloatRange, within(-4, 4)] = Field(
        default_factory=lambda: _r(-0.8, 0.2), description="auto-exposure compensation, stops"
    )
    max_gain_ev: Annotated[FloatRange, within(0, 12)] = Field(
        default_factory=lambda: _r(1.5, 3.0),
        description="how far above a sunny day's gain the exposure reaches",
    )
    blur_px: Annotated[FloatRange, within(0, 5)] = Field(
        default_factory=lambda: _r(0.35, 0.7), description="lens and demosaicing blur, px at 640 wide"
    )
    flare: Annotated[FloatRange, within(0, 0.5)] = Field(
        default_factory=lambda: _r(0.01, 0.04), description="veiling glare: share of the mean light"
    )
    awb: Annotated[FloatRange, within(0, 1)] = Field(
        default_factory=lambda: _r(0.4, 0.85), description="share of the grey-world cast removed"
    )
    wb_error: Annotated[FloatRange, within(-1, 1)] = Field(
        default_factory=lambda: _r(-0.15, 0.15), description="residual red and blue gain errors, log2"
    )
    contrast: Annotated[FloatRange, within(0.5, 3)] = Field(
        default_factory=lambda: _r(1.0, 1.3), description="tone curve power (toe)"
    )
    white_ev: Annotated[FloatRange, within(0.5, 8)] = Field(
        default_factory=lambda: _r(2.5, 4.0), description="stops above mid grey that clip"
    )
    mid_grey: Annotated[FloatRange, within(0.02, 0.5)] = Field(
        default_factory=lambda: _r(0.11, 0.17), description="display value (linear) of mid grey"
    )
    saturation: Annotated[FloatRange, within(0, 2)] = Field(
        default_factory=lambda: _r(0.7, 0.95), description="colour matrix chroma scale"
    )
    sharpen: Annotated[FloatRange, within(0, 3)] = Field(
        default_factory=lambda: _r(0.0, 0.6), description="unsharp-mask amount"
    )
    jpeg_quality: Annotated[IntRange, within(0, 100)] = Field(
        default_factory=lambda: IntRange(min=82, max=95), description="the camera's JPEG (0: none)"
    )


def sample_imaging(rng: np.random.Generator, p: ImagingParams) -> tuple[ImagingSpec, float]:
    """One camera: its :class:`ImagingSpec` and its exposure compensation (stops)."""
    ev = p.ev_bias.sample(rng)
    spec = ImagingSpec(
        max_gain_ev=round(p.max_gain_ev.sample(rng), 3),
        blur_px=round(p.blur_px.sample(rng), 3),
        flare=round(p.flare.sample(rng), 4),
        awb=round(p.awb.sample(rng), 3),
        wb_error=(round(p.wb_error.sample(rng), 4), round(p.wb_error.sample(rng), 4)),
        contrast=round(p.contrast.sample(rng), 3),
        white_ev=round(p.white_ev.sample(rng), 3),
        mid_grey=round(p.mid_grey.sample(rng), 4),
        saturation=round(p.saturation.sample(rng), 3),
        sharpen=round(p.sharpen.sample(rng), 3),
        jpeg_quality=p.jpeg_quality.sample(rng),
    )
    return spec, round(ev, 3)
