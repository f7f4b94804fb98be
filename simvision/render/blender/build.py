"""Objects and materials of a street spec as Blender data (the same triangles the 2D projection draws)."""

from __future__ import annotations

import numpy as np

from simvision.render.blender import decals
from simvision.render.blender.session import bpy
from simvision.world.mesh import Mesh
from simvision.world.spec import MaterialSpec, WeatherSpec
from simvision.world.world import WorldObject


def _principled(mat):  # noqa: ANN001, ANN202
    return mat.node_tree.nodes["Principled BSDF"]


def _puddles(mat, p, color: np.ndarray, rough: float, wetness: float) -> None:  # noqa: ANN001
    """Standing water on faces that look up: a world-space noise (blobs a few metres across, deterministic in the
    position) picks puddles covering more of the ground the wetter it is; puddles are darker and mirror-smooth."""
    nodes, links = mat.node_tree.nodes, mat.node_tree.links
    coord = nodes.new("ShaderNodeTexCoord")
    noise = nodes.new("ShaderNodeTexNoise")
    noise.inputs["Scale"].default_value = 0.35
    noise.inputs["Detail"].default_value = 3.0
    links.new(
        coord.outputs["Object"], noise.inputs["Vector"]
    )  # object space = world space (identity transform)
    ramp = nodes.new("ShaderNodeMapRange")  # noise above the threshold is water, with a soft shore
    threshold = 0.62 - 0.14 * wetness
    ramp.inputs["From Min"].default_value = threshold
    ramp.inputs["From Max"].default_value = threshold + 0.04
    links.new(noise.outputs["Fac"], ramp.inputs["Value"])
    geo = nodes.new("ShaderNodeNewGeometry")
    up = nodes.new("ShaderNodeSeparateXYZ")
    links.new(geo.outputs["Normal"], up.inputs["Vector"])
    flat = nodes.new("ShaderNodeMath")
    flat.operation = "GREATER_THAN"
    flat.inputs[1].default_value = 0.9
    links.new(up.outputs["Z"], flat.inputs[0])
    water = nodes.new("ShaderNodeMath")
    water.operation = "MULTIPLY"
    links.new(ramp.outputs["Result"], water.inputs[0])
    links.new(flat.outputs["Value"], water.inputs[1])
    r = nodes.new("ShaderNodeMix")
    r.data_type = "FLOAT"
    r.inputs["A"].default_value = rough
    r.inputs["B"].default_value = 0.02
    links.new(water.outputs["Value"], r.inputs["Factor"])
    links.new(r.outputs["Result"], p.inputs["Roughness"])
    c = nodes.new("ShaderNodeMix")
    c.data_type = "RGBA"
    c.inputs["A"].default_value = (*color.tolist(), 1.0)
    c.inputs["B"].default_value = (*(color * 0.55).tolist(), 1.0)
    links.new(water.outputs["Value"], c.inputs["Factor"])
    links.new(c.outputs["Result"], p.inputs["Base Color"])


def material(name: str, spec: MaterialSpec, weather: WeatherSpec, ground: bool) -> object:
    """A Principled BSDF material; ground surfaces get wet (darker, glossier) and snow on faces that look up."""
    b = bpy()
    mat = b.data.materials.new(name)
    mat.use_nodes = True
    nodes, links = mat.node_tree.nodes, mat.node_tree.links
    p = _principled(mat)
    color = np.asarray(spec.color, np.float64)
    rough = spec.roughness
    wet = ground and weather.wetness > 0 and spec.emission == 0
    if wet:
        color = color * (1 - 0.45 * weather.wetness)
        rough = rough * (1 - 0.7 * weather.wetness)
    p.inputs["Base Color"].default_value = (*color.tolist(), 1.0)
    p.inputs["Roughness"].default_value = float(rough)
    if wet and weather.snow_cover == 0:  # under snow the ground is slush, not mirror-smooth standing water
        _puddles(mat, p, color, rough, weather.wetness)
    p.inputs["Metallic"].default_value = spec.metallic
    p.inputs["Transmission Weight"].default_value = spec.transmission
    if spec.emission > 0:
        # lamps and vehicle lights are real lights; their glowing surfaces need not be sampled as lights too
        mat.cycles.emission_sampling = "NONE"
        p.inputs["Emission Color"].default_value = (*spec.color, 1.0)
        p.inputs["Emission Strength"].default_value = spec.emission
    if weather.snow_cover > 0 and spec.emission == 0:
        # snow where the surface faces up: mix(base, white, cover * (normal.z > 0.7))
        geo = nodes.new("ShaderNodeNewGeometry")
        sep = nodes.new("ShaderNodeSeparateXYZ")
        gt = nodes.new("ShaderNodeMath")
        gt.operation = "GREATER_THAN"
        gt.inputs[1].default_value = 0.7
        mul = nodes.new("ShaderNodeMath")
        mul.operation = "MULTIPLY"
        mul.inputs[1].default_value = weather.snow_cover * 0.9
        mix = nodes.new("ShaderNodeMix")
        mix.data_type = "RGBA"
        mix.inputs["A"].default_value = (*color.tolist(), 1.0)
        mix.inputs["B"].default_value = (0.85, 0.87, 0.9, 1.0)
        links.new(geo.outputs["Normal"], sep.inputs["Vector"])
        links.new(sep.outputs["Z"], gt.inputs[0])
        links.new(gt.outputs["Value"], mul.inputs[0])
        links.new(mul.outputs["Value"], mix.inputs["Factor"])
        links.new(mix.outputs["Result"], p.inputs["Base Color"])
    return mat


def mesh_object(name: str, mesh: Mesh, materials: list, pass_index: int) -> object:
    """A Blender object from a :class:`Mesh` already in world coordinates (identity transform)."""
    b = bpy()
    me = b.data.meshes.new(name)
    me.from_pydata(mesh.vertices.tolist(), [], mesh.faces.tolist())
    for m in materials:
        me.materials.append(m)
    me.polygons.foreach_set("material_index", np.minimum(mesh.slots, len(materials) - 1).astype(np.int32))
    me.update()
    ob = b.data.objects.new(name, me)
    ob.pass_index = pass_index
    b.context.scene.collection.objects.link(ob)
    return ob


def add_objects(objects: tuple[WorldObject, ...], weather: WeatherSpec) -> None:
    for obj in objects:
        mats = [
            material(f"{obj.id}.{k}", m, weather, obj.ground or k in obj.wall_slots)
            for k, m in enumerate(obj.materials)
        ]
        ob = mesh_object(f"{obj.cls}.{obj.id}", obj.mesh, mats, obj.id)
        if obj.decals:
            decals.add(ob, obj.mesh, obj.decals, mats, f"{obj.cls}.{obj.id}")
