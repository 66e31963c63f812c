"""``ReLU`` with Keras's ``max_value``, ``negative_slope`` and ``threshold``."""

from __future__ import annotations

from typing import Any

from ....ops import math as _m
from ....ops import nn as _nn
from ...base_layer import Layer

__all__ = ["ReLU"]


class ReLU(Layer):
    """``x`` for ``x >= threshold``, ``negative_slope * (x - threshold)`` below, capped at
    ``max_value``.

    >>> import tapegrad as tf
    >>> tf.keras.layers.ReLU(max_value=2.0)(tf.constant([-1.0, 1.0, 3.0])).numpy()
    array([0., 1., 2.], dtype=float32)
    """

    supports_masking = True

    def __init__(self, max_value: float | None = None, negative_slope: float = 0.0,
                 threshold: float = 0.0, **kwargs: Any):
        super().__init__(**kwargs)
        if (max_value is not None and max_value < 0) or negative_slope < 0:
            raise ValueError(f"ReLU: max_value and negative_slope must be >= 0, got "
                             f"max_value={max_value!r}, negative_slope={negative_slope!r}.")
        self.max_value, self.negative_slope = max_value, float(negative_slope)
        self.threshold = float(threshold)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def call(self, inputs: Any) -> Any:
        if self.negative_slope == 0 and self.threshold == 0:
            y = _nn.relu(inputs)
        else:
            shifted = inputs - self.threshold
            y = _m.where(inputs >= self.threshold, inputs, shifted * self.negative_slope)
        return y if self.max_value is None else _m.minimum(y, _m.cast(self.max_value, y.dtype))

    def get_config(self) -> dict:
        return dict(super().get_config(), max_value=self.max_value,
                    negative_slope=self.negative_slope, threshold=self.threshold)
