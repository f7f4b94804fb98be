"""One street frame in Blender: build, beauty render, label pass, read back, assemble the labeled Sample."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from simvision.render.blender import build, environment
from simvision.render.blender.session import bpy, choose_device, quiet, reset
from simvision.render.develop import develop
from simvision.render.sensor import BLENDER_NOISE
from simvision.types import Sample
from simvision.world.labels import world_sample
from simvision.world.world import World


@cache
def _scratch() -> Path:
    """This process's folder for Blender's output files (overwritten every frame)."""
    return Path(tempfile.mkdtemp(prefix="simvision-blender-"))


def _camera(world: World) -> None:
    from mathutils import Matrix

    b = bpy()
    cam = world.pinhole()
    data = b.data.cameras.new("camera")
    data.sensor_fit = "HORIZONTAL"
    data.sensor_width = cam.sensor_mm
    data.lens = cam.focal_mm
    data.clip_start, data.clip_end = cam.clip_start, cam.clip_end
    ob = b.data.objects.new("camera", data)
    ob.matrix_world = Matrix(cam.blender_matrix_world().tolist())
    b.context.scene.collection.objects.link(ob)
    b.context.scene.camera = ob


def _settings(world: World, settings: Any) -> str:
    b = bpy()
    scene = b.context.scene
    scene.render.engine = "CYCLES"
    device = choose_device(settings.device)
    scene.render.resolution_x, scene.render.resolution_y = world.width, world.height
    scene.render.resolution_percentage = 100
    scene.render.threads_mode = "FIXED" if settings.threads else "AUTO"  # the worker's share of the cores
    if settings.threads:
        scene.render.threads = settings.threads
    scene.cycles.samples = settings.samples
    scene.cycles.use_denoising = settings.denoised
    scene.cycles.denoiser = "OPENIMAGEDENOISE"  # the same denoiser on every device (OptiX's differs)
    # Measured on a 640x480 night dashcam frame at 16 spp (CPU-s): 19.0 raw, 25.0 with the default ACCURATE
    # prefilter, 19.4 with FAST, the two denoised images 1.6 grey levels apart on average and alike to the eye
    # (flat-shaded street surfaces give clean albedo and normal passes that need no denoising of their own)
    scene.cycles.denoising_prefilter = "FAST"
    scene.cycles.seed = world.render_seed
    # Measured at 320x240, 16 spp on the CPU: the light tree costs ~1 CPU-s a frame and buys nothing with a few dozen
    # real lamps; the default world importance map costs ~2.2 CPU-s a frame to build for a smooth sky without a sun
    # disc (the sun is a lamp), so a 128 px map is plenty.
    scene.cycles.use_light_tree = False
    # the beauty pass is read back scene-linear (EXR) and the camera's own pipeline (render.develop) exposes and
    # tonemaps it, as for the 2D projection; Blender's view transform only shows in its UI
    scene.view_settings.view_transform = "Standard"
    layer = scene.view_layers[0]
    layer.use_pass_object_index = True
    layer.use_pass_z = True
    return device


def _glare(world: World) -> None:
    """Mild bloom around lamps and headlights after dark (the compositor's Fog Glow on pixels brighter than 1 in
    scene-linear light); the compositor only makes the beauty image, the index and depth passes stay untouched."""
    if not world.lamps or world.sun.elevation_deg > 6:
        return
    scene = bpy().context.scene
    scene.use_nodes = True
    tree = scene.node_tree
    layers, out = tree.nodes["Render Layers"], tree.nodes["Composite"]
    glare = tree.nodes.new("CompositorNodeGlare")
    glare.glare_type = "FOG_GLOW"
    glare.quality = "MEDIUM"
    glare.threshold = 1.0
    glare.size = 7
    glare.mix = -0.75  # -1 is the image alone, 0 half glow
    tree.links.new(layers.outputs["Image"], glare.inputs["Image"])
    tree.links.new(glare.outputs["Image"], out.inputs["Image"])


def _save(path: Path, fmt: str) -> None:
    b = bpy()
    scene = b.context.scene
    s = scene.render.image_settings
    if fmt == "EXR_RGB":  # the composited beauty image, scene-linear
        s.file_format, s.color_mode, s.color_depth, s.exr_codec = "OPEN_EXR", "RGB", "32", "ZIP"
    else:
        s.file_format, s.color_depth, s.exr_codec = "OPEN_EXR_MULTILAYER", "32", "ZIP"
    b.data.images["Render Result"].save_render(str(path), scene=scene)


def _render() -> None:
    with quiet():
        bpy().ops.render.render()


def _read_beauty(path: Path) -> np.ndarray:
    """(H,W,3) float32 scene-linear RGB of a single-layer EXR."""
    import OpenEXR

    with OpenEXR.File(str(path)) as f:
        ch = f.channels()
        rgb = ch["RGB"].pixels if "RGB" in ch else np.stack([ch[c].pixels for c in "RGB"], axis=-1)
    return np.nan_to_num(np.asarray(rgb, np.float32)[..., :3], nan=0.0, posinf=1e4)


def _read_labels(path: Path) -> tuple[np.ndarray, np.ndarray]:
    import OpenEXR

    with OpenEXR.File(str(path)) as f:
        ch = f.channels()
        index = ch["ViewLayer.IndexOB.X"].pixels
        depth = ch["ViewLayer.Depth.Z"].pixels
    depth = np.where(depth >= 1e9, np.inf, depth).astype(np.float32)
    return np.rint(index).astype(np.int32), depth


def build_scene(world: World, settings: Any) -> tuple[list, str]:
    """Reset Blender and build the world; returns (objects to hide from labels, device used)."""
    reset()
    device = _settings(world, settings)
    _camera(world)
    _glare(world)
    build.add_objects(world.objects, world.weather, world.render_seed)
    environment.sky(world)
    environment.sun(world)
    environment.lamps(world)
    return environment.weather(world), device


def label_pass_settings(hidden: list) -> None:
    """One hard-edged sample of geometry only: weather hidden, one flat material, no bounces, no denoiser."""
    b = bpy()
    scene = b.context.scene
    for ob in hidden:
        ob.hide_render = True
    flat = b.data.materials.get("label-pass") or b.data.materials.new("label-pass")
    scene.view_layers[0].material_override = flat
    scene.cycles.samples = 1
    scene.cycles.use_denoising = False
    scene.cycles.max_bounces = 0
    scene.render.film_transparent = True
    scene.render.use_compositing = False


def render_frame(world: World, settings: Any) -> Sample:
    """Beauty render with Cycles; labels from the hard-edged index/depth pass of a volume- and particle-free view."""
    hidden, device = build_scene(world, settings)
    out = _scratch()
    _render()
    _save(out / "beauty.exr", "EXR_RGB")
    if hidden:  # fog and particles corrupt the index and depth passes: render labels without them
        label_pass_settings(hidden)
        _render()
    _save(out / "labels.exr", "EXR")
    # the camera after the lens, as for the 2D projection: optics, metered exposure, sensor noise (a denoised
    # path-traced frame is cleaner than any camera's: 3x3 patches of one grey were 2.4x as common as in real
    # dashcam frames), white balance, tone curve, sharpening and JPEG
    image, chosen = develop(
        _read_beauty(out / "beauty.exr"), world.imaging, world.exposure, world.render_seed, BLENDER_NOISE
    )
    id_map, depth = _read_labels(out / "labels.exr")
    render = {
        "engine": "blender",
        "device": device,
        "samples": settings.samples,
        "denoise": settings.denoised,
        "label_pass": "separate" if hidden else "beauty",
        "blender": bpy().app.version_string,
        "camera": chosen,
    }
    return world_sample(world, id_map, depth, image, render)
