"""``UpSampling1D``."""

from __future__ import annotations

from typing import Any

from .base_spatial import _UpSampling

__all__ = ["UpSampling1D"]


class UpSampling1D(_UpSampling):
    """Repeats each step ``size`` times.

    >>> import tapegrad as tf
    >>> tf.keras.layers.UpSampling1D(3)(tf.ones((1, 2, 4))).shape
    TensorShape([1, 6, 4])
    """

    rank = 1

    def __init__(self, size: int = 2, **kwargs: Any):
        super().__init__(size, **kwargs)
