"""``GlobalAveragePooling1D``: the mean over the steps: ``(batch, steps, c) -> (batch, c)``."""

from __future__ import annotations

from typing import Any

from ....ops import array as _a
from ....ops import indexing as _ix
from ....ops import math as _m
from ....ops import reduce as _r
from .base_global_pooling import _GlobalPool

__all__ = ["GlobalAveragePooling1D"]


class GlobalAveragePooling1D(_GlobalPool):
    """the mean over the steps: ``(batch, steps, c) -> (batch, c)``.

    >>> import tapegrad as tf
    >>> tf.keras.layers.GlobalAveragePooling1D()(tf.ones((2, 3, 5))).shape
    TensorShape([2, 5])
    """

    supports_masking = True

    rank = 1

    def call(self, inputs: Any, mask: Any = None) -> Any:
        """The mean over the steps the mask keeps (``(batch, steps)``, True = kept)."""
        if mask is None:
            return super().call(inputs)
        self.compute_output_shape(tuple(inputs.shape))
        keep = _a.expand_dims(_m.cast(mask, "bool"), 2)
        total = _r.reduce_sum(_ix.where(keep, inputs, _m.cast(0, inputs.dtype)), axis=1,
                              keepdims=self.keepdims)
        return total / _r.reduce_sum(_m.cast(keep, inputs.dtype), axis=1, keepdims=self.keepdims)

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        return None
