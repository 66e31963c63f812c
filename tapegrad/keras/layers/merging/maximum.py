"""``Maximum``: the elementwise maximum of its inputs."""

from __future__ import annotations

from typing import Any

from ....ops import math as _m
from .base_merge import _Merge

__all__ = ["Maximum"]


class Maximum(_Merge):
    """the elementwise maximum of its inputs.

    >>> import tapegrad as tf
    >>> tf.keras.layers.Maximum()([tf.constant([[1.0, 4.0]]), tf.constant([[3.0, 2.0]])]).numpy()
    array([[3., 4.]], dtype=float32)
    """

    def _merge(self, x: Any, y: Any) -> Any:
        return _m.maximum(x, y)
