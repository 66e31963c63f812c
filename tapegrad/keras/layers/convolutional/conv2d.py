"""``Conv2D`` over ``(batch, height, width, channels)``."""

from __future__ import annotations

from typing import Any

from .base_conv import _Conv
from .conv_nd import conv

__all__ = ["Conv2D"]


class Conv2D(_Conv):
    """2-D convolution over ``(batch, height, width, channels)`` inputs.

    >>> import tapegrad as tf
    >>> tf.keras.layers.Conv2D(4, 3, padding="same")(tf.zeros((1, 8, 8, 2))).shape
    TensorShape([1, 8, 8, 4])
    """

    def call(self, inputs: Any) -> Any:
        return self._finish(conv(inputs, self._autocast(self.kernel), self.strides,
                                 self.padding, self.dilation_rate, self.groups))
