"""``Conv3D`` over ``(batch, depth, height, width, channels)``."""

from __future__ import annotations

from typing import Any

from .base_conv import _Conv
from .conv_nd import conv

__all__ = ["Conv3D"]


class Conv3D(_Conv):
    """3-D convolution over ``(batch, depth, height, width, channels)`` inputs; kernel
    ``(kd, kh, kw, channels // groups, filters)``.

    >>> import tapegrad as tf
    >>> tf.keras.layers.Conv3D(4, 3, padding="same")(tf.zeros((1, 5, 6, 6, 2))).shape
    TensorShape([1, 5, 6, 6, 4])
    """

    rank = 3

    def call(self, inputs: Any) -> Any:
        return self._finish(conv(inputs, self._autocast(self.kernel), self.strides,
                                 self.padding, self.dilation_rate, self.groups))
