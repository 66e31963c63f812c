"""The graph of a functional ``Model(inputs, outputs)``: the nodes between the inputs and the
outputs in the order they must run, the layers they call, and the replay on real values."""

from __future__ import annotations

from typing import Any

from ..engine import nest
from ..engine.convert import convert_to_tensor
from ..engine.tensor import Tensor
from .base_layer import Layer, _accepts_training
from .keras_tensor import KerasTensor, Node, is_keras_tensor

__all__ = ["Graph", "with_mask"]


def with_mask(x: Any, mask: Any) -> Any:
    """``x`` as a Tensor carrying ``mask`` (Keras's ``_keras_mask``); ``x`` itself when
    ``mask`` is None."""
    if mask is None:
        return x
    t = x if isinstance(x, Tensor) else convert_to_tensor(x)
    t._keras_mask = mask if isinstance(mask, Tensor) else convert_to_tensor(mask)
    return t


def _check_symbolic(structure: Any, what: str) -> list[KerasTensor]:
    flat = nest.flatten(structure)
    if not flat:
        raise ValueError(f"Model: {what} is empty; give keras.Input tensors and the tensors "
                         f"layers returned for them.")
    for x in flat:
        if not is_keras_tensor(x):
            raise ValueError(f"Model: every entry of {what} must be a symbolic tensor (from "
                             f"keras.Input or a layer called on one), got "
                             f"{type(x).__name__} {x!r}.")
    return flat


def _ordered_nodes(outputs: list[KerasTensor], inputs: list[KerasTensor]) -> list[Node]:
    """The nodes the outputs depend on, each after the nodes it reads (iterative DFS); an
    ``Input`` reached that is not among ``inputs`` is a disconnected graph."""
    input_ids = {id(x) for x in inputs}
    order: list[Node] = []
    done: set[int] = set()
    stack: list[tuple[Node, bool]] = [(x._node, False) for x in reversed(outputs)]
    while stack:
        node, expanded = stack.pop()
        if id(node) in done:
            continue
        if expanded:
            done.add(id(node))
            order.append(node)
            continue
        stack.append((node, True))
        if not node.args and not node.kwargs:  # an InputLayer's node
            tensor = node.outputs
            if id(tensor) not in input_ids:
                raise ValueError(f"Model: the graph is disconnected: the outputs depend on "
                                 f"the input '{tensor.name}' (shape {tensor.shape}), which is "
                                 f"not among the model's inputs "
                                 f"{[x.name for x in inputs]}; add it to inputs.")
            continue
        for x in reversed(node.input_tensors):
            if id(x._node) not in done:
                stack.append((x._node, False))
    return order


class Graph:
    """``inputs`` and ``outputs`` (nested structures of KerasTensors) and what lies between."""

    def __init__(self, inputs: Any, outputs: Any):
        self.inputs, self.outputs = inputs, outputs
        self.flat_inputs = _check_symbolic(inputs, "inputs")
        self.flat_outputs = _check_symbolic(outputs, "outputs")
        for x in self.flat_inputs:
            if x._node.args or x._node.kwargs:
                raise ValueError(f"Model: the input '{x.name}' is not a keras.Input (it came "
                                 f"from layer '{x._node.layer.name}'); pass the keras.Input "
                                 f"tensors the graph starts from.")
        ordered = _ordered_nodes(self.flat_outputs, self.flat_inputs)
        self.nodes = [n for n in ordered if n.args or n.kwargs]
        # Keras's order: the order the graph reaches them, unused inputs first
        reached = {id(n) for n in ordered}
        self.layers: list[Layer] = [x._node.layer for x in self.flat_inputs
                                    if id(x._node) not in reached]
        for node in ordered:
            if isinstance(node.layer, Layer) and all(node.layer is not s for s in self.layers):
                self.layers.append(node.layer)

    def _flat_values(self, values: Any) -> list:
        if isinstance(self.inputs, dict) and isinstance(values, dict):
            missing = sorted(set(self.inputs) - set(values))
            if missing:
                raise ValueError(f"Model: missing input(s) {missing}; the model takes "
                                 f"{sorted(self.inputs)}.")
            return [values[k] for k in sorted(self.inputs)]
        flat = nest.flatten(values)
        if len(flat) != len(self.flat_inputs):
            raise ValueError(f"Model: expected {len(self.flat_inputs)} input(s) "
                             f"{[x.name for x in self.flat_inputs]}, got {len(flat)}.")
        return flat

    def run(self, values: Any, training: Any = None, mask: Any = None) -> Any:
        """Replay the recorded calls on real ``values`` (same structure as ``inputs``); a
        ``mask`` (one per input, or None) is attached to the inputs first."""
        flat = self._flat_values(values)
        masks = [None] * len(flat) if mask is None else nest.flatten(mask)
        if len(masks) == len(flat):
            flat = [with_mask(v, m) for v, m in zip(flat, masks)]
        env = {id(x): v for x, v in zip(self.flat_inputs, flat)}

        def look_up(x: Any) -> Any:
            return env[id(x)] if is_keras_tensor(x) else x

        for node in self.nodes:
            args, kwargs = nest.map_structure(look_up, (node.args, node.kwargs))
            if training is not None and _accepts_training(node.layer):
                kwargs = dict(kwargs, training=training)
            out = node.layer(*args, **kwargs)
            for x, v in zip(node.output_tensors, nest.flatten(out)):
                env[id(x)] = v
        return nest.map_structure(look_up, self.outputs)
