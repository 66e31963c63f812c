"""``UpSampling3D``."""

from __future__ import annotations

from .base_spatial import _UpSampling

__all__ = ["UpSampling3D"]


class UpSampling3D(_UpSampling):
    """Repeats each depth slice, row and column ``size`` times (nearest neighbour).

    >>> import tapegrad as tf
    >>> tf.keras.layers.UpSampling3D((1, 2, 2))(tf.ones((1, 2, 2, 2, 3))).shape
    TensorShape([1, 2, 4, 4, 3])
    """

    rank = 3
