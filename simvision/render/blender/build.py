"""Objects of a World as Blender data (the same triangles the 2D projection draws), with procedural node
materials (:mod:`simvision.render.blender.materials`)."""

from __future__ import annotations

import numpy as np

from simvision.render.blender import decals, materials
from simvision.render.blender.session import bpy
from simvision.world.mesh import Mesh
from simvision.world.spec import WeatherSpec
from simvision.world.world import WorldObject


def mesh_object(name: str, mesh: Mesh, mats: list, pass_index: int) -> object:
    """A Blender object from a :class:`Mesh` already in world coordinates (identity transform)."""
    b = bpy()
    me = b.data.meshes.new(name)
    me.from_pydata(mesh.vertices.tolist(), [], mesh.faces.tolist())
    for m in mats:
        me.materials.append(m)
    me.polygons.foreach_set("material_index", np.minimum(mesh.slots, len(mats) - 1).astype(np.int32))
    me.update()
    ob = b.data.objects.new(name, me)
    ob.pass_index = pass_index
    b.context.scene.collection.objects.link(ob)
    return ob


def add_objects(objects: tuple[WorldObject, ...], weather: WeatherSpec, seed: int = 0) -> None:
    """Every object with its materials; ``seed`` (the frame's render seed) varies textures between frames."""
    for obj in objects:
        mats = [
            materials.material(f"{obj.id}.{s.index}", s, weather) for s in materials.object_slots(obj, seed)
        ]
        ob = mesh_object(f"{obj.cls}.{obj.id}", obj.mesh, mats, obj.id)
        if obj.decals:
            decals.add(ob, obj.mesh, obj.decals, mats, f"{obj.cls}.{obj.id}")
