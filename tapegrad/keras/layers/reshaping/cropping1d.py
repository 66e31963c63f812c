"""``Cropping1D``."""

from __future__ import annotations

from typing import Any

from .base_spatial import _Cropping

__all__ = ["Cropping1D"]


class Cropping1D(_Cropping):
    """Removes ``(before, after)`` steps of ``(batch, steps, channels)``.

    >>> import tapegrad as tf
    >>> tf.keras.layers.Cropping1D((1, 2))(tf.ones((1, 6, 2))).shape
    TensorShape([1, 3, 2])
    """

    rank = 1

    def __init__(self, cropping: Any = (1, 1), **kwargs: Any):
        super().__init__(cropping, **kwargs)
