"""Sky, sun, lamps and weather volumes/particles of a World in Blender."""

from __future__ import annotations

import numpy as np

from simvision.render.blender.build import mesh_object
from simvision.render.blender.session import bpy
from simvision.world.mesh import Mesh, box
from simvision.world.world import World


def _aim(ob, direction) -> None:  # noqa: ANN001
    """Point a light's local -Z along ``direction``."""
    from mathutils import Vector

    ob.rotation_euler = Vector(direction).to_track_quat("-Z", "Y").to_euler()


def sky(world: World) -> None:
    b = bpy()
    sky_world = b.data.worlds.new("sky")
    b.context.scene.world = sky_world
    sky_world.use_nodes = True
    sky_world.cycles.sampling_method = "MANUAL"
    sky_world.cycles.sample_map_resolution = 128
    nodes, links = sky_world.node_tree.nodes, sky_world.node_tree.links
    bg = nodes["Background"]
    s = world.sun
    if s.sky == "clear" and s.elevation_deg > -8:
        tex = nodes.new("ShaderNodeTexSky")
        tex.sky_type = "NISHITA"
        tex.sun_disc = False
        tex.sun_elevation = float(np.deg2rad(max(s.elevation_deg, -4.0)))
        # Nishita's rotation turns the sun clockwise from +Y (measured: rotation 90 puts it at +X); our heading
        # turns counter-clockwise from +Y
        tex.sun_rotation = float(np.deg2rad(-s.heading_deg) % (2 * np.pi))
        links.new(tex.outputs["Color"], bg.inputs["Color"])
        bg.inputs["Strength"].default_value = s.sky_strength
    else:
        night = (0.012, 0.016, 0.03)
        grey = (0.55, 0.57, 0.6)
        colour = grey if s.elevation_deg > -6 else night
        bg.inputs["Color"].default_value = (*colour, 1.0)
        bg.inputs["Strength"].default_value = s.sky_strength if s.elevation_deg > -6 else 0.05


def sun(world: World) -> None:
    s = world.sun
    if s.strength <= 0:
        return
    b = bpy()
    light = b.data.lights.new("sun", "SUN")
    light.energy = s.strength
    light.angle = np.deg2rad(0.545)
    ob = b.data.objects.new("sun", light)
    e, h = np.deg2rad([s.elevation_deg, s.heading_deg])
    towards = np.array([-np.sin(h) * np.cos(e), np.cos(h) * np.cos(e), np.sin(e)])
    _aim(ob, (-towards).tolist())
    b.context.scene.collection.objects.link(ob)


def lamps(world: World) -> None:
    b = bpy()
    for k, lamp in enumerate(world.lamps):
        light = b.data.lights.new(f"lamp.{k}", lamp.kind.upper())
        light.energy = lamp.power_w
        light.color = lamp.color
        light.shadow_soft_size = lamp.radius
        if lamp.kind == "spot":
            light.spot_size = np.deg2rad(lamp.spot_deg)
            light.spot_blend = 0.4
        ob = b.data.objects.new(f"lamp.{k}", light)
        ob.location = lamp.position
        if lamp.kind == "spot":
            _aim(ob, lamp.direction)
        b.context.scene.collection.objects.link(ob)


def weather(world: World) -> list:
    """Fog volume and rain/snow particles; returns the objects to hide from the label pass."""
    b = bpy()
    w = world.weather
    hidden = []
    if w.fog_density > 0:
        cx, cy, _ = world.camera.position
        mat = b.data.materials.new("fog")
        mat.use_nodes = True
        nodes = mat.node_tree.nodes
        nodes.remove(nodes["Principled BSDF"])
        vol = nodes.new("ShaderNodeVolumePrincipled")
        vol.inputs["Color"].default_value = (0.85, 0.87, 0.9, 1.0)
        vol.inputs["Density"].default_value = w.fog_density  # extinction per metre (absorption colour black)
        mat.node_tree.links.new(vol.outputs["Volume"], nodes["Material Output"].inputs["Volume"])
        # a finite box around the camera: a world volume would swallow the sun and sky
        slab = box(cx - 300, cx + 300, cy - 300, cy + 300, -1.0, w.fog_height)
        fog = mesh_object("fog", slab, [mat], 0)
        hidden.append(fog)
    seg = world.particles
    if len(seg):
        hidden.append(_particles(world, seg))
    return hidden


def _particles(world: World, seg: np.ndarray) -> object:
    """Rain streaks / snow flakes as thin quads facing the camera, in one mesh."""
    b = bpy()
    cam = np.asarray(world.camera.position)
    mid = seg.mean(axis=1)
    view = mid - cam
    along = seg[:, 1] - seg[:, 0]
    side = np.cross(view, along if world.weather.kind == "rain" else np.array([0.0, 0.0, 1.0]))
    side /= np.maximum(np.linalg.norm(side, axis=1, keepdims=True), 1e-9)
    half = (0.003 if world.weather.kind == "rain" else 0.012) * side
    if world.weather.kind == "snow":
        along = np.array([0.0, 0.0, 0.024])
        seg = np.stack([mid - along / 2, mid + along / 2], axis=1)
    quads = np.stack([seg[:, 0] - half, seg[:, 0] + half, seg[:, 1] + half, seg[:, 1] - half], axis=1)
    n = len(quads)
    faces = np.arange(4 * n).reshape(n, 4)
    tris = np.concatenate([faces[:, [0, 1, 2]], faces[:, [0, 2, 3]]])
    mesh = Mesh(quads.reshape(-1, 3), tris.astype(np.int32), np.zeros(len(tris), np.int8))
    mat = b.data.materials.new("particles")
    mat.use_nodes = True
    p = mat.node_tree.nodes["Principled BSDF"]
    p.inputs["Base Color"].default_value = (0.9, 0.92, 0.95, 1.0)
    p.inputs["Alpha"].default_value = 0.35 if world.weather.kind == "rain" else 0.9
    p.inputs["Emission Color"].default_value = (1, 1, 1, 1)
    p.inputs["Emission Strength"].default_value = 0.05
    return mesh_object(world.weather.kind, mesh, [mat], 0)
