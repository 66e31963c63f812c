"""``GlobalAveragePooling1D``: the mean over the steps: ``(batch, steps, c) -> (batch, c)``."""

from __future__ import annotations

from typing import Any

from ....ops import reduce as _r
from .base_global_pooling import _GlobalPool

__all__ = ["GlobalAveragePooling1D"]


class GlobalAveragePooling1D(_GlobalPool):
    """the mean over the steps: ``(batch, steps, c) -> (batch, c)``.

    >>> import tapegrad as tf
    >>> tf.keras.layers.GlobalAveragePooling1D()(tf.ones((2, 3, 5))).shape
    TensorShape([2, 5])
    """

    rank = 1

    def _reduce(self, x: Any, axes: list) -> Any:
        return _r.reduce_mean(x, axis=axes, keepdims=self.keepdims)
