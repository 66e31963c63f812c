"""``Average``: the elementwise mean of its inputs."""

from __future__ import annotations

from typing import Any

from ....ops import math as _m
from .base_merge import _Merge

__all__ = ["Average"]


class Average(_Merge):
    """The elementwise mean of its inputs.

    >>> import tapegrad as tf
    >>> tf.keras.layers.Average()([tf.constant([[1.0, 4.0]]), tf.constant([[3.0, 2.0]])]).numpy()
    array([[2., 3.]], dtype=float32)
    """

    def call(self, inputs: Any) -> Any:
        out = super().call(inputs)
        return _m.multiply(out, _m.cast(1.0 / len(inputs), out.dtype))

    def _merge(self, x: Any, y: Any) -> Any:
        return _m.add(x, y)
