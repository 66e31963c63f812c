"""``GlobalMaxPooling2D``: the maximum over height and width: ``(batch, h, w, c) -> (batch, c)``."""

from __future__ import annotations

from ....ops import reduce as _r
from .base_global_pooling import _GlobalPool

__all__ = ["GlobalMaxPooling2D"]


class GlobalMaxPooling2D(_GlobalPool):
    """the maximum over height and width: ``(batch, h, w, c) -> (batch, c)``.

    >>> import tapegrad as tf
    >>> tf.keras.layers.GlobalMaxPooling2D()(tf.ones((2, 3, 3, 5))).shape
    TensorShape([2, 5])
    """

    rank = 2
    reduction = staticmethod(_r.reduce_max)
