"""``GlobalAveragePooling2D``: mean over height and width."""

from __future__ import annotations

from ....ops import reduce as _r
from .base_global_pooling import _GlobalPool

__all__ = ["GlobalAveragePooling2D"]


class GlobalAveragePooling2D(_GlobalPool):
    """Mean over height and width: ``(batch, h, w, c) -> (batch, c)``.

    >>> import tapegrad as tf
    >>> tf.keras.layers.GlobalAveragePooling2D()(tf.ones((2, 3, 3, 5))).shape
    TensorShape([2, 5])
    """

    rank = 2
    reduction = staticmethod(_r.reduce_mean)
