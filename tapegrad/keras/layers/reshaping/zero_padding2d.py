"""``ZeroPadding2D``: zeros around the height and width of images."""

from __future__ import annotations

from typing import Any

from .base_spatial import _ZeroPadding

__all__ = ["ZeroPadding2D"]


class ZeroPadding2D(_ZeroPadding):
    """Pads ``(batch, h, w, c)`` with zeros: ``padding`` is an int, ``(h, w)`` or
    ``((top, bottom), (left, right))``.

    >>> import tapegrad as tf
    >>> tf.keras.layers.ZeroPadding2D(((1, 0), (2, 2)))(tf.ones((1, 3, 3, 2))).shape
    TensorShape([1, 4, 7, 2])
    """

    rank = 2

    def __init__(self, padding: Any = (1, 1), data_format: Any = None, **kwargs: Any):
        super().__init__(padding, data_format, **kwargs)
