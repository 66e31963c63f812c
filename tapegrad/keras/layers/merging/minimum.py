"""``Minimum``: the elementwise minimum of its inputs."""

from __future__ import annotations

from typing import Any

from ....ops import math as _m
from .base_merge import _Merge

__all__ = ["Minimum"]


class Minimum(_Merge):
    """the elementwise minimum of its inputs.

    >>> import tapegrad as tf
    >>> tf.keras.layers.Minimum()([tf.constant([[1.0, 4.0]]), tf.constant([[3.0, 2.0]])]).numpy()
    array([[1., 2.]], dtype=float32)
    """

    def _merge(self, x: Any, y: Any) -> Any:
        return _m.minimum(x, y)
