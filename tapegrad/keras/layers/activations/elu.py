"""``ELU``: ``x`` above zero, ``alpha * (exp(x) - 1)`` below."""

from __future__ import annotations

from typing import Any

from ....ops import math as _m
from ....ops import nn as _nn
from ...base_layer import Layer

__all__ = ["ELU"]


class ELU(Layer):
    """``x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` otherwise.

    >>> import tapegrad as tf
    >>> [round(float(v), 4) for v in tf.keras.layers.ELU()(tf.constant([-1.0, 2.0]))]
    [-0.6321, 2.0]
    """

    supports_masking = True

    def __init__(self, alpha: float = 1.0, **kwargs: Any):
        super().__init__(**kwargs)
        self.alpha = float(alpha)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def call(self, inputs: Any) -> Any:
        y = _nn.elu(inputs)
        if self.alpha == 1.0:
            return y
        return _m.where(inputs > 0, y, y * self.alpha)

    def get_config(self) -> dict:
        return dict(super().get_config(), alpha=self.alpha)
