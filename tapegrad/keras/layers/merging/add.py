"""``Add``: the elementwise sum of its inputs."""

from __future__ import annotations

from typing import Any

from ....ops import math as _m
from .base_merge import _Merge

__all__ = ["Add"]


class Add(_Merge):
    """the elementwise sum of its inputs.

    >>> import tapegrad as tf
    >>> tf.keras.layers.Add()([tf.constant([[1.0, 4.0]]), tf.constant([[3.0, 2.0]])]).numpy()
    array([[4., 6.]], dtype=float32)
    """

    def _merge(self, x: Any, y: Any) -> Any:
        return _m.add(x, y)
