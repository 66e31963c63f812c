"""``Multiply``: the elementwise product of its inputs."""

from __future__ import annotations

from typing import Any

from ....ops import math as _m
from .base_merge import _Merge

__all__ = ["Multiply"]


class Multiply(_Merge):
    """the elementwise product of its inputs.

    >>> import tapegrad as tf
    >>> tf.keras.layers.Multiply()([tf.constant([[1.0, 4.0]]), tf.constant([[3.0, 2.0]])]).numpy()
    array([[3., 8.]], dtype=float32)
    """

    def _merge(self, x: Any, y: Any) -> Any:
        return _m.multiply(x, y)
