"""``Flatten``: ``(batch, ...) -> (batch, -1)``."""

from __future__ import annotations

from typing import Any

import numpy as np

from ....ops import array as _a
from ...base_layer import Layer

__all__ = ["Flatten"]


class Flatten(Layer):
    """Reshapes ``(batch, ...)`` to ``(batch, -1)``.

    >>> import tapegrad as tf
    >>> tf.keras.layers.Flatten()(tf.zeros((2, 3, 4))).shape
    TensorShape([2, 12])
    """

    def compute_output_shape(self, input_shape: Any) -> tuple:
        rest = tuple(input_shape)[1:]
        return (input_shape[0], None if None in rest else int(np.prod(rest)))

    def call(self, inputs: Any) -> Any:
        if inputs.ndim == 1:
            return _a.expand_dims(inputs, 1)
        return _a.reshape(inputs, (inputs.shape[0], int(np.prod(inputs.shape[1:]))))
