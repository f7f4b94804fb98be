"""A thin helper over a Blender shader node tree: make nodes, set a socket to a value or link it to another socket.

Values may be plain numbers, 3- or 4-tuples (colours, vectors) or output sockets of other nodes.
"""

from __future__ import annotations

from typing import Any

from simvision.render.blender.session import bpy

# ShaderNodeMix socket indices by data type (the sockets of every type exist; names repeat across types)
_MIX_IN = {"FLOAT": (2, 3), "VECTOR": (4, 5), "RGBA": (6, 7)}
_MIX_OUT = {"FLOAT": 0, "VECTOR": 1, "RGBA": 2}


class Graph:
    def __init__(self, tree: Any) -> None:
        self.nodes, self.links = tree.nodes, tree.links
        self._pos = self._normal = None
        self._shift: dict = {}

    def put(self, socket: Any, value: Any) -> None:
        if isinstance(value, bpy().types.NodeSocket):
            self.links.new(value, socket)
            return
        if socket.type == "RGBA" and len(value) == 3:
            value = (*value, 1.0)
        socket.default_value = value

    def node(self, kind: str, inputs: dict | None = None, **props: Any) -> Any:
        n = self.nodes.new(kind)
        for k, v in props.items():
            setattr(n, k, v)
        for k, v in (inputs or {}).items():
            self.put(n.inputs[k], v)
        return n

    def math(self, op: str, a: Any, b: Any = 0.0, c: Any = 0.0) -> Any:
        """``a op b`` (``MULTIPLY_ADD``: a * b + c)."""
        n = self.node("ShaderNodeMath", operation=op)
        for k, v in enumerate((a, b, c)):
            self.put(n.inputs[k], v)
        return n.outputs[0]

    def vmath(self, op: str, a: Any, b: Any = (0.0, 0.0, 0.0), scale: Any = 1.0) -> Any:
        n = self.node("ShaderNodeVectorMath", operation=op)
        self.put(n.inputs[0], a)
        self.put(n.inputs[1], b)
        self.put(n.inputs[3], scale)
        return n.outputs["Value" if op in ("DOT_PRODUCT", "LENGTH", "DISTANCE") else "Vector"]

    def scale(self, colour: Any, factor: Any) -> Any:
        """A colour (or vector) times a scalar."""
        return self.vmath("SCALE", colour, scale=factor)

    def mix(self, fac: Any, a: Any, b: Any, kind: str = "RGBA", blend: str = "MIX") -> Any:
        n = self.node("ShaderNodeMix", data_type=kind)
        if kind == "RGBA":
            n.blend_type = blend
        self.put(n.inputs[0], fac)
        ia, ib = _MIX_IN[kind]
        self.put(n.inputs[ia], a)
        self.put(n.inputs[ib], b)
        return n.outputs[_MIX_OUT[kind]]

    def ramp(self, value: Any, lo: float, hi: float, to_lo: float = 0.0, to_hi: float = 1.0) -> Any:
        """Linear map of ``value`` from [lo, hi] to [to_lo, to_hi], clamped."""
        n = self.node(
            "ShaderNodeMapRange",
            {"Value": value, "From Min": lo, "From Max": hi, "To Min": to_lo, "To Max": to_hi},
        )
        n.clamp = True
        return n.outputs["Result"]

    def shifted(self, vec: Any, w: float) -> Any:
        """``vec`` moved by an offset derived from ``w``: 3D textures of a shifted position stand in for 4D ones
        (4D noise and voronoi cost about twice as much to evaluate)."""
        if not w:
            return vec
        key = (id(vec), w)
        if key not in self._shift:
            self._shift[key] = self.vmath("ADD", vec, (w * 1.37 % 997.0, w * 0.71 % 991.0, w * 1.93 % 983.0))
        return self._shift[key]

    def noise(self, vec: Any, scale: float, w: float, detail: float = 3.0, rough: float = 0.5) -> Any:
        n = self.node(
            "ShaderNodeTexNoise",
            {"Vector": self.shifted(vec, w), "Scale": scale, "Detail": detail, "Roughness": rough},
            noise_dimensions="3D",
        )
        return n.outputs["Fac"]

    def voronoi(self, vec: Any, scale: float, w: float) -> Any:
        n = self.node("ShaderNodeTexVoronoi", {"Vector": self.shifted(vec, w), "Scale": scale})
        return n.outputs["Distance"]

    def white(self, vec: Any, w: float) -> Any:
        n = self.node("ShaderNodeTexWhiteNoise", {"Vector": vec, "W": w}, noise_dimensions="4D")
        return n.outputs["Value"]

    def xyz(self, vec: Any) -> Any:
        return self.node("ShaderNodeSeparateXYZ", {"Vector": vec}).outputs

    def vec(self, x: Any, y: Any, z: Any = 0.0) -> Any:
        return self.node("ShaderNodeCombineXYZ", {"X": x, "Y": y, "Z": z}).outputs["Vector"]

    @property
    def pos(self) -> Any:
        """World position (the meshes are built in world coordinates with an identity transform)."""
        if self._pos is None:
            self._pos = self.node("ShaderNodeTexCoord").outputs["Object"]
        return self._pos

    @property
    def normal(self) -> Any:
        """The true (unbumped) surface normal in world space."""
        if self._normal is None:
            self._normal = self.node("ShaderNodeNewGeometry").outputs["True Normal"]
        return self._normal
