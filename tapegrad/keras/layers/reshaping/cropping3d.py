"""``Cropping3D``."""

from __future__ import annotations

from .base_spatial import _Cropping

__all__ = ["Cropping3D"]


class Cropping3D(_Cropping):
    """Removes slices at the edges of depth, height and width.

    >>> import tapegrad as tf
    >>> tf.keras.layers.Cropping3D(1)(tf.ones((1, 4, 4, 4, 2))).shape
    TensorShape([1, 2, 2, 2, 2])
    """

    rank = 3
