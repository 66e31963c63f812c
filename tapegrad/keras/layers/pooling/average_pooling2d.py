"""``AveragePooling2D``."""

from __future__ import annotations

from typing import Any

from ....ops import conv as _conv
from .base_pooling import _Pool2D

__all__ = ["AveragePooling2D"]


class AveragePooling2D(_Pool2D):
    """Mean over ``pool_size`` windows (stride defaults to the pool size).

    >>> import tapegrad as tf
    >>> tf.keras.layers.AveragePooling2D()(tf.ones((1, 4, 4, 1))).numpy().ravel()
    array([1., 1., 1., 1.], dtype=float32)
    """

    def call(self, inputs: Any) -> Any:
        return _conv.avg_pool2d(inputs, ksize=self.pool_size, strides=self.strides,
                              padding=self.padding)
