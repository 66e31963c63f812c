"""``GlobalAveragePooling2D``: mean over height and width."""

from __future__ import annotations

from typing import Any

from ....ops import reduce as _r
from ...base_layer import Layer
from ..convolutional.base_conv import _channels_last

__all__ = ["GlobalAveragePooling2D"]


class GlobalAveragePooling2D(Layer):
    """Mean over height and width: ``(batch, h, w, c) -> (batch, c)``.

    >>> import tapegrad as tf
    >>> tf.keras.layers.GlobalAveragePooling2D()(tf.ones((2, 3, 3, 5))).shape
    TensorShape([2, 5])
    """

    def __init__(self, data_format: Any = None, keepdims: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        _channels_last(data_format, "GlobalAveragePooling2D")
        self.keepdims = keepdims

    def compute_output_shape(self, input_shape: Any) -> tuple:
        s = tuple(input_shape)
        return (s[0], 1, 1, s[-1]) if self.keepdims else (s[0], s[-1])

    def call(self, inputs: Any) -> Any:
        if inputs.ndim != 4:
            raise ValueError(f"GlobalAveragePooling2D '{self.name}' expects inputs of rank 4, "
                             f"got shape {tuple(inputs.shape)}.")
        return _r.reduce_mean(inputs, axis=[1, 2], keepdims=self.keepdims)
