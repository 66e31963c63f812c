"""``Activation``: applies an activation by name or callable."""

from __future__ import annotations

from typing import Any

from ... import activations
from ...base_layer import Layer

__all__ = ["Activation"]


class Activation(Layer):
    """Applies an activation by name or callable.

    >>> import tapegrad as tf
    >>> tf.keras.layers.Activation("relu")(tf.constant([-1.0, 1.0])).numpy()
    array([0., 1.], dtype=float32)
    """

    supports_masking = True

    def __init__(self, activation: Any, **kwargs: Any):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def call(self, inputs: Any) -> Any:
        return self.activation(inputs)

    def get_config(self) -> dict:
        return dict(super().get_config(), activation=activations.serialize(self.activation))
