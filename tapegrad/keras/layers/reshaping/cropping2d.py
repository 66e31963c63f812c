"""``Cropping2D``."""

from __future__ import annotations

from typing import Any

from .base_spatial import _Cropping

__all__ = ["Cropping2D"]


class Cropping2D(_Cropping):
    """Removes rows and columns at the edges: an int, ``(h, w)``, or ``((top, bottom),
    (left, right))``.

    >>> import tapegrad as tf
    >>> tf.keras.layers.Cropping2D(((1, 0), (2, 2)))(tf.ones((1, 5, 6, 3))).shape
    TensorShape([1, 4, 2, 3])
    """

    rank = 2

    def __init__(self, cropping: Any = ((0, 0), (0, 0)), data_format: Any = None,
                 **kwargs: Any):
        super().__init__(cropping, data_format, **kwargs)
