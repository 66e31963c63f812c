"""``PReLU``: a leaky ReLU whose slope is learned."""

from __future__ import annotations

from typing import Any

from ....ops import math as _m
from ....ops import nn as _nn
from ...base_layer import Layer

__all__ = ["PReLU"]


class PReLU(Layer):
    """``max(x, 0) + alpha * min(x, 0)`` with a trainable ``alpha`` of the per-example shape
    (``shared_axes`` share it along those axes).

    >>> import tapegrad as tf
    >>> p = tf.keras.layers.PReLU(alpha_initializer=tf.keras.initializers.Constant(0.1))
    >>> p(tf.constant([[-1.0, 2.0]])).numpy()
    array([[-0.1,  2. ]], dtype=float32)
    """

    supports_masking = True

    def __init__(self, alpha_initializer: Any = "zeros", alpha_regularizer: Any = None,
                 alpha_constraint: Any = None, shared_axes: Any = None, **kwargs: Any):
        super().__init__(**kwargs)
        self._weight_options("alpha", alpha_initializer, alpha_regularizer, alpha_constraint)
        self.shared_axes = [] if shared_axes is None else (
            [shared_axes] if isinstance(shared_axes, int) else list(shared_axes))

    def build(self, input_shape: Any) -> None:
        shape = list(input_shape[1:])
        for axis in self.shared_axes:
            shape[axis - 1] = 1
        if None in shape:
            raise ValueError(f"PReLU '{self.name}': the alpha shape {tuple(shape)} has unknown "
                             f"dimensions; share them with shared_axes.")
        self.alpha = self._add_weight_as("alpha", tuple(shape))
        self.built = True

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def call(self, inputs: Any) -> Any:
        zero = _m.cast(0.0, inputs.dtype)
        return _nn.relu(inputs) + self._autocast(self.alpha) * _m.minimum(inputs, zero)

    def get_config(self) -> dict:
        return dict(super().get_config(), shared_axes=self.shared_axes or None,
                    **self._weight_config("alpha"))
