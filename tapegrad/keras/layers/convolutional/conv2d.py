"""``Conv2D`` over ``(batch, height, width, channels)``."""

from __future__ import annotations

from typing import Any

from ....ops import conv as _conv
from .base_conv import _Conv

__all__ = ["Conv2D"]


class Conv2D(_Conv):
    """2-D convolution over ``(batch, height, width, channels)`` inputs.

    >>> import tapegrad as tf
    >>> tf.keras.layers.Conv2D(4, 3, padding="same")(tf.zeros((1, 8, 8, 2))).shape
    TensorShape([1, 8, 8, 4])
    """

    def call(self, inputs: Any) -> Any:
        y = _conv.conv2d(inputs, self._autocast(self.kernel), strides=self.strides,
                         padding=self.padding, dilations=self.dilation_rate)
        return self._finish(y)
