"""Renderer-agnostic 3D geometry: pinhole cameras, triangle meshes and an exact pixel-centre rasterizer."""
