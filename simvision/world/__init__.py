"""The renderer-agnostic 3D world every 3D scene kind compiles into (:mod:`simvision.world.world`): pinhole camera,
triangle meshes, the exact rasterizer, spec parts (camera, material, lamp, sun, weather), label extraction from
id and depth maps, and procedural asset families (:mod:`simvision.world.assets`). Nothing here imports a renderer
or a scene kind."""
