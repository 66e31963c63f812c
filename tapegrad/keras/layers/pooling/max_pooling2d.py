"""``MaxPooling2D``."""

from __future__ import annotations

from typing import Any

from ....ops import conv as _conv
from .base_pooling import _Pool2D

__all__ = ["MaxPooling2D"]


class MaxPooling2D(_Pool2D):
    """Maximum over ``pool_size`` windows (stride defaults to the pool size).

    >>> import tapegrad as tf
    >>> tf.keras.layers.MaxPooling2D()(tf.zeros((1, 4, 4, 3))).shape
    TensorShape([1, 2, 2, 3])
    """

    def call(self, inputs: Any) -> Any:
        return _conv.max_pool2d(inputs, ksize=self.pool_size, strides=self.strides,
                              padding=self.padding)
