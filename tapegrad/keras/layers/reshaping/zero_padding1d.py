"""``ZeroPadding1D``."""

from __future__ import annotations

from .base_spatial import _ZeroPadding

__all__ = ["ZeroPadding1D"]


class ZeroPadding1D(_ZeroPadding):
    """Pads the steps of ``(batch, steps, channels)`` with zeros: ``padding`` is an int or
    ``(before, after)``.

    >>> import tapegrad as tf
    >>> tf.keras.layers.ZeroPadding1D((1, 2))(tf.ones((1, 3, 2))).shape
    TensorShape([1, 6, 2])
    """

    rank = 1
