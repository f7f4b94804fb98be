"""Labels of a 3D world from a rendered object-id map and depth map: pure functions shared by both renderers.

Per visible object: visible box (from the map), amodal box (the projection of the whole mesh), visible fraction
(visible pixels / pixels of its unoccluded in-frame silhouette), truncation (share of the amodal box outside the
frame), oriented 3D box in world and camera coordinates, distance, and mean fog transmittance over its visible
pixels (marked ``too_faint`` below the world's threshold, and with it ``ignore``, reason ``too_faint``). Objects of
the world's void classes (the camera car's bonnet) are marked ``ignore``, reason ``void``. Pixels
where nothing was hit are one instance of the world's background class (sky).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simvision.labels import boxes_and_areas
from simvision.types import Instances, Sample
from simvision.world.raster import coverage, projected_bounds
from simvision.world.world import World

DEPTH_SCALE = 256.0  # depth PNGs store metres * 256 as uint16 (the KITTI depth format); 0 = no depth


def fog_transmittance(world: World, depth: np.ndarray) -> np.ndarray:
    """(H,W) float32 transmittance of the fog layer (z in [0, fog_height]) between the camera and each hit; 1 for
    no fog, 0 where nothing was hit inside fog (sky seen through the layer)."""
    w = world.weather
    if w.fog_density <= 0:
        return np.ones(depth.shape, np.float32)
    cam = world.pinhole()
    rays = cam.pixel_rays()
    d = np.where(np.isfinite(depth), depth, cam.clip_end)
    world_dir = rays @ cam.rotation  # camera-frame rays to world frame (R^T r, row-wise)
    length = d * np.linalg.norm(rays, axis=-1)
    cz = cam.position[2]
    dz = world_dir[..., 2] * d
    with np.errstate(divide="ignore", invalid="ignore"):
        ta, tb = (0.0 - cz) / dz, (w.fog_height - cz) / dz
    lo = np.clip(np.minimum(ta, tb), 0, 1)
    hi = np.clip(np.maximum(ta, tb), 0, 1)
    inside = 0.0 <= cz <= w.fog_height
    frac = np.where(np.abs(dz) < 1e-9, 1.0 if inside else 0.0, np.maximum(hi - lo, 0))
    return np.exp(-w.fog_density * length * frac).astype(np.float32)


def world_sample(
    world: World,
    id_map: np.ndarray,
    depth: np.ndarray,
    image: np.ndarray,
    render: dict[str, Any],
    trans: np.ndarray | None = None,
) -> Sample:
    """Assemble the labeled :class:`Sample` from a renderer's object-id map (0 = nothing hit) and depth;
    ``trans``: :func:`fog_transmittance` of that depth when the renderer has it already."""
    cam = world.pinhole()
    sky_id = len(world.objects) + 1
    ids_map = np.where(id_map == 0, sky_id, id_map).astype(np.int32)
    present = np.unique(ids_map)
    boxes, areas = boxes_and_areas(ids_map, present)
    trans = fog_transmittance(world, depth) if trans is None else trans
    t_sum = np.bincount(ids_map.ravel(), weights=trans.ravel(), minlength=sky_id + 1)
    cols: dict[str, list[Any]] = {
        k: []
        for k in (
            "amodal_box",
            "visible_fraction",
            "truncation",
            "box3d",
            "box3d_cam",
            "distance",
            "fog_transmittance",
            "too_faint",
            "ignore",
            "ignore_reason",
            "group",
            "tags",
        )
    }
    extra_keys = sorted(
        {k for o in world.objects for k in o.extras}
    )  # per-instance extras (a vehicle's plate)
    cols.update({k: [] for k in extra_keys})
    class_ids = []
    frame = np.array([0, 0, cam.width, cam.height], np.float64)
    for row, iid in enumerate(present.tolist()):
        t_mean = float(t_sum[iid] / areas[row])
        cols["fog_transmittance"].append(round(t_mean, 4))
        faint = bool(t_mean < world.min_transmittance) and iid != sky_id
        void = iid != sky_id and world.objects[iid - 1].cls in world.void_classes
        cols["too_faint"].append(faint)
        cols["ignore"].append(faint or void)
        cols["ignore_reason"].append("void" if void else "too_faint" if faint else None)
        if iid == sky_id:
            class_ids.append(world.classes.index(world.background_class))
            cols["amodal_box"].append(boxes[row].tolist())
            cols["visible_fraction"].append(1.0)
            cols["truncation"].append(0.0)
            cols["box3d"].append(None)
            cols["box3d_cam"].append(None)
            cols["distance"].append(None)
            cols["group"].append(0)
            cols["tags"].append([])
            for k in extra_keys:
                cols[k].append(None)
            continue
        obj = world.objects[iid - 1]
        tris = obj.mesh.triangles
        class_ids.append(world.classes.index(obj.cls))
        amodal = projected_bounds(tris, cam)
        inter = np.maximum(0, np.minimum(amodal[2:], frame[2:]) - np.maximum(amodal[:2], frame[:2]))
        full = max(float(np.prod(amodal[2:] - amodal[:2])), 1e-9)
        cols["amodal_box"].append([round(float(v), 2) for v in amodal])
        cols["truncation"].append(round(1.0 - float(np.prod(inter)) / full, 4))
        cols["visible_fraction"].append(round(min(1.0, areas[row] / max(coverage(tris, cam), 1)), 4))
        b3 = obj.box3d
        if np.isnan(b3).any():
            cols["box3d"].append(None)
            cols["box3d_cam"].append(None)
            cols["distance"].append(round(float(depth[ids_map == iid].min()), 3))
        else:
            centre_cam = cam.to_camera(b3[:3])
            # micrometres and 1e-6 rad: the KITTI writer's boxes must reproject to within 0.01 px
            cols["box3d"].append([round(float(v), 6) for v in b3])
            cols["box3d_cam"].append([round(float(v), 4) for v in centre_cam])
            cols["distance"].append(round(float(np.linalg.norm(centre_cam)), 3))
        cols["group"].append(obj.group)
        cols["tags"].append(list(obj.tags))
        for k in extra_keys:
            cols[k].append(obj.extras.get(k))
    n = len(present)
    attrs = {}
    for k, v in cols.items():
        arr = np.empty(n, object)
        for i, x in enumerate(v):
            arr[i] = x
        attrs[k] = arr
    inst = Instances(
        instance_id=present.astype(np.int32),
        class_id=np.array(class_ids, np.int32),
        layer=np.zeros(n, np.int32),
        boxes=boxes,
        quads=np.full((n, 4, 2), np.nan, np.float32),
        text=("",) * n,
        attrs=attrs,
    )
    meta = {"camera": cam.to_json(), "attributes": dict(world.attributes), "renderer": render}
    return Sample(
        image=image, maps=ids_map[None], instances=inst, classes=world.classes, meta=meta, depth=depth
    )
