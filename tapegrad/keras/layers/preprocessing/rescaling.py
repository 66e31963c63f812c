"""``Rescaling``: ``x * scale + offset`` (``Rescaling(1 / 255)`` for pixel values)."""

from __future__ import annotations

from typing import Any

from ....ops import math as _m
from ...base_layer import Layer

__all__ = ["Rescaling"]


class Rescaling(Layer):
    """``inputs * scale + offset``, in the layer's compute dtype.

    >>> import tapegrad as tf
    >>> tf.keras.layers.Rescaling(1 / 255)(tf.constant([0.0, 255.0])).numpy()
    array([0., 1.], dtype=float32)
    """

    supports_masking = True

    def __init__(self, scale: float, offset: float = 0.0, **kwargs: Any):
        super().__init__(**kwargs)
        self.scale, self.offset = float(scale), float(offset)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def _cast_input(self, x: Any) -> Any:
        x = super()._cast_input(x)  # integer images become floats here
        return x if isinstance(x, (list, tuple, dict)) or x.dtype.is_floating else \
            _m.cast(x, self.compute_dtype)

    def call(self, inputs: Any) -> Any:
        return inputs * _m.cast(self.scale, inputs.dtype) + _m.cast(self.offset, inputs.dtype)

    def get_config(self) -> dict:
        return dict(super().get_config(), scale=self.scale, offset=self.offset)
