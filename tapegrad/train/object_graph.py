"""The ``TrackableObjectGraph`` message a checkpoint stores under ``_CHECKPOINTABLE_OBJECT_GRAPH``:
one node per object (root first, in breadth-first order), each with its children's node ids and
local names, the checkpoint keys of its own tensors, and its slot variables."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..formats import wire

__all__ = ["Node", "encode_graph", "decode_graph", "GRAPH_KEY", "escape"]

GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"


@dataclass
class Node:
    """One object: ``children`` are ``(node_id, local_name)``; ``attributes`` are
    ``(name, full_name, checkpoint_key)``; ``slots`` are
    ``(original_variable_node_id, slot_name, slot_variable_node_id)``."""

    children: list = field(default_factory=list)
    attributes: list = field(default_factory=list)
    slots: list = field(default_factory=list)
    has_values: bool = False


def escape(name: str) -> str:
    """A local name as it appears in a key: ``.`` doubled, ``/`` as ``.S`` (TF's escaping).

    >>> from tapegrad.train.object_graph import escape
    >>> escape("a/b.c")
    'a.Sb..c'
    """
    return name.replace(".", "..").replace("/", ".S")


def encode_graph(nodes: list[Node]) -> bytes:
    out = []
    for n in nodes:
        body = b"".join(wire.ld(1, (wire.uint(1, cid) if cid else b"") + wire.ld(2, name.encode()))
                        for cid, name in n.children)
        body += b"".join(wire.ld(2, wire.ld(1, a.encode()) + wire.ld(2, f.encode()) +
                                 wire.ld(3, k.encode())) for a, f, k in n.attributes)
        body += b"".join(wire.ld(3, (wire.uint(1, o) if o else b"") + wire.ld(2, s.encode()) +
                                 (wire.uint(3, v) if v else b"")) for o, s, v in n.slots)
        body += wire.ld(5, wire.uint(1, 1) if n.has_values else b"")
        out.append(wire.ld(1, body))
    return b"".join(out)


def _text(v: bytes) -> str:
    return v.decode("utf-8", "replace")


def decode_graph(data: bytes) -> list[Node]:
    """The nodes of a serialized ``TrackableObjectGraph``.

    >>> from tapegrad.train.object_graph import Node, decode_graph, encode_graph
    >>> g = [Node(children=[(1, "v")]), Node(attributes=[("VARIABLE_VALUE", "v", "v/.A")])]
    >>> decode_graph(encode_graph(g))[0].children
    [(1, 'v')]
    """
    what = "checkpoint object graph"
    nodes = []
    for raw in wire.parse(data, what).get(1, []):
        m = wire.parse(raw, what)
        node = Node()
        for ref in m.get(1, []):
            r = wire.parse(ref, what)
            node.children.append((wire.first(r, 1, 0), _text(wire.first(r, 2, b""))))
        for att in m.get(2, []):
            a = wire.parse(att, what)
            node.attributes.append(tuple(_text(wire.first(a, i, b"")) for i in (1, 2, 3)))
        for slot in m.get(3, []):
            s = wire.parse(slot, what)
            node.slots.append((wire.first(s, 1, 0), _text(wire.first(s, 2, b"")),
                               wire.first(s, 3, 0)))
        flag = wire.first(m, 5)
        node.has_values = bool(wire.first(wire.parse(flag, what), 1, 0)) if flag else True
        nodes.append(node)
    return nodes
