"""What a model is made of, apart from training: ``get_layer``, ``inputs``/``outputs`` of a
functional model, ``count_params`` and ``summary()`` printing Keras 3's table."""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np

from ..engine import nest

__all__ = ["ModelStructure", "readable_memory_size"]

# Keras 3 prints its table 76 characters wide; these are the inner widths of the columns
_SEQUENTIAL_WIDTHS = (33, 24, 15)
_GRAPH_WIDTHS = (21, 19, 12, 19)


def readable_memory_size(n_bytes: float) -> str:
    """``104.00 B``, ``1.50 KB`` … (powers of 1024, as Keras's summary writes sizes).

    >>> readable_memory_size(1536)
    '1.50 KB'
    """
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n_bytes / 1024 < 1:
            return f"{n_bytes:.2f} {unit}"
        n_bytes /= 1024
    return f"{n_bytes:.2f} PB"


def _rule(widths: tuple, left: str, mid: str, right: str, fill: str) -> str:
    return left + mid.join(fill * w for w in widths) + right


def _row(widths: tuple, cells: list, aligns: str, bar: str) -> list[str]:
    wrapped = [textwrap.wrap(c, w - 2, break_on_hyphens=False) or [""]
               for c, w in zip(cells, widths)]
    lines = []
    for i in range(max(len(w) for w in wrapped)):
        parts = []
        for text, w, a in zip(wrapped, widths, aligns):
            piece = text[i] if i < len(text) else ""
            parts.append(" " + (piece.rjust(w - 2) if a == "r" else piece.ljust(w - 2)) + " ")
        lines.append(bar + bar.join(parts) + bar)
    return lines


def _params(variables: list) -> tuple[int, int]:
    return (sum(int(np.prod(v.shape)) for v in variables),
            sum(int(np.prod(v.shape)) * v._value.dtype.itemsize for v in variables))


def _shape_text(layer: Any) -> str:
    nodes = layer.__dict__.get("_inbound_nodes")
    if not nodes:
        return "?"
    shapes = [x.shape for x in nest.flatten(nodes[0].outputs)]
    return str(shapes[0]) if len(shapes) == 1 else ", ".join(map(str, shapes))


def _connections(layer: Any, graph: Any) -> str:
    names = []
    for node in layer.__dict__.get("_inbound_nodes", []):
        if all(node is not n for n in graph.nodes):
            continue
        for x in node.input_tensors:
            producer = x._node.layer
            index = next(i for i, n in enumerate(producer._inbound_nodes) if n is x._node)
            position = next(i for i, t in enumerate(x._node.output_tensors) if t is x)
            names.append(f"{producer.name}[{index}][{position}]")
    return ", ".join(names) or "-"


class ModelStructure:
    """Mixed into ``Model``: its structure, readable without training anything."""

    def get_layer(self, name: str | None = None, index: int | None = None) -> Any:
        """The layer called ``name`` (or at ``index`` of ``layers``)."""
        if index is not None:
            if not -len(self.layers) <= index < len(self.layers):
                raise ValueError(f"get_layer: index {index} is out of range; the model "
                                 f"'{self.name}' has {len(self.layers)} layers.")
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name}. Existing layers are: "
                         f"{[layer.name for layer in self.layers]}.")

    def _io(self, what: str) -> Any:
        graph = self._graph
        if graph is None:
            raise AttributeError(f"Model '{self.name}' has no {what}: only a functional or a "
                                 f"built Sequential model has symbolic inputs and outputs.")
        return graph.inputs if what == "inputs" else graph.outputs

    @property
    def inputs(self) -> list:
        """The functional model's ``keras.Input`` tensors, flattened."""
        self._io("inputs")
        return list(self._graph.flat_inputs)

    @property
    def outputs(self) -> list:
        """The functional model's output tensors, flattened."""
        self._io("outputs")
        return list(self._graph.flat_outputs)

    @property
    def input(self) -> Any:
        return self._io("inputs")

    @property
    def output(self) -> Any:
        return self._io("outputs")

    def _sequential_like(self) -> bool:
        graph = self._graph
        if graph is None or type(self).__name__ == "Sequential":
            return True
        layers = [n.layer for n in graph.nodes]
        return (len(graph.flat_inputs) == 1 and len(layers) == len({id(x) for x in layers})
                and all(len(n.input_tensors) <= 1 for n in graph.nodes))

    def summary(self, line_length: Any = None, positions: Any = None,
                print_fn: Any = print, **kwargs: Any) -> None:
        """Print Keras 3's table: each layer, its output shape, its parameter count (and, for
        a graph that branches, what it is connected to); then the totals with their size."""
        sequential = self._sequential_like()
        widths = _SEQUENTIAL_WIDTHS if sequential else _GRAPH_WIDTHS
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"][:len(widths)]
        aligns = "llrl"
        lines = [f'Model: "{self.name}"', _rule(widths, "┏", "┳", "┓", "━")]
        lines += _row(widths, header, aligns, "┃") + [_rule(widths, "┡", "╇", "┩", "━")]
        rows = []
        for layer in self.layers:
            cells = [f"{layer.name} ({type(layer).__name__})", _shape_text(layer),
                     f"{_params(layer.variables)[0]:,}"]
            if not sequential:
                cells.append(_connections(layer, self._graph))
            rows.append(_row(widths, cells, aligns, "│"))
        lines += [line for i, row in enumerate(rows) for line in
                  ([_rule(widths, "├", "┼", "┤", "─")] if i else []) + row]
        lines.append(_rule(widths, "└", "┴", "┘", "─"))
        total = _params(self.variables)
        trainable = _params(self.trainable_variables)
        frozen = _params(self.non_trainable_variables)
        for label, (n, size) in (("Total", total), ("Trainable", trainable),
                                 ("Non-trainable", frozen)):
            lines.append(f" {label} params: {n:,} ({readable_memory_size(size)})")
        for line in lines:
            print_fn(line)
