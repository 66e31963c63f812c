"""``Subtract``: the first of exactly two inputs minus the second."""

from __future__ import annotations

from typing import Any

from ....ops import math as _m
from .base_merge import _Merge

__all__ = ["Subtract"]


class Subtract(_Merge):
    """``inputs[0] - inputs[1]`` (exactly two inputs).

    >>> import tapegrad as tf
    >>> tf.keras.layers.Subtract()([tf.constant([[1.0, 4.0]]), tf.constant([[3.0, 2.0]])]).numpy()
    array([[-2.,  2.]], dtype=float32)
    """

    def _check(self, shapes: Any) -> list:
        shapes = super()._check(shapes)
        if len(shapes) != 2:
            raise ValueError(f"Subtract '{self.name}' must be called on exactly 2 inputs, got "
                             f"{len(shapes)}.")
        return shapes

    def _merge(self, x: Any, y: Any) -> Any:
        return _m.subtract(x, y)
