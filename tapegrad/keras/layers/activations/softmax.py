"""``Softmax`` over ``axis``."""

from __future__ import annotations

from typing import Any

from ....ops import nn as _nn
from ...base_layer import Layer

__all__ = ["Softmax"]


class Softmax(Layer):
    """``exp(x) / sum(exp(x))`` along ``axis`` (default the last).

    >>> import tapegrad as tf
    >>> tf.keras.layers.Softmax()(tf.constant([[0.0, 0.0]])).numpy()
    array([[0.5, 0.5]], dtype=float32)
    """

    supports_masking = True

    def __init__(self, axis: int = -1, **kwargs: Any):
        super().__init__(**kwargs)
        self.axis = axis

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def call(self, inputs: Any, mask: Any = None) -> Any:
        if mask is not None:
            raise NotImplementedError(f"Softmax '{self.name}': mask= is not supported yet.")
        return _nn.softmax(inputs, axis=self.axis)

    def get_config(self) -> dict:
        return dict(super().get_config(), axis=self.axis)
