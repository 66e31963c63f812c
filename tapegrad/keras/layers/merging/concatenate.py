"""``Concatenate``: joins its inputs along ``axis``."""

from __future__ import annotations

from typing import Any

from ....ops import array as _a
from ....ops import creation as _c
from ....ops import math as _m
from ....ops import reduce as _r
from ...base_layer import Layer

__all__ = ["Concatenate"]


class Concatenate(Layer):
    """Joins a list of tensors along ``axis`` (default the last); the other dimensions must
    agree.

    >>> import tapegrad as tf
    >>> tf.keras.layers.Concatenate()([tf.zeros((2, 3)), tf.ones((2, 1))]).shape
    TensorShape([2, 4])
    """

    supports_masking = True

    def __init__(self, axis: int = -1, **kwargs: Any):
        super().__init__(**kwargs)
        self.axis = int(axis)

    def build(self, input_shape: Any) -> None:
        self.compute_output_shape(input_shape)
        self.built = True

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shapes = [tuple(s) for s in input_shape] if isinstance(input_shape, (list, tuple)) \
            and all(isinstance(s, (list, tuple)) for s in input_shape) else None
        if not shapes or len(shapes) < 2 or len({len(s) for s in shapes}) != 1:
            raise ValueError(f"Concatenate '{self.name}' must be called on a list of at least "
                             f"2 inputs of one rank, got shapes {input_shape!r}.")
        axis = self.axis % len(shapes[0])
        out = []
        for i, dims in enumerate(zip(*shapes)):
            if i == axis:
                out.append(None if None in dims else sum(dims))
                continue
            known = {d for d in dims if d is not None}
            if len(known) > 1:
                raise ValueError(f"Concatenate '{self.name}' requires inputs with matching "
                                 f"shapes except for the concatenation axis {self.axis}, got "
                                 f"shapes {shapes}.")
            out.append(known.pop() if known else None)
        return tuple(out)

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        """The masks, widened to the inputs' rank (all True for an unmasked input), joined
        along ``axis`` and reduced with OR over the last axis, as Keras."""
        if previous_mask is None or all(m is None for m in previous_mask):
            return None
        masks = []
        for x, m in zip(inputs, previous_mask):
            if m is None:
                m = _m.cast(_c.ones_like(x), "bool")
            elif m.ndim < x.ndim:
                m = _a.broadcast_to(_a.expand_dims(m, -1), x.shape)
            masks.append(m)
        return _r.reduce_any(_a.concat(masks, axis=self.axis), axis=-1)

    def call(self, inputs: Any) -> Any:
        self.compute_output_shape([tuple(x.shape) for x in inputs])
        return _a.concat(list(inputs), axis=self.axis)

    def get_config(self) -> dict:
        return dict(super().get_config(), axis=self.axis)
