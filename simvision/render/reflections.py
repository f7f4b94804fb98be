"""Screen-space reflections for the 2D renderer: wet ground and puddles, paint (the ego bonnet too) and glass mirror
the shaded frame itself.

After the first shading pass has the radiance of every pixel (and the sky behind), each pixel with mirror
reflectivity sends its view ray, mirrored about its normal, through the frame (:mod:`.reflection_kernels`: a
perspective-correct march against the planar depth buffer). Where it hits, it takes the radiance there from a mip of
the frame whose texels match the ray's blur (roughness x the screen distance it ran), fading out towards the frame's
edges; a ray that leaves the frame or meets nothing falls back to the environment: the sky as the camera sees it
above the horizon, the frame's mean ground below it (paint near a road mirrors dark road, not dimmed sky). The
mirror then mixes in by Schlick's Fresnel, as the sky-only reflection did before. Labels, ids and depth are not
touched; nothing here is random.
"""

from __future__ import annotations

import cv2
import numpy as np

from simvision.render.reflection_kernels import SKY, march
from simvision.render.shading import mat3, sky_radiance
from simvision.render.textures import GBuffer
from simvision.world.world import World

F32 = np.float32
SKY_SEEN = 1.8  # the visible sky's radiance over the sky light that shading uses
PALE = 0.35  # ... and how much of its colour it loses
LEVELS = 6  # mips of the frame for blurred reflections (level k: 2^k pixels a texel)
BLUR = 0.15  # blur radius in pixels per pixel of march per unit roughness
SMOOTH = (3, 7)  # (width, height) pixels of the box that smooths the mirror image
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
    """The frame and its area-averaged halvings (:data:`LEVELS` in all)."""
    out = [radiance]
    for _ in range(LEVELS - 1):
        h, w = out[-1].shape[:2]
        if min(h, w) < 4:
            break
        out.append(cv2.resize(out[-1], (w // 2, h // 2), interpolation=cv2.INTER_AREA))
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


def reflect_pass(
    world: World, radiance: np.ndarray, depth: np.ndarray, g: GBuffer, idx: np.ndarray, reflect: np.ndarray
) -> None:
    """Mix the frame's own mirror image into ``radiance`` (H,W,3, first-pass radiance with the sky behind; changed
    in place) at the G-buffer rows with ``reflect`` > 0."""
    rows = np.flatnonzero(reflect > 0)
    if len(rows) == 0:
        return
    cam = world.pinhole()
    h, w = depth.shape
    flat = radiance.reshape(-1, 3)
    n, v = g.normal[rows], g.view[rows]
    cosv = np.clip(np.einsum("ij,ij->i", n, v), 0, 1)
    r = (2 * cosv)[:, None] * n - v  # the mirrored view ray, world frame
    dirs = mat3(r, np.asarray(cam.rotation, F32).T)  # ... camera frame
    xy, length, flag = march(idx[rows], g.depth[rows], dirs, depth, cam.fx)
    rough = g.rough[rows]
    # the environment's ground: the frame's mean ground radiance (dark road, pavement)
    up = g.normal[:, 2] > 0.9
    ground_obj = np.array([o.ground for o in world.objects] or [False])
    on_ground = idx[ground_obj[g.obj] & up]
    ground = (
        flat[on_ground].mean(axis=0) if len(on_ground) else sky_radiance(world, np.zeros(1, F32))[0] * 0.1
    )
    mirror = environment(world, r[:, 2], ground, rough)
    seen = flag > 0
    if seen.any():
        chain = mips(radiance)
        s = np.flatnonzero(seen)
        level = np.log2(np.maximum(length[s] * rough[s] * F32(BLUR), F32(1)))
        got = sample_blurred(chain, xy[s, 0], xy[s, 1], level)
        margin = F32(EDGE * min(h, w))
        x, y = xy[s, 0], xy[s, 1]
        edge = np.minimum(np.minimum(x, w - x), np.minimum(y, h - y))
        fade = np.clip(edge / margin, 0, 1)
        fade = np.where(flag[s] == SKY, F32(1), fade)
        # rays turning back towards the camera would see the backs of what the frame shows from the front
        fade *= np.clip(F32(1) + dirs[s, 2] * F32(4), 0, 1)
        fade = fade[:, None]
        mirror[s] = got * fade + mirror[s] * (1 - fade)
    mirror = _smooth(mirror, idx[rows], h, w)
    fres = fresnel(reflect[rows], cosv)[:, None]
    px = idx[rows]
    flat[px] = flat[px] * (1 - fres) + mirror * fres


def _smooth(mirror: np.ndarray, px: np.ndarray, h: int, w: int) -> np.ndarray:
    """(N,3) ``mirror`` at the flat pixels ``px`` averaged over the reflecting pixels of a tall :data:`SMOOTH` box
    around each: hides the march's dither and stretches reflections down as rippled wet ground and paint do."""
    full = np.zeros((h * w, 4), F32)
    full[px, :3] = mirror
    full[px, 3] = 1
    full = cv2.blur(full.reshape(h, w, 4), SMOOTH).reshape(-1, 4)[px]
    return full[:, :3] / full[:, 3:]
