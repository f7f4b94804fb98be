"""Screen-space reflections for the 2D renderer: wet ground and puddles, paint (the ego bonnet too) and glass mirror
the shaded frame itself.

After the first shading pass has the radiance of every pixel (and the sky behind), each pixel with mirror
reflectivity sends its view ray, mirrored about its normal, through the frame (:mod:`.reflection_kernels`: a
perspective-correct march against the planar depth buffer). Where it hits, it takes the radiance there from a mip of
the frame whose texels match the ray's blur (roughness x the screen distance it ran), fading out towards the frame's
edges; a ray that leaves the frame or meets nothing falls back to the environment: the sky as the camera sees it
above the horizon, the frame's mean ground below it (paint near a road mirrors dark road, not dimmed sky). One pixel
in each 2x2 block marches; a tall Gaussian (:data:`SMOOTH`) averages the traced mirror images over the reflecting pixels
around each pixel (filling the others, hiding the march's dither, and stretching reflections down as rippled wet
ground does). The mirror then mixes in by Schlick's Fresnel, as the sky-only reflection did before. Labels, ids and
depth are not touched; nothing here is random. About 13 ms of CPU per 640x480 frame.
"""

from __future__ import annotations

import cv2
import numpy as np

from simvision.render import reflection_kernels as kernels
from simvision.render.shading import mat3, sky_colour, sky_radiance
from simvision.render.textures import GBuffer
from simvision.world.world import World

F32 = np.float32
SKY_SEEN = 1.8  # the visible sky's radiance over the sky light that shading uses
PALE = 0.35  # ... and how much of its colour it loses
LEVELS = 6  # mips of the frame for blurred reflections (level k: 2^k pixels a texel)
BLUR = 0.15  # blur radius in pixels per pixel of march per unit roughness
SMOOTH = (
    1.6,
    3.2,
)  # (x, y) sigma in pixels of the Gaussian that smooths the mirror image: wide enough to fill the
# untraced pixels (every other row and column) without the block edges a box leaves
EDGE = 0.08  # share of the frame's shorter side over which hits fade out towards its edges


def seen_sky(sky: np.ndarray) -> np.ndarray:
    """Sky radiance (N,3) as the camera exposed for the street sees it: brighter and paler than the light it
    casts."""
    return sky * F32(SKY_SEEN * (1 - PALE)) + sky.mean(axis=-1, keepdims=True) * F32(SKY_SEEN * PALE)


def environment(world: World, rz: np.ndarray, ground: np.ndarray, rough: np.ndarray) -> np.ndarray:
    """(N,3) what a reflected ray with up-component ``rz`` sees when the frame cannot tell: the seen sky above the
    horizon, ``ground`` (3,) radiance below it, a horizon as soft as the surface is rough."""
    sky = seen_sky(sky_radiance(world, np.maximum(rz, F32(0))))
    soft = F32(0.01) + F32(0.2) * rough
    t = np.clip(F32(0.5) - rz / (2 * soft), 0, 1)[:, None]
    return sky * (1 - t) + ground.astype(F32) * t


def mips(radiance: np.ndarray) -> list[np.ndarray]:
    """The frame and its area-averaged halvings (:data:`LEVELS` in all, down to 1x1 at most)."""
    out = [np.ascontiguousarray(radiance, F32)]
    for _ in range(LEVELS - 1):
        h, w = out[-1].shape[:2]
        out.append(cv2.resize(out[-1], (max(w // 2, 1), max(h // 2, 1)), interpolation=cv2.INTER_AREA))
    return out


def _bilinear(tex: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    h, w = tex.shape[:2]
    x = np.clip(x - F32(0.5), 0, w - 1)
    y = np.clip(y - F32(0.5), 0, h - 1)
    x0, y0 = np.minimum(x.astype(np.int32), max(w - 2, 0)), np.minimum(y.astype(np.int32), max(h - 2, 0))
    fx, fy = (x - x0)[:, None], (y - y0)[:, None]
    x1, y1 = np.minimum(x0 + 1, w - 1), np.minimum(y0 + 1, h - 1)
    top = tex[y0, x0] * (1 - fx) + tex[y0, x1] * fx
    bottom = tex[y1, x0] * (1 - fx) + tex[y1, x1] * fx
    return (top * (1 - fy) + bottom * fy).astype(F32)


def sample_blurred(chain: list[np.ndarray], x: np.ndarray, y: np.ndarray, level: np.ndarray) -> np.ndarray:
    """(N,3) the frame at pixel points (x, y), blurred to mip ``level`` (fractional: the two levels around it)."""
    level = np.clip(level, 0, len(chain) - 1).astype(F32)
    lo = np.minimum(level.astype(np.int32), len(chain) - 1)
    frac = (level - lo)[:, None]
    out = np.empty((len(x), 3), F32)
    for k in np.unique(lo).tolist():
        sel = np.flatnonzero(lo == k)
        s = F32(0.5**k)
        a = _bilinear(chain[k], x[sel] * s, y[sel] * s)
        if k + 1 < len(chain):
            b = _bilinear(chain[k + 1], x[sel] * (s * F32(0.5)), y[sel] * (s * F32(0.5)))
            a = a + (b - a) * frac[sel]
        out[sel] = a
    return out


def fresnel(reflect: np.ndarray, cosv: np.ndarray) -> np.ndarray:
    """(N,) Schlick's Fresnel times the surface's mirror reflectivity (at least 8 % of it, the old floor)."""
    return np.maximum(reflect * (F32(0.04) + F32(0.96) * (1 - cosv) ** 5), reflect * F32(0.08))


def _ground(world: World, g: GBuffer, rows: np.ndarray) -> np.ndarray:
    """(3,) the environment's ground: the mean first-pass radiance ``rows`` (N,3) of level ground (every 16th
    pixel: a mean), or a tenth of the sky where the frame shows none."""
    ground_obj = np.array([o.ground for o in world.objects] or [False])
    on = np.flatnonzero(ground_obj[g.obj[::16]] & (g.normal[::16, 2] > 0.9)) * 16
    if len(on) == 0:
        return (sky_radiance(world, np.zeros(1, F32))[0] * F32(0.1)).astype(F32)
    return rows[on].mean(axis=0).astype(F32)


def _traced(rows: np.ndarray, idx: np.ndarray, width: int) -> np.ndarray:
    """The reflecting rows that march: one pixel in each 2x2 block (the smoothing box fills the others)."""
    px = idx[rows]
    return rows[((px // width) & 1 == 0) & ((px % width) & 1 == 0)]


def _sky_params(world: World, h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    sky = np.asarray(sky_colour(world), F32)
    prm = np.array([BLUR, EDGE * min(h, w), SKY_SEEN * (1 - PALE), SKY_SEEN * PALE], F32)
    return sky, prm


def reflect_pass(
    world: World,
    radiance: np.ndarray,
    depth: np.ndarray,
    g: GBuffer,
    idx: np.ndarray,
    reflect: np.ndarray,
    shaded: np.ndarray,
) -> None:
    """Mix the frame's own mirror image into ``radiance`` (H,W,3, first-pass radiance with the sky behind; changed
    in place) at the G-buffer rows with ``reflect`` > 0 (``shaded``: the rows' first-pass radiance). The numba
    kernels of :mod:`.reflection_kernels`; :func:`reflect_pass_numpy` to ~1e-5."""
    if not (reflect > 0).any():
        return
    cam = world.pinhole()
    h, w = depth.shape
    ground = _ground(world, g, shaded)
    sky, prm = _sky_params(world, h, w)
    full = np.zeros((h * w, 4), F32)
    kernels.trace_kernel(
        reflect, idx, g.normal, g.view, g.depth, g.rough, np.asarray(cam.rotation, F32),
        np.ascontiguousarray(depth, F32), F32(cam.fx), kernels.DITHER, tuple(mips(radiance)), sky, ground, prm,
        full,
    )  # fmt: skip
    smooth = smooth_sums(full, h, w)
    kernels.mix_kernel(
        radiance.reshape(-1, 3), reflect, idx, g.normal, g.view, g.rough, smooth, sky, ground, prm
    )


def reflect_pass_numpy(
    world: World,
    radiance: np.ndarray,
    depth: np.ndarray,
    g: GBuffer,
    idx: np.ndarray,
    reflect: np.ndarray,
    shaded: np.ndarray,
) -> None:
    """:func:`reflect_pass` in numpy (:func:`.reflection_kernels.march_numpy`, :func:`environment`,
    :func:`sample_blurred`, :func:`fresnel`): the kernels' reference."""
    rows = np.flatnonzero(reflect > 0)
    if len(rows) == 0:
        return
    cam = world.pinhole()
    h, w = depth.shape
    flat = radiance.reshape(-1, 3)
    ground = _ground(world, g, shaded)
    t = _traced(rows, idx, w)
    n, v = g.normal[t], g.view[t]
    cosv = np.clip(n[:, 0] * v[:, 0] + n[:, 1] * v[:, 1] + n[:, 2] * v[:, 2], 0, 1)
    r = (2 * cosv)[:, None] * n - v  # the mirrored view ray, world frame
    dirs = mat3(r, np.asarray(cam.rotation, F32).T)  # ... camera frame
    xy, length, flag = kernels.march_numpy(idx[t], g.depth[t], dirs, depth, cam.fx)
    rough = g.rough[t]
    mirror = environment(world, r[:, 2], ground, rough)
    s = np.flatnonzero(flag > 0)
    if len(s):
        chain = mips(radiance)
        level = np.log2(np.maximum(length[s] * rough[s] * F32(BLUR), F32(1)))
        got = sample_blurred(chain, xy[s, 0], xy[s, 1], level)
        x, y = xy[s, 0], xy[s, 1]
        edge = np.minimum(np.minimum(x, w - x), np.minimum(y, h - y))
        fade = np.clip(edge / F32(EDGE * min(h, w)), 0, 1)
        fade = np.where(flag[s] == kernels.SKY, F32(1), fade)
        # rays turning back towards the camera would see the backs of what the frame shows from the front
        fade *= np.clip(F32(1) + dirs[s, 2] * F32(4), 0, 1)
        fade = fade[:, None]
        mirror[s] = got * fade + mirror[s] * (1 - fade)
    sums = _smooth_sums(mirror, idx[t], h, w)[idx[rows]]
    n, v = g.normal[rows], g.view[rows]
    cosv = np.clip(n[:, 0] * v[:, 0] + n[:, 1] * v[:, 1] + n[:, 2] * v[:, 2], 0, 1)
    own = environment(world, 2 * cosv * n[:, 2] - v[:, 2], ground, g.rough[rows])
    with np.errstate(invalid="ignore", divide="ignore"):
        m = np.where(sums[:, 3:] > 0, sums[:, :3] / sums[:, 3:], own)
    fres = fresnel(reflect[rows], cosv)[:, None]
    px = idx[rows]
    flat[px] = flat[px] * (1 - fres) + m * fres


def _smooth_sums(mirror: np.ndarray, px: np.ndarray, h: int, w: int) -> np.ndarray:
    """(H*W,4) the mirror images ``mirror`` of the flat pixels ``px`` and their count, summed over a tall
    :data:`SMOOTH` box around every pixel: it fills the pixels between the traced ones, hides the march's dither,
    and stretches reflections down as rippled wet ground and paint do."""
    full = np.zeros((h * w, 4), F32)
    full[px, :3] = mirror
    full[px, 3] = 1
    return smooth_sums(full, h, w)


def smooth_sums(full: np.ndarray, h: int, w: int) -> np.ndarray:
    """(H*W,4) summed mirror colours and their weight under the :data:`SMOOTH` Gaussian (colour / weight is the
    smoothed mirror image of every pixel with a traced pixel near it)."""
    return cv2.GaussianBlur(full.reshape(h, w, 4), (0, 0), SMOOTH[0], sigmaY=SMOOTH[1]).reshape(-1, 4)
