"""``Dense``: ``activation(inputs @ kernel + bias)``."""

from __future__ import annotations

from typing import Any

from ....ops import array as _a
from ....ops import linalg as _la
from ... import activations
from ...base_layer import Layer

__all__ = ["Dense"]


class Dense(Layer):
    """``activation(inputs @ kernel + bias)``: glorot-uniform kernel, zero bias.

    >>> import tapegrad as tf
    >>> layer = tf.keras.layers.Dense(2, activation="relu")
    >>> layer(tf.ones((3, 4))).shape, [tuple(v.shape) for v in layer.variables]
    (TensorShape([3, 2]), [(4, 2), (2,)])
    """

    supports_masking = True

    def __init__(self, units: int, activation: Any = None, use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, kernel_constraint: Any = None,
                 bias_constraint: Any = None, **kwargs: Any):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if int(units) <= 0:
            raise ValueError(f"Dense: units must be a positive integer, got {units!r}.")
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self._weight_options("kernel", kernel_initializer, kernel_regularizer, kernel_constraint)
        self._weight_options("bias", bias_initializer, bias_regularizer, bias_constraint)

    def build(self, input_shape: Any) -> None:
        if len(input_shape) < 1 or input_shape[-1] is None:
            raise ValueError(f"Dense '{self.name}': the last dimension of the inputs must be "
                             f"known, got input shape {tuple(input_shape)}.")
        self._kernel_and_bias((input_shape[-1], self.units), (self.units,))
        self.built = True

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)[:-1] + (self.units,)

    def get_config(self) -> dict:
        return dict(super().get_config(), units=self.units,
                    activation=activations.serialize(self.activation), use_bias=self.use_bias,
                    **self._weight_config("kernel", "bias"))

    def call(self, inputs: Any) -> Any:
        if inputs.shape[-1] != self.kernel.shape[0]:
            raise ValueError(f"Dense '{self.name}': built for inputs with last dimension "
                             f"{self.kernel.shape[0]}, called on shape {tuple(inputs.shape)}.")
        if inputs.ndim > 2:  # (..., d) @ (d, units) on the last axis
            kernel = self._autocast(self.kernel)
            y = _la.matmul(_a.reshape(inputs, (-1, inputs.shape[-1])), kernel)
            y = _a.reshape(y, tuple(inputs.shape[:-1]) + (self.units,))
        else:
            y = _la.matmul(inputs, self._autocast(self.kernel))
        if self.bias is not None:
            y = y + self._autocast(self.bias)
        return y if self.activation is activations.linear else self.activation(y)
