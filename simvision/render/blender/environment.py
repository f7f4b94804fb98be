"""Sky, sun, lamps and weather volumes/particles of a World in Blender."""

from __future__ import annotations

import numpy as np

from simvision.render.blender.build import mesh_object
from simvision.render.blender.session import bpy
from simvision.render.clouds import cloud_cover
from simvision.world.mesh import Mesh, box
from simvision.world.world import World


def outward(mesh: Mesh) -> Mesh:
    """The closed convex ``mesh`` with every triangle wound so its normal points away from the centroid.

    Cycles decides whether a ray enters or leaves a volume from the side of the surface it crosses; the prism
    primitive winds its side faces inwards, which made the fog box's volume stack inconsistent (measured: a fog of
    0.05/m changed the image by 6 grey levels where the labels said objects were at 5% transmittance).
    """
    tri = mesh.triangles
    normal = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    inward = np.einsum("ij,ij->i", normal, tri.mean(axis=1) - mesh.vertices.mean(axis=0)) < 0
    faces = np.where(inward[:, None], mesh.faces[:, ::-1], mesh.faces)
    return Mesh(mesh.vertices, faces.astype(np.int32), mesh.slots)


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
    # the fog's airlight stands in for sky light scattered in it (see fog_volume): scattering it again would make
    # the fog's brightness depend on its density, which the transmittance labels do not model
    sky_world.cycles_visibility.scatter = False
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
        clouds = _clouds(sky_world, tex.outputs["Color"], world.render_seed, cloud_cover(world))
        links.new(clouds, bg.inputs["Color"])
        bg.inputs["Strength"].default_value = s.sky_strength
    else:
        colour, strength = _flat_sky(world)
        bg.inputs["Color"].default_value = (*colour, 1.0)
        bg.inputs["Strength"].default_value = strength


def _clouds(sky_world, colour, seed: int, cover: float):  # noqa: ANN001, ANN202 - node sockets
    """Broken cumulus over a clear sky: a noise on a flat cloud deck (the view direction divided by its height, so
    clouds crowd and shrink towards the horizon), lit as a grey a little brighter than the sky around them. The
    noise's fourth coordinate comes from the frame's render seed: other frames, other clouds. ``cover``: the
    fraction of the sky under cloud (:func:`simvision.render.clouds.cloud_cover`, as the 2D renderer's sky), from a
    few cumulus to a broken sky."""
    nodes, links = sky_world.node_tree.nodes, sky_world.node_tree.links
    coord = nodes.new("ShaderNodeTexCoord")
    xyz = nodes.new("ShaderNodeSeparateXYZ")
    links.new(
        coord.outputs["Generated"], xyz.inputs["Vector"]
    )  # the world's generated coordinate: the direction
    height = nodes.new("ShaderNodeMath")
    height.operation = "MAXIMUM"
    height.inputs[1].default_value = 0.03
    links.new(xyz.outputs["Z"], height.inputs[0])
    deck = nodes.new("ShaderNodeCombineXYZ")
    for axis in ("X", "Y"):
        div = nodes.new("ShaderNodeMath")
        div.operation = "DIVIDE"
        links.new(xyz.outputs[axis], div.inputs[0])
        links.new(height.outputs["Value"], div.inputs[1])
        links.new(div.outputs["Value"], deck.inputs[axis])
    noise = nodes.new("ShaderNodeTexNoise")
    noise.noise_dimensions = "4D"
    noise.inputs["W"].default_value = float(seed % 1000) * 0.37
    noise.inputs["Scale"].default_value = 0.9
    noise.inputs["Detail"].default_value = 6.0
    links.new(deck.outputs["Vector"], noise.inputs["Vector"])
    edge = nodes.new(
        "ShaderNodeMapRange"
    )  # ``cover`` of the deck is cloud (a third at 0.52), with soft edges
    edge.inputs["From Min"].default_value = 0.66 - 0.42 * cover
    edge.inputs["From Max"].default_value = 0.82 - 0.42 * cover
    links.new(noise.outputs["Fac"], edge.inputs["Value"])
    above = nodes.new("ShaderNodeMapRange")  # no clouds below the horizon, thinning into the haze near it
    above.inputs["From Min"].default_value = 0.0
    above.inputs["From Max"].default_value = 0.15
    links.new(xyz.outputs["Z"], above.inputs["Value"])
    amount = nodes.new("ShaderNodeMath")
    amount.operation = "MULTIPLY"
    links.new(edge.outputs["Result"], amount.inputs[0])
    links.new(above.outputs["Result"], amount.inputs[1])
    grey = nodes.new("ShaderNodeRGBToBW")
    links.new(colour, grey.inputs["Color"])
    lit = nodes.new("ShaderNodeMath")
    lit.operation = "MULTIPLY"
    lit.inputs[1].default_value = 1.6
    links.new(grey.outputs["Val"], lit.inputs[0])
    mix = nodes.new("ShaderNodeMix")
    mix.data_type = "RGBA"
    links.new(amount.outputs["Value"], mix.inputs["Factor"])
    links.new(colour, mix.inputs["A"])
    links.new(lit.outputs["Value"], mix.inputs["B"])
    return mix.outputs["Result"]


def _flat_sky(world: World) -> tuple[tuple[float, float, float], float]:
    """Colour and strength of the uniform sky (overcast by day and dusk, deep blue at night)."""
    s = world.sun
    if s.elevation_deg > -6:
        return (0.55, 0.57, 0.6), s.sky_strength
    return (0.012, 0.016, 0.03), 0.05


def ambient(world: World) -> np.ndarray:
    """Mean radiance (linear RGB) of the light that reaches a point in open air from the sky: the airlight that
    fog far from the camera converges to. A uniform sky is its own mean. A clear sky with fog does not come out of
    the street generator (fog brings an overcast sky); for other worlds it is a rough, unmeasured estimate: a pale
    blue sky plus a share of the sun, fading out through dusk."""
    s = world.sun
    if s.sky == "clear" and s.elevation_deg > -8:
        day = float(np.clip((s.elevation_deg + 4.0) / 14.0, 0.02, 1.0))
        return np.array([0.26, 0.3, 0.38]) * s.sky_strength * day + 0.02 * s.strength * day
    colour, strength = _flat_sky(world)
    return np.asarray(colour) * strength


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


FOG_ALBEDO = 0.4  # share of the fog's extinction that scatters real lights (lamp halos, headlight beams)


def fog_volume(world: World) -> object:
    """The fog layer as a homogeneous volume box: extinction ``fog_density`` per metre (Blender units are metres),
    z from below the ground to ``fog_height``, reaching as far as the camera sees, so every camera ray is dimmed by
    exactly the transmittance the labels compute (:func:`simvision.world.labels.fog_transmittance`).

    Cycles follows only a few scattering events, so a purely scattering fog lit by the sky comes out dark grey.
    The extinction that does not scatter real lights is re-emitted as airlight instead (emission per metre =
    density * (1 - albedo) * ambient): a ray through deep fog then converges to the ambient sky radiance, the
    Koschmieder model I = J T + A (1 - T) the transmittance label assumes, noise-free because a homogeneous
    volume's emission is integrated analytically.
    """
    b = bpy()
    w = world.weather
    mat = b.data.materials.new("fog")
    mat.use_nodes = True
    nodes = mat.node_tree.nodes
    nodes.remove(nodes["Principled BSDF"])
    vol = nodes.new("ShaderNodeVolumePrincipled")
    # Principled Volume: extinction = density with a black absorption colour; scattering albedo = Color
    # Scattering only helps where real lights shine (sun, lamps, headlights): the sky is invisible to scattered
    # rays (see sky()), and a scattered camera ray ends at Cycles' volume bounce limit, so without lights it would
    # only darken the fog by an amount that depends on its density (measured: far objects 0.2 above their
    # transmittance against 0.01 without scattering)
    albedo = FOG_ALBEDO if world.lamps or world.sun.strength > 0 else 0.0
    vol.inputs["Color"].default_value = (albedo, albedo, albedo, 1.0)
    vol.inputs["Absorption Color"].default_value = (0.0, 0.0, 0.0, 1.0)
    vol.inputs["Density"].default_value = w.fog_density
    glow = ambient(world)
    vol.inputs["Emission Color"].default_value = (*glow.tolist(), 1.0)
    vol.inputs["Emission Strength"].default_value = w.fog_density
    mat.node_tree.links.new(vol.outputs["Volume"], nodes["Material Output"].inputs["Volume"])
    # a finite box around the camera (a world volume would swallow the sun and sky) that still holds every ray
    # up to the clip distance, where a sky pixel's label transmittance is taken
    cx, cy, _ = world.camera.position
    reach = 2.0 * world.camera.clip_end
    slab = box(cx - reach, cx + reach, cy - reach, cy + reach, -1.0, w.fog_height)
    fog = mesh_object("fog", outward(slab), [mat], 0)
    # Light reaches surfaces and the fog itself as if the layer were not there: real fog scatters forward many
    # times, so what lies under it stays lit. Only camera (and glossy) rays are dimmed, as the labels assume.
    fog.visible_shadow = False
    fog.visible_diffuse = False
    return fog


def weather(world: World) -> list:
    """Fog volume and rain/snow particles; returns the objects to hide from the label pass."""
    hidden = []
    if world.weather.fog_density > 0:
        hidden.append(fog_volume(world))
    seg = world.particles
    if len(seg):
        hidden.append(_particles(world, seg))
    return hidden


def _discs(
    centre: np.ndarray, cam: np.ndarray, radius: float, sides: int = 6
) -> tuple[np.ndarray, np.ndarray]:
    """Flat ``sides``-gons of ``radius`` facing the camera: round flakes rather than squares. Returns vertices
    (N*(sides+1),3) and triangles (N*sides,3)."""
    view = centre - cam
    view /= np.maximum(np.linalg.norm(view, axis=1, keepdims=True), 1e-9)
    u = np.cross(view, [0.0, 0.0, 1.0])
    u /= np.maximum(np.linalg.norm(u, axis=1, keepdims=True), 1e-9)
    v = np.cross(u, view)
    a = np.linspace(0, 2 * np.pi, sides, endpoint=False)
    ring = centre[:, None] + radius * (
        np.cos(a)[None, :, None] * u[:, None] + np.sin(a)[None, :, None] * v[:, None]
    )
    verts = np.concatenate([centre[:, None], ring], axis=1)  # (N, sides+1, 3), the centre first
    n = len(centre)
    base = (np.arange(n) * (sides + 1))[:, None]
    k = np.arange(sides)
    tris = np.stack([np.zeros(sides, int), 1 + k, 1 + (k + 1) % sides], axis=1)[None] + base[:, :, None]
    return verts.reshape(-1, 3), tris.reshape(-1, 3)


def _streaks(seg: np.ndarray, cam: np.ndarray, half_width: float) -> tuple[np.ndarray, np.ndarray]:
    """Thin quads along each segment, turned to face the camera (motion-blurred rain drops)."""
    view = seg.mean(axis=1) - cam
    side = np.cross(view, seg[:, 1] - seg[:, 0])
    side /= np.maximum(np.linalg.norm(side, axis=1, keepdims=True), 1e-9)
    half = half_width * side
    quads = np.stack([seg[:, 0] - half, seg[:, 0] + half, seg[:, 1] + half, seg[:, 1] - half], axis=1)
    n = len(quads)
    faces = np.arange(4 * n).reshape(n, 4)
    return quads.reshape(-1, 3), np.concatenate([faces[:, [0, 1, 2]], faces[:, [0, 2, 3]]])


def _particles(world: World, seg: np.ndarray) -> object:
    """Rain streaks as thin camera-facing quads; snow as small round camera-facing flakes (1.2 cm radius, a
    hexagon: at 640 px a square flake up close reads as a cube); both in one mesh, hidden from the label pass."""
    b = bpy()
    cam = np.asarray(world.camera.position)
    rain = world.weather.kind == "rain"
    verts, tris = _streaks(seg, cam, 0.0015) if rain else _discs(seg.mean(axis=1), cam, 0.012)
    mesh = Mesh(verts, tris.astype(np.int32), np.zeros(len(tris), np.int8))
    mat = b.data.materials.new("particles")
    mat.use_nodes = True
    p = mat.node_tree.nodes["Principled BSDF"]
    p.inputs["Base Color"].default_value = (0.9, 0.92, 0.95, 1.0)
    # rain is mostly see-through water (faint, as in photos); snow a translucent white that scatters light through it
    p.inputs["Alpha"].default_value = 0.15 if rain else 0.85
    p.inputs["Roughness"].default_value = 0.1 if rain else 0.9
    p.inputs["Emission Color"].default_value = (1, 1, 1, 1)
    p.inputs["Emission Strength"].default_value = 0.03 if rain else 0.06
    return mesh_object(world.weather.kind, mesh, [mat], 0)
