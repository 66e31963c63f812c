"""``UnitNormalization``: scales each example to L2 norm 1 along ``axis``."""

from __future__ import annotations

from typing import Any

from ....ops import math as _m
from ....ops import reduce as _r
from ...base_layer import Layer

__all__ = ["UnitNormalization"]


class UnitNormalization(Layer):
    """``x / sqrt(max(sum(x^2, axis), 1e-12))``.

    >>> import tapegrad as tf
    >>> tf.keras.layers.UnitNormalization()(tf.constant([[3.0, 4.0]])).numpy().round(3)
    array([[0.6, 0.8]], dtype=float32)
    """

    supports_masking = True

    def __init__(self, axis: Any = -1, **kwargs: Any):
        super().__init__(**kwargs)
        self.axis = axis

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def call(self, inputs: Any) -> Any:
        square_sum = _r.reduce_sum(_m.square(inputs), axis=self.axis, keepdims=True)
        return inputs * _m.rsqrt(_m.maximum(square_sum, _m.cast(1e-12, inputs.dtype)))

    def get_config(self) -> dict:
        return dict(super().get_config(), axis=self.axis)
