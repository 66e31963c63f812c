"""``GlobalMaxPooling3D``: the maximum over depth, height and width."""

from __future__ import annotations

from ....ops import reduce as _r
from .base_global_pooling import _GlobalPool

__all__ = ["GlobalMaxPooling3D"]


class GlobalMaxPooling3D(_GlobalPool):
    """``(batch, d, h, w, c) -> (batch, c)`` (or ``(batch, 1, 1, 1, c)`` with ``keepdims``).

    >>> import tapegrad as tf
    >>> tf.keras.layers.GlobalMaxPooling3D()(tf.ones((2, 3, 3, 3, 5))).shape
    TensorShape([2, 5])
    """

    rank = 3
    reduction = staticmethod(_r.reduce_max)
