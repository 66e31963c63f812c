"""``Identity``: returns its input."""

from __future__ import annotations

from typing import Any

from ...base_layer import Layer

__all__ = ["Identity"]


class Identity(Layer):
    """Returns its input unchanged (a placeholder in a model).

    >>> import tapegrad as tf
    >>> tf.keras.layers.Identity()(tf.constant([1.0, 2.0])).numpy()
    array([1., 2.], dtype=float32)
    """

    supports_masking = True

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def call(self, inputs: Any) -> Any:
        return inputs
