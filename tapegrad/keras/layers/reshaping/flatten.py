"""``Flatten``: ``(batch, ...) -> (batch, -1)``."""

from __future__ import annotations

from typing import Any

import numpy as np

from ....ops import array as _a
from ...base_layer import Layer
from ..convolutional.base_conv import _channels_last

__all__ = ["Flatten"]


class Flatten(Layer):
    """Reshapes ``(batch, ...)`` to ``(batch, -1)``.

    >>> import tapegrad as tf
    >>> tf.keras.layers.Flatten()(tf.zeros((2, 3, 4))).shape
    TensorShape([2, 12])
    """

    def __init__(self, data_format: Any = None, **kwargs: Any):
        super().__init__(**kwargs)
        _channels_last(data_format, "Flatten")  # channels-first would change the order

    def compute_output_shape(self, input_shape: Any) -> tuple:
        rest = tuple(input_shape)[1:]
        return (input_shape[0], None if None in rest else int(np.prod(rest)))

    def call(self, inputs: Any) -> Any:
        if inputs.ndim == 1:
            return _a.expand_dims(inputs, 1)
        return _a.reshape(inputs, (inputs.shape[0], int(np.prod(inputs.shape[1:]))))

    def get_config(self) -> dict:
        return dict(super().get_config(), data_format="channels_last")
