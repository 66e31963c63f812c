"""``LeakyReLU``: ``x`` above zero, ``negative_slope * x`` below (Keras 3's default 0.3)."""

from __future__ import annotations

from typing import Any

from ....ops import nn as _nn
from ...base_layer import Layer

__all__ = ["LeakyReLU"]


class LeakyReLU(Layer):
    """``max(x, negative_slope * x)``; Keras 3's default slope is 0.3.

    >>> import tapegrad as tf
    >>> tf.keras.layers.LeakyReLU()(tf.constant([-1.0, 2.0])).numpy()
    array([-0.3,  2. ], dtype=float32)
    """

    supports_masking = True

    def __init__(self, negative_slope: float = 0.3, **kwargs: Any):
        if "alpha" in kwargs:  # the TF 2 name of the argument
            negative_slope = kwargs.pop("alpha")
        super().__init__(**kwargs)
        if negative_slope < 0:
            raise ValueError(f"LeakyReLU: negative_slope must be >= 0, got {negative_slope!r}.")
        self.negative_slope = float(negative_slope)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def call(self, inputs: Any) -> Any:
        return _nn.leaky_relu(inputs, alpha=self.negative_slope)

    def get_config(self) -> dict:
        return dict(super().get_config(), negative_slope=self.negative_slope)
