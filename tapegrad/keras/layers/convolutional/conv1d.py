"""``Conv1D`` over ``(batch, steps, channels)``."""

from __future__ import annotations

from typing import Any

from ....ops import array as _a
from ....ops import conv as _conv
from .base_conv import _Conv

__all__ = ["Conv1D"]


class Conv1D(_Conv):
    """1-D convolution over ``(batch, steps, channels)`` inputs (a Conv2D of height 1).

    >>> import tapegrad as tf
    >>> tf.keras.layers.Conv1D(4, 3)(tf.zeros((2, 10, 3))).shape
    TensorShape([2, 8, 4])
    """

    rank = 1

    def call(self, inputs: Any) -> Any:
        x = _a.expand_dims(inputs, 1)
        k = _a.expand_dims(self._autocast(self.kernel), 0)
        y = _conv.conv2d(x, k, strides=(1,) + self.strides, padding=self.padding,
                       dilations=(1,) + self.dilation_rate)
        return self._finish(_a.reshape(y, (y.shape[0],) + tuple(y.shape[2:])))
