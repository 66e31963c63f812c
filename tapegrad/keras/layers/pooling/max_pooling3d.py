"""``MaxPooling3D``."""

from __future__ import annotations

from .base_pooling3d import _Pool3D

__all__ = ["MaxPooling3D"]


class MaxPooling3D(_Pool3D):
    """The maximum over ``pool_size`` boxes of ``(batch, depth, height, width, channels)``
    inputs (stride defaults to the pool size).

    >>> import tapegrad as tf
    >>> tf.keras.layers.MaxPooling3D()(tf.zeros((1, 4, 4, 4, 3))).shape
    TensorShape([1, 2, 2, 2, 3])
    """

    reduce_max = True
