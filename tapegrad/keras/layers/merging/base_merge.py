"""The base class of the merging layers: a list of same-shape tensors in, one tensor out."""

from __future__ import annotations

from typing import Any

from ....ops import math as _m
from ...base_layer import Layer


def _broadcast_dim(dims: list, layer: Layer, shapes: list) -> Any:
    known = {d for d in dims if d is not None and d != 1}
    if len(known) > 1:
        raise ValueError(f"{type(layer).__name__} '{layer.name}': inputs must have the same "
                         f"shape (or broadcast), got shapes {[tuple(s) for s in shapes]}.")
    if None in dims and not known:
        return None
    return known.pop() if known else 1


class _Merge(Layer):
    """Elementwise merge of a list of at least two tensors of one shape (broadcasting 1s)."""

    supports_masking = True

    def _check(self, shapes: Any) -> list:
        if not isinstance(shapes, (list, tuple)) or len(shapes) < 2 or \
                not all(isinstance(s, (list, tuple)) for s in shapes):
            raise ValueError(f"{type(self).__name__} '{self.name}' must be called on a list of "
                             f"at least 2 inputs, got {shapes!r}.")
        if len({len(s) for s in shapes}) != 1:
            raise ValueError(f"{type(self).__name__} '{self.name}': inputs must have the same "
                             f"rank, got shapes {[tuple(s) for s in shapes]}.")
        return list(shapes)

    def build(self, input_shape: Any) -> None:
        self.compute_output_shape(input_shape)
        self.built = True

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shapes = self._check(input_shape)
        return tuple(_broadcast_dim(list(dims), self, shapes) for dims in zip(*shapes))

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        """A step is kept where any input keeps it (Keras's OR of the masks); no mask when an
        input has none."""
        if previous_mask is None or any(m is None for m in previous_mask):
            return None
        out = previous_mask[0]
        for m in previous_mask[1:]:
            out = _m.logical_or(out, m)
        return out

    def _merge(self, x: Any, y: Any) -> Any:
        raise NotImplementedError

    def call(self, inputs: Any) -> Any:
        self._check([tuple(x.shape) for x in inputs])
        out = inputs[0]
        for x in inputs[1:]:
            out = self._merge(out, x)
        return out
