"""``Conv1D`` over ``(batch, steps, channels)``."""

from __future__ import annotations

from typing import Any

from .base_conv import _Conv
from .conv_nd import conv

__all__ = ["Conv1D"]


class Conv1D(_Conv):
    """1-D convolution over ``(batch, steps, channels)`` inputs (a Conv2D of height 1).

    >>> import tapegrad as tf
    >>> tf.keras.layers.Conv1D(4, 3)(tf.zeros((2, 10, 3))).shape
    TensorShape([2, 8, 4])
    """

    rank = 1

    def call(self, inputs: Any) -> Any:
        return self._finish(conv(inputs, self._autocast(self.kernel), self.strides,
                                 self.padding, self.dilation_rate, self.groups))
