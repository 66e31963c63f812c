"""``ZeroPadding3D``."""

from __future__ import annotations

from .base_spatial import _ZeroPadding

__all__ = ["ZeroPadding3D"]


class ZeroPadding3D(_ZeroPadding):
    """Pads depth, height and width with zeros: an int, three ints, or three ``(before,
    after)`` pairs.

    >>> import tapegrad as tf
    >>> tf.keras.layers.ZeroPadding3D(1)(tf.ones((1, 2, 2, 2, 3))).shape
    TensorShape([1, 4, 4, 4, 3])
    """

    rank = 3
