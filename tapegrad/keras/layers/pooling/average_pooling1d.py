"""``AveragePooling1D``: the mean over windows of steps."""

from __future__ import annotations

from typing import Any

from ....ops import conv as _conv
from .base_pooling import _Pool1D

__all__ = ["AveragePooling1D"]


class AveragePooling1D(_Pool1D):
    """The mean over ``pool_size`` steps (stride defaults to the pool size).

    >>> import tapegrad as tf
    >>> tf.keras.layers.AveragePooling1D()(tf.ones((2, 6, 3))).shape
    TensorShape([2, 3, 3])
    """

    def call(self, inputs: Any) -> Any:
        self.compute_output_shape(tuple(inputs.shape))
        return _conv.avg_pool1d(inputs, ksize=self.pool_size, strides=self.strides,
                              padding=self.padding)
