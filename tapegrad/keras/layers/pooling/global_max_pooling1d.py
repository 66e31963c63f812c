"""``GlobalMaxPooling1D``: the maximum over the steps: ``(batch, steps, c) -> (batch, c)``."""

from __future__ import annotations

from ....ops import reduce as _r
from .base_global_pooling import _GlobalPool

__all__ = ["GlobalMaxPooling1D"]


class GlobalMaxPooling1D(_GlobalPool):
    """the maximum over the steps: ``(batch, steps, c) -> (batch, c)``.

    >>> import tapegrad as tf
    >>> tf.keras.layers.GlobalMaxPooling1D()(tf.ones((2, 3, 5))).shape
    TensorShape([2, 5])
    """

    rank = 1
    reduction = staticmethod(_r.reduce_max)
