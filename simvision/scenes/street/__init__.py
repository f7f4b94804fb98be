"""Street scenes: road layouts, traffic, people and animals under weather and light, as a renderer-agnostic 3D spec."""
