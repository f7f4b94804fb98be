"""Decals (number plates) in Blender: the World's raster as an in-memory image, mapped through a UV layer.

The image is the decal's own sRGB raster (``Decal.image``; no files): ``bpy.data.images.new`` filled with its
pixels and packed into the .blend data. The faces of the decal's slot that lie on its rectangle get UVs from
their vertices' positions on it (the 2D renderer maps pixels by the same coordinates); the slot's material shows
the image where its alpha is 1 and keeps its plain colour elsewhere (faces of the slot off every decal sample
outside the image, which is clipped to transparent).
"""

from __future__ import annotations

import numpy as np

from simvision.render.blender.session import bpy
from simvision.world.mesh import Mesh
from simvision.world.world import Decal

UV_LAYER = "decal"
OFF = (-1.0, -1.0)  # a UV outside the image: transparent with CLIP extension


def image(name: str, raster: np.ndarray) -> object:
    """A packed Blender image holding ``raster`` ((H,W,3) uint8 sRGB) exactly (rows stored bottom-up)."""
    b = bpy()
    h, w = raster.shape[:2]
    img = b.data.images.new(name, w, h, alpha=True)
    img.colorspace_settings.name = "sRGB"
    rgba = np.concatenate([raster, np.full((h, w, 1), 255, np.uint8)], axis=2)[::-1]
    img.pixels.foreach_set((rgba.astype(np.float32) / 255).ravel())
    img.pack()
    return img


def raster(img: object) -> np.ndarray:
    """(H,W,3) uint8 sRGB pixels of a Blender image, top row first (the inverse of :func:`image`)."""
    w, h = img.size
    px = np.empty(w * h * 4, np.float32)
    img.pixels.foreach_get(px)
    return np.round(px.reshape(h, w, 4)[::-1, :, :3] * 255).astype(np.uint8)


def loop_uvs(mesh: Mesh, decals: tuple[Decal, ...]) -> np.ndarray:
    """(F*3, 2) UV per face corner (the mesh's loops in face order): position on the decal rectangle a face lies on
    (u right, v up, as Blender's image space), ``OFF`` for faces on none."""
    uv = np.full((len(mesh.faces), 3, 2), OFF, np.float64)
    tris = mesh.triangles
    for d in decals:
        c = np.asarray(d.corners, np.float64)
        eu, ev = c[1] - c[0], c[3] - c[0]
        n = np.cross(eu, ev)
        n /= np.linalg.norm(n)
        rel = tris - c[0]
        u = (rel @ eu) / (eu @ eu)
        v = (rel @ ev) / (ev @ ev)
        on = (mesh.slots == d.slot) & (np.abs(rel @ n) < 0.01).all(axis=1)
        on &= ((u > -0.01) & (u < 1.01) & (v > -0.01) & (v < 1.01)).all(axis=1)
        uv[on] = np.stack([u[on], 1 - v[on]], axis=-1)
    return uv.reshape(-1, 2)


def material(mat: object, img: object) -> None:
    """Put ``img`` (through the ``decal`` UV layer, clipped) over ``mat``'s base colour where its alpha is 1."""
    nodes, links = mat.node_tree.nodes, mat.node_tree.links
    p = nodes["Principled BSDF"]
    uv = nodes.new("ShaderNodeUVMap")
    uv.uv_map = UV_LAYER
    tex = nodes.new("ShaderNodeTexImage")
    tex.image = img
    tex.extension = "CLIP"
    tex.interpolation = "Linear"
    links.new(uv.outputs["UV"], tex.inputs["Vector"])
    mix = nodes.new("ShaderNodeMix")
    mix.data_type = "RGBA"
    mix.inputs["A"].default_value = tuple(p.inputs["Base Color"].default_value)
    links.new(tex.outputs["Color"], mix.inputs["B"])
    links.new(tex.outputs["Alpha"], mix.inputs["Factor"])
    links.new(mix.outputs["Result"], p.inputs["Base Color"])
    p.inputs["Roughness"].default_value = 0.4


def add(ob: object, mesh: Mesh, decals: tuple[Decal, ...], materials: list, name: str) -> None:
    """Texture the decals of a built object: one image per distinct raster, the UV layer, the slots' materials."""
    me = ob.data
    layer = me.uv_layers.new(name=UV_LAYER)
    layer.data.foreach_set("uv", loop_uvs(mesh, decals).astype(np.float32).ravel())
    images: dict[int, object] = {}
    for k, d in enumerate(decals):
        key = id(d.image)
        if key not in images:
            images[key] = image(f"{name}.decal{k}", d.image)
            material(materials[min(d.slot, len(materials) - 1)], images[key])
