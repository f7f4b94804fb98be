"""The renderer-agnostic 3D world: assets (and later meshes, cameras, lights) that every renderer draws alike."""
